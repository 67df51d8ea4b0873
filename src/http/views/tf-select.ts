/** `/tf-select`: a user with several second factors picks the one to use now (docs/flask-security-reference.md §2.5). */
import { offeredMethods, selectMethod } from '../../flows/select.js';
import { TwoFactorSelectForm } from '../../forms/two-factor-select.js';
import { methodLabel } from '../../messages.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { loginIn } from './common.js';
import { loginOutcomeReply } from './replies.js';

export async function tfSelectView(context: ViewContext): Promise<ViewResult> {
  const step = await loginIn(context, 'select', { anonymousOnly: false });
  if ('status' in step) return step;
  const { login, user } = step;
  const methods = await offeredMethods(context, user, login);
  const model = { choices: methods.map((value) => ({ value, label: methodLabel(value) })), action: context.urls.tfSelect + context.url.search };
  if (context.method === 'GET') {
    return { status: 200, json: { tf_select: true, tf_setup_methods: methods }, html: { page: 'tfSelect', model: { ...model, errors: {} } } };
  }
  const result = new TwoFactorSelectForm({ choices: methods }).validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: { page: 'tfSelect', model: { ...model, errors: result.errors } } };
  return loginOutcomeReply(context, await selectMethod(context, user, login, result.value.which));
}
