/** Who a half-finished login belongs to, checked again at every step, and whether 2FA is required of them. */
import type { Security } from '../security.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';
import type { LoginState } from './state.js';

/** Whether 2FA is required of this user, by option or by the application's predicate (FST's `check_tf_required`). */
export async function isTfRequired(security: Security, user: User): Promise<boolean> {
  const required = security.config.twoFactorRequired;
  return typeof required === 'function' ? await required(user) : required;
}

/**
 * The user of a half-finished login, checked again (checklist FLOW-02): still there, still active, not reset
 * since the password step, and the login not older than `twoFactorLoginWithin`. `null` means the login is void.
 */
export async function pendingUser(context: FlowContext, login: LoginState): Promise<User | null> {
  if (context.nowInSeconds - login.startedAtInSeconds > context.security.config.twoFactorLoginWithin) return null;
  const user = await context.security.findUserById(login.userId);
  if (user === null || !user.active || user.fsUniquifier !== login.fsUniquifier) return null;
  return user;
}
