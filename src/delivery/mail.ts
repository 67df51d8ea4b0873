/** Sending mail: the Mailer contract and createMailer(), over SMTP with nodemailer or, in development, to the console. */

import nodemailer from 'nodemailer';
import { TwofoldError } from '../errors.js';
import { isLoopbackHost } from './loopback.js';

/** One mail twofold sends (a code, a notice). Plain text is required; HTML is an optional alternative. */
export interface MailMessage {
  /** One recipient address. */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Sends mail for twofold. Implement it to use another mail service. */
export interface Mailer {
  /** Resolves once the mail server accepted the message; rejects with `TwofoldError('MAIL_SEND_FAILED')` otherwise. */
  send(message: MailMessage): Promise<void>;
}

/** Where the console transport writes; `process.stdout` by default. */
export interface ConsoleOutput {
  write(text: string): unknown;
}

/** Options of {@link createMailer}. */
export interface MailerOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS, required unless the host is loopback) or `smtps://user:pass@host:465`
   * (TLS from the start). Percent-encode special characters in the user and password. Query parameters are
   * nodemailer options (`?tls.servername=…`) and override twofold's. Unset or empty: the console transport.
   */
  readonly smtpUrl?: string;
  /** The From address, e.g. `'Example <no-reply@example.com>'` (`MAIL_FROM`). */
  readonly from: string;
  /** Where the console transport prints; ignored with an SMTP URL. */
  readonly console?: ConsoleOutput;
  /** Limit for connecting, for the server's greeting and for each silence during the exchange; 10 by default. */
  readonly timeoutInSeconds?: number;
}

/** What {@link createMailer} returns: a {@link Mailer} that says which transport it uses. */
export interface TransportMailer extends Mailer {
  /** `'console'` means mail is printed, not sent; the demo says so when it starts. */
  readonly transport: 'smtp' | 'console';
}

const DEFAULT_TIMEOUT_IN_SECONDS = 10;

/**
 * Makes the {@link Mailer} twofold sends codes and notices with.
 *
 * With `smtpUrl`, mail goes over SMTP through nodemailer. A `smtp://` URL to a host other than loopback must
 * upgrade with STARTTLS and `smtps://` uses TLS from the start, certificates checked either way (checklist
 * OOB-09); on a loopback host (a local relay or a test server) TLS is skipped.
 *
 * **Without `smtpUrl` the mail is printed, not sent.** This development console transport writes sender,
 * recipient, subject and text — one-time codes included — to `options.console` (stdout by default). It is the
 * only place twofold ever prints a code, and it is for development only: it refuses to start when
 * `NODE_ENV` is `production`.
 *
 * A failed send rejects with `TwofoldError('MAIL_SEND_FAILED')` whose message names the server and what went
 * wrong (connection, timeout, the SMTP reply code) but never the mail's content; the nodemailer error is its
 * `cause`.
 *
 * @throws TypeError when `from` is missing, `smtpUrl` is not a `smtp://`/`smtps://` URL, `timeoutInSeconds`
 * is not positive, or there is no `smtpUrl` while `NODE_ENV` is `production`.
 *
 * @example
 * ```ts
 * const mailer = createMailer({ smtpUrl: process.env.SMTP_URL, from: 'Example <no-reply@example.com>' });
 * if (mailer.transport === 'console') console.warn('No SMTP_URL: mail is printed to the console, not sent.');
 * await mailer.send({ to: 'ann@example.com', subject: 'Your sign-in code', text: 'Use this code to sign in: 123456' });
 * ```
 */
export function createMailer(options: MailerOptions): TransportMailer {
  if (typeof options !== 'object' || options === null) throw new TypeError('createMailer needs an options object');
  const from = checkHeaderValue('from', options.from);
  const timeoutInSeconds = options.timeoutInSeconds ?? DEFAULT_TIMEOUT_IN_SECONDS;
  if (typeof timeoutInSeconds !== 'number' || !Number.isFinite(timeoutInSeconds) || timeoutInSeconds <= 0) {
    throw new TypeError("createMailer: 'timeoutInSeconds' must be a positive number of seconds");
  }
  if (options.smtpUrl === undefined || options.smtpUrl === '') {
    if (process.env.NODE_ENV === 'production') {
      throw new TypeError(
        "createMailer: 'smtpUrl' is required when NODE_ENV is production; without it mail, one-time codes included, would be printed to the console",
      );
    }
    return createConsoleMailer(from, options.console ?? process.stdout);
  }
  return createSmtpMailer(options.smtpUrl, from, Math.ceil(timeoutInSeconds * 1000));
}

function createSmtpMailer(smtpUrl: string, from: string, timeoutInMs: number): TransportMailer {
  const url = parseSmtpUrl(smtpUrl);
  const loopback = isLoopbackHost(url.hostname);
  const server = `${url.protocol}//${url.host}`; // for messages: never the credentials
  const transporter = nodemailer.createTransport(
    {
      url: smtpUrl,
      // OOB-09: off this machine, plain smtp:// must upgrade with STARTTLS or fail. On loopback nothing crosses
      // a network, and a local test server's self-signed certificate would otherwise fail the upgrade.
      requireTLS: url.protocol === 'smtp:' && !loopback,
      ignoreTLS: url.protocol === 'smtp:' && loopback,
      connectionTimeout: timeoutInMs,
      greetingTimeout: timeoutInMs,
      socketTimeout: timeoutInMs,
      // The message fields are plain strings; never let one name a file or URL for nodemailer to read.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    },
    { from },
  );
  return {
    transport: 'smtp',
    async send(message) {
      const checked = checkMessage(message);
      try {
        await transporter.sendMail(checked);
      } catch (error) {
        throw new TwofoldError('MAIL_SEND_FAILED', `Mail not sent via ${server}: ${describeSmtpError(error)}`, { cause: error });
      }
    },
  };
}

function createConsoleMailer(from: string, output: ConsoleOutput): TransportMailer {
  return {
    transport: 'console',
    async send(message) {
      const { to, subject, text, html } = checkMessage(message);
      const rule = '-'.repeat(72);
      const lines = [
        `${rule}`,
        'twofold development mail: printed, NOT sent (no SMTP URL is configured)',
        `From: ${from}`,
        `To: ${to}`,
        `Subject: ${subject}`,
        '',
        text,
        ...(html === undefined ? [] : ['', '(an HTML version was not printed)']),
        rule,
        '',
      ];
      try {
        output.write(lines.join('\n'));
      } catch (error) {
        throw new TwofoldError('MAIL_SEND_FAILED', 'Mail not printed: the console output failed', { cause: error });
      }
    },
  };
}

function parseSmtpUrl(smtpUrl: unknown): URL {
  let url: URL | undefined;
  try {
    url = new URL(String(smtpUrl));
  } catch {
    url = undefined;
  }
  // The URL may hold a password, so the error shows only its scheme.
  if (url === undefined || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new TypeError("createMailer: 'smtpUrl' must look like smtp://user:pass@host:587 or smtps://user:pass@host:465");
  }
  // nodemailer reads options from the query, and they would override ours: `?requireTLS=false` would send
  // codes in clear text to a remote server (checklist OOB-09).
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError("createMailer: 'smtpUrl' must not carry options after '?' or '#'; TLS is required except on loopback");
  }
  return url;
}


/** A string that is safe as a header: a line break would let it add headers of its own. */
function checkHeaderValue(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`'${name}' must be a non-empty string`);
  if (/[\r\n]/.test(value)) throw new TypeError(`'${name}' must not contain a line break`);
  return value;
}

function checkMessage(message: MailMessage): MailMessage {
  if (typeof message !== 'object' || message === null) throw new TypeError('send() needs a message object');
  const to = checkHeaderValue('to', message.to);
  const subject = checkHeaderValue('subject', message.subject);
  if (typeof message.text !== 'string') throw new TypeError("'text' must be a string");
  if (message.html !== undefined && typeof message.html !== 'string') throw new TypeError("'html' must be a string when given");
  return message.html === undefined ? { to, subject, text: message.text } : { to, subject, text: message.text, html: message.html };
}

/** What went wrong, from nodemailer's error fields only: its free text can quote the server, which can quote the mail. */
function describeSmtpError(error: unknown): string {
  const { code, originalCode, responseCode, command } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    originalCode?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const isCode = (value: unknown): value is string => typeof value === 'string' && /^[A-Z0-9_]{1,40}$/.test(value);
  // nodemailer wraps socket errors as ESOCKET and keeps the system's code (ECONNREFUSED, …) in originalCode.
  const name = `${isCode(code) ? code : 'unknown error'}${isCode(originalCode) && originalCode !== code ? ` (${originalCode})` : ''}`;
  if (typeof responseCode !== 'number') return name;
  const after = typeof command === 'string' && /^[A-Z][A-Z ]{0,20}$/.test(command) ? ` after ${command}` : '';
  return `${name}, server replied ${responseCode}${after}`;
}
