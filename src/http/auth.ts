/** Who a request is, for the application's own routes, and the replies of loginRequired / authRequired / tfRequired. */
import { messageText } from '../messages.js';
import type { Security } from '../security.js';
import type { User } from '../user.js';
import { headerSafeLocation, securityHeaders } from './render.js';
import { preferredLocale, wantsJson, type RequestLike } from './request.js';
import { SessionHandle } from './session.js';

/** A request's authentication: a fully logged-in user, how, and whether the login passed a second factor. */
export interface Authentication {
  readonly user: User;
  readonly via: 'session' | 'token';
  readonly tfVerified: boolean;
  /** The session's CSRF token, for the application's own forms that POST to twofold (a logout button); null for API tokens. */
  readonly csrfToken: string | null;
}

/** What a route demands. */
export interface Requirement {
  /** Accepted mechanisms; by default `apiEnabledMethods` (FST's `API_ENABLED_METHODS`: both). */
  readonly methods?: readonly ('session' | 'token')[];
  /** The seed's `tf_required`: the user must have a second factor and this login must have passed it. */
  readonly twoFactor?: boolean;
}

/**
 * Authenticates a request by its session cookie or `Authentication-Token` header: one indexed lookup. A
 * half-finished login is not an authentication (checklist FLOW-01).
 */
export async function authenticate(security: Security, request: RequestLike): Promise<Authentication | null> {
  const session = await SessionHandle.load(security, request);
  await session.commit();
  const user = session.user;
  const via = session.via;
  if (user === null || via === null) return null;
  return { user, via, tfVerified: session.data.tfVerified, csrfToken: via === 'session' ? session.data.csrf : null };
}

/**
 * Checks `auth` against `requirement`. `null` when it is met; otherwise the reply: 401 JSON or a redirect to
 * the login page when not logged in; the seed's 403 `{ error, tf_required: true, tf_methods }` or a redirect to
 * the set-up page when the second factor is missing.
 */
export async function refuse(security: Security, request: RequestLike, auth: Authentication | null, requirement: Requirement): Promise<Response | null> {
  const methods = requirement.methods ?? security.config.apiEnabledMethods;
  const prefix = security.config.urlPrefix;
  // Requests that pass (nearly all) pay for nothing else: the reply is built only when refusing.
  if (auth === null || !methods.includes(auth.via)) {
    if (wantsJson(request, false)) return jsonReply(401, { meta: { code: 401 }, response: { errors: [messageText('UNAUTHENTICATED', {}, preferredLocale(request))] } });
    const path = new URL(request.url);
    return redirect(`${prefix}${security.config.loginUrl}?next=${encodeURIComponent(path.pathname + path.search)}`);
  }
  if (requirement.twoFactor !== true) return null;
  const tfMethods = await security.getTfMethods(auth.user);
  if (tfMethods.length > 0 && auth.tfVerified) return null;
  if (wantsJson(request, false)) {
    return jsonReply(403, { error: messageText('TWO_FACTOR_REQUIRED', {}, preferredLocale(request)), tf_required: true, tf_methods: tfMethods });
  }
  return redirect(prefix + security.config.twoFactorSetupUrl);
}

function jsonReply(status: number, body: unknown): Response {
  const headers = securityHeaders();
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers });
}

function redirect(location: string): Response {
  const headers = securityHeaders();
  headers.set('location', headerSafeLocation(location));
  return new Response(null, { status: 302, headers });
}
