/** `/tf-rescue`: help for a login whose second factor is out of reach — a mailed code, the administrator, or a recovery code (docs/flask-security-reference.md §2.4). */
import { notSent } from './replies.js';
import type { LoginState } from '../../flows/state.js';
import type { FormErrors } from '../../forms/field.js';
import { TwoFactorRescueForm } from '../../forms/two-factor-rescue.js';
import type { User } from '../../user.js';
import type { PageChoice, PageModels } from '../pages.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { loginIn } from './common.js';
import { askAdministrator, rescueByEmail, type RescueOutcome } from '../../flows/rescue.js';

const LABELS: Record<string, PageChoice['label']> = { help: 'LABEL_RESCUE_HELP', email: 'LABEL_RESCUE_EMAIL', recovery_code: 'LABEL_RESCUE_RECOVERY_CODE' };

/**
 * The rescue options this user has: always help; e-mail when on; recovery codes when on and the user has
 * some. When the user's factor is out of service (`unavailable`), e-mail is no way round it: only the
 * recovery codes and the administrator are.
 */
export async function rescueChoices(context: ViewContext, user: User, unavailable = false): Promise<string[]> {
  const { config, recoveryCodes, mailer } = context.security;
  const choices = ['help'];
  if (config.twoFactorRescueEmail && mailer !== null && !unavailable) choices.push('email');
  if (config.multiFactorRecoveryCodes && (await recoveryCodes.getRemainingCodes(user)) > 0) choices.push('recovery_code');
  return choices;
}

/** FST's `recovery_options`: where each rescue lives. */
export function recoveryOptions(context: ViewContext, choices: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const choice of choices) options[choice] = choice === 'recovery_code' ? context.urls.mfRecovery : context.urls.tfRescue;
  return options;
}

export function rescueModel(context: ViewContext, choices: readonly string[], problem: 'email' | 'help' | null, errors: FormErrors<string>): NonNullable<PageModels['tfValidate']['rescue']> {
  return { choices: choices.map((value) => ({ value, label: LABELS[value] ?? null })), action: context.urls.tfRescue, problem, errors };
}

export async function tfRescueView(context: ViewContext): Promise<ViewResult> {
  const step = await loginIn(context, ['validate', 'unavailable'], { anonymousOnly: true });
  if ('status' in step) return step;
  const { login, user } = step;
  const choices = await rescueChoices(context, user, login.kind === 'unavailable');
  const reply = (current: LoginState & { kind: 'validate' | 'unavailable' }, status: number, errors: FormErrors<string>): ViewResult => ({
    status,
    json: status === 200 ? { recovery_options: recoveryOptions(context, choices) } : errorPayload(context, errors),
    html: {
      page: 'tfValidate',
      model: {
        method: current.method,
        methodLabel: null,
        action: context.urls.tfValidate,
        errors: {},
        rescue: rescueModel(context, choices, current.problem, errors),
        unavailable: current.kind === 'unavailable',
      },
    },
  });
  if (context.method === 'GET') return reply(login, 200, {});

  const result = new TwoFactorRescueForm({ choices }).validate(context.body);
  if (!result.ok) return reply(login, 400, result.errors);
  const choice = result.value.helpSetup;
  if (choice === 'recovery_code') {
    // FST redirects JSON clients too (docs/flask-security-reference.md §2.4); the Location is the same for both.
    const location = context.urls.mfRecovery;
    return { status: 302, json: { recovery_options: recoveryOptions(context, choices) }, headers: { location }, html: { redirect: location } };
  }
  if (choice === 'email') {
    // Never offered for a factor out of service (see rescueChoices): the form refused it already.
    if (login.kind !== 'validate') return reply(login, 400, { help_setup: ['TWO_FACTOR_METHOD_NOT_AVAILABLE'] });
    return rescueReply(await rescueByEmail(context, user, login));
  }
  return rescueReply(await askAdministrator(context, user, login));

  function rescueReply(outcome: RescueOutcome): ViewResult {
    if (outcome.kind === 'done') return reply(outcome.login, 200, {});
    const { status, key, headers } = notSent(outcome.retryAfterInSeconds);
    return { ...reply(login, status, { help_setup: [key] }), headers };
  }
}
