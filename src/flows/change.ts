/** A logged-in user's change of second factor confirmed: `change` → none, the new factor active. */
import { eventUser } from '../events.js';
import type { TfPendingSetup } from '../factors/plugin.js';
import type { User } from '../user.js';
import { refusalOf, type CodeRefusal } from './attempt.js';
import type { FlowContext } from './context.js';
import { endOtherSessions } from './sessions.js';
import { withoutChange, type ChangeState } from './state.js';
import { checkedAttempt } from './throttle.js';

/** The code was refused, or the change is done: the new `method`, and for SMS the number now confirmed. */
export type ChangeOutcome = CodeRefusal | { readonly kind: 'changed'; readonly method: string; readonly phoneNumber: string | null };

/** Checks a code against a pending set-up, through the plugin of its method; a right code activates it. */
export async function verifyPending(context: FlowContext, user: User, code: string, pending: TfPendingSetup): Promise<boolean> {
  const plugin = context.security.plugins.pluginForMethod(pending.method);
  return plugin !== null && plugin.verifyToken(user, code, { pending, client: context.client });
}

/**
 * Confirms the change with the new factor's code (counted first). Once right, this session counts as having
 * passed a second factor, the user's other sessions end (checklist FLOW-10), and `tfProfileChanged` goes out.
 */
export async function confirmChange(context: FlowContext, user: User, change: ChangeState, code: string): Promise<ChangeOutcome> {
  const outcome = await checkedAttempt(context, user, { authType: 'code', verify: () => verifyPending(context, user, code, change.pending) });
  const refusal = refusalOf(outcome);
  if (refusal !== null) return refusal;
  const { session, security } = context;
  session.update({ tf: withoutChange(session.data.tf), tfVerified: true });
  await endOtherSessions(context, user);
  const method = change.pending.method;
  security.events.emit('tfProfileChanged', { user: eventUser(user), method, client: context.client });
  return { kind: 'changed', method, phoneNumber: typeof change.pending.phoneNumber === 'string' ? change.pending.phoneNumber : null };
}
