/**
 * twofold's own refusals and failures (400, 403, 405, 413, 415, 500, 503) as replies: the JSON envelope for
 * JSON clients, and for browsers a page in twofold's layout and the user's language, with a way back.
 */
import { messageText, type MessageKey } from '../messages.js';
import type { Security } from '../security.js';
import { pageUrls } from './urls.js';
import type { PageContext } from './pages.js';
import { CONTENT_SECURITY_POLICY, securityHeaders } from './render.js';
import { preferredLocale, type RequestLike } from './request.js';

/**
 * The reply refusing `request` with `status` and the text of `message`. Nothing of the request is echoed:
 * the page holds only the message, the status and the link to the login page. `extra` headers are kept
 * (`Retry-After`, `Allow`, `Connection`).
 */
export function errorReply(security: Security, request: RequestLike, json: boolean, status: number, message: MessageKey, extra: Readonly<Record<string, string>> = {}): Response {
  const locale = preferredLocale(request);
  const text = messageText(message, undefined, locale);
  const headers = securityHeaders();
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  if (json) {
    headers.set('content-type', 'application/json; charset=utf-8');
    return new Response(JSON.stringify({ meta: { code: status }, response: { errors: [text], field_errors: { '': [text] } } }), { status, headers });
  }
  const urls = pageUrls(security);
  // No session is read for these replies (some come before it, or instead of it): no user, no flashes, no form.
  const context: PageContext = { t: (key, params) => messageText(key, params, locale), locale, csrfToken: '', flashes: [], urls, user: null };
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
  return new Response(security.templates.error({ status, message, backUrl: urls.login }, context), { status, headers });
}
