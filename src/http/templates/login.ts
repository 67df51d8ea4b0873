/** The `/login` page: e-mail, password, remember me, and the `next` the login returns to. */
import { EMAIL_MAX_LENGTH } from '../../forms/email.js';
import { PASSWORD_MAX_LENGTH } from '../../forms/login.js';
import type { Template } from '../pages.js';
import { checkboxField, errorsFor, hiddenInput, inputField, postForm, submitButton } from './form.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** Renders `/login`; errors under `email`, `password` and `remember` sit at their fields, the rest on top. */
export const loginTemplate: Template<'login'> = (model, context) => {
  const { t } = context;
  const body = html`
${inputField(context, {
  id: 'login-email',
  name: 'email',
  type: 'email',
  label: 'LABEL_EMAIL',
  value: model.email,
  errors: errorsFor(model.errors, 'email'),
  attributes: { autocomplete: 'username', required: true, maxlength: EMAIL_MAX_LENGTH, autocapitalize: 'none', spellcheck: 'false', autofocus: model.email === '' },
})}
${inputField(context, {
  id: 'login-password',
  name: 'password',
  type: 'password',
  label: 'LABEL_PASSWORD',
  errors: errorsFor(model.errors, 'password'),
  attributes: { autocomplete: 'current-password', required: true, maxlength: PASSWORD_MAX_LENGTH, autofocus: model.email !== '' },
})}
${checkboxField(context, { id: 'login-remember', name: 'remember', label: 'LABEL_REMEMBER_ME', checked: model.remember, errors: errorsFor(model.errors, 'remember') })}
${model.next !== null && hiddenInput('next', model.next)}
${submitButton(t('LABEL_LOGIN'))}`;
  return layout(context, {
    title: t('TITLE_LOGIN'),
    body: postForm(context, { action: context.urls.login, name: 'login_user_form', errors: model.errors, shownFields: ['email', 'password', 'remember'], body }),
  });
};
