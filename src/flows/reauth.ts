/** Re-authentication (`/verify`): its code checked, and its end: a new session id, fresh from now. */
import { eventUser } from '../events.js';
import type { User } from '../user.js';
import { refusalOf, type CodeRefusal } from './attempt.js';
import type { FlowContext } from './context.js';
import { endReauth, reauthOf, type ReauthState } from './state.js';
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
