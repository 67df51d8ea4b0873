/** Replies several views share: not logged in, not fresh, not anonymous, locked out. */
import { pendingUser } from '../../flows/pending.js';
import { loginOf, NO_TF, type LoginState } from '../../flows/state.js';
import type { FormErrors } from '../../forms/field.js';
import { safeRedirectPath } from '../../forms/next.js';
import type { User } from '../../user.js';
import type { PageRender, ViewContext, ViewResult } from '../view.js';
import { errorPayload, illegalState, loginRestartRequired } from '../view.js';

/** The path and query of this request, for `next`. */
export function here(context: ViewContext): string {
  return context.url.pathname + context.url.search;
}

/** A safe `next` from the form or the query, percent-encoded for a header, else null (checklist: no open redirects). */
export function safeNext(context: ViewContext, fromForm: unknown): string | null {
  const candidate = typeof fromForm === 'string' && fromForm !== '' ? fromForm : context.url.searchParams.get('next');
  return safeRedirectPath(candidate);
}

/** `url` with `?next=` when there is a `next` to carry on to. */
export function withNext(url: string, next: string | null): string {
  return next === null ? url : `${url}?next=${encodeURIComponent(next)}`;
}

/** Not logged in: JSON 401, a browser to the login page. */
export function unauthenticated(context: ViewContext): ViewResult {
  return {
    status: 401,
    json: errorPayload(context, { '': ['UNAUTHENTICATED'] }),
    html: { redirect: `${context.urls.login}?next=${encodeURIComponent(here(context))}` },
  };
}

/** Logged in but not recently enough: JSON 401 with `reauth_required`, a browser to `/verify` (FST's reauthn handler). */
export function reauthenticationRequired(context: ViewContext): ViewResult {
  return {
    status: 401,
    json: { ...errorPayload(context, { '': ['REAUTHENTICATION_REQUIRED'] }), reauth_required: true },
    html: { redirect: `${context.urls.verify}?next=${encodeURIComponent(here(context))}` },
    flashes: [{ key: 'REAUTHENTICATION_REQUIRED' }],
  };
}

/** Logged in where only a half-finished login may be: JSON 400, a browser to the post-login view. */
export function anonymousRequired(context: ViewContext): ViewResult {
  return {
    status: 400,
    json: errorPayload(context, { '': ['ANONYMOUS_USER_REQUIRED'] }),
    html: { redirect: context.security.config.postLoginView },
  };
}

/**
 * The half-finished login a step belongs to, if the session is in state `kind` and its user still qualifies;
 * otherwise the reply refusing the step: `ANONYMOUS_USER_REQUIRED` for a logged-in caller (when
 * `anonymousOnly`), else the illegal-state reply.
 */
export async function loginIn<K extends LoginState['kind']>(
  context: ViewContext,
  kind: K | readonly K[],
  options: { anonymousOnly: boolean },
): Promise<{ login: Extract<LoginState, { kind: K }>; user: User } | ViewResult> {
  const { session } = context;
  if (session.user !== null) return options.anonymousOnly ? anonymousRequired(context) : illegalState(context);
  const login = loginOf(session.data.tf);
  const kinds: readonly string[] = typeof kind === 'string' ? [kind] : kind;
  if (login === null || !kinds.includes(login.kind)) return illegalState(context);
  const user = await pendingUser(context, login);
  return user === null ? illegalState(context) : { login: login as Extract<LoginState, { kind: K }>, user };
}

/**
 * The account is locked after too many wrong second-factor codes (checklist RL-01): 429 with `Retry-After`
 * in seconds, JSON `TOO_MANY_ATTEMPTS` on `field`, and for a browser `page` re-rendered with status 429.
 */
export function lockedOut(context: ViewContext, retryAfterInSeconds: number, page: (errors: FormErrors<string>) => PageRender, field = 'code'): ViewResult {
  const errors: FormErrors<string> = { [field]: ['TOO_MANY_ATTEMPTS'] };
  return {
    status: 429,
    json: errorPayload(context, errors),
    html: { ...page(errors), status: 429 },
    headers: { 'retry-after': String(retryAfterInSeconds) },
  };
}

/**
 * After the second factor changed or was turned off, the user's other sessions and API tokens end (checklist
 * FLOW-10), unless `twoFactorChangeEndsOtherSessions` is off: whoever held one got it under the old factor.
 */
export async function endOtherSessions(context: ViewContext, user: User): Promise<void> {
  if (!context.security.config.twoFactorChangeEndsOtherSessions) return;
  const current = context.session.idHash;
  await context.security.datastore.deleteUserSessions(user.id, current ?? undefined);
}

/**
 * This challenge had its `twoFactorMaxCodeAttempts` tries (checklist RL-01): the half-finished login, the
 * pending change or the re-authentication is dropped, so the next try starts over — a new login asks for the password again, while
 * the account's own counter goes on. JSON 400 `TOO_MANY_ATTEMPTS`; a login also says it must start again at
 * `/login` ({@link loginRestartRequired}), a browser back to the login or set-up page.
 */
export function challengeExhausted(context: ViewContext): ViewResult {
  if (context.session.user === null) return loginRestartRequired(context, { code: ['TOO_MANY_ATTEMPTS'] });
  context.session.update({ tf: NO_TF });
  return {
    status: 400,
    json: errorPayload(context, { code: ['TOO_MANY_ATTEMPTS'] }),
    html: { redirect: context.urls.tfSetup },
    flashes: [{ key: 'TOO_MANY_ATTEMPTS' }],
  };
}
