/**
 * `/tf-setup` and `/tf-setup/<token>`: choose, change or disable the second factor — during a login that
 * needs a set-up, or logged in and fresh (docs/flask-security-reference.md §2.1, §2.2, §3.3).
 */
import { normalizePhoneNumber } from '../../delivery/phone.js';
import { isTfRequired, pendingUser } from '../../flows/pending.js';
import { userPayload } from './replies.js';
import { METHOD_ASSURANCE } from '../../factors/code/index.js';
import type { AuthenticatorSetupValues, TfPendingSetup } from '../../factors/plugin.js';
import type { FormErrors } from '../../forms/field.js';
import { PHONE_MAX_LENGTH, TwoFactorSetupForm } from '../../forms/two-factor-setup.js';
import { TwoFactorVerifyCodeForm } from '../../forms/two-factor-verify-code.js';
import { qrCodeSvg } from '../../otp/qr.js';
import type { User } from '../../user.js';
import type { PageChoice, PageModels } from '../pages.js';
import type { PageRender, ViewContext, ViewResult } from '../view.js';
import { errorPayload, illegalState } from '../view.js';
import { here, reauthenticationRequired, refusalReply, safeNext, unauthenticated, withNext } from './common.js';
import { confirmChange } from '../../flows/change.js';
import { hashToken } from '../../crypto/token-hash.js';
import { loginOf, pendingChangeOf, withoutChange } from '../../flows/state.js';
import { disableTwoFactor, startSetup } from '../../flows/setup.js';

const METHOD_LABELS: Record<string, PageChoice['label']> = {
  disable: 'LABEL_SETUP_DISABLE',
  authenticator: 'LABEL_SETUP_AUTHENTICATOR',
  email: 'LABEL_SETUP_EMAIL',
  sms: 'LABEL_SETUP_SMS',
};

/** Who is setting up: a half-logged-in user (`login`) or a logged-in, fresh one (`change`). */
export type Actor = { readonly user: User; readonly changing: boolean };

/** Where the set-up returns once done: the login's `next`, or for a change a safe `next` in the query. */
function nextOf(context: ViewContext, who: Actor): string | null {
  const login = loginOf(context.session.data.tf);
  return !who.changing && login !== null ? login.next : safeNext(context, undefined);
}

async function actor(context: ViewContext): Promise<Actor | ViewResult> {
  const { session } = context;
  const loggedIn = session.user;
  if (loggedIn !== null) return session.isFresh() ? { user: loggedIn, changing: true } : reauthenticationRequired(context);
  const login = loginOf(session.data.tf);
  if (login === null || login.kind !== 'setup') return illegalState(context);
  const user = await pendingUser(context, login);
  // A set-up owed at login is void once the user has a factor (set up from another login since, or one out
  // of service): this login must not replace it.
  if (user === null || (await context.security.hasTfSetup(user))) return illegalState(context);
  return { user, changing: false };
}

/**
 * The user's factors with when and from where each was set up and when last used, and nothing secret
 * (checklist MGT-04): the second factor, and the recovery codes by how many are left. `backupMissing`: one
 * factor and no recovery codes is one lost phone away from a locked account (MGT-06).
 */
async function factorsOf(context: ViewContext, user: User): Promise<{ factors: Record<string, unknown>[]; backupMissing: boolean }> {
  const { security } = context;
  const recoveryCodesOn = security.config.multiFactorRecoveryCodes;
  const remaining = recoveryCodesOn ? await security.recoveryCodes.getRemainingCodes(user) : 0;
  const factors: Record<string, unknown>[] = [];
  if (user.tfPrimaryMethod !== null) {
    factors.push({
      type: user.tfPrimaryMethod,
      created_at: user.tfSetAtInSeconds,
      created_from: { address: user.tfSetAddress, user_agent: user.tfSetUserAgent },
      last_used_at: user.tfLastUsedAtInSeconds,
    });
  }
  if (remaining > 0) factors.push({ type: 'recovery_code', remaining });
  const backupMissing = user.tfPrimaryMethod !== null && recoveryCodesOn && remaining === 0 && (await security.getTfMethods(user)).length < 2;
  return { factors, backupMissing };
}

/** The assurance of each method on offer (checklist OOB-08); a plugin's own methods have none listed. */
function assuranceOf(methods: readonly string[]): Record<string, string> {
  return Object.fromEntries(methods.flatMap((method) => (Object.hasOwn(METHOD_ASSURANCE, method) ? [[method, METHOD_ASSURANCE[method as keyof typeof METHOD_ASSURANCE]]] : [])));
}

/** The set-up choices: every method on offer, and `disable` for a user who has one and need not. */
function choices(context: ViewContext, who: Actor, required: boolean): string[] {
  // The methods set up on this page are the enabled ones (twoFactorEnabledMethods); a plugin of another kind
  // has its own set-up pages.
  const enabled: readonly string[] = context.security.config.twoFactorEnabledMethods;
  const methods = context.security.plugins.methods().filter((method) => enabled.includes(method));
  return who.changing && who.user.tfPrimaryMethod !== null && !required ? ['disable', ...methods] : methods;
}

export async function tfSetupView(context: ViewContext): Promise<ViewResult> {
  const who = await actor(context);
  if ('status' in who) return who;
  const { security } = context;
  // The application's predicate may be costly: asked once per request.
  const required = await isTfRequired(security, who.user);
  const available = choices(context, who, required);
  const page = (extra: Partial<PageModels['tfSetup']> = {}): PageModels['tfSetup'] => setupModel(context, who, available, extra);
  const state = {
    tf_required: required,
    tf_primary_method: who.changing ? who.user.tfPrimaryMethod : null,
    tf_method: who.changing ? who.user.tfPrimaryMethod : null,
    tf_phone_number: who.changing ? who.user.tfPhoneNumber : null,
    tf_available_methods: available,
  };
  if (context.method === 'GET') {
    const listed = who.changing ? await factorsOf(context, who.user) : null;
    const json = { ...state, tf_method_assurance: assuranceOf(available), ...(listed === null ? {} : { tf_factors: listed.factors, tf_backup_missing: listed.backupMissing }) };
    return { status: 200, json, html: { page: 'tfSetup', model: page({ backupMissing: listed?.backupMissing === true }) } };
  }

  const form = new TwoFactorSetupForm({ choices: available, validatePhone: (phone) => normalizePhoneNumber(phone, { defaultRegion: security.config.phoneRegionDefault }) });
  const result = form.validate(context.body);
  // A page shown again keeps what was typed: nobody wants to type a phone number twice.
  const typed = typeof context.body.phone === 'string' && context.body.phone !== '' ? { phone: context.body.phone.slice(0, PHONE_MAX_LENGTH) } : {};
  if (!result.ok) return { status: 400, json: { ...state, ...errorPayload(context, result.errors) }, html: { page: 'tfSetup', model: page({ errors: result.errors, ...typed }) } };
  const { setup, phone } = result.value;

  if (setup === 'disable') {
    await disableTwoFactor(context, who.user);
    return { status: 200, json: { user: userPayload(who.user) }, html: { redirect: security.config.twoFactorPostSetupView }, flashes: [{ key: 'TWO_FACTOR_DISABLED' }] };
  }

  const started = await startSetup(context, who.user, { method: setup, phone, changing: who.changing });
  if (started.kind === 'refused') {
    const errors: FormErrors<string> = started.error === 'PHONE_INVALID' ? { phone: ['PHONE_INVALID'] } : { setup: [started.error] };
    const status = started.error === 'FAILED_TO_SEND_CODE' ? 500 : started.error === 'TOO_MANY_CODES_SENT' ? 429 : 400;
    const headers = started.retryAfterInSeconds === null ? {} : { headers: { 'retry-after': String(started.retryAfterInSeconds) } };
    return { status, json: { ...state, ...errorPayload(context, errors) }, html: { page: 'tfSetup', model: page({ errors, selected: setup, ...typed }), ...(status === 429 ? { status } : {}) }, ...headers };
  }
  const { token } = started;
  const authenticator = started.authenticator ?? undefined;
  const json: Record<string, unknown> = { tf_state: 'validating_profile', tf_primary_method: setup, tf_method: setup, tf_state_token: token };
  if (authenticator !== undefined) Object.assign(json, authenticatorJson(authenticator));
  const codeAction = withNext(token === null ? context.urls.tfValidate : `${context.urls.tfSetup}/${token}`, nextOf(context, who));
  return {
    status: 200,
    json,
    html: { page: 'tfSetup', model: page({ selected: setup, pending: await pendingModel(setup, codeAction, {}, authenticator) }) },
  };
}

function setupModel(context: ViewContext, who: Actor, available: readonly string[], extra: Partial<PageModels['tfSetup']>): PageModels['tfSetup'] {
  return {
    action: withNext(context.urls.tfSetup, nextOf(context, who)),
    choices: available.map((value) => ({ value, label: METHOD_LABELS[value] ?? null })),
    currentMethod: who.changing ? who.user.tfPrimaryMethod : null,
    phone: who.changing ? who.user.tfPhoneNumber : null,
    selected: null,
    errors: {},
    pending: null,
    recoveryCodesUrl: who.changing && context.security.config.multiFactorRecoveryCodes ? context.urls.mfRecoveryCodes : null,
    // Browsers are remembered only when twoFactorAlwaysValidate is off; otherwise the list would always be empty.
    devicesUrl: who.changing && !context.security.config.twoFactorAlwaysValidate ? context.urls.tfDevices : null,
    backupMissing: false,
    ...extra,
  };
}

function authenticatorJson(values: AuthenticatorSetupValues): Record<string, string> {
  return { tf_authr_key: values.key, tf_authr_b32key: values.b32key, tf_authr_username: values.username, tf_authr_issuer: values.issuer, tf_authr_uri: values.uri };
}

/**
 * The set-up page for a set-up still pending, shown again after a wrong code: the same QR code and key (or
 * "code sent"), the code form posting to `codeAction`, and `codeErrors` beside its field.
 */
export async function pendingSetupPage(context: ViewContext, who: Actor, pending: TfPendingSetup, codeAction: string, codeErrors: FormErrors<string>): Promise<PageRender> {
  const available = choices(context, who, await isTfRequired(context.security, who.user));
  const values = context.security.plugins.pluginForMethod(pending.method)?.pendingAuthenticatorValues(who.user, pending) ?? undefined;
  const phone = typeof pending.phoneNumber === 'string' ? pending.phoneNumber : null;
  const extra = { selected: pending.method, pending: await pendingModel(pending.method, codeAction, codeErrors, values), ...(phone === null ? {} : { phone }) };
  return { page: 'tfSetup', model: setupModel(context, who, available, extra) };
}

async function pendingModel(method: string, codeAction: string, codeErrors: FormErrors<string>, values: AuthenticatorSetupValues | undefined): Promise<PageModels['tfSetup']['pending']> {
  const authenticator = values === undefined ? null : { qrSvg: await qrCodeSvg(values.uri), key: values.key, issuer: values.issuer, username: values.username };
  return { method, codeAction, codeErrors, authenticator };
}

/** `POST /tf-setup/<token>`: completes a logged-in change with its code (docs/flask-security-reference.md §2.2). */
export async function tfSetupTokenView(context: ViewContext): Promise<ViewResult> {
  const { session, security } = context;
  const user = session.user;
  if (user === null) return unauthenticated(context);
  if (!session.isFresh()) return reauthenticationRequired(context);
  const change = pendingChangeOf(session.data.tf);
  if (context.tail === null || change === null || change.tokenHash !== hashToken(context.tail)) return tokenFailure(context, 'API_ERROR');
  if (!isLive(context, change.pending)) return tokenFailure(context, 'TWO_FACTOR_SETUP_EXPIRED');
  const who: Actor = { user, changing: true };
  // A wrong code keeps the page, with the same QR code and key: the phone may hold this secret already.
  const wrongCode = async (errors: FormErrors<string>): Promise<ViewResult> => ({
    status: 400,
    json: errorPayload(context, errors),
    html: await pendingSetupPage(context, who, change.pending, here(context), errors),
  });
  const result = new TwoFactorVerifyCodeForm().validate(context.body);
  if (!result.ok) return wrongCode(result.errors);
  const outcome = await confirmChange(context, user, change, result.value.code);
  if (outcome.kind === 'wrong') return wrongCode({ code: ['TWO_FACTOR_INVALID_TOKEN'] });
  if (outcome.kind !== 'changed') {
    // Locked, the change stays pending: once the lock ends, the same token and a right code complete it.
    const available = choices(context, who, await isTfRequired(security, user));
    return refusalReply(context, outcome, (errors) => ({ page: 'tfSetup', model: setupModel(context, who, available, { errors, selected: change.pending.method }) }));
  }
  return {
    status: 200,
    json: { tf_method: outcome.method, tf_primary_method: outcome.method, tf_phone: outcome.phoneNumber },
    html: { redirect: nextOf(context, who) ?? security.config.twoFactorPostSetupView },
    flashes: [{ key: 'TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL' }],
  };
}

function isLive(context: ViewContext, pending: TfPendingSetup): boolean {
  return typeof pending.startedAtInSeconds === 'number' && context.nowInSeconds - pending.startedAtInSeconds <= context.security.config.twoFactorSetupWithin;
}

/**
 * A token that is not this session's change leaves the change alone (FST 5.5+: a stray or guessed token must
 * not cancel the real one); an expired change is dropped.
 */
function tokenFailure(context: ViewContext, key: 'API_ERROR' | 'TWO_FACTOR_SETUP_EXPIRED'): ViewResult {
  if (key === 'TWO_FACTOR_SETUP_EXPIRED') context.session.update({ tf: withoutChange(context.session.data.tf) });
  const params = key === 'TWO_FACTOR_SETUP_EXPIRED' ? { within: `${Math.round(context.security.config.twoFactorSetupWithin / 60)} minutes` } : undefined;
  const text = context.t(key, params);
  return {
    status: 400,
    json: { errors: [text], field_errors: { '': [text] } },
    html: { redirect: context.urls.tfSetup },
    flashes: [{ key, ...(params === undefined ? {} : { params }) }],
  };
}

