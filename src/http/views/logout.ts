/** `/logout`: POST ends the session; GET only shows a button, since GET changes nothing (checklist WEB-01). */
import type { ViewContext, ViewResult } from '../view.js';

export async function logoutView(context: ViewContext): Promise<ViewResult> {
  if (context.method === 'GET') return { status: 200, json: {}, html: { page: 'logout', model: {} } };
  await context.session.destroy();
  return { status: 200, json: {}, html: { redirect: context.security.config.postLogoutView } };
}
