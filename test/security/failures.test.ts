/**
 * Threat: a part twofold needs fails — the SMTP server, the SMS provider, the database mid-request — and the
 * failure becomes a crash, a half-written second factor, or a user locked out of the factor they already have.
 * Each test breaks one part over HTTP and checks what the user sees: a clear error (503 and `Retry-After` when
 * the database is gone), nothing half-written, the old factor still working, and service once the part is back.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import { messageText } from '../../src/messages.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import type { User } from '../../src/user.js';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client, type Reply } from '../support/client.js';
import { describeEachDatabase } from '../support/databases.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';
import { totpSecretOf } from '../support/security.js';
import { twofoldExpress } from '../../src/express.js';

/** Longer than any send cooldown: each retry below comes this much later, so it never meets a throttle. */
const RETRY_LATER_IN_SECONDS = 60;
const FAILED_TO_SEND = messageText('FAILED_TO_SEND_CODE');
const UNAVAILABLE = messageText('SERVICE_UNAVAILABLE');

// A failure must end as a reply, never as an error or rejection nobody handles: either ends a Node process.
const unhandled: unknown[] = [];
const countUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', countUnhandled);
  process.on('uncaughtException', countUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', countUnhandled);
  process.off('uncaughtException', countUnhandled);
});
afterEach(() => expect(unhandled.splice(0)).toEqual([]));

const db = useDatastore();
let smtp: SmtpTestServer;
let twilio: TwilioTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
  twilio = await startTwilioServer();
});
afterAll(async () => {
  await smtp.close();
  await twilio.close();
});

let smtpIsDown = false;

/** The SMTP server goes away: connections to its port are refused. */
async function smtpDown(): Promise<void> {
  await smtp.close();
  smtpIsDown = true;
}

/** A new SMTP server on the old port: the mailer, which still points there, reaches it again. */
async function smtpBack(): Promise<void> {
  smtp = await startSmtpServer({ port: smtp.port });
  smtpIsDown = false;
}

/** The second-factor settings as stored, to compare before and after a failure. */
async function twoFactorOf(security: Security, user: User) {
  const stored = await security.findUserById(user.id);
  return { method: stored?.tfPrimaryMethod, secret: totpSecretOf(security, stored), phone: stored?.tfPhoneNumber };
}

async function startLogin(client: Client, email: string): Promise<Reply> {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

describe('the SMTP server is down', () => {
  function mailing(options: Record<string, unknown> = {}) {
    return makeApp(db.datastore, { smtpUrl: smtp.url, options });
  }
  afterEach(async () => {
    if (smtpIsDown) await smtpBack();
  });

  it('login by e-mail code: 500 FAILED_TO_SEND_CODE, no pending login, the factor unchanged; later the same login works', async () => {
    const { security, clock } = mailing();
    const email = 'mail-down-login@example.test';
    const user = await userWithPassword(security, email);
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    await smtpDown();

    const client = new Client(security);
    const login = await startLogin(client, email);
    expect(login.status).toBe(500);
    expect(login.json.errors).toEqual([FAILED_TO_SEND]);
    // No login is left waiting for a code nobody received.
    expect((await client.post('/tf-validate', { code: '123456' })).json.errors).toEqual([messageText('TWO_FACTOR_PERMISSION_DENIED')]);
    clock.advance(RETRY_LATER_IN_SECONDS);
    const browser = new Client(security, { json: false });
    const page = await startLogin(browser, email);
    expect(page.status).toBe(500);
    expect(page.text).toContain(FAILED_TO_SEND);
    expect(await twoFactorOf(security, user)).toEqual({ method: 'email', secret: null, phone: null });

    await smtpBack();
    clock.advance(RETRY_LATER_IN_SECONDS);
    expect((await startLogin(client, email)).json).toMatchObject({ tf_state: 'ready', tf_method: 'email' });
    const code = codeIn((await smtp.waitForMail((mail) => mail.to === email)).text);
    expect((await client.post('/tf-validate', { code })).json.user).toEqual({ email });
  });

  it('e-mail rescue at login: 500 FAILED_TO_SEND_CODE, and the authenticator still completes the login', async () => {
    const { security, clock } = mailing({ twoFactorRescueEmail: true });
    const email = 'mail-down-rescue@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = new Client(security);
    expect((await startLogin(client, email)).json).toMatchObject({ tf_state: 'ready', tf_method: 'authenticator' });
    await smtpDown();

    const rescue = await client.post('/tf-rescue', { help_setup: 'email' });
    expect(rescue.status).toBe(500);
    expect(rescue.json.field_errors).toEqual({ help_setup: [FAILED_TO_SEND] });
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email });
  });

  it('e-mail set-up while logged in: 500, the authenticator stays and works; later the set-up completes', async () => {
    const { security, clock } = mailing();
    const email = 'mail-down-setup@example.test';
    const { user, phone } = await userWithAuthenticator(security, email);
    const before = await twoFactorOf(security, user);
    const client = await loggedInClient(security, clock, email, { phone });
    await smtpDown();

    const started = await client.post('/tf-setup', { setup: 'email' });
    expect(started.status).toBe(500);
    expect(started.json.field_errors).toEqual({ setup: [FAILED_TO_SEND] });
    expect(started.json).not.toHaveProperty('tf_state_token');
    expect(await twoFactorOf(security, user)).toEqual(before);
    expect((await client.get('/tf-setup')).json).toMatchObject({ tf_method: 'authenticator' });
    clock.advance(30);
    await loggedInClient(security, clock, email, { phone }); // throws unless the authenticator logs in

    await smtpBack();
    clock.advance(RETRY_LATER_IN_SECONDS);
    const retried = await client.post('/tf-setup', { setup: 'email' });
    expect(retried.status).toBe(200);
    const code = codeIn((await smtp.waitForMail((mail) => mail.to === email)).text);
    expect((await client.post(`/tf-setup/${retried.json.tf_state_token as string}`, { code })).json).toMatchObject({ tf_method: 'email' });
  });

  it('a resend during set-up at login: 500, nothing set up; once SMTP is back a resend and its code complete the set-up', async () => {
    const { security, clock } = mailing({ twoFactorRequired: true });
    const email = 'mail-down-resend@example.test';
    const user = await userWithPassword(security, email);
    const client = new Client(security);
    expect((await startLogin(client, email)).json).toMatchObject({ tf_required: true });
    expect((await client.post('/tf-setup', { setup: 'email' })).status).toBe(200);
    await smtp.waitForMail((mail) => mail.to === email);
    await smtpDown();

    clock.advance(RETRY_LATER_IN_SECONDS);
    const resend = await client.post('/tf-setup', { setup: 'email' });
    expect(resend.status).toBe(500);
    expect(resend.json.field_errors).toEqual({ setup: [FAILED_TO_SEND] });
    expect(await twoFactorOf(security, user)).toEqual({ method: null, secret: null, phone: null });

    await smtpBack();
    clock.advance(RETRY_LATER_IN_SECONDS);
    expect((await client.post('/tf-setup', { setup: 'email' })).status).toBe(200);
    const code = codeIn((await smtp.waitForMail((mail) => mail.to === email)).text);
    expect((await client.post('/tf-validate', { code })).json.user).toEqual({ email });
    expect((await twoFactorOf(security, user)).method).toBe('email');
  });

  it('a resend that fails leaves the code already mailed usable', async () => {
    const { security, clock } = mailing({ twoFactorRequired: true });
    const email = 'mail-down-resend-old@example.test';
    await userWithPassword(security, email);
    const client = new Client(security);
    await startLogin(client, email);
    await client.post('/tf-setup', { setup: 'email' });
    const first = codeIn((await smtp.waitForMail((mail) => mail.to === email)).text);
    await smtpDown();
    clock.advance(RETRY_LATER_IN_SECONDS);
    expect((await client.post('/tf-setup', { setup: 'email' })).status).toBe(500);
    expect((await client.post('/tf-validate', { code: first })).status).toBe(200);
  });
});

describe.each([
  { name: 'answers 500', behaviour: { kind: 'error', status: 500 } as const, newPhone: '+44 20 8366 1170', e164: '+442083661170' },
  { name: 'never answers (0.5 s timeout)', behaviour: { kind: 'hang' } as const, newPhone: '+44 20 8366 1171', e164: '+442083661171' },
])('the SMS provider $name', ({ behaviour, newPhone, e164 }) => {
  function texting() {
    return makeApp(db.datastore, { smsSender: SmsSenderFactory.create('twilio', { ...twilio.config, timeoutInSeconds: 0.5 }) });
  }
  afterEach(() => twilio.respondWith({ kind: 'accept' }));

  it('SMS set-up while logged in: 500 within seconds, the number not saved, the authenticator works; later it completes', async () => {
    const { security, clock } = texting();
    const email = `sms-${behaviour.kind}-setup@example.test`;
    const { user, phone } = await userWithAuthenticator(security, email);
    const before = await twoFactorOf(security, user);
    const client = await loggedInClient(security, clock, email, { phone });
    twilio.respondWith(behaviour);

    const startedAt = performance.now();
    const started = await client.post('/tf-setup', { setup: 'sms', phone: newPhone });
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(started.status).toBe(500);
    expect(started.json.field_errors).toEqual({ setup: [FAILED_TO_SEND] });
    expect(await twoFactorOf(security, user)).toEqual(before);
    clock.advance(30);
    await loggedInClient(security, clock, email, { phone });

    twilio.respondWith({ kind: 'accept' });
    clock.advance(RETRY_LATER_IN_SECONDS);
    const retried = await client.post('/tf-setup', { setup: 'sms', phone: newPhone });
    expect(retried.status).toBe(200);
    const code = codeIn((await twilio.waitForSms((sms) => sms.to === e164)).body);
    expect((await client.post(`/tf-setup/${retried.json.tf_state_token as string}`, { code })).json).toMatchObject({ tf_method: 'sms', tf_phone: e164 });
  });

  it('login by SMS code: 500 FAILED_TO_SEND_CODE, the number kept; later the same login works', async () => {
    const { security, clock } = texting();
    const email = `sms-${behaviour.kind}-login@example.test`;
    const user = await userWithPassword(security, email);
    await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+16505551230', lastStep: null });
    twilio.respondWith(behaviour);

    const client = new Client(security);
    const login = await startLogin(client, email);
    expect(login.status).toBe(500);
    expect(login.json.errors).toEqual([FAILED_TO_SEND]);
    expect(await twoFactorOf(security, user)).toEqual({ method: 'sms', secret: null, phone: '+16505551230' });

    twilio.respondWith({ kind: 'accept' });
    clock.advance(RETRY_LATER_IN_SECONDS);
    expect((await startLogin(client, email)).json).toMatchObject({ tf_state: 'ready', tf_method: 'sms' });
    const code = codeIn((await twilio.waitForSms((sms) => sms.to === '+16505551230')).body);
    expect((await client.post('/tf-validate', { code })).json.user).toEqual({ email });
  });
});

describeEachDatabase(
  'the database becomes unreachable',
  (database) => {
    let proxy: TcpProxy;
    let proxied: KyselyDatastore;
    let server: Server | undefined;
    let errorLog: MockInstance<typeof console.error>;
    beforeAll(async () => {
      const direct = new URL(database.url);
      proxy = await startTcpProxy({ targetHost: direct.hostname, targetPort: Number(direct.port || (database.kind === 'postgres' ? 5432 : 3306)) });
      const url = new URL(database.url);
      url.host = `127.0.0.1:${proxy.port}`;
      proxied = await openDatastore(url.toString());
    });
    afterAll(async () => {
      // Its connections were cut on purpose: ending the pool may report one that died, which is no failure
      // here, and must not stop the harness from dropping the database afterwards.
      await Promise.allSettled([proxied.close()]);
      await proxy.close();
    });
    beforeEach(() => {
      // The default onError writes one line per failure to stderr; kept here to check what was reported.
      errorLog = vi.spyOn(console, 'error').mockImplementation(() => {});
    });
    afterEach(async () => {
      errorLog.mockRestore();
      await proxy.restore();
      await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
      server = undefined;
    });

    /**
     * Lets the pool see its idle connections end, as it would have long before the next request after a
     * real outage. A connection that ends while a request holds it is the mid-request case below.
     */
    function poolNoticed(): Promise<void> {
      return new Promise((resolve) => setTimeout(resolve, 50));
    }

    /** What the default onError reported: one kind per failed request. */
    function reportedKinds(): string[] {
      return errorLog.mock.calls.map((call) => /^twofold: request failed \(([a-z-]+)\)/.exec(String(call[0]))?.[1] ?? String(call[0]));
    }

    /** Every row of this user that a request could leave half-written, read on the harness's own connection, not through the proxy. */
    async function rowsOf(user: User) {
      const q = database.datastore.db;
      const row = await q
        .selectFrom('users')
        .select(['tf_primary_method', 'tf_totp_secret', 'tf_phone_number', 'tf_totp_last_step', 'fs_uniquifier'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      const count = async (table: 'trusted_devices' | 'one_time_codes' | 'recovery_codes') =>
        Number((await q.selectFrom(table).select((e) => e.fn.countAll().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow()).n);
      return { ...row, trustedDevices: await count('trusted_devices'), oneTimeCodes: await count('one_time_codes'), recoveryCodes: await count('recovery_codes') };
    }

    /**
     * The app once started: its start-up check of stored factors has run, so the pool holds the one connection
     * the test then cuts, not a second that was opened beside it and would be cut silently too.
     */
    async function startedApp(...args: Parameters<typeof makeApp>): Promise<ReturnType<typeof makeApp>> {
      const app = makeApp(...args);
      await app.security.storedFactorCheck;
      return app;
    }

    function expectUnavailable(reply: Reply): void {
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('5');
      expect(reply.code).toBe(503);
      expect(reply.json.errors).toEqual([UNAVAILABLE]);
    }

    /** An Express application with a route behind `tfRequired`; returns its base URL. */
    async function expressApp(security: Security): Promise<string> {
      const app = express();
      const tf = twofoldExpress(security);
      app.use(tf.middleware());
      app.get('/admin', tf.tfRequired(), (_req, res) => void res.send('admin'));
      const listening = app.listen(0, '127.0.0.1');
      server = listening;
      await new Promise<void>((resolve) => listening.once('listening', resolve));
      return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    }

    it('cut before the request: 503 with Retry-After on /login, /tf-validate, /tf-setup and an Express route; after it, the same instance serves again', async () => {
      const { security, clock } = await startedApp(proxied);
      const email = `db-cut-${database.kind}@example.test`;
      const { phone } = await userWithAuthenticator(security, email);
      const anonymous = new Client(security);
      await anonymous.get('/login');
      const pending = new Client(security);
      expect((await startLogin(pending, email)).json).toMatchObject({ tf_state: 'ready' });
      const loggedIn = await loggedInClient(security, clock, email, { phone });
      clock.advance(30); // each login uses the next TOTP step: a step works once
      const browser = await loggedInClient(security, clock, email, { phone, json: false });
      const base = await expressApp(security);
      const cookie = `twofold_session=${loggedIn.cookies.get('twofold_session') ?? ''}`;
      clock.advance(30);
      const code = phone.generatePassword(clock.nowInSeconds());
      await proxy.cut();
      await poolNoticed();

      expectUnavailable(await anonymous.post('/login', { email, password: PASSWORD }));
      expectUnavailable(await pending.post('/tf-validate', { code }));
      expectUnavailable(await loggedIn.get('/tf-setup'));
      const page = await browser.get('/tf-setup');
      expect({ status: page.status, retryAfter: page.headers.get('retry-after'), type: page.headers.get('content-type') }).toEqual({
        status: 503,
        retryAfter: '5',
        type: 'text/html; charset=utf-8',
      });
      expect(page.text).toContain(UNAVAILABLE);
      const guarded = await fetch(`${base}/admin`, { headers: { cookie, accept: 'application/json' } });
      expect({ status: guarded.status, retryAfter: guarded.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '5' });
      expect(await guarded.json()).toEqual({ meta: { code: 503 }, response: { errors: [UNAVAILABLE], field_errors: { '': [UNAVAILABLE] } } });
      expect(reportedKinds()).toEqual(Array(5).fill('store-unavailable'));

      await proxy.restore();
      expect((await pending.post('/tf-validate', { code })).json.user).toEqual({ email });
      expect((await loggedIn.get('/tf-setup')).json).toMatchObject({ tf_method: 'authenticator' });
      expect((await anonymous.post('/login', { email, password: PASSWORD })).json).toMatchObject({ tf_state: 'ready' });
      const admitted = await fetch(`${base}/admin`, { headers: { cookie } });
      expect({ status: admitted.status, body: await admitted.text() }).toEqual({ status: 200, body: 'admin' });
    });

    it('cut inside the transaction that confirms a new authenticator: 503, every row as before; restored, the change completes', async () => {
      const { security, clock } = await startedApp(proxied, { options: { twoFactorAlwaysValidate: false } });
      const email = `db-cut-confirm-${database.kind}@example.test`;
      const { user, phone } = await userWithAuthenticator(security, email);
      const client = await loggedInClient(security, clock, email, { phone, remember: true });
      const started = await client.post('/tf-setup', { setup: 'authenticator' });
      const token = started.json.tf_state_token as string;
      const newPhone = new Totp(started.json.tf_authr_b32key as string);
      const before = await rowsOf(user);
      expect(before).toMatchObject({ tf_primary_method: 'authenticator', trustedDevices: 1 });

      // The UPDATE of the user's row has run inside the transaction; the cut comes before the DELETE and COMMIT.
      const cutting = proxy.cutWhen((chunk) => /delete from ["`]twofold_trusted_devices["`]/.test(chunk.toString('latin1')));
      clock.advance(30);
      expectUnavailable(await client.post(`/tf-setup/${token}`, { code: newPhone.generatePassword(clock.nowInSeconds()) }));
      await cutting;
      await proxy.restore();
      expect(await rowsOf(user)).toEqual(before);
      expect(reportedKinds()).toEqual(['store-unavailable']);

      // The change is still pending in the session: a new code for the new key completes it, all at once.
      clock.advance(30);
      expect((await client.post(`/tf-setup/${token}`, { code: newPhone.generatePassword(clock.nowInSeconds()) })).json).toMatchObject({ tf_method: 'authenticator' });
      const after = await rowsOf(user);
      expect(after.tf_totp_secret).not.toBe(before.tf_totp_secret);
      expect(after.trustedDevices).toBe(0);
      expect(totpSecretOf(security, await security.findUserById(user.id))).toBe(newPhone.secrets);
    });

    it('cut after the code is checked, before the session is written: 503, no login; restored, the authenticator logs in', async () => {
      const { security, clock } = await startedApp(proxied);
      const email = `db-cut-session-${database.kind}@example.test`;
      const { user, phone } = await userWithAuthenticator(security, email);
      const client = new Client(security);
      expect((await startLogin(client, email)).json).toMatchObject({ tf_state: 'ready' });
      const before = await rowsOf(user);

      const cutting = proxy.cutWhen((chunk) => /insert into ["`]twofold_sessions["`]/.test(chunk.toString('latin1')));
      expectUnavailable(await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) }));
      await cutting;
      await proxy.restore();
      const session = `twofold_session=${client.cookies.get('twofold_session') ?? ''}`;
      expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: session } }))).toBeNull();
      // The code was used (TOTP-11: a code counts once, whatever became of the request); nothing else changed.
      const after = await rowsOf(user);
      expect({ ...after, tf_totp_last_step: null }).toEqual({ ...before, tf_totp_last_step: null });

      clock.advance(30);
      await loggedInClient(security, clock, email, { phone });
      expect(reportedKinds()).toEqual(['store-unavailable']);
    });

    // PostgreSQL only: pg has a pool-wide query timeout (10 s in connect.ts); mysql2 has none, so on MariaDB a
    // request waits until TCP gives up.
    it.skipIf(database.kind !== 'postgres')('a database that stops answering (a partition): 503 within seconds, not a request that never ends', async () => {
      const { security } = await startedApp(proxied);
      const client = new Client(security);
      await client.get('/login');
      proxy.stall();
      const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000).unref());
      const reply = await Promise.race([client.post('/login', { email: 'nobody@example.test', password: PASSWORD }), timeout]);
      expect(reply === 'hung' ? 'hung' : reply.status).toBe(503);
    });
  },
  { kinds: ['postgres', 'mariadb'] },
);
