/** Delivering one e-mail or SMS code: checks the channel first, then issues the code and sends it. */
import type { Mailer } from '../../delivery/mail.js';
import type { SmsSenderBase } from '../../delivery/sms.js';
import { eventUser, type TwofoldEvents } from '../../events.js';
import { messageText } from '../../messages.js';
import type { User } from '../../user.js';
import { issueOneTimeCode, type OneTimeCodeDeps } from './one-time-code.js';

/** The options sending reads. */
export interface SendCodeConfig {
  readonly twoFactorMailValidity: number;
  readonly twoFactorSmsValidity: number;
  readonly emailSubjectTwoFactor: string;
  readonly smsServiceConfig: { readonly [key: string]: unknown };
}

/** What sending needs. */
export interface SendCodeDeps extends OneTimeCodeDeps {
  readonly config: SendCodeConfig;
  readonly events: TwofoldEvents;
  readonly mailer: Mailer | null;
  readonly smsSender: SmsSenderBase | null;
}

/**
 * Sends a new code for `purpose` to the user's e-mail address or to `phoneNumber`. The channel is checked
 * before the code is issued, so a missing mailer does not cancel a code already on its way. Emits
 * `tfSecurityTokenSent` on success. @returns false when nothing was sent.
 */
export async function sendCode(
  deps: SendCodeDeps,
  user: User,
  input: { method: 'email' | 'sms'; phoneNumber: string | null; purpose: string },
): Promise<boolean> {
  const { config, mailer, smsSender, events } = deps;
  const { method, phoneNumber, purpose } = input;
  if (method === 'email' ? mailer === null : smsSender === null || phoneNumber === null) return false;
  const lifetimeInSeconds = method === 'sms' ? config.twoFactorSmsValidity : config.twoFactorMailValidity;
  const code = await issueOneTimeCode(deps, { userId: user.id, purpose, lifetimeInSeconds });
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
  } catch {
    // The delivery layer's error says what went wrong (never with the code); here it is just "not sent".
    return false;
  }
  events.emit('tfSecurityTokenSent', { user: eventUser(user), method, phoneNumber });
  return true;
}

function humanDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
}
