/**
 * "Send a new code" on `/tf-validate` (`POST` with `resend`): another e-mail or SMS code for the login under
 * way, within the send limits. twofold's own step; FST has none.
 */
import { startValidation } from '../../flows/password.js';
import { codeRefused, pendingReply } from './replies.js';
import type { LoginState } from '../../flows/state.js';
import type { User } from '../../user.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { withNext } from './common.js';

type Validating = LoginState & { kind: 'validate' };

/** Whether a new code can be asked for: every method but an authenticator app, whose codes nobody sends. */
export function canResend(login: LoginState): login is Validating {
  return login.kind === 'validate' && login.method !== 'authenticator';
}

/**
 * Sends a new code for the login's method and challenge; it replaces the one sent before, which stops
 * working (checklist OOB-05). JSON 200 with the login's state; refused by the send limits, 429 with
 * `Retry-After` and `retry_after`; failed, 500 `FAILED_TO_SEND_CODE`. A browser goes back to `/tf-validate`,
 * where a message says which. The login stays in every case.
 */
export async function resendCode(context: ViewContext, user: User, login: LoginState): Promise<ViewResult> {
  const back = withNext(context.urls.tfValidate, login.next);
  if (!canResend(login)) return { status: 400, json: errorPayload(context, { '': ['API_ERROR'] }), html: { redirect: back }, flashes: [{ key: 'API_ERROR' }] };
  const outcome = await startValidation(context, user, login);
  if (outcome.sent) return { status: 200, json: pendingReply(context, login).json, html: { redirect: back }, flashes: [{ key: 'CODE_HAS_BEEN_SENT' }] };
  if (outcome.retryAfterInSeconds !== null) return codeRefused(context, login, outcome.retryAfterInSeconds);
  return { status: 500, json: errorPayload(context, { '': ['FAILED_TO_SEND_CODE'] }), html: { redirect: back }, flashes: [{ key: 'FAILED_TO_SEND_CODE' }] };
}
