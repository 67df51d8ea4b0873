/**
 * Notice e-mails: the user hears, on their own address, of every change to their second factor and of every
 * sign that someone else is trying it (checklist RL-09, MGT-03, REC-05, TOTP-11). A notice never holds a
 * code, a secret or a link; it says what happened, when, from where, and what to do if it was not them.
 */
import type { Clock } from './clock.js';
import type { TwofoldConfig } from './config/types.js';
import type { Mailer } from './delivery/mail.js';
import type { EventClient, EventUser, TwofoldEventMap, TwofoldEventName, TwofoldEvents } from './events.js';
import { humanDuration, messageText, methodLabel, type MessageKey, type MessageParams } from './messages.js';

/** The options notices read. */
export type NoticeConfig = Pick<TwofoldConfig, 'sendTwoFactorNoticeEmail' | 'emailSubjectTwoFactorNotice'>;

/** What a notice says about one event: its message, and the request it came from when there was one. */
export interface Notice {
  readonly user: EventUser;
  readonly key: MessageKey;
  readonly params?: MessageParams;
  readonly client?: EventClient | undefined;
}

/** Each event that warrants a notice, and the notice it makes. */
const NOTICES: { readonly [K in TwofoldEventName]?: (payload: TwofoldEventMap[K]) => Notice } = {
  tfLockedOut: ({ user, retryAfterInSeconds, client }) => ({ user, key: 'NOTICE_LOCKED_OUT', params: { within: humanDuration(retryAfterInSeconds) }, client }),
  tfFactorAdded: ({ user, method, client }) => ({ user, key: 'NOTICE_TF_CHANGED', params: { method: methodName(method) }, client }),
  tfProfileChanged: ({ user, method, client }) => ({ user, key: 'NOTICE_TF_CHANGED', params: { method: methodName(method) }, client }),
  tfDisabled: ({ user, client }) => ({ user, key: 'NOTICE_TF_DISABLED', client }),
  tfDeviceTrusted: ({ user, expiresAtInSeconds, client }) => ({ user, key: 'NOTICE_DEVICE_TRUSTED', params: { until: utcTime(expiresAtInSeconds) }, client }),
  mfRecoveryCodesGenerated: ({ user, client }) => ({ user, key: 'NOTICE_RECOVERY_CODES_GENERATED', client }),
  mfRecoveryCodeUsed: ({ user, remaining, client }) => ({ user, key: 'NOTICE_RECOVERY_CODE_USED', params: { remaining }, client }),
  tfCodeReplayed: ({ user, client }) => ({ user, key: 'NOTICE_CODE_REPLAYED', client }),
  tfPassedAfterFailures: ({ user, failures, client }) => ({ user, key: 'NOTICE_PASSED_AFTER_FAILURES', params: { failures }, client }),
};

/** A user agent is the client's to choose: cut it short and keep it to one printable line. */
const USER_AGENT_MAX_LENGTH = 200;

/**
 * Mails the user a notice for each event in {@link NOTICES}, when `sendTwoFactorNoticeEmail` is on and there
 * is a mailer. Sending does not hold up the request; a failed send reaches the events' `onListenerError`.
 * @returns a function that stops the notices.
 */
export function subscribeNotices(deps: { config: NoticeConfig; events: TwofoldEvents; mailer: Mailer | null; clock: Clock }): () => void {
  const { config, events, mailer, clock } = deps;
  if (!config.sendTwoFactorNoticeEmail || mailer === null) return () => {};
  const send = (notice: Notice): Promise<void> =>
    mailer.send({ to: notice.user.email, subject: config.emailSubjectTwoFactorNotice, text: noticeText(notice, clock.nowInSeconds()) });
  const stops = (Object.keys(NOTICES) as TwofoldEventName[]).map((event) =>
    events.on(event, (payload) => send((NOTICES[event] as (payload: TwofoldEventMap[typeof event]) => Notice)(payload))),
  );
  return () => {
    for (const stop of stops) stop();
  };
}

/** The body of a notice, in English. */
export function noticeText(notice: Notice, nowInSeconds: number): string {
  const lines = [messageText(notice.key, notice.params), ''];
  lines.push(messageText('NOTICE_WHEN', { time: utcTime(nowInSeconds) }));
  const client = notice.client;
  if (client !== undefined && (client.address !== null || client.userAgent !== null)) {
    lines.push(messageText('NOTICE_FROM', { address: oneLine(client.address ?? '?'), agent: oneLine(client.userAgent ?? '?') }));
  }
  lines.push('', messageText('NOTICE_ADVICE'), '');
  return lines.join('\n');
}

/** `2026-01-01 00:00:00`: a time in UTC, to the second. */
function utcTime(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function methodName(method: string): string {
  const key = methodLabel(method);
  return key === null ? method : messageText(key);
}

function oneLine(text: string): string {
  // Control characters out: a crafted user agent must not add lines (a fake "If this was you, …") to the mail.
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const clean = unlinkable(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim());
  return clean.length > USER_AGENT_MAX_LENGTH ? `${clean.slice(0, USER_AGENT_MAX_LENGTH)}…` : clean;
}

/**
 * Defangs what a mail reader would turn into a link: a user agent of "https://evil.example/secure" must not give
 * an attacker a clickable link in a mail from us. Version numbers ("Firefox/128.0") and addresses stay as they are.
 */
function unlinkable(text: string): string {
  // U+3002, U+FF0E, U+FF61: full stops that IDNA reads as dots, so readers may link them as well.
  return text.replace(/:\/\//g, '[:]//').replace(/(?<=[\p{L}\p{N}_-])[.\u3002\uff0e\uff61](?=\p{L})/gu, '[.]');
}
