/**
 * Threat: sending codes costs money (SMS pumping to premium numbers) and floods inboxes. An attacker with a
 * password, or with many accounts of their own, asks for code after code; one number or one inbox is aimed
 * at from many accounts; one client cycles through accounts. Each is capped, in the database, so that every
 * instance counts together (checklist RL-08).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client, type Reply } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

const db = useDatastore();
let smtp: SmtpTestServer;
let twilio: TwilioTestServer;
beforeAll(async () => {
  [smtp, twilio] = await Promise.all([startSmtpServer(), startTwilioServer()]);
});
afterAll(async () => {
  await Promise.all([smtp.close(), twilio.close()]);
});

const TOO_MANY = 'Too many codes have been sent. Please wait before asking for another.';

function mailing(options: Record<string, unknown> = {}) {
  return makeApp(db.datastore, { smtpUrl: smtp.url, smsSender: SmsSenderFactory.create('twilio', twilio.config), options });
}

/** A user whose second factor is e-mail codes. */
async function emailUser(security: Security, email: string): Promise<void> {
  const user = await userWithPassword(security, email);
  await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
}

/** A password step from a new client; for an e-mail user it is what sends a code. */
async function logIn(security: Security, email: string, clientAddress = '198.51.100.7'): Promise<Reply> {
  const client = new Client(security, { clientAddress });
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

const mailsTo = (email: string) => smtp.messages.filter((mail) => mail.to === email).length;
/** Mail arrives after the reply; a refused send must not arrive at all, so wait a little before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

function expectRefused(reply: Reply, retryAfterInSeconds: number): void {
  expect(reply.status).toBe(429);
  expect(reply.headers.get('retry-after')).toBe(String(retryAfterInSeconds));
  expect(reply.json.errors).toEqual([TOO_MANY]);
}

describe('the cooldown between codes to one account', () => {
  it('refuses a second code within twoFactorSendCooldown (429, Retry-After, nothing mailed), and sends once it is over', async () => {
    const { security, clock } = mailing();
    const email = 'cooldown@example.test';
    await emailUser(security, email);
    expect((await logIn(security, email)).json).toMatchObject({ tf_state: 'ready' });
    await smtp.waitForMail((mail) => mail.to === email);

    clock.advance(10);
    expectRefused(await logIn(security, email), 20);
    // A browser goes on to the code page, which shows why and how long to wait (see test/http/flows-resend.test.ts).
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    const redirected = await browser.post('/login', { email, password: PASSWORD });
    expect(redirected.location).toBe('/tf-validate');
    expect((await browser.follow(redirected)).text).toContain(TOO_MANY);
    await settle();
    expect(mailsTo(email)).toBe(1);

    clock.advance(20);
    expect((await logIn(security, email)).json).toMatchObject({ tf_state: 'ready' });
    await settle();
    expect(mailsTo(email)).toBe(2);
  });
});

describe('the caps per window', () => {
  it('per account: 10 codes an hour, then 429 until the window ends, and the inbox got exactly 10', async () => {
    const { security, clock } = mailing();
    const email = 'per-account@example.test';
    await emailUser(security, email);
    const cooldown = security.config.twoFactorSendCooldown;
    for (let i = 0; i < 10; i++) {
      expect((await logIn(security, email, `198.51.100.${i}`)).status).toBe(200);
      clock.advance(cooldown);
    }
    // 20 more asks, each after the cooldown and from a new address: all refused.
    for (let i = 0; i < 20; i++) {
      const reply = await logIn(security, email, `192.0.2.${i}`);
      expect(reply.status).toBe(429);
      expect(Number(reply.headers.get('retry-after'))).toBe(3600 - cooldown * (10 + i));
      clock.advance(cooldown);
    }
    await settle();
    expect(mailsTo(email)).toBe(10);
    // The window started with the first code, 3600 s ago by now: the account may receive again.
    clock.advance(3600);
    expect((await logIn(security, email)).status).toBe(200);
  });

  it('per destination: many accounts setting up SMS to one number get 5 texts through, then 429 (SMS pumping)', async () => {
    const { security } = mailing({ twoFactorRequired: true });
    const target = '+1 650 555 0199';
    const before = twilio.requests.filter((request) => request.to === '+16505550199').length;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const email = `pump-${i}@example.test`;
      await userWithPassword(security, email);
      // Each account from its own address: only the number is shared.
      const client = new Client(security, { clientAddress: `203.0.113.${i}` });
      await client.get('/login');
      await client.post('/login', { email, password: PASSWORD });
      const reply = await client.post('/tf-setup', { setup: 'sms', phone: target });
      statuses.push(reply.status);
      if (reply.status === 429) expect(reply.json.field_errors).toEqual({ setup: [TOO_MANY] });
    }
    // twoFactorMaxSetupSendsPerDestination: set-ups from all accounts together.
    expect(statuses).toEqual([...Array<number>(5).fill(200), ...Array<number>(7).fill(429)]);
    await settle();
    expect(twilio.requests.filter((request) => request.to === '+16505550199').length - before).toBe(5);
  });

  it('per client address: one client cycling through 30 accounts is refused at the 31st; another client is not', async () => {
    const { security } = mailing({ twoFactorMaxSendsPerAddress: 30 });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const email = `cycle-${i}@example.test`;
      await emailUser(security, email);
      statuses.push((await logIn(security, email, '198.51.100.99')).status);
    }
    expect(statuses).toEqual([...Array<number>(30).fill(200), 429]);
    expect((await logIn(security, 'cycle-30@example.test', '198.51.100.100')).status).toBe(200);
  });

  it('a rescue e-mail and an e-mail set-up count too, with their own field errors', async () => {
    const { security } = mailing({ twoFactorRescueEmail: true });
    const email = 'rescue-limit@example.test';
    const user = await userWithPassword(security, email);
    await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+16505550142', lastStep: null });
    const client = new Client(security);
    await client.get('/login');
    expect((await client.post('/login', { email, password: PASSWORD })).json).toMatchObject({ tf_method: 'sms' });
    // The SMS just sent started the cooldown: an e-mail rescue right after it is refused.
    const rescue = await client.post('/tf-rescue', { help_setup: 'email' });
    expect(rescue.status).toBe(429);
    expect(rescue.headers.get('retry-after')).toBe(String(security.config.twoFactorSendCooldown));
    expect(rescue.json.field_errors).toEqual({ help_setup: [TOO_MANY] });
  });
});

describe('where the counts live', () => {
  it('two instances on one database share them, and no counter names an address or number in the clear', async () => {
    const first = mailing();
    const second = mailing();
    const email = 'shared-limit@example.test';
    await emailUser(first.security, email);
    expect((await logIn(first.security, email, '198.51.100.250')).status).toBe(200);
    expectRefused(await logIn(second.security, email, '198.51.100.251'), 30);

    const keys = (await db.datastore.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key).join('\n');
    expect(keys).toMatch(/^send:address:[0-9a-f]{64}$/m);
    for (const clear of ['198.51.100', '203.0.113', '6505550199', 'example.test']) expect(keys).not.toContain(clear);
  });

  it('20 requests at once for one account send exactly one code', async () => {
    const { security } = mailing();
    const email = 'send-race@example.test';
    await emailUser(security, email);
    const clients = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const client = new Client(security, { clientAddress: `198.51.100.${i}` });
        await client.get('/login');
        return client;
      }),
    );
    const replies = await Promise.all(clients.map((client) => client.post('/login', { email, password: PASSWORD })));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, ...Array<number>(19).fill(429)]);
    await settle();
    expect(mailsTo(email)).toBe(1);
  });
});
