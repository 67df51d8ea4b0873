/** The page of a request twofold refused or failed itself: what went wrong, in the user's language, and a way back. */
import type { Template } from '../pages.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** Renders a 4xx or 5xx of twofold's own: the status in the title, the message, a link back to `backUrl`. */
export const errorTemplate: Template<'error'> = (model, context) => {
  const { t } = context;
  const body = html`<p class="tf-lead" role="alert">${t(model.message)}</p>
<p><a href="${model.backUrl}">${t('LINK_BACK_TO_LOGIN')}</a></p>`;
  return layout(context, { title: t('TITLE_ERROR', { status: model.status }), body });
};
