/** Effects on the user's other sessions. */
import type { User } from '../user.js';
import type { FlowContext } from './context.js';

/**
 * After the second factor changed, was bound or was turned off, the user's other sessions and API tokens end
 * (checklist FLOW-10), unless `twoFactorChangeEndsOtherSessions` is off: whoever held one got it without
 * the factor as it is now.
 */
export async function endOtherSessions(context: FlowContext, user: User): Promise<void> {
  if (!context.security.config.twoFactorChangeEndsOtherSessions) return;
  const current = context.session.idHash;
  await context.security.datastore.deleteUserSessions(user.id, current ?? undefined);
}
