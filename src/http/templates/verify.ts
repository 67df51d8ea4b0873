/** The `/verify` page: re-enter the password to make the login fresh again. */
import { PASSWORD_MAX_LENGTH } from '../../forms/login.js';
import type { Template } from '../pages.js';
import { errorsFor, hiddenInput, inputField, postForm, submitButton } from './form.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** Renders `/verify`; `password` errors at the field, the rest on top. */
export const verifyTemplate: Template<'verify'> = (model, context) => {
  const { t } = context;
  const body = html`
${context.user !== null &&
  // A hidden, unnamed username field tells password managers whose password this is; it is never sent.
  html`<p class="tf-lead">${t('SIGNED_IN_AS', { email: context.user.email })}</p>
<input type="email" autocomplete="username" value="${context.user.email}" hidden readonly>`}
${inputField(context, {
  id: 'verify-password',
  name: 'password',
  type: 'password',
  label: 'LABEL_PASSWORD',
  errors: errorsFor(model.errors, 'password'),
  attributes: { autocomplete: 'current-password', required: true, maxlength: PASSWORD_MAX_LENGTH, autofocus: true },
})}
${model.next !== null && hiddenInput('next', model.next)}
${submitButton(t('LABEL_VERIFY_PASSWORD'))}`;
  return layout(context, {
    title: t('TITLE_VERIFY'),
    body: postForm(context, { action: context.urls.verify, name: 'verify_form', errors: model.errors, shownFields: ['password'], body }),
  });
};
