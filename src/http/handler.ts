/** The request handler: routes twofold's URLs to their views, with body parsing, CSRF and the session around them. */
import { timingSafeEqual } from 'node:crypto';
import { nowInWholeSeconds } from '../clock.js';
import { messageText, type Locale, type MessageKey, type MessageParams } from '../messages.js';
import type { Security } from '../security.js';
import { pageUrls } from './urls.js';
import type { Templates } from './pages.js';
import { serializeCookie } from './cookies.js';
import { prepareReply, securityHeaders, toResponse } from './render.js';
import { discardBody, preferredLocale, readBody, wantsJson, type RequestLike } from './request.js';
import { errorReply } from './error-page.js';
import { SessionHandle } from './session.js';
import { transportOf, type Transport } from './transport.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { STYLESHEET } from './templates/stylesheet.js';
import type { View, ViewContext } from './view.js';
import { loginView } from './views/login.js';
import { logoutView } from './views/logout.js';
import { mfRecoveryCodesView } from './views/mf-recovery-codes.js';
import { mfRecoveryView } from './views/mf-recovery.js';
import { tfDevicesView } from './views/tf-devices.js';
import { tfRescueView } from './views/tf-rescue.js';
import { tfSelectView } from './views/tf-select.js';
import { tfSetupTokenView, tfSetupView } from './views/tf-setup.js';
import { tfValidateView } from './views/tf-validate.js';
import { verifyView } from './views/verify.js';
import { presentedDeviceHash } from './device-cookie.js';

/** How soon a client may retry when the database cannot be reached. */
const RETRY_AFTER_UNAVAILABLE_IN_SECONDS = 5;

interface Route {
  readonly view: View;
  readonly methods: readonly ('GET' | 'POST')[];
}

/** A request `handle` accepted, parsed as far as routing, transport and body go, for `answer` to serve. */
interface RoutedRequest {
  readonly request: Request;
  readonly url: URL;
  readonly route: Route;
  /** HEAD is answered as GET. */
  readonly method: 'GET' | 'POST';
  /** The parsed form or JSON body; empty for a GET. */
  readonly data: Record<string, unknown>;
  /** Whether the reply is FST's JSON envelope rather than a page. */
  readonly json: boolean;
  readonly locale: Locale;
  /** The part of the path after `/tf-setup/` for the set-up token route, else null. */
  readonly tail: string | null;
  readonly info: RequestInfo;
  readonly transport: Transport;
}

/** What an adapter knows about a request that a Fetch `Request` does not carry. */
export interface RequestInfo {
  /** The client's IP address as the application trusts it (Express: `req.ip`, which honours `trust proxy`; Fastify: `request.ip`, `trustProxy`). */
  readonly clientAddress?: string | null;
  /** The address the connection comes from, a proxy's when there is one (Express: `req.socket.remoteAddress`). */
  readonly connectionAddress?: string | null;
  /**
   * Whether the application trusts the connection's forwarding headers (`X-Forwarded-*`, `Forwarded`), so the
   * URL's scheme and `clientAddress` are the client's (Express: `trust proxy` covers the connection's address).
   * Unset: not trusted.
   */
  readonly forwardingTrusted?: boolean;
}

/** twofold's request handler, and which paths are its own. */
export interface Handler {
  handle(request: Request, info?: RequestInfo): Promise<Response | null>;
  owns(pathname: string): boolean;
}

/** Builds `security.handle`: a Fetch-API handler answering twofold's URLs and `null` for every other. */
export function createHandler(security: Security, templates: Templates): Handler {
  const urls = pageUrls(security);
  const routes = new Map<string, Route>([
    [urls.login, { view: loginView, methods: ['GET', 'POST'] }],
    [urls.logout, { view: logoutView, methods: ['GET', 'POST'] }],
    [urls.verify, { view: verifyView, methods: ['GET', 'POST'] }],
  ]);
  if (security.config.twoFactor) {
    routes.set(urls.tfSetup, { view: tfSetupView, methods: ['GET', 'POST'] });
    routes.set(urls.tfValidate, { view: tfValidateView, methods: ['GET', 'POST'] });
    routes.set(urls.tfRescue, { view: tfRescueView, methods: ['GET', 'POST'] });
    routes.set(urls.tfSelect, { view: tfSelectView, methods: ['GET', 'POST'] });
    routes.set(urls.tfDevices, { view: tfDevicesView, methods: ['GET', 'POST'] });
  }
  if (security.config.multiFactorRecoveryCodes) {
    routes.set(urls.mfRecoveryCodes, { view: mfRecoveryCodesView, methods: ['GET', 'POST'] });
    routes.set(urls.mfRecovery, { view: mfRecoveryView, methods: ['GET', 'POST'] });
  }
  const tokenRoute: Route = { view: tfSetupTokenView, methods: ['POST'] };
  const tokenPrefix = `${urls.tfSetup}/`;

  const owns = (pathname: string): boolean =>
    pathname === urls.stylesheet || routes.has(pathname) || (security.config.twoFactor && pathname.startsWith(tokenPrefix));

  let warnedUntrustedProxy = false;
  /** Once per handler: the operator, not the browser, can fix this, and every request would say it again. */
  function warnUntrustedProxy(): void {
    if (warnedUntrustedProxy) return;
    warnedUntrustedProxy = true;
    security.reportWarning(
      'twofold: a plain-HTTP request carried X-Forwarded-For / X-Forwarded-Proto / Forwarded / X-Real-IP headers from a proxy the application does not trust, ' +
        "so twofold refuses it (403) and would see every client at the proxy's address. Behind a TLS proxy, tell Express to trust it: " +
        "app.set('trust proxy', 'loopback') (or the proxy's address).",
    );
  }

  return { handle, owns };

  async function handle(request: Request, info: RequestInfo = {}): Promise<Response | null> {
    const url = new URL(request.url);
    if (url.pathname === urls.stylesheet) return stylesheet(request);
    let route = routes.get(url.pathname);
    let tail: string | null = null;
    if (route === undefined && security.config.twoFactor && url.pathname.startsWith(tokenPrefix)) {
      tail = url.pathname.slice(tokenPrefix.length);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(tail)) return null;
      route = tokenRoute;
    }
    if (route === undefined) return null;

    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const locale = preferredLocale(request);
    if ((method !== 'GET' && method !== 'POST') || !route.methods.includes(method)) {
      // JSON clients keep the plain-text 405 they always had; browsers get the page.
      const extra = { allow: route.methods.join(', '), ...(await settled(request)) };
      return wantsJson(request, false) ? plainError(405, messageText('API_ERROR', undefined, locale), extra) : errorReply(security, request, false, 405, 'API_ERROR', extra);
    }

    // Cookies that log someone in never travel in clear text (checklist WEB-04); this machine is for development.
    const transport = transportOf(url, request.headers, info);
    if (transport.untrustedProxy && !transport.https) warnUntrustedProxy();
    if (!transport.https && !security.config.allowInsecureHttp && !transport.thisMachine) {
      return errorReply(security, request, wantsJson(request, false), 403, 'HTTPS_REQUIRED', await settled(request));
    }
    const body = method === 'POST' ? await readBody(request) : ({ ok: true, data: {}, isJson: false } as const);
    const json = wantsJson(request, body.ok && body.isJson);
    if (!body.ok) return errorReply(security, request, json, body.status, 'API_ERROR', body.closeConnection === true ? CLOSE : {});
    try {
      return await answer({ request, url, route, method, data: body.data, json, locale, tail, info, transport });
    } catch (error) {
      // Nothing of this request was committed: the session is written last, and each store change is one
      // statement or one transaction.
      return failureReply(security, request, error, json);
    }
  }

  async function answer(input: RoutedRequest): Promise<Response> {
    const { request, url, route, method, data, json, locale, tail, info, transport } = input;
    const t = (key: MessageKey, params?: MessageParams) => messageText(key, params, locale);
    // GET and HEAD change nothing (a cross-site link can make a browser send them with the cookie).
    const session = await SessionHandle.load(security, request, { readOnly: method === 'GET' });
    // CSRF (checklist WEB-01): a cookie session must echo its token; an API token is no ambient credential.
    // FST's csrfIgnoreUnauthEndpoints (off by default) exempts requests that are not logged in.
    const csrfExempt = session.via === 'token' || (security.config.csrfIgnoreUnauthEndpoints && session.user === null);
    if (method === 'POST' && !csrfExempt) {
      const sent = data.csrf_token ?? request.headers.get(security.config.csrfHeader);
      // No token at all is a missing one (a form or a client that forgot it); anything else sent is a wrong one.
      if (sent === undefined || sent === null || sent === '') return errorReply(security, request, json, 403, 'CSRF_TOKEN_MISSING');
      if (!csrfMatches(session, sent)) return errorReply(security, request, json, 403, 'CSRF_TOKEN_INVALID');
    }
    const nowInSeconds = nowInWholeSeconds(security.clock);
    const context: ViewContext = {
      security,
      request,
      url,
      session,
      body: data,
      method,
      json,
      locale,
      urls,
      nowInSeconds,
      tail,
      thisMachine: transport.thisMachine,
      presentedDeviceHash: presentedDeviceHash(security, request, url),
      client: { address: info.clientAddress ?? null, userAgent: request.headers.get('user-agent'), requestId: requestIdOf(request, security), atInSeconds: nowInSeconds },
      t,
    };
    const result = await route.view(context);
    const reply = prepareReply(context, result, templates);
    const cookies = await session.commit();
    // FST's CSRF cookie for single-page apps: readable by the page's script, which echoes it in the header.
    if (security.config.csrfCookieName !== null && session.csrfStored && session.via !== 'token') {
      cookies.push(serializeCookie(security.config.csrfCookieName, session.data.csrf, { httpOnly: false, secure: url.protocol === 'https:', sameSite: 'Lax' }));
    }
    const response = toResponse(reply, cookies);
    return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  }
}

/**
 * The reply to a request that failed inside twofold: 503 with `Retry-After` when the database cannot be
 * reached, 500 otherwise. The client learns only whether to retry; `onError` gets the error.
 */
export function failureReply(security: Security, request: Request | RequestLike, error: unknown, json = wantsJson(request, false)): Response {
  const unavailable = isStoreUnavailable(error);
  security.reportError(error, unavailable ? 'store-unavailable' : 'internal');
  if (unavailable) return errorReply(security, request, json, 503, 'SERVICE_UNAVAILABLE', { 'retry-after': String(RETRY_AFTER_UNAVAILABLE_IN_SECONDS) });
  return errorReply(security, request, json, 500, 'INTERNAL_ERROR');
}

const CLOSE = { connection: 'close' } as const;

/**
 * For a reply that leaves the body unread: the body is read and dropped (bounded), so the keep-alive
 * connection can carry the next request; a body too large for that gets `Connection: close` instead.
 */
async function settled(request: Request): Promise<Record<string, string>> {
  return (await discardBody(request)) ? {} : CLOSE;
}

/** A proxy's `X-Request-Id` when it looks like one (it reaches logs, so nothing else is taken), else a new id. */
function requestIdOf(request: Request, security: Security): string {
  const given = request.headers.get('x-request-id');
  return given !== null && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : security.random.bytes(12).toString('base64url');
}

function csrfMatches(session: SessionHandle, sent: unknown): boolean {
  if (typeof sent !== 'string' || sent.length === 0 || sent.length > 128) return false;
  const expected = Buffer.from(session.data.csrf, 'utf8');
  const actual = Buffer.from(sent, 'utf8');
  // A session that was never stored has a fresh random token nobody could have sent.
  return session.csrfStored && expected.length === actual.length && timingSafeEqual(expected, actual);
}

function plainError(status: number, text: string, extra: Record<string, string> = {}): Response {
  const headers = securityHeaders();
  headers.set('content-type', 'text/plain; charset=utf-8');
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(`${text}\n`, { status, headers });
}

function stylesheet(request: Request): Response {
  const headers = new Headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
  return new Response(request.method === 'HEAD' ? null : STYLESHEET, { status: 200, headers });
}

