/** `/mf-recovery`: a recovery code instead of the second factor, during a login (reference §2.7). */
import { eventUser } from '../../events.js';
import { completeLogin } from '../../flows/login.js';
import { MfRecoveryForm } from '../../forms/mf-recovery.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { loginIn } from './common.js';

export async function mfRecoveryView(context: ViewContext): Promise<ViewResult> {
  const { security } = context;
  const step = await loginIn(context, 'validate', { anonymousOnly: true });
  if ('status' in step) return step;
  const { login, user } = step;
  const action = context.urls.mfRecovery;
  if (context.method === 'GET') return { status: 200, json: {}, html: { page: 'mfRecovery', model: { action, errors: {} } } };
  const result = new MfRecoveryForm().validate(context.body);
  const valid = result.ok && (await security.recoveryCodes.verifyCode(user, result.value.code));
  if (!valid) {
    const errors = result.ok ? { code: ['INVALID_RECOVERY_CODE' as const] } : result.errors;
    security.events.emit('userFailedAuthn', { user: eventUser(user), authType: 'recovery_code', tfa: true });
    return { status: 400, json: errorPayload(context, errors), html: { page: 'mfRecovery', model: { action, errors } } };
  }
  return completeLogin(context, user, { remember: login.remember, next: login.next, tfVerified: true, method: 'recovery_code' });
}
