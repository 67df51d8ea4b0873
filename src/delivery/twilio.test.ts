/** Tests of the Twilio sender against a local stand-in for Twilio's Messages API (test/support/twilio.ts). */

import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioServer, type TwilioTestServer } from '../../test/support/twilio.js';
import { TwofoldError } from '../errors.js';
import { SmsSenderFactory } from './sms.js';
import { TwilioSmsSender } from './twilio.js';

const TO = '+16505551212';
const CODE_MESSAGE = 'Use this code to sign in: 482913';

let twilio: TwilioTestServer;

beforeAll(async () => {
  twilio = await startTwilioServer();
});
afterAll(async () => {
  await twilio.close();
});
beforeEach(() => {
  twilio.respondWith({ kind: 'accept' });
});

/** Sends and returns the rejection, checking it is SMS_SEND_FAILED and gives nothing secret away. */
async function expectSendFailure(sender: TwilioSmsSender, token = twilio.config.authToken): Promise<TwofoldError> {
  const error: unknown = await sender.sendSms('', TO, CODE_MESSAGE).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwofoldError);
  const failure = error as TwofoldError;
  expect(failure.code).toBe('SMS_SEND_FAILED');
  for (const secret of ['482913', CODE_MESSAGE, token, TO, TO.slice(1), '6505551212']) {
    expect(failure.message).not.toContain(secret);
    expect(failure.stack ?? '').not.toContain(secret);
  }
  expect(failure.message).toContain('…12');
  return failure;
}

describe('TwilioSmsSender', () => {
  it('posts To, From and Body as a form with Basic auth to the account Messages endpoint', async () => {
    const sender = new TwilioSmsSender(twilio.config);
    await sender.sendSms('+15005550099', TO, CODE_MESSAGE);
    const sms = await twilio.waitForSms();
    expect(sms).toEqual({
      accountSid: twilio.config.accountSid,
      to: TO,
      from: '+15005550099',
      body: CODE_MESSAGE,
      authorizedAs: twilio.config.accountSid,
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it("accepts Flask-Security-Too's keys through SmsSenderFactory and sends from PHONE_NUMBER when fromNumber is ''", async () => {
    const sender = SmsSenderFactory.create('Twilio', {
      ACCOUNT_SID: twilio.config.accountSid,
      AUTH_TOKEN: twilio.config.authToken,
      PHONE_NUMBER: '+15005550006',
      baseUrl: twilio.baseUrl,
    });
    await sender.sendSms('', TO, 'Body with & = + and ünïcödé');
    const sms = await twilio.waitForSms((s) => s.to === TO);
    expect(sms.from).toBe('+15005550006');
    expect(sms.body).toBe('Body with & = + and ünïcödé');
  });

  it('throws TypeError at creation naming a missing credential', () => {
    expect(() => new TwilioSmsSender({ authToken: 'x' })).toThrow(/accountSid.*ACCOUNT_SID/);
    expect(() => new TwilioSmsSender({ ACCOUNT_SID: 'AC1' })).toThrow(/authToken.*AUTH_TOKEN/);
    expect(() => new TwilioSmsSender({ accountSid: 'AC1', authToken: '' })).toThrow(TypeError);
    expect(() => new TwilioSmsSender({ accountSid: 42 as never, authToken: 'x' })).toThrow(/must be a string/);
  });

  it('refuses a baseUrl without TLS unless it is loopback (OOB-09)', () => {
    const credentials = { accountSid: 'AC1', authToken: 'x' };
    expect(() => new TwilioSmsSender({ ...credentials, baseUrl: 'http://api.twilio.com' })).toThrow(/https/);
    expect(() => new TwilioSmsSender({ ...credentials, baseUrl: 'http://10.0.0.5:8080' })).toThrow(TypeError);
    expect(() => new TwilioSmsSender({ ...credentials, baseUrl: 'ftp://127.0.0.1' })).toThrow(TypeError);
    expect(() => new TwilioSmsSender({ ...credentials, baseUrl: 'not a url' })).toThrow(TypeError);
    expect(() => new TwilioSmsSender({ ...credentials, baseUrl: 'https://u:p@api.twilio.com' })).toThrow(TypeError);
    expect(() => new TwilioSmsSender({ ...credentials, timeoutInSeconds: 0 })).toThrow(/timeoutInSeconds/);
    for (const baseUrl of ['https://api.twilio.com', 'http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9/']) {
      expect(() => new TwilioSmsSender({ ...credentials, baseUrl })).not.toThrow();
    }
  });

  it('keeps the auth token out of inspection and JSON', () => {
    const sender = new TwilioSmsSender(twilio.config);
    expect(inspect(sender, { showHidden: true, depth: 5 })).not.toContain(twilio.config.authToken);
    expect(JSON.stringify(sender)).not.toContain(twilio.config.authToken);
  });

  it('turns a 400 with Twilio error JSON into SMS_SEND_FAILED with status and Twilio code', async () => {
    twilio.respondWith({ kind: 'error', status: 400, code: 21211, message: `The 'To' number ${TO} is not a valid phone number.` });
    const failure = await expectSendFailure(new TwilioSmsSender(twilio.config));
    expect(failure.message).toContain('400');
    expect(failure.message).toContain('21211');
  });

  it('turns a 500 into SMS_SEND_FAILED', async () => {
    twilio.respondWith({ kind: 'error', status: 500 });
    expect((await expectSendFailure(new TwilioSmsSender(twilio.config))).message).toContain('HTTP 500');
  });

  it('reports wrong credentials (401, Twilio error 20003) without the token', async () => {
    const sender = new TwilioSmsSender({ ...twilio.config, authToken: 'wrong-token-value' });
    const failure = await expectSendFailure(sender, 'wrong-token-value');
    expect(failure.message).toContain('401');
    expect(failure.message).toContain('20003');
    expect(twilio.requests.at(-1)?.authorizedAs).toBeNull();
  });

  it('turns a reply that is not JSON into SMS_SEND_FAILED, for an error status and for 200', async () => {
    twilio.respondWith({ kind: 'not-json' });
    expect((await expectSendFailure(new TwilioSmsSender(twilio.config))).message).toMatch(/502.*not JSON/);
    twilio.respondWith({ kind: 'not-json', status: 200 });
    expect((await expectSendFailure(new TwilioSmsSender(twilio.config))).message).toMatch(/200.*not JSON/);
  });

  it('gives up after timeoutInSeconds when Twilio does not answer', async () => {
    twilio.respondWith({ kind: 'hang' });
    const started = performance.now();
    const failure = await expectSendFailure(new TwilioSmsSender({ ...twilio.config, timeoutInSeconds: 0.2 }));
    expect(failure.message).toMatch(/no answer within 0.2 s/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports a refused connection as SMS_SEND_FAILED', async () => {
    const port = await closedPort();
    const sender = new TwilioSmsSender({ ...twilio.config, baseUrl: `http://127.0.0.1:${port}` });
    expect((await expectSendFailure(sender)).message).toMatch(/could not reach Twilio.*ECONNREFUSED/);
  });

  it('rejects with TypeError for arguments that are not strings or a missing sending number', async () => {
    const sender = new TwilioSmsSender({ accountSid: 'AC1', authToken: 'x', baseUrl: twilio.baseUrl });
    await expect(sender.sendSms('', TO, 'x')).rejects.toThrow(/sending number/);
    await expect(sender.sendSms('+1', 42 as never, 'x')).rejects.toThrow(TypeError);
    await expect(sender.sendSms('+1', '', 'x')).rejects.toThrow(TypeError);
  });
});

/** A port nothing listens on: bind one, note it, release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
