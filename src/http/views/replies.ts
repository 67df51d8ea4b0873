/** How the outcomes of the login transitions are answered: JSON for API clients, pages and redirects for browsers. */
import type { CompletedLogin } from '../../flows/complete.js';
import type { LoginOutcome, ValidatingLogin } from '../../flows/password.js';
import { tfStateName, type LoginState, type StoredFlash } from '../../flows/state.js';
import type { User } from '../../user.js';
import { deviceCookie } from '../device-cookie.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';

/** What a user may see of themselves in JSON, once fully logged in. */
export function userPayload(user: User): { email: string } {
  return { email: user.email };
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

/** The reply to where a login stands after a step (see {@link LoginOutcome}). */
export function loginOutcomeReply(context: ViewContext, outcome: LoginOutcome): ViewResult {
  switch (outcome.kind) {
    case 'complete':
      return completedReply(context, outcome.completed);
    case 'pending':
      return pendingReply(context, outcome.login);
    case 'code-refused':
      return codeRefused(context, outcome.login, outcome.retryAfterInSeconds);
    case 'code-failed': {
      // The login is over; a browser gets the login page again, with the e-mail address typed.
      const { status, key, headers } = notSent(null);
      const errors = { '': [key] };
      const email = typeof context.body.email === 'string' ? context.body.email.slice(0, 254) : '';
      const model = { email, remember: outcome.login?.remember ?? false, next: outcome.login?.next ?? null, errors };
      return { status, json: errorPayload(context, errors), html: { page: 'login', model, status }, headers };
    }
  }
}

/**
 * A login code the send limits refused: 429 with `Retry-After`, and JSON `retry_after` (seconds) beside the
 * login's state; a browser goes to `/tf-validate`, which says how long to wait.
 */
export function codeRefused(context: ViewContext, login: ValidatingLogin, retryAfterInSeconds: number): ViewResult {
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

/** The reply that sends a half-logged-in client to its next step (docs/flask-security-reference.md §2.0). */
export function pendingReply(context: ViewContext, login: LoginState): ViewResult {
  const { urls } = context;
  const next = login.next !== null ? `?next=${encodeURIComponent(login.next)}` : '';
  switch (login.kind) {
    case 'setup':
      return { status: 200, json: { tf_required: true, tf_state: tfStateName(login) }, html: { redirect: urls.tfSetup + next } };
    case 'unavailable':
      return { status: 200, json: { tf_required: true, tf_state: 'unavailable', tf_method: login.method }, html: { redirect: urls.tfValidate + next } };
    case 'select':
      return { status: 200, json: { tf_required: true, tf_select: true, tf_setup_methods: login.methods }, html: { redirect: urls.tfSelect + next } };
    case 'validate':
      return {
        status: 200,
        json: { tf_required: true, tf_state: 'ready', tf_primary_method: login.method, tf_method: login.method },
        html: { redirect: urls.tfValidate + next },
      };
  }
}

/** A completed login: the user (and API token) in JSON, the `next` redirect, and the remembered-browser cookie. */
export function completedReply(context: ViewContext, completed: CompletedLogin): ViewResult {
  const user = completed.authToken === null ? userPayload(completed.user) : { ...userPayload(completed.user), authentication_token: completed.authToken };
  const json: Record<string, unknown> = { user };
  if (completed.method === null) json.tf_required = false;
  const cookies = completed.device === null ? [] : [deviceCookie(context, completed.device.token, completed.device.lifetimeInSeconds)];
  // No "code confirmed" flash: the redirect leads to the application's page, which cannot show it, and it
  // would surface later on an unrelated twofold page. JSON clients learn it from the 200.
  return { status: 200, json, html: { redirect: completed.next }, cookies };
}
