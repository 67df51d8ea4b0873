/** Re-authentication (`/verify`): its code checked, and its end: a new session id, fresh from now. */
import { eventUser } from '../events.js';
import type { User } from '../user.js';
import { refusalOf, type CodeRefusal } from './attempt.js';
import type { FlowContext } from './context.js';
import { sendCodeFor } from './password.js';
import { randomId } from '../crypto/random.js';
import { endReauth, reauthOf, startReauth, type ReauthState } from './state.js';
import { checkedAttempt } from './throttle.js';

/** Checks the code of the re-authentication's method (counted first); null when right. */
export async function checkReauthCode(context: FlowContext, user: User, reauth: ReauthState, code: string): Promise<CodeRefusal | null> {
  const plugin = context.security.plugins.pluginForMethod(reauth.method);
  const outcome = await checkedAttempt(context, user, {
    authType: 'code',
    verify: async () => plugin !== null && plugin.verifyToken(user, code, { method: reauth.method, challenge: reauth.challenge, client: context.client }),
  });
  return refusalOf(outcome);
}

/**
 * Re-authentication complete: a new session id (checklist FLOW-03) that is fresh from now, and marked as having
 * passed a second factor when one was asked. A change of second factor started before is under way again, to
 * be confirmed now that the session is fresh.
 */
export async function completeReauth(context: FlowContext, user: User): Promise<void> {
  const { session, security } = context;
  const reauth = reauthOf(session.data.tf);
  const tfVerified = session.data.tfVerified || reauth !== null;
  await session.renew({ user, authenticated: true, remember: false, data: { tf: endReauth(session.data.tf), tfVerified } });
  security.events.emit('userReauthenticated', { user: eventUser(user), authnVia: reauth === null ? ['password'] : ['password', reauth.method], client: context.client });
}

/**
 * Where a re-authentication stands after its right password: fresh already (no second factor due), refused
 * (the only factor is out of service: the password alone must not make the session fresh), its code due
 * (sent for e-mail and SMS), or its code not sent (`retryAfterInSeconds` when the limits refused it).
 */
export type ReauthStart =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'code-due'; readonly method: string }
  | { readonly kind: 'not-sent'; readonly retryAfterInSeconds: number | null };

/** After `/verify`'s right password: fresh means both factors (checklist FLOW-08, MGT-01), so the code comes next. */
export async function afterReauthPassword(context: FlowContext, user: User, next: string | null): Promise<ReauthStart> {
  const { security, session } = context;
  const twoFactors = security.config.twoFactor && security.config.freshnessRequiresSecondFactor;
  const { usable: methods, unusable } = twoFactors ? await security.getTfFactorMethods(user) : { usable: [], unusable: [] };
  if (methods.length === 0 && unusable.length > 0) return { kind: 'unavailable' };
  if (methods.length === 0) {
    await completeReauth(context, user);
    return { kind: 'fresh' };
  }
  const method = user.tfPrimaryMethod !== null && methods.includes(user.tfPrimaryMethod) ? user.tfPrimaryMethod : (methods[0] as string);
  const reauth: ReauthState = { method, challenge: randomId(security.random), startedAtInSeconds: context.nowInSeconds, next };
  session.update({ tf: startReauth(session.data.tf, reauth) });
  const outcome = await sendCodeFor(context, user, method, reauth.challenge);
  if (outcome.sent) return { kind: 'code-due', method };
  session.update({ tf: endReauth(session.data.tf) });
  return { kind: 'not-sent', retryAfterInSeconds: outcome.retryAfterInSeconds };
}
