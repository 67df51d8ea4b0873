/** `/mf-recovery`: a recovery code instead of the second factor, during a login (reference §2.7). */
import { completeLogin } from '../../flows/complete.js';
import { completedReply } from './replies.js';
import { checkedAttempt } from '../../flows/throttle.js';
import { MfRecoveryForm } from '../../forms/mf-recovery.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { challengeExhausted, lockedOut, loginIn } from './common.js';

export async function mfRecoveryView(context: ViewContext): Promise<ViewResult> {
  const { security } = context;
  // A factor out of service leaves the recovery codes as the user's own way in (fail closed, not shut out).
  const step = await loginIn(context, ['validate', 'unavailable'], { anonymousOnly: true });
  if ('status' in step) return step;
  const { login, user } = step;
  const action = context.urls.mfRecovery;
  if (context.method === 'GET') return { status: 200, json: {}, html: { page: 'mfRecovery', model: { action, errors: {} } } };
  const result = new MfRecoveryForm().validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: { page: 'mfRecovery', model: { action, errors: result.errors } } };
  const code = result.value.code;
  // Recovery codes count toward the same per-account counter as every other factor (checklist RL-04, REC-06).
  const outcome = await checkedAttempt(context, user, { authType: 'recovery_code', verify: () => security.recoveryCodes.verifyCode(user, code, { client: context.client }) });
  if (typeof outcome === 'object') return lockedOut(context, outcome.locked, (errors) => ({ page: 'mfRecovery', model: { action, errors } }));
  if (outcome === 'exhausted') return challengeExhausted(context);
  if (outcome === 'wrong') {
    const errors = { code: ['INVALID_RECOVERY_CODE' as const] };
    return { status: 400, json: errorPayload(context, errors), html: { page: 'mfRecovery', model: { action, errors } } };
  }
  const includeAuthToken = context.url.searchParams.has('include_auth_token');
  const done = completedReply(context, await completeLogin(context, user, { remember: login.remember, next: login.next, tfVerified: true, method: 'recovery_code', includeAuthToken }));
  // The code is spent and the user should replace their set (NIST SP 800-63B-4 §4.2.1.1, checklist REC-05).
  const left = await security.recoveryCodes.getRemainingCodes(user);
  return { ...done, json: { ...done.json, mf_recovery_codes_left: left, mf_recovery_codes_replace: true } };
}
