/** A real SMTP server (smtp-server on 127.0.0.1) for tests: keeps every mail it receives, decoded enough to read a code. */

import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { Inbox } from './inbox.js';

/** One mail the test server received. */
export interface ReceivedMail {
  /** The address in the From header, without a display name. */
  readonly from: string;
  /** The addresses in the To header, without display names, joined by ', ' (one address for twofold's mails). */
  readonly to: string;
  /** The Subject header with RFC 2047 encoded words decoded. */
  readonly subject: string;
  /** The text/plain part, transfer encoding and charset decoded, line breaks as '\n', without a final line break. */
  readonly text: string;
  /** The text/html part, decoded likewise; `null` when the mail has none. */
  readonly html: string | null;
  /** Every header by lower-case name (the first occurrence), unfolded and with encoded words decoded. */
  readonly headers: ReadonlyMap<string, string>;
  /** The SMTP envelope: MAIL FROM and RCPT TO as the client sent them. */
  readonly envelope: { readonly mailFrom: string; readonly rcptTo: readonly string[] };
  /** The user name the client logged in with, or `null`. */
  readonly authenticatedAs: string | null;
  /** The message as received (RFC 5322), for anything the fields above do not cover. */
  readonly raw: string;
}

/** Options of {@link startSmtpServer}. */
export interface SmtpServerOptions {
  /** Require this login (AUTH PLAIN/LOGIN); `url` then carries it, percent-encoded. Without it auth is optional. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Interface to listen on, `127.0.0.1` by default; another address lets a test reach it as a non-loopback host. */
  readonly host?: string;
  /** Offer STARTTLS with smtp-server's built-in self-signed certificate (which a checking client refuses). */
  readonly offerStartTls?: boolean;
  /** Port to listen on; random by default. Give a closed server's port to bring "the same" server back. */
  readonly port?: number;
}

/** A running test SMTP server. */
export interface SmtpTestServer {
  /** `smtp://[user:pass@]HOST:PORT`, ready for `createMailer({ smtpUrl })` or `SMTP_URL`. */
  readonly url: string;
  readonly port: number;
  /** Every mail received, oldest first. */
  readonly messages: readonly ReceivedMail[];
  /**
   * The oldest mail not handed out before that matches `predicate`, waiting for it to arrive if needed. Each mail
   * is handed out once, so calling it again after a resend gives the new mail, not the old one.
   * Rejects after `timeoutInMs` (5000 by default) listing what did arrive.
   */
  waitForMail(predicate?: (mail: ReceivedMail) => boolean, timeoutInMs?: number): Promise<ReceivedMail>;
  /** The next `count` mails are refused after DATA with `550 5.7.1`, as a server rejecting the content would. */
  refuseNextMails(count?: number): void;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on 127.0.0.1 (or `options.host`) at a random port (or `options.port`). It offers no
 * STARTTLS unless asked (loopback needs none) and accepts AUTH over plain text.
 *
 * @example
 * ```ts
 * const smtp = await startSmtpServer();
 * const mailer = createMailer({ smtpUrl: smtp.url, from: 'no-reply@example.com' });
 * await mailer.send({ to: 'ann@example.com', subject: 'Code', text: 'Use this code to sign in: 123456' });
 * const mail = await smtp.waitForMail((m) => m.to === 'ann@example.com');
 * await smtp.close();
 * ```
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpTestServer> {
  const inbox = new Inbox<ReceivedMail>();
  let mailsToRefuse = 0;
  const required = options.auth;
  const host = options.host ?? '127.0.0.1';

  const server = new SMTPServer({
    logger: false,
    disabledCommands: options.offerStartTls === true ? [] : ['STARTTLS'],
    authOptional: required === undefined,
    allowInsecureAuth: true,
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      if (required === undefined || (auth.username === required.user && auth.password === required.pass)) {
        callback(null, { user: auth.username ?? '' });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (mailsToRefuse > 0) {
          mailsToRefuse -= 1;
          callback(Object.assign(new Error('5.7.1 Message refused by the test server'), { responseCode: 550 }));
          return;
        }
        try {
          inbox.push(parseMail(Buffer.concat(chunks), session));
        } catch (error) {
          callback(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        callback(null, 'Queued by the twofold test server');
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('smtp-server did not report a TCP port');
  const credentials = required === undefined ? '' : `${encodeURIComponent(required.user)}:${encodeURIComponent(required.pass)}@`;

  return {
    url: `smtp://${credentials}${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    messages: inbox.items,
    waitForMail(predicate = () => true, timeoutInMs = 5000) {
      return inbox.take(predicate, timeoutInMs, () => {
        const seen = inbox.items.map((m) => `${m.to}: ${JSON.stringify(m.subject)}`).join('; ') || 'none';
        return `No matching mail within ${timeoutInMs} ms (received: ${seen})`;
      });
    },
    refuseNextMails(count = 1) {
      mailsToRefuse = count;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A MIME entity: its headers and its body, the body still as bytes (held in a latin1 string). */
interface Entity {
  readonly headers: Map<string, string>;
  readonly body: string;
}

function parseMail(data: Buffer, session: SMTPServerSession): ReceivedMail {
  // latin1 keeps one char per byte, so bodies can be decoded later with their own charset.
  const parsed = parseEntity(data.toString('latin1'));
  // SMTP ends every message with a line break (RFC 5321 §4.1.1.4), so 'x' and 'x\n' arrive alike; drop it.
  const root: Entity = { headers: parsed.headers, body: parsed.body.replace(/\r?\n$/, '') };
  const headers = new Map([...root.headers].map(([name, value]) => [name, decodeHeader(value)]));
  const parts = leafParts(root);
  const textPart = parts.find((part) => contentType(part).type === 'text/plain');
  const htmlPart = parts.find((part) => contentType(part).type === 'text/html');
  const envelope = session.envelope;
  const user: unknown = session.user;
  return {
    from: addresses(headers.get('from') ?? '').join(', '),
    to: addresses(headers.get('to') ?? '').join(', '),
    subject: headers.get('subject') ?? '',
    text: textPart === undefined ? '' : decodeBody(textPart),
    html: htmlPart === undefined ? null : decodeBody(htmlPart),
    headers,
    envelope: {
      mailFrom: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
      rcptTo: envelope.rcptTo.map((rcpt) => rcpt.address),
    },
    authenticatedAs: typeof user === 'string' && user !== '' ? user : null,
    raw: data.toString('utf8'),
  };
}

function parseEntity(source: string): Entity {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match === null ? source : source.slice(0, match.index);
  const body = match === null ? '' : source.slice(match.index + match[0].length);
  const headers = new Map<string, string>();
  // RFC 5322 §2.2.3: a line starting with white space continues the previous header.
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  return { headers, body };
}

/** The non-multipart entities, depth first, so the first text/plain is the main text. */
function leafParts(entity: Entity): Entity[] {
  const { type, params } = contentType(entity);
  const boundary = params.get('boundary');
  if (!type.startsWith('multipart/') || boundary === undefined) return [entity];
  const delimiter = `--${boundary}`;
  const parts: Entity[] = [];
  // RFC 2046 §5.1.1: the CRLF before a delimiter line belongs to the delimiter.
  const chunks = `\r\n${entity.body}`.split(new RegExp(`\\r?\\n${escapeRegExp(delimiter)}`));
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break; // the close delimiter
    parts.push(...leafParts(parseEntity(chunk.replace(/^[ \t]*\r?\n/, ''))));
  }
  return parts;
}

function contentType(entity: Entity): { type: string; params: Map<string, string> } {
  const [type = 'text/plain', ...rest] = (entity.headers.get('content-type') ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0) params.set(param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(entity: Entity): string {
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  let bytes: Buffer;
  if (encoding === 'quoted-printable') {
    // RFC 2045 §6.7: '=' at a line end is a soft break; '=XX' is one byte.
    bytes = decodeQuotedPrintableBytes(entity.body.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, ''));
  } else if (encoding === 'base64') {
    bytes = Buffer.from(entity.body.replace(/\s+/g, ''), 'base64');
  } else {
    bytes = Buffer.from(entity.body, 'latin1');
  }
  const charset = contentType(entity).params.get('charset') ?? 'utf-8';
  return new TextDecoder(charset).decode(bytes).replace(/\r\n/g, '\n');
}

function decodeQuotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); white space between two of them is dropped. */
function decodeHeader(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(word, (_all, charset: string, kind: string, data: string) => {
    const bytes =
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintableBytes(data.replace(/_/g, ' '));
    return new TextDecoder(charset.replace(/\*.*$/, '')).decode(bytes);
  });
}

/** The bare addresses of an address list: what is inside `<…>`, or the item itself. */
function addresses(list: string): string[] {
  const result: string[] = [];
  for (const item of list.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const angle = /<([^>]*)>/.exec(item);
    const address = (angle?.[1] ?? item).trim();
    if (address !== '') result.push(address);
  }
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
