/** A stand-in for Twilio's Messages API on 127.0.0.1 (node:http) for tests: records each SMS, can fail on demand. */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Inbox } from './inbox.js';

/** One request to the Messages endpoint, as the stand-in read it. */
export interface TwilioRequestRecord {
  /** The account SID in the URL path. */
  readonly accountSid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  /** The account SID of the Basic auth header when its token was right, else `null` (and the reply was 401). */
  readonly authorizedAs: string | null;
  /** The request's Content-Type header. */
  readonly contentType: string;
}

/** How the stand-in answers the next requests (until changed). */
export type TwilioBehaviour =
  /** 201 with a message resource, as Twilio does (the default). */
  | { readonly kind: 'accept' }
  /** `status` with Twilio's error JSON `{ code, message, more_info, status }`. */
  | { readonly kind: 'error'; readonly status: number; readonly code?: number; readonly message?: string }
  /** `status` (502 by default) with an HTML page, as a proxy in front of Twilio might send. */
  | { readonly kind: 'not-json'; readonly status?: number }
  /** Never answers, so the client's timeout fires. */
  | { readonly kind: 'hang' };

/** Options of {@link startTwilioServer}. */
export interface TwilioServerOptions {
  readonly accountSid?: string;
  readonly authToken?: string;
  readonly phoneNumber?: string;
}

/** A running stand-in. */
export interface TwilioTestServer {
  /** `http://127.0.0.1:PORT`: pass it as the sender's `baseUrl`. */
  readonly baseUrl: string;
  /** Settings for `SmsSenderFactory.create('twilio', server.config)` that this stand-in accepts. */
  readonly config: { readonly accountSid: string; readonly authToken: string; readonly phoneNumber: string; readonly baseUrl: string };
  /** Every request to the Messages endpoint, oldest first, whatever the answer was. */
  readonly requests: readonly TwilioRequestRecord[];
  /** Changes how the following requests are answered. */
  respondWith(behaviour: TwilioBehaviour): void;
  /**
   * The oldest accepted SMS not handed out before that matches `predicate`, waiting for it if needed; each SMS
   * is handed out once. Rejects after `timeoutInMs` (5000 by default).
   */
  waitForSms(predicate?: (sms: TwilioRequestRecord) => boolean, timeoutInMs?: number): Promise<TwilioRequestRecord>;
  /** Stops listening and drops open (also hanging) connections. */
  close(): Promise<void>;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

/**
 * Starts the stand-in on 127.0.0.1 at a random port. It checks the path, method and Basic auth as Twilio does
 * (401 with error 20003 for a wrong token) and answers like Twilio, or as set by `respondWith`.
 *
 * @example
 * ```ts
 * const twilio = await startTwilioServer();
 * const sender = SmsSenderFactory.create('twilio', twilio.config);
 * await sender.sendSms('', '+16505551212', 'Use this code to sign in: 123456');
 * (await twilio.waitForSms()).body; // 'Use this code to sign in: 123456'
 * await twilio.close();
 * ```
 */
export async function startTwilioServer(options: TwilioServerOptions = {}): Promise<TwilioTestServer> {
  const accountSid = options.accountSid ?? 'AC00000000000000000000000000000001';
  const authToken = options.authToken ?? 'test-auth-token-0123456789abcdef';
  const phoneNumber = options.phoneNumber ?? '+15005550006';
  const requests: TwilioRequestRecord[] = [];
  const accepted = new Inbox<TwilioRequestRecord>();
  let behaviour: TwilioBehaviour = { kind: 'accept' };
  let messageCount = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = MESSAGES_PATH.exec(new URL(request.url ?? '/', 'http://stand-in').pathname);
    if (request.method !== 'POST' || path === null) {
      sendJson(response, 404, twilioError(404, 20404, 'The requested resource was not found'));
      return;
    }
    const form = new URLSearchParams(await readBody(request));
    const record: TwilioRequestRecord = {
      accountSid: decodeURIComponent(path[1] ?? ''),
      to: form.get('To') ?? '',
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      authorizedAs: basicAuthAccount(request.headers.authorization, accountSid, authToken),
      contentType: request.headers['content-type'] ?? '',
    };
    requests.push(record);
    if (record.authorizedAs === null || record.accountSid !== accountSid) {
      sendJson(response, 401, twilioError(401, 20003, 'Authenticate'));
      return;
    }
    switch (behaviour.kind) {
      case 'hang':
        return; // the socket stays open until the client gives up or close() drops it
      case 'not-json':
        response.writeHead(behaviour.status ?? 502, { 'content-type': 'text/html' });
        response.end('<html><body><h1>Bad Gateway</h1></body></html>');
        return;
      case 'error':
        sendJson(response, behaviour.status, twilioError(behaviour.status, behaviour.code ?? 20500, behaviour.message ?? 'Internal Server Error'));
        return;
      case 'accept': {
        messageCount += 1;
        accepted.push(record);
        sendJson(response, 201, {
          sid: `SM${messageCount.toString(16).padStart(32, '0')}`,
          account_sid: accountSid,
          to: record.to,
          from: record.from,
          body: record.body,
          status: 'queued',
          num_segments: '1',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          error_code: null,
          error_message: null,
        });
      }
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, twilioError(500, 20500, String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the Twilio stand-in did not report a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    baseUrl,
    config: { accountSid, authToken, phoneNumber, baseUrl },
    requests,
    respondWith(next) {
      behaviour = next;
    },
    waitForSms(predicate = () => true, timeoutInMs = 5000) {
      return accepted.take(predicate, timeoutInMs, () => `No matching SMS within ${timeoutInMs} ms (${accepted.items.length} accepted)`);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
    },
  };
}

function twilioError(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The account of a Basic auth header whose token matches, else `null`. */
function basicAuthAccount(header: string | undefined, accountSid: string, authToken: string): string | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, token] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return user === accountSid && token === authToken ? user : null;
}
