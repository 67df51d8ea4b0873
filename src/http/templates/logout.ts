/** The `/logout` page for a GET: a button that POSTs the logout, since a GET changes nothing. */
import type { Template } from '../pages.js';
import { postForm, submitButton } from './form.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** Renders `/logout`: who is logged in, and the "Log out" button. */
export const logoutTemplate: Template<'logout'> = (_model, context) => {
  const { t } = context;
  const body = html`${context.user !== null && html`<p class="tf-lead">${t('SIGNED_IN_AS', { email: context.user.email })}</p>`}
${postForm(context, { action: context.urls.logout, name: 'logout_form', errors: {}, shownFields: [], body: submitButton(t('LABEL_LOGOUT')) })}`;
  return layout(context, { title: t('TITLE_LOGOUT'), body });
};
