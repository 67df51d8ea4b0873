/** `/mf-recovery`: a recovery code instead of the second factor, during a login (docs/flask-security-reference.md §2.7). */
import { useRecoveryCode } from '../../flows/recovery.js';
import { completedReply } from './replies.js';
import { MfRecoveryForm } from '../../forms/mf-recovery.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { loginIn, refusalReply } from './common.js';

export async function mfRecoveryView(context: ViewContext): Promise<ViewResult> {
  // A factor out of service leaves the recovery codes as the user's own way in (fail closed, not shut out).
  const step = await loginIn(context, ['validate', 'unavailable'], { anonymousOnly: true });
  if ('status' in step) return step;
  const { login, user } = step;
  const action = context.urls.mfRecovery;
  if (context.method === 'GET') return { status: 200, json: {}, html: { page: 'mfRecovery', model: { action, errors: {} } } };
  const result = new MfRecoveryForm().validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: { page: 'mfRecovery', model: { action, errors: result.errors } } };
  const outcome = await useRecoveryCode(context, user, login, result.value.code, { includeAuthToken: context.url.searchParams.has('include_auth_token') });
  if (outcome.kind !== 'complete') return refusalReply(context, outcome, (errors) => ({ page: 'mfRecovery', model: { action, errors } }), 'INVALID_RECOVERY_CODE');
  const done = completedReply(context, outcome.completed);
  return { ...done, json: { ...done.json, mf_recovery_codes_left: outcome.left, mf_recovery_codes_replace: true } };
}
