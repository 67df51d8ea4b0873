/** The Twilio SMS sender: one POST to Twilio's Messages REST API per text, with fetch. */

import { TwofoldError } from '../errors.js';
// A type-only import: sms.ts imports this file to register 'twilio', so a runtime import back would be an ES
// module cycle in which `extends SmsSenderBase` can run before SmsSenderBase exists. `implements` keeps the
// contract checked without it; twofold itself never tests `instanceof SmsSenderBase`.
import type { SmsSenderBase } from './sms.js';
import { isLoopbackHost } from './loopback.js';

/**
 * Settings of {@link TwilioSmsSender}. Each camelCase key also accepts Flask-Security-Too's
 * `SECURITY_SMS_SERVICE_CONFIG` spelling (`ACCOUNT_SID`, `AUTH_TOKEN`, `PHONE_NUMBER`); camelCase wins.
 */
export interface TwilioSmsSenderConfig {
  /** Twilio account SID (`AC…`); required. */
  readonly accountSid?: string;
  /** Twilio auth token; required. Keep it in secret storage, not in code. */
  readonly authToken?: string;
  /** The sending number (E.164), used when `sendSms` is given an empty `fromNumber`. */
  readonly phoneNumber?: string;
  /** API origin, `https://api.twilio.com` by default. Must be https, except on a loopback host (tests). */
  readonly baseUrl?: string;
  /** How long one send may take, connection to last byte of the reply; 10 by default. */
  readonly timeoutInSeconds?: number;
  /** Flask-Security-Too's name for `accountSid`. */
  readonly ACCOUNT_SID?: string;
  /** Flask-Security-Too's name for `authToken`. */
  readonly AUTH_TOKEN?: string;
  /** Flask-Security-Too's name for `phoneNumber`. */
  readonly PHONE_NUMBER?: string;
}

const DEFAULT_BASE_URL = 'https://api.twilio.com';
const DEFAULT_TIMEOUT_IN_SECONDS = 10;

/**
 * Sends texts through Twilio (`POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic
 * auth, form body `To`, `From`, `Body`). Registered as `twilio` in every SmsSenderRegistry.
 *
 * Any failure — an HTTP error with Twilio's `{code, message}`, a timeout, a refused connection, a reply that
 * is not JSON — rejects with `TwofoldError('SMS_SEND_FAILED')` whose message gives the HTTP status and
 * Twilio's error code. It never holds the message text (it carries the one-time code), the auth token, Twilio's
 * own error text (which can quote the destination) or more than the last two digits of the destination.
 *
 * @example
 * ```ts
 * const sender = new TwilioSmsSender({ accountSid: 'AC…', authToken: process.env.TWILIO_AUTH_TOKEN, phoneNumber: '+15005550006' });
 * await sender.sendSms('', '+16505551212', 'Use this code to sign in: 123456');
 * ```
 */
export class TwilioSmsSender implements SmsSenderBase {
  readonly #messagesUrl: string;
  readonly #authorization: string;
  readonly #phoneNumber: string | undefined;
  readonly #timeoutInMs: number;
  readonly #baseUrl: string;

  /**
   * @throws TypeError naming the key when `accountSid`/`ACCOUNT_SID` or `authToken`/`AUTH_TOKEN` is missing,
   * when `baseUrl` is not https on a non-loopback host (checklist OOB-09), or `timeoutInSeconds` is not positive.
   */
  constructor(config: TwilioSmsSenderConfig) {
    if (typeof config !== 'object' || config === null) throw new TypeError('TwilioSmsSender needs a config object');
    const accountSid = readString(config, 'accountSid', 'ACCOUNT_SID');
    const authToken = readString(config, 'authToken', 'AUTH_TOKEN');
    if (accountSid === undefined || authToken === undefined) {
      const key = accountSid === undefined ? "'accountSid' (SMS_SERVICE_CONFIG['ACCOUNT_SID'])" : "'authToken' (SMS_SERVICE_CONFIG['AUTH_TOKEN'])";
      throw new TypeError(`TwilioSmsSender: ${key} is required`);
    }
    this.#phoneNumber = readString(config, 'phoneNumber', 'PHONE_NUMBER');
    const base = checkBaseUrl(config.baseUrl ?? DEFAULT_BASE_URL);
    this.#baseUrl = base.replace(/\/+$/, '');
    this.#messagesUrl = `${this.#baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
    this.#authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64')}`;
    const timeoutInSeconds = config.timeoutInSeconds ?? DEFAULT_TIMEOUT_IN_SECONDS;
    if (typeof timeoutInSeconds !== 'number' || !Number.isFinite(timeoutInSeconds) || timeoutInSeconds <= 0) {
      throw new TypeError("TwilioSmsSender: 'timeoutInSeconds' must be a positive number of seconds");
    }
    this.#timeoutInMs = Math.ceil(timeoutInSeconds * 1000);
  }

  /**
   * Asks Twilio to send `message` to `toNumber`. Resolves when Twilio accepted it (HTTP 2xx with JSON).
   *
   * @param fromNumber - Sending number (E.164); `''` uses the configured `phoneNumber`.
   * @param toNumber - Destination (E.164).
   * @param message - The text; never copied into an error.
   * @throws TwofoldError `SMS_SEND_FAILED` (as a rejection) when Twilio refused, failed, or could not be reached.
   * @throws TypeError (as a rejection) when an argument is not a string or no sending number is known.
   */
  async sendSms(fromNumber: string, toNumber: string, message: string): Promise<void> {
    if (typeof fromNumber !== 'string' || typeof toNumber !== 'string' || typeof message !== 'string') {
      throw new TypeError('sendSms(fromNumber, toNumber, message) takes three strings');
    }
    const from = fromNumber === '' ? this.#phoneNumber : fromNumber;
    if (from === undefined) throw new TypeError("TwilioSmsSender: no sending number; pass fromNumber or set 'phoneNumber'");
    if (toNumber === '') throw new TypeError("Argument 'toNumber' must not be empty");

    const failed = (what: string, cause?: unknown): TwofoldError =>
      new TwofoldError('SMS_SEND_FAILED', `SMS to ${maskPhoneNumber(toNumber)} not sent: ${what}`, cause === undefined ? undefined : { cause });

    let status: number;
    let replyText: string;
    try {
      const response = await fetch(this.#messagesUrl, {
        method: 'POST',
        headers: {
          authorization: this.#authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ To: toNumber, From: from, Body: message }).toString(),
        // Twilio never redirects this call; following one would send the credentials somewhere unplanned.
        redirect: 'error',
        // One deadline for connecting and reading the whole reply.
        signal: AbortSignal.timeout(this.#timeoutInMs),
      });
      status = response.status;
      replyText = await response.text();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw failed(`Twilio gave no answer within ${this.#timeoutInMs / 1000} s`, error);
      }
      throw failed(`could not reach Twilio at ${this.#baseUrl}${networkErrorCode(error)}`, error);
    }

    const reply = parseJsonObject(replyText);
    if (status < 200 || status > 299) {
      const code = reply?.code;
      // Only Twilio's numeric code goes into the message: its `message` text can quote the destination number.
      throw failed(
        Number.isSafeInteger(code)
          ? `Twilio answered HTTP ${status}, error ${String(code)} (https://www.twilio.com/docs/errors/${String(code)})`
          : `Twilio answered HTTP ${status}${reply === undefined ? ' with a reply that is not JSON' : ''}`,
      );
    }
    if (reply === undefined) {
      throw failed(`Twilio answered HTTP ${status} with a reply that is not JSON; the message may not have been queued`);
    }
  }
}

/** The value under `key`, else under its Flask-Security-Too spelling; `undefined` when neither is set. */
function readString(config: TwilioSmsSenderConfig, key: keyof TwilioSmsSenderConfig, fstKey: keyof TwilioSmsSenderConfig): string | undefined {
  const value: unknown = config[key] ?? config[fstKey];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new TypeError(`TwilioSmsSender: '${key}' (SMS_SERVICE_CONFIG['${fstKey}']) must be a string`);
  return value;
}

function checkBaseUrl(baseUrl: unknown): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new TypeError(`TwilioSmsSender: 'baseUrl' must be an absolute URL; got ${JSON.stringify(baseUrl)}`);
  }
  // Checklist OOB-09: the provider is reached over TLS. Plain http is only for a stand-in on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new TypeError(`TwilioSmsSender: 'baseUrl' must use https (plain http only for a loopback host); got ${url.origin}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TypeError("TwilioSmsSender: 'baseUrl' must be an origin with an optional path: no credentials, query or fragment");
  }
  return url.href;
}


/** The last two digits only: enough to tell numbers apart in a log, not enough to text anyone. */
function maskPhoneNumber(phoneNumber: string): string {
  const digits = phoneNumber.replace(/\D/g, '');
  return digits.length >= 6 ? `…${digits.slice(-2)}` : '…';
}

function networkErrorCode(error: unknown): string {
  const code: unknown = error instanceof Error && error.cause instanceof Error ? (error.cause as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : '';
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
