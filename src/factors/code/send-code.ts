/** Delivering one e-mail or SMS code: checks the channel first, then issues the code and sends it. */
import { nowInWholeSeconds } from '../../clock.js';
import type { TwofoldConfig } from '../../config/types.js';
import type { Mailer } from '../../delivery/mail.js';
import type { SmsSenderBase } from '../../delivery/sms.js';
import { eventUser, type EventClient, type TwofoldEvents } from '../../events.js';
import { humanDuration, messageText } from '../../messages.js';
import type { User } from '../../user.js';
import type { TfSendOutcome } from '../plugin.js';
import { issueOneTimeCode, type OneTimeCodeDeps } from './one-time-code.js';
import { sendBuckets, type SendKind, type SendLimitsConfig } from './send-limits.js';

/** The options sending reads. */
export type SendCodeConfig = SendLimitsConfig & Pick<TwofoldConfig, 'twoFactorMailValidity' | 'twoFactorSmsValidity' | 'emailSubjectTwoFactor' | 'smsServiceConfig'>;

/** What sending needs. */
export interface SendCodeDeps extends OneTimeCodeDeps {
  readonly config: SendCodeConfig;
  readonly events: TwofoldEvents;
  readonly mailer: Mailer | null;
  readonly smsSender: SmsSenderBase | null;
  /** Where a failed send is reported, so the operator sees a failing mailer or SMS provider (`Security.reportError`). */
  reportError(error: unknown, kind: 'mail-send-failed' | 'sms-send-failed'): void;
}

/**
 * Sends a new code for `purpose` to the user's e-mail address or to `phoneNumber`. The channel is checked
 * before the code is issued, so a missing mailer does not cancel a code already on its way; then the send
 * limits (checklist RL-08), so a refused send does not cancel it either. Emits `tfSecurityTokenSent` on success.
 */
export async function sendCode(
  deps: SendCodeDeps,
  user: User,
  input: { method: 'email' | 'sms'; phoneNumber: string | null; purpose: string; kind: SendKind; client: EventClient | null },
): Promise<TfSendOutcome> {
  const { config, mailer, smsSender, events } = deps;
  const { method, phoneNumber, purpose } = input;
  const failed = { sent: false, retryAfterInSeconds: null } as const;
  if (method === 'email' ? mailer === null : smsSender === null || phoneNumber === null) return failed;
  const destination = method === 'email' ? user.email : (phoneNumber as string);
  const limits = sendBuckets(config, deps.keyring, { kind: input.kind, userId: user.id, destination, clientAddress: input.client?.address ?? null });
  const hit = await deps.datastore.hitRateLimits(limits, nowInWholeSeconds(deps.clock));
  if (!hit.allowed) return { sent: false, retryAfterInSeconds: hit.retryAfterInSeconds };
  const lifetimeInSeconds = method === 'sms' ? config.twoFactorSmsValidity : config.twoFactorMailValidity;
  const deliver = async (code: string): Promise<boolean> => {
    try {
      if (method === 'email') {
        await (mailer as Mailer).send({
          to: user.email,
          subject: config.emailSubjectTwoFactor,
          text: `${messageText('USE_CODE', { code })}\n\n${messageText('CODE_EXPIRES', { within: humanDuration(lifetimeInSeconds) })}\n`,
        });
      } else {
        const from = String(config.smsServiceConfig.phoneNumber ?? config.smsServiceConfig.PHONE_NUMBER ?? '');
        await (smsSender as SmsSenderBase).sendSms(from, phoneNumber as string, messageText('USE_CODE', { code }));
      }
      return true;
    } catch (error) {
      // The user learns only "not sent, try later"; the operator needs to know that SMTP or the SMS provider
      // is failing. The report carries the error's kind and code, never the address, number or code.
      deps.reportError(error, method === 'email' ? 'mail-send-failed' : 'sms-send-failed');
      return false;
    }
  };
  // A send that failed still counted against the limits: a failing provider is no reason to let a client hammer it.
  if ((await issueOneTimeCode(deps, { userId: user.id, purpose, lifetimeInSeconds }, deliver)) === null) return failed;
  events.emit('tfSecurityTokenSent', { user: eventUser(user), method, phoneNumber, ...(input.client === null ? {} : { client: input.client }) });
  return { sent: true };
}
