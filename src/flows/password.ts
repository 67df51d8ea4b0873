/**
 * The password step's transition (FST's `tf_enter`): password right → fully logged in (no second factor
 * wanted, or a remembered browser), or a half-finished login at set-up, selection, validation, or — failing
 * closed on a factor out of service — `unavailable`; and what becomes of a login whose code was not sent.
 */
import { randomId } from '../crypto/random.js';
import type { TfSendOutcome } from '../factors/plugin.js';
import type { User } from '../user.js';
import { completeLogin, type CompletedLogin } from './complete.js';
import type { FlowContext } from './context.js';
import { isTfRequired } from './pending.js';
import { loginOf, NO_TF, type LoginState } from './state.js';
import { hasTrustedDevice } from './trusted-device.js';

/** A login that waits for a code of `method`. */
export type ValidatingLogin = LoginState & { readonly kind: 'validate' };

/**
 * Where a login stands after a step that may send a code: fully logged in; waiting for its next step; its
 * code refused by the send limits (the login stays, `retryAfterInSeconds` until another may be asked for);
 * or its code not sent at all (the login is over).
 */
export type LoginOutcome =
  | { readonly kind: 'complete'; readonly completed: CompletedLogin }
  | { readonly kind: 'pending'; readonly login: LoginState }
  | { readonly kind: 'code-refused'; readonly login: ValidatingLogin; readonly retryAfterInSeconds: number }
  | { readonly kind: 'code-failed'; readonly login: LoginState | null };

/** What the password step was given besides the user. */
export interface PasswordInput {
  readonly remember: boolean;
  readonly next: string | null;
  readonly includeAuthToken: boolean;
}

/** After a right password: the login state that follows, under a new session id, and the code sent for it. */
export async function afterPassword(context: FlowContext, user: User, input: PasswordInput): Promise<LoginOutcome> {
  const { security, session } = context;
  const { usable: methods, unusable } = await security.getTfFactorMethods(user);
  // Fail closed: a factor stored but out of service is still the user's factor, never "no factor".
  const wanted = methods.length > 0 || unusable.length > 0 || (await isTfRequired(security, user));
  // A trusted device skips a second factor the user has, never a set-up they still owe (checklist RMD-03).
  const trusted = methods.length > 0 && !security.config.twoFactorAlwaysValidate && (await hasTrustedDevice(context, user));
  if (!wanted || trusted) {
    const completed = await completeLogin(context, user, { ...input, tfVerified: trusted, method: null });
    return { kind: 'complete', completed };
  }
  const base = { userId: user.id, fsUniquifier: user.fsUniquifier, remember: input.remember, next: input.next, startedAtInSeconds: context.nowInSeconds };
  let login: LoginState;
  if (methods.length === 0 && unusable.length > 0) login = { ...base, kind: 'unavailable', method: unusable[0] as string, challenge: randomId(security.random), problem: null };
  else if (methods.length === 0) login = { ...base, kind: 'setup', pending: null };
  else if (methods.length > 1) login = { ...base, kind: 'select', methods };
  else login = { ...base, kind: 'validate', method: methods[0] as string, challenge: randomId(security.random), problem: null };
  // Anonymous → pending is a privilege change too: a new id (checklist FLOW-03).
  await session.renew({ user: null, data: { tf: { kind: 'login', login }, tfVerified: false } });
  return login.kind === 'validate' ? sendLoginCode(context, user, login) : { kind: 'pending', login };
}

/**
 * Sends a code of `method` bound to `challenge` through the method's plugin (nothing for an authenticator);
 * a method no plugin serves is a send that failed.
 */
export async function sendCodeFor(context: FlowContext, user: User, method: string, challenge: string): Promise<TfSendOutcome> {
  const plugin = context.security.plugins.pluginForMethod(method);
  if (plugin === null) return { sent: false, retryAfterInSeconds: null };
  return plugin.deliverToken(user, { method, challenge, client: context.client });
}

/** Sends the code a validation needs (nothing for an authenticator). */
export function startValidation(context: FlowContext, user: User, login: ValidatingLogin): Promise<TfSendOutcome> {
  return sendCodeFor(context, user, login.method, login.challenge);
}

/** Sends the login's first code and says where the login stands ({@link codeNotSent} when it did not go). */
export async function sendLoginCode(context: FlowContext, user: User, login: ValidatingLogin): Promise<LoginOutcome> {
  const outcome = await startValidation(context, user, login);
  return outcome.sent ? { kind: 'pending', login } : codeNotSent(context, outcome.retryAfterInSeconds);
}

/**
 * The login's code was not sent. Refused by the send limits, the login stays (state `ready`): no code exists
 * for it until one is asked for after the wait, so it cannot complete before. Failed, the login is over.
 */
export function codeNotSent(context: FlowContext, retryAfterInSeconds: number | null): LoginOutcome {
  const login = loginOf(context.session.data.tf);
  if (retryAfterInSeconds !== null && login?.kind === 'validate') return { kind: 'code-refused', login, retryAfterInSeconds };
  context.session.update({ tf: NO_TF });
  return { kind: 'code-failed', login };
}
