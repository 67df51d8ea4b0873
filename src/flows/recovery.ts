/** A recovery code instead of the second factor: `validate` or `unavailable` → full session, the code spent. */
import type { User } from '../user.js';
import { refusalOf, type CodeRefusal } from './attempt.js';
import { completeLogin, type CompletedLogin } from './complete.js';
import type { FlowContext } from './context.js';
import type { LoginState } from './state.js';
import { checkedAttempt } from './throttle.js';

/** The code was refused, or completed the login; `left` unused codes remain, to be replaced soon. */
export type RecoveryOutcome = CodeRefusal | { readonly kind: 'complete'; readonly completed: CompletedLogin; readonly left: number };

/**
 * Checks a recovery code for the login (counted with every other factor, checklist RL-04, REC-06) and, when
 * right, completes it. No browser is remembered on a recovery code.
 */
export async function useRecoveryCode(context: FlowContext, user: User, login: LoginState, code: string, options: { includeAuthToken: boolean }): Promise<RecoveryOutcome> {
  const { recoveryCodes } = context.security;
  const outcome = await checkedAttempt(context, user, { authType: 'recovery_code', verify: () => recoveryCodes.verifyCode(user, code, { client: context.client }) });
  const refusal = refusalOf(outcome);
  if (refusal !== null) return refusal;
  const completed = await completeLogin(context, user, { remember: login.remember, next: login.next, tfVerified: true, method: 'recovery_code', includeAuthToken: options.includeAuthToken });
  // The code is spent and the user should replace their set (NIST SP 800-63B-4 §4.2.1.1, checklist REC-05).
  return { kind: 'complete', completed, left: await recoveryCodes.getRemainingCodes(user) };
}
