/**
 * `/verify`: re-authenticate for freshness — the password, then, for a user with a second factor, its code on
 * `/tf-validate` (checklist FLOW-08, MGT-01). The session id changes once both are done (FLOW-03).
 */
import { notSent, userPayload } from './replies.js';
import type { User } from '../../user.js';
import { VerifyForm } from '../../forms/verify.js';
import { verifyPassword } from '../../passwords.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { safeNext, unauthenticated } from './common.js';
import { afterReauthPassword } from '../../flows/reauth.js';

export async function verifyView(context: ViewContext): Promise<ViewResult> {
  const { session } = context;
  const user = session.user;
  if (user === null || session.via !== 'session') return unauthenticated(context);
  const next = safeNext(context, context.body.next);
  if (context.method === 'GET') return { status: 200, json: {}, html: { page: 'verify', model: { next, errors: {} } } };
  const result = new VerifyForm().validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: { page: 'verify', model: { next, errors: result.errors } } };
  if (!(await verifyPassword(result.value.password, user.passwordHash))) {
    const errors = { password: ['INVALID_PASSWORD' as const] };
    return { status: 400, json: errorPayload(context, errors), html: { page: 'verify', model: { next, errors } } };
  }
  const started = await afterReauthPassword(context, user, next);
  if (started.kind === 'fresh') return reauthenticatedReply(context, user, next);
  if (started.kind === 'unavailable' || started.kind === 'not-sent') {
    const { status, key, headers } =
      started.kind === 'unavailable' ? { status: 400, key: 'TWO_FACTOR_FACTOR_UNAVAILABLE' as const, headers: {} } : notSent(started.retryAfterInSeconds);
    const errors = { '': [key] };
    return { status, json: errorPayload(context, errors), html: { page: 'verify', model: { next, errors } }, headers };
  }
  const query = next === null ? '' : `?next=${encodeURIComponent(next)}`;
  return { status: 200, json: { tf_required: true, tf_state: 'ready', tf_method: started.method }, html: { redirect: context.urls.tfValidate + query } };
}

/** Re-authentication complete (flows/reauth.ts): the user, and back to `next` with a notice. */
export function reauthenticatedReply(context: ViewContext, user: User, next: string | null): ViewResult {
  return {
    status: 200,
    json: { user: userPayload(user) },
    html: { redirect: next ?? context.security.config.postLoginView },
    flashes: [{ key: 'REAUTHENTICATION_SUCCESSFUL' }],
  };
}
