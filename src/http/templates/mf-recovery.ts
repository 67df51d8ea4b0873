/** The `/mf-recovery` page: log in with a recovery code instead of the second factor. */
import { CODE_MAX_LENGTH } from '../../forms/two-factor-verify-code.js';
import type { Template } from '../pages.js';
import { errorsFor, inputField, postForm, submitButton } from './form.js';
import { html } from './html.js';
import { layout } from './layout.js';

/**
 * Renders `/mf-recovery`. A recovery code has letters, so its field is plain text: no numeric keyboard, no
 * one-time-code autofill, no spell-checking or autocorrection of the code.
 */
export const mfRecoveryTemplate: Template<'mfRecovery'> = (model, context) => {
  const { t } = context;
  const body = html`${inputField(context, {
    id: 'mf-recovery-code',
    name: 'code',
    type: 'text',
    label: 'LABEL_RECOVERY_CODE',
    hint: t('MF_RECOVERY_PROMPT'),
    errors: errorsFor(model.errors, 'code'),
    attributes: { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', autocorrect: 'off', maxlength: CODE_MAX_LENGTH, required: true, autofocus: true },
  })}
${submitButton(t('LABEL_SUBMIT_CODE'))}`;
  return layout(context, {
    title: t('TITLE_MF_RECOVERY'),
    body: postForm(context, { action: model.action, name: 'mf_recovery_form', errors: model.errors, shownFields: ['code'], body }),
  });
};
