/** `/login`: the password step, then whatever the login state machine says (docs/flask-security-reference.md §2.0). */
import { afterPassword } from '../../flows/password.js';
import { loginOutcomeReply, userPayload } from './replies.js';
import { LoginForm } from '../../forms/login.js';
import { verifyPassword } from '../../passwords.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { safeNext } from './common.js';
import { NO_TF } from '../../flows/state.js';

export async function loginView(context: ViewContext): Promise<ViewResult> {
  const { security, session } = context;
  const user = session.user;
  if (user !== null) {
    return { status: 200, json: { user: userPayload(user) }, html: { redirect: security.config.postLoginView } };
  }
  // Every visit to /login abandons a half-finished login (FST's tf_clean_session); a GET changes nothing, so
  // it is the POST that does.
  if (session.data.tf.kind === 'login') session.update({ tf: NO_TF });
  const next = safeNext(context, undefined);
  if (context.method === 'GET') {
    return { status: 200, json: {}, html: { page: 'login', model: { email: '', remember: false, next, errors: {} } } };
  }
  // A password step starts a new login: the ended one no longer needs explaining.
  if (session.data.tf.kind === 'ended') session.update({ tf: NO_TF });
  const form = new LoginForm({ defaultRemember: security.config.defaultRememberMe });
  const result = form.validate(context.body);
  if (!result.ok) return failed(context, result.errors, typeof context.body.email === 'string' ? context.body.email : '', next);
  const { email, password, remember } = result.value;
  const candidate = await security.findUserByEmail(email);
  // The same hash work, the same reply, whether the address is unknown, the password wrong, or the account
  // has 2FA: nothing about the account is said before its password was right (checklist ENUM-01).
  const passwordOk = await verifyPassword(password, candidate?.passwordHash ?? null);
  if (candidate === null || !passwordOk) return failed(context, { '': ['GENERIC_AUTHN_FAILED'] }, email, next);
  if (!candidate.active) return failed(context, { '': ['DISABLED_ACCOUNT'] }, email, next);
  const includeAuthToken = context.url.searchParams.has('include_auth_token');
  return loginOutcomeReply(context, await afterPassword(context, candidate, { remember, next: safeNext(context, result.value.next), includeAuthToken }));
}

function failed(context: ViewContext, errors: Parameters<typeof errorPayload>[1], email: string, next: string | null): ViewResult {
  return {
    status: 400,
    json: errorPayload(context, errors),
    html: { page: 'login', model: { email: email.slice(0, 254), remember: false, next, errors } },
  };
}
