/**
 * `/tf-validate`: the code that completes a login (state `ready`), a set-up during login
 * (`validating_profile`), or a logged-in change made without `/tf-setup/<token>` (docs/flask-security-reference.md §2.3).
 */
import { validateLoginCode } from '../../flows/validate.js';
import { pendingUser } from '../../flows/pending.js';
import { completedReply, userPayload } from './replies.js';
import type { LoginState, ReauthState } from '../../flows/state.js';
import { TwoFactorVerifyCodeForm } from '../../forms/two-factor-verify-code.js';
import type { FormErrors } from '../../forms/field.js';
import { methodLabel } from '../../messages.js';
import type { User } from '../../user.js';
import type { PageModels } from '../pages.js';
import type { PageRender, ViewContext, ViewResult } from '../view.js';
import { errorPayload, illegalState } from '../view.js';
import { refusalReply, withNext } from './common.js';
import { rescueChoices, rescueModel, recoveryOptions } from './tf-rescue.js';
import { canResend, resendCode } from './tf-resend.js';
import { pendingSetupPage } from './tf-setup.js';
import { confirmChange } from '../../flows/change.js';
import { checkReauthCode, completeReauth } from '../../flows/reauth.js';
import { reauthenticatedReply } from './verify.js';
import { changeOf, loginOf, NO_TF } from '../../flows/state.js';

export async function tfValidateView(context: ViewContext): Promise<ViewResult> {
  const { session } = context;
  const { tf } = session.data;
  // Which flow a code belongs to is the session's state: a re-authentication or a change for a logged-in user, else a login.
  if (session.user !== null && tf.kind === 'reauth') return reauthValidation(context, session.user, tf.reauth);
  if (session.user !== null) return changeValidation(context, session.user);
  const login = loginOf(tf);
  if (login?.kind === 'unavailable') return unavailableFactor(context, login);
  if (login === null || (login.kind !== 'validate' && !(login.kind === 'setup' && login.pending !== null))) return illegalState(context);
  const user = await pendingUser(context, login);
  // A set-up owed at login is void once the user has a factor, set up from another login since (see /tf-setup).
  if (user === null || (login.kind === 'setup' && (await context.security.hasTfSetup(user)))) return illegalState(context);
  if (context.method === 'GET') return validatePage(context, user, login, 200, {});
  if (context.body.resend !== undefined) return resendCode(context, user, login);

  const result = new TwoFactorVerifyCodeForm().validate(context.body);
  if (!result.ok) return validatePage(context, user, login, 400, result.errors);
  const outcome = await validateLoginCode(context, user, login, result.value.code, { includeAuthToken: context.url.searchParams.has('include_auth_token') });
  if (outcome.kind === 'complete') return completedReply(context, outcome.completed);
  if (outcome.kind === 'wrong') return validatePage(context, user, login, 400, { code: ['TWO_FACTOR_INVALID_TOKEN'] });
  const choices = await loginChoices(context, user, login);
  return refusalReply(context, outcome, (errors) => ({ page: 'tfValidate', model: validateModel(context, login, choices, errors) }));
}

/**
 * A login whose only factor is stored but out of service here: no code can pass it (fail closed). The page
 * says so and offers what is left, a recovery code or the administrator; a code posted anyway is refused
 * without counting as a failure, since nothing was checked.
 */
async function unavailableFactor(context: ViewContext, login: LoginState & { kind: 'unavailable' }): Promise<ViewResult> {
  const user = await pendingUser(context, login);
  if (user === null) return illegalState(context);
  const choices = await rescueChoices(context, user, true);
  const errors: FormErrors<string> = context.method === 'POST' ? { '': ['TWO_FACTOR_FACTOR_UNAVAILABLE'] } : {};
  const model: PageModels['tfValidate'] = {
    method: login.method,
    methodLabel: methodLabel(login.method),
    action: context.urls.tfValidate,
    errors,
    rescue: rescueModel(context, choices, login.problem, {}),
    unavailable: true,
  };
  const state = { tf_state: 'unavailable', tf_method: login.method, recovery_options: recoveryOptions(context, choices) };
  const status = context.method === 'POST' ? 400 : 200;
  return { status, json: status === 200 ? state : { ...state, ...errorPayload(context, errors) }, html: { page: 'tfValidate', model, status } };
}

async function validatePage(context: ViewContext, user: User, login: LoginState, status: number, errors: FormErrors<string>): Promise<ViewResult> {
  const choices = await loginChoices(context, user, login);
  const model = validateModel(context, login, choices, errors);
  // Before the second factor nothing about the user is returned, only where help is (docs/design.md §3).
  const json = status === 200 ? (login.kind === 'validate' ? { recovery_options: recoveryOptions(context, choices) } : {}) : errorPayload(context, errors);
  // A set-up during login keeps its QR code and key on the page: the phone may hold this secret already.
  const html = login.kind === 'setup' && login.pending !== null ? await pendingSetupPage(context, { user, changing: false }, login.pending, model.action, errors) : { page: 'tfValidate' as const, model };
  return { status, json, html: { ...html, status: 200 } };
}

/** The rescue choices offered while validating a login; none during a set-up. */
function loginChoices(context: ViewContext, user: User, login: LoginState): Promise<string[]> {
  return login.kind === 'validate' ? rescueChoices(context, user) : Promise.resolve([]);
}

function validateModel(context: ViewContext, login: LoginState, choices: string[], errors: FormErrors<string>): PageModels['tfValidate'] {
  const method = login.kind === 'validate' ? login.method : login.kind === 'setup' && login.pending !== null ? login.pending.method : '';
  return {
    method,
    methodLabel: methodLabel(method),
    action: context.urls.tfValidate + (login.next === null ? '' : `?next=${encodeURIComponent(login.next)}`),
    errors,
    rescue: login.kind === 'validate' ? rescueModel(context, choices, login.problem, {}) : null,
    resend: canResend(login) ? { action: withNext(context.urls.tfValidate, login.next) } : null,
  };
}

/** The second half of `/verify`: the code of the user's second factor makes the session fresh. */
async function reauthValidation(context: ViewContext, user: User, reauth: ReauthState): Promise<ViewResult> {
  const { security, session } = context;
  const plugin = security.plugins.pluginForMethod(reauth.method);
  const methods = await security.getTfMethods(user);
  if (context.nowInSeconds - reauth.startedAtInSeconds > security.config.twoFactorLoginWithin || plugin === null || !methods.includes(reauth.method)) {
    session.update({ tf: NO_TF });
    return illegalState(context);
  }
  const action = context.urls.tfValidate + (reauth.next === null ? '' : `?next=${encodeURIComponent(reauth.next)}`);
  const page = (errors: FormErrors<string>): PageRender => ({ page: 'tfValidate', model: { method: reauth.method, methodLabel: methodLabel(reauth.method), action, errors, rescue: null } });
  if (context.method === 'GET') return { status: 200, json: {}, html: page({}) };
  const result = new TwoFactorVerifyCodeForm().validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: page(result.errors) };
  const refusal = await checkReauthCode(context, user, reauth, result.value.code);
  if (refusal !== null) return refusalReply(context, refusal, page);
  await completeReauth(context, user);
  return reauthenticatedReply(context, user, reauth.next);
}

/** The legacy change path: a logged-in user confirming a change started on `/tf-setup`, by session. */
async function changeValidation(context: ViewContext, user: User): Promise<ViewResult> {
  const { session, security } = context;
  const change = changeOf(session.data.tf);
  if (change === null) {
    // FST logs the user out here: a logged-in request to /tf-validate without a change is not a legal step.
    // Only a POST may: a GET is a link any site can make a browser follow.
    if (context.method === 'POST') await session.destroy();
    return illegalState(context);
  }
  const model = (errors: FormErrors<string>): PageModels['tfValidate'] => ({
    method: change.pending.method,
    methodLabel: methodLabel(change.pending.method),
    action: context.urls.tfValidate,
    errors,
    rescue: null,
  });
  // Reference §2.3: a logged-in change shows the user, who passed both factors already.
  if (context.method === 'GET') return { status: 200, json: { user: userPayload(user) }, html: { page: 'tfValidate', model: model({}) } };
  if (!session.isFresh()) return illegalState(context);
  const result = new TwoFactorVerifyCodeForm().validate(context.body);
  if (!result.ok) return { status: 400, json: errorPayload(context, result.errors), html: { page: 'tfValidate', model: model(result.errors) } };
  const outcome = await confirmChange(context, user, change, result.value.code);
  if (outcome.kind !== 'changed') return refusalReply(context, outcome, (errors) => ({ page: 'tfValidate', model: model(errors) }));
  return {
    status: 200,
    json: { user: userPayload(user), tf_method: outcome.method, tf_primary_method: outcome.method },
    html: { redirect: security.config.twoFactorPostSetupView },
    flashes: [{ key: 'TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL' }],
  };
}
