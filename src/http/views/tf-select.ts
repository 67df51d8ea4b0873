/** `/tf-select`: a user with several second factors picks the one to use now (reference §2.5). */
import { randomId } from '../../crypto/random.js';
import { sendLoginCode } from '../../flows/password.js';
import { loginOutcomeReply } from './replies.js';
import type { LoginState } from '../../flows/state.js';
import { TwoFactorSelectForm } from '../../forms/two-factor-select.js';
import { methodLabel } from '../../messages.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { loginIn } from './common.js';

export async function tfSelectView(context: ViewContext): Promise<ViewResult> {
  const { session, security } = context;
  const step = await loginIn(context, 'select', { anonymousOnly: false });
  if ('status' in step) return step;
  const { login, user } = step;
  // The methods are read again: one removed since the password step is no longer a choice (checklist MGT-07).
  const methods = (await security.getTfMethods(user)).filter((method) => login.methods.includes(method));
  const model = { choices: methods.map((value) => ({ value, label: methodLabel(value) })), action: context.urls.tfSelect + context.url.search };
  if (context.method === 'GET') {
    return { status: 200, json: { tf_select: true, tf_setup_methods: methods }, html: { page: 'tfSelect', model: { ...model, errors: {} } } };
  }
  const result = new TwoFactorSelectForm({ choices: methods }).validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: { page: 'tfSelect', model: { ...model, errors: result.errors } } };
  // The select state's own field (`methods`) does not travel into the validate state.
  const { methods: _offered, ...base } = login;
  const next: LoginState & { kind: 'validate' } = { ...base, kind: 'validate', method: result.value.which, challenge: randomId(security.random), problem: null };
  session.update({ tf: { kind: 'login', login: next } });
  return loginOutcomeReply(context, await sendLoginCode(context, user, next));
}
