/** `/verify`: re-authenticate with the password, for freshness; the session id changes (checklist FLOW-03). */
import { userPayload } from '../../flows/login.js';
import { VerifyForm } from '../../forms/verify.js';
import { verifyPassword } from '../../passwords.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { safeNext, unauthenticated } from './common.js';

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
  await session.renew({ user, authenticated: true, remember: false });
  return {
    status: 200,
    json: { user: userPayload(user) },
    html: { redirect: next ?? security.config.postLoginView },
    flashes: [{ key: 'REAUTHENTICATION_SUCCESSFUL' }],
  };
}
