/** The one place a ViewResult becomes a Response: the JSON envelope, or an HTML page or redirect. */
import { isMessageKey, messageCategory, type MessageKey } from '../messages.js';
import type { Flash, PageContext, Templates } from './pages.js';
import type { PageRender, ViewContext, ViewResult } from './view.js';

// The pages carry no script and no inline style, so the policy can forbid both.
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers on every twofold response: nothing here may be cached, framed or sniffed (checklist WEB-03). */
export function securityHeaders(): Headers {
  return new Headers({
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
}

/** A rendered reply, before the session is written back (the session's cookie is not known yet). */
export interface PreparedReply {
  readonly status: number;
  readonly body: string | null;
  readonly headers: Headers;
}

/**
 * Renders `result` for the request: JSON clients get `{ meta: { code }, response }` with `csrf_token`; browsers
 * get the page, or a 302 with the flashes kept for the next page. Runs before the session is committed, since
 * rendering reads the CSRF token and consumes flashes.
 */
export function prepareReply(context: ViewContext, result: ViewResult, templates: Templates): PreparedReply {
  const headers = securityHeaders();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, value);
  for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
  const { session } = context;
  if (context.json) {
    headers.set('content-type', 'application/json; charset=utf-8');
    const response = { ...result.json, csrf_token: session.csrfToken };
    return { status: result.status, body: JSON.stringify({ meta: { code: result.status }, response }), headers };
  }
  if (result.flashes !== undefined && result.flashes.length > 0) session.update({ flashes: [...session.data.flashes, ...result.flashes].slice(-10) });
  if ('redirect' in result.html) {
    headers.set('location', headerSafeLocation(result.html.redirect));
    return { status: 302, body: null, headers };
  }
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
  return { status: result.html.status ?? 200, body: renderPage(result.html, templates, pageContext(context)), headers };
}

/**
 * A redirect target as a header can carry it: anything outside printable ASCII percent-encoded as UTF-8 (a
 * lone surrogate as U+FFFD). Views already pass encoded paths; this keeps a configured view or a future
 * caller from turning a committed login into a 500.
 */
export function headerSafeLocation(location: string): string {
  return location.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(/^[\uD800-\uDFFF]$/.test(character) ? '\uFFFD' : character));
}

/** The Response, once the session's cookies are known. */
export function toResponse(reply: PreparedReply, setCookies: readonly string[]): Response {
  for (const cookie of setCookies) reply.headers.append('set-cookie', cookie);
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

function renderPage(render: PageRender, templates: Templates, context: PageContext): string {
  // The union is correlated (page ↔ model); TypeScript cannot follow it through the lookup.
  const template = templates[render.page] as (model: PageRender['model'], context: PageContext) => string;
  return template(render.model, context);
}

/** The template context: translation in the request's language, CSRF token, URLs, and the flashes to show now. */
export function pageContext(context: ViewContext): PageContext {
  const flashes: Flash[] = [];
  for (const flash of context.session.data.flashes) {
    if (!isMessageKey(flash.key)) continue;
    flashes.push({ category: messageCategory(flash.key as MessageKey) ?? 'info', text: context.t(flash.key as MessageKey, flash.params) });
  }
  if (flashes.length > 0) context.session.update({ flashes: [] });
  const user = context.session.user;
  return {
    t: (key, params) => context.t(key, params),
    locale: context.locale,
    csrfToken: context.session.csrfToken,
    flashes,
    urls: context.urls,
    user: user === null ? null : { email: user.email },
  };
}
