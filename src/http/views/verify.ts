/**
 * `/verify`: re-authenticate for freshness — the password, then, for a user with a second factor, its code on
 * `/tf-validate` (checklist FLOW-08, MGT-01). The session id changes once both are done (FLOW-03).
 */
import { randomId } from '../../crypto/random.js';
import { notSent, userPayload } from './replies.js';
import type { ReauthState } from '../../flows/state.js';
import { eventUser } from '../../events.js';
import type { User } from '../../user.js';
import { VerifyForm } from '../../forms/verify.js';
import { verifyPassword } from '../../passwords.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { safeNext, unauthenticated } from './common.js';
import { endReauth, reauthOf, startReauth } from '../../flows/state.js';

export async function verifyView(context: ViewContext): Promise<ViewResult> {
  const { session, security } = context;
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
  const twoFactors = security.config.twoFactor && security.config.freshnessRequiresSecondFactor;
  const { usable: methods, unusable } = twoFactors ? await security.getTfFactorMethods(user) : { usable: [], unusable: [] };
  if (methods.length === 0 && unusable.length > 0) {
    // Fail closed: a factor out of service cannot be proven, so the password alone does not make the session fresh.
    const errors = { '': ['TWO_FACTOR_FACTOR_UNAVAILABLE' as const] };
    return { status: 400, json: errorPayload(context, errors), html: { page: 'verify', model: { next, errors } } };
  }
  if (methods.length === 0) return reauthenticated(context, user, next);
  // Fresh means both factors (checklist FLOW-08, MGT-01): the code comes next, on /tf-validate.
  const method = user.tfPrimaryMethod !== null && methods.includes(user.tfPrimaryMethod) ? user.tfPrimaryMethod : (methods[0] as string);
  const reauth: ReauthState = { method, challenge: randomId(security.random), startedAtInSeconds: context.nowInSeconds, next };
  const before = session.data.tf;
  session.update({ tf: startReauth(before, reauth) });
  const plugin = security.plugins.pluginForMethod(method);
  const outcome = plugin === null ? { sent: false, retryAfterInSeconds: null } : await plugin.deliverToken(user, { method, challenge: reauth.challenge, client: context.client });
  if (!outcome.sent) {
    session.update({ tf: endReauth(session.data.tf) });
    const { status, key, headers } = notSent(outcome.retryAfterInSeconds);
    const errors = { '': [key] };
    return { status, json: errorPayload(context, errors), html: { page: 'verify', model: { next, errors } }, headers };
  }
  const query = next === null ? '' : `?next=${encodeURIComponent(next)}`;
  return { status: 200, json: { tf_required: true, tf_state: 'ready', tf_method: method }, html: { redirect: context.urls.tfValidate + query } };
}

/**
 * Re-authentication complete: a new session id (checklist FLOW-03) that is fresh from now. A change of
 * second factor started before stays pending, to be confirmed now that the session is fresh again.
 */
export async function reauthenticated(context: ViewContext, user: User, next: string | null): Promise<ViewResult> {
  const { session, security } = context;
  const reauth = reauthOf(session.data.tf);
  const tfVerified = session.data.tfVerified || reauth !== null;
  await session.renew({ user, authenticated: true, remember: false, data: { tf: endReauth(session.data.tf), tfVerified } });
  security.events.emit('userReauthenticated', { user: eventUser(user), authnVia: reauth === null ? ['password'] : ['password', reauth.method], client: context.client });
  return {
    status: 200,
    json: { user: userPayload(user) },
    html: { redirect: next ?? security.config.postLoginView },
    flashes: [{ key: 'REAUTHENTICATION_SUCCESSFUL' }],
  };
}
