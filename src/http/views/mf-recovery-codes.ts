/**
 * `/mf-recovery-codes`: make a new set of recovery codes (POST), shown once; GET shows how many are left.
 * Stricter than FST, which returns the stored codes on every GET: ours are hashed, so they cannot be shown
 * again (checklist REC-04).
 */
import { MfRecoveryCodesForm } from '../../forms/mf-recovery-codes.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { reauthenticationRequired, unauthenticated } from './common.js';

export async function mfRecoveryCodesView(context: ViewContext): Promise<ViewResult> {
  const { session, security } = context;
  const user = session.user;
  if (user === null) return unauthenticated(context);
  if (!session.isFresh()) return reauthenticationRequired(context);
  if (context.method === 'GET') {
    const remaining = await security.recoveryCodes.getRemainingCodes(user);
    return { status: 200, json: { recovery_codes: [], remaining }, html: { page: 'mfRecoveryCodes', model: { codes: null, remaining, errors: {} } } };
  }
  const result = new MfRecoveryCodesForm().validate(context.body);
  if (!result.ok) {
    const remaining = await security.recoveryCodes.getRemainingCodes(user);
    return { status: 400, json: errorPayload(context, result.errors), html: { page: 'mfRecoveryCodes', model: { codes: null, remaining, errors: result.errors } } };
  }
  const codes = await security.recoveryCodes.generateCodes(user, undefined, { client: context.client });
  return { status: 200, json: { recovery_codes: codes, remaining: codes.length }, html: { page: 'mfRecoveryCodes', model: { codes, remaining: codes.length, errors: {} } } };
}
