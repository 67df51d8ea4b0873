/**
 * The login transitions: password right → (logged in | setup | select | validate), and any of them → logged
 * in. Reference §3.1 decides; nothing here knows HTML or JSON beyond the neutral ViewResult.
 */
import { randomId } from '../crypto/random.js';
import { eventUser } from '../events.js';
import { isSafeRedirectPath } from '../forms/next.js';
import type { TfSendOutcome } from '../factors/plugin.js';
import type { Security } from '../security.js';
import type { User } from '../user.js';
import type { ViewContext, ViewResult } from '../http/view.js';
import { errorPayload } from '../http/view.js';
import type { LoginState, StoredFlash } from './state.js';
import { loginOf, NO_TF, tfStateName } from './state.js';
import { issueTrustedDevice, hasTrustedDevice } from './trusted-device.js';

/** What a user may see of themselves in JSON, once fully logged in. */
export function userPayload(user: User): { email: string } {
  return { email: user.email };
}

/** Whether 2FA is required of this user, by option or by the application's predicate (FST's `check_tf_required`). */
export async function isTfRequired(security: Security, user: User): Promise<boolean> {
  const required = security.config.twoFactorRequired;
  return typeof required === 'function' ? await required(user) : required;
}

/**
 * After a right password (FST's `tf_enter`): logs in when no second factor is needed, else starts the login
 * state — set-up, selection, or validation (sending the code for e-mail and SMS) — under a new session id.
 */
export async function afterPassword(context: ViewContext, user: User, options: { remember: boolean; next: string | null }): Promise<ViewResult> {
  const { security, session } = context;
  const { usable: methods, unusable } = await security.getTfFactorMethods(user);
  // Fail closed: a factor stored but out of service is still the user's factor, never "no factor".
  const wanted = methods.length > 0 || unusable.length > 0 || (await isTfRequired(security, user));
  // A trusted device skips a second factor the user has, never a set-up they still owe (checklist RMD-03).
  const trusted = methods.length > 0 && !security.config.twoFactorAlwaysValidate && (await hasTrustedDevice(context, user));
  if (!wanted || trusted) return completeLogin(context, user, { remember: options.remember, next: options.next, tfVerified: trusted, method: null });

  const base = { userId: user.id, fsUniquifier: user.fsUniquifier, remember: options.remember, next: options.next, startedAtInSeconds: context.nowInSeconds };
  let login: LoginState;
  if (methods.length === 0 && unusable.length > 0) login = { ...base, kind: 'unavailable', method: unusable[0] as string, challenge: randomId(security.random), problem: null };
  else if (methods.length === 0) login = { ...base, kind: 'setup', pending: null };
  else if (methods.length > 1) login = { ...base, kind: 'select', methods };
  else login = { ...base, kind: 'validate', method: methods[0] as string, challenge: randomId(security.random), problem: null };
  // Anonymous → pending is a privilege change too: a new id (checklist FLOW-03).
  await session.renew({ user: null, data: { tf: { kind: 'login', login }, tfVerified: false } });
  if (login.kind === 'validate') {
    const outcome = await startValidation(context, user, login);
    if (!outcome.sent) return sendFailed(context, outcome.retryAfterInSeconds);
  }
  return pendingReply(context, login);
}

/** Sends the code a validation needs (nothing for an authenticator). */
export async function startValidation(context: ViewContext, user: User, login: LoginState & { kind: 'validate' }): Promise<TfSendOutcome> {
  const plugin = context.security.plugins.pluginForMethod(login.method);
  if (plugin === null) return { sent: false, retryAfterInSeconds: null };
  return plugin.deliverToken(user, { method: login.method, challenge: login.challenge, client: context.client });
}

/**
 * How a code that was not sent is answered: refused by the send limits (`retryAfterInSeconds` set), 429
 * `TOO_MANY_CODES_SENT` with `Retry-After` (checklist RL-08); failed, FST's 500 `FAILED_TO_SEND_CODE`.
 */
export function notSent(retryAfterInSeconds: number | null): {
  readonly status: 429 | 500;
  readonly key: 'TOO_MANY_CODES_SENT' | 'FAILED_TO_SEND_CODE';
  readonly headers: Readonly<Record<string, string>>;
} {
  if (retryAfterInSeconds === null) return { status: 500, key: 'FAILED_TO_SEND_CODE', headers: {} };
  return { status: 429, key: 'TOO_MANY_CODES_SENT', headers: { 'retry-after': String(retryAfterInSeconds) } };
}

/**
 * The first code of a login was not sent. Refused by the send limits, the login stays (state `ready`) and
 * the user is told how long to wait before asking for one on `/tf-validate` ({@link codeRefused}). Failed,
 * the login is over ({@link notSent}); a browser gets the login page again, with the e-mail address typed.
 */
export function sendFailed(context: ViewContext, retryAfterInSeconds: number | null = null): ViewResult {
  const login = loginOf(context.session.data.tf);
  if (retryAfterInSeconds !== null && login?.kind === 'validate') return codeRefused(context, login, retryAfterInSeconds);
  context.session.update({ tf: NO_TF });
  const { status, key, headers } = notSent(retryAfterInSeconds);
  const errors = { '': [key] };
  const email = typeof context.body.email === 'string' ? context.body.email.slice(0, 254) : '';
  const model = { email, remember: login?.remember ?? false, next: login?.next ?? null, errors };
  return { status, json: errorPayload(context, errors), html: { page: 'login', model, status }, headers };
}

/**
 * A login code the send limits refused: 429 with `Retry-After`, and JSON `retry_after` (seconds) beside the
 * login's state; a browser goes to `/tf-validate`, which says how long to wait. No code exists for this
 * login until one is sent, so it cannot complete before.
 */
export function codeRefused(context: ViewContext, login: LoginState & { kind: 'validate' }, retryAfterInSeconds: number): ViewResult {
  const pending = pendingReply(context, login);
  return {
    status: 429,
    json: { ...pending.json, ...errorPayload(context, { '': ['TOO_MANY_CODES_SENT'] }), retry_after: retryAfterInSeconds },
    html: pending.html,
    flashes: [{ key: 'TOO_MANY_CODES_SENT' }, waitNotice(retryAfterInSeconds)],
    headers: { 'retry-after': String(retryAfterInSeconds) },
  };
}

/** "You can ask for a new code in …": seconds up to two minutes, whole minutes (rounded up) past that. */
export function waitNotice(retryAfterInSeconds: number): StoredFlash {
  if (retryAfterInSeconds <= 120) return { key: 'TF_RESEND_WAIT_SECONDS', params: { seconds: retryAfterInSeconds } };
  return { key: 'TF_RESEND_WAIT_MINUTES', params: { minutes: Math.ceil(retryAfterInSeconds / 60) } };
}

/** The reply that sends a half-logged-in client to its next step (reference §2.0). */
export function pendingReply(context: ViewContext, login: LoginState): ViewResult {
  const { urls } = context;
  const next = login.next !== null ? `?next=${encodeURIComponent(login.next)}` : '';
  if (login.kind === 'setup') {
    return { status: 200, json: { tf_required: true, tf_state: tfStateName(login) }, html: { redirect: urls.tfSetup + next } };
  }
  if (login.kind === 'unavailable') {
    return { status: 200, json: { tf_required: true, tf_state: 'unavailable', tf_method: login.method }, html: { redirect: urls.tfValidate + next } };
  }
  if (login.kind === 'select') {
    return { status: 200, json: { tf_required: true, tf_select: true, tf_setup_methods: login.methods }, html: { redirect: urls.tfSelect + next } };
  }
  return {
    status: 200,
    json: { tf_required: true, tf_state: 'ready', tf_primary_method: login.method, tf_method: login.method },
    html: { redirect: urls.tfValidate + next },
  };
}

/**
 * Completes a login: a new session id bound to the user (the half-logged-in one is deleted, so it is used up
 * once), freshness from now, the trusted-device cookie when asked for, and the reply.
 */
export async function completeLogin(
  context: ViewContext,
  user: User,
  options: { remember: boolean; next: string | null; tfVerified: boolean; method: string | null },
): Promise<ViewResult> {
  const { security, session } = context;
  await session.renew({ user, authenticated: true, remember: options.remember, data: { tf: NO_TF, tfVerified: options.tfVerified, flashes: [] } });
  security.events.emit('userAuthenticated', { user: eventUser(user), authnVia: options.method === null ? ['password'] : ['password', options.method], client: context.client });
  const cookies: string[] = [];
  if (options.method !== null && options.method !== 'recovery_code' && options.remember && !security.config.twoFactorAlwaysValidate) {
    cookies.push(await issueTrustedDevice(context, user));
  }
  const json: Record<string, unknown> = { user: userPayload(user) };
  if (options.method === null) json.tf_required = false;
  if (context.url.searchParams.has('include_auth_token')) {
    json.user = { ...userPayload(user), authentication_token: await session.issueAuthToken() };
  }
  const next = options.next !== null && isSafeRedirectPath(options.next) ? options.next : security.config.postLoginView;
  return {
    status: 200,
    json,
    html: { redirect: next },
    // No "code confirmed" flash: the redirect leads to the application's page, which cannot show it, and it
    // would surface later on an unrelated twofold page. JSON clients learn it from the 200.
    cookies,
  };
}

/**
 * The user of a half-finished login, checked again (checklist FLOW-02): still there, still active, not reset
 * since the password step, and the login not older than `twoFactorLoginWithin`. `null` means the login is void.
 */
export async function pendingUser(context: ViewContext, login: LoginState): Promise<User | null> {
  if (context.nowInSeconds - login.startedAtInSeconds > context.security.config.twoFactorLoginWithin) return null;
  const user = await context.security.findUserById(login.userId);
  if (user === null || !user.active || user.fsUniquifier !== login.fsUniquifier) return null;
  return user;
}
