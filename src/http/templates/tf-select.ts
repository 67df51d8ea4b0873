/** The `/tf-select` page: choose which of the user's second factors to use for this login. */
import type { Template } from '../pages.js';
import { errorsFor, postForm, radioGroup, submitButton } from './form.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** Renders `/tf-select`: radio `which` over the user's methods; the first is preselected. */
export const tfSelectTemplate: Template<'tfSelect'> = (model, context) => {
  const { t } = context;
  const body = html`${radioGroup(context, {
    id: 'tf-select-which',
    name: 'which',
    legend: 'LABEL_SELECT_METHODS',
    choices: model.choices,
    selected: model.choices[0]?.value ?? null,
    errors: errorsFor(model.errors, 'which'),
  })}
${submitButton(t('LABEL_SELECT'))}`;
  return layout(context, {
    title: t('TITLE_TF_SELECT'),
    body: postForm(context, { action: model.action, name: 'tf_select', errors: model.errors, shownFields: ['which'], body }),
  });
};
