/** Guards the request layer of docs/flask-security-reference.md §2 and docs/design.md §3: CSRF, methods, bodies, cache and CSP headers, and that no mailed or texted code ever comes back in a reply. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

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

const POST_ENDPOINTS = ['/login', '/logout', '/verify', '/tf-setup', '/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAA', '/tf-validate', '/tf-rescue', '/tf-select', '/mf-recovery-codes', '/mf-recovery'];
const GET_POST_ENDPOINTS = POST_ENDPOINTS.filter((path) => !path.startsWith('/tf-setup/'));

function headerBlock(entry: string): string {
  return entry.split('\n\n')[0] ?? '';
}

/** Every reply a client saw carried `cache-control: no-store`, and every HTML page the CSP. */
function expectSafeHeaders(client: Client): void {
  expect(client.transcript.length).toBeGreaterThan(0);
  for (const entry of client.transcript) {
    const head = headerBlock(entry);
    expect(head, head).toContain('cache-control: no-store');
    if (head.includes('content-type: text/html')) expect(head, head).toMatch(/content-security-policy: default-src 'none';[^\n]*frame-ancestors 'none'/);
  }
}

async function passwordStep(client: Client, email: string, extra: Record<string, unknown> = {}) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD, ...extra });
}

describe('CSRF', () => {
  it('every POST endpoint refuses a missing or wrong token with 403, for a logged-in and for a pending session', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'csrf@example.test');
    const loggedIn = await loggedInClient(security, clock, 'csrf@example.test', { phone });
    const pending = new Client(security);
    await passwordStep(pending, 'csrf@example.test');
    for (const client of [loggedIn, pending]) {
      for (const path of POST_ENDPOINTS) {
        for (const csrf of [false, 'x'.repeat(32), `${client.csrf as string}x`] as const) {
          const reply = await client.post(path, { code: '123456', setup: 'disable', password: PASSWORD }, { csrf });
          expect(reply.status, `${path} csrf=${String(csrf)}`).toBe(403);
          expect(reply.json.errors).toEqual([csrf === false ? 'The CSRF token is missing.' : 'The CSRF token is invalid.']);
        }
      }
    }
    // Nothing happened: still logged in with the factor in place.
    expect((await security.findUserByEmail('csrf@example.test'))?.tfPrimaryMethod).toBe('authenticator');
    expect((await loggedIn.get('/tf-setup')).status).toBe(200);
  });

  it('HTML forms without csrf_token get 403 as a page; a token from another session does not count', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'csrf-html@example.test');
    const mine = new Client(security, { json: false });
    const theirs = new Client(security, { json: false });
    await mine.get('/login');
    await theirs.get('/login');
    const missing = await mine.post('/login', { email: 'csrf-html@example.test', password: PASSWORD }, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.headers.get('content-type')).toContain('text/html');
    const foreign = await mine.post('/login', { email: 'csrf-html@example.test', password: PASSWORD }, { csrf: theirs.csrf as string });
    expect(foreign.status).toBe(403);
    // A session never stored has no token anyone could know.
    const fresh = new Client(security, { json: false });
    expect((await fresh.post('/login', { email: 'csrf-html@example.test', password: PASSWORD }, { csrf: 'A'.repeat(32) })).status).toBe(403);
    expect((await mine.post('/login', { email: 'csrf-html@example.test', password: PASSWORD })).status).toBe(302);
  });

  it('an Authentication-Token request needs no CSRF token, a cookie session does', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'csrf-token@example.test');
    const client = new Client(security);
    await passwordStep(client, 'csrf-token@example.test');
    const done = await client.post('/tf-validate?include_auth_token', { code: phone.generatePassword(clock.nowInSeconds()) });
    const token = (done.json.user as { authentication_token: string }).authentication_token;
    const api = new Client(security, { headers: { 'authentication-token': token } });
    const codes = await api.post('/mf-recovery-codes', {}, { csrf: false });
    expect(codes.status).toBe(200);
    expect(codes.json.recovery_codes).toHaveLength(10);
  });
});

describe('methods and bodies', () => {
  it('an unsupported method is 405 with Allow; HEAD is answered like GET without a body', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security);
    for (const path of GET_POST_ENDPOINTS) {
      for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const reply = await client.request(path, { method });
        expect(reply.status, `${method} ${path}`).toBe(405);
        expect(reply.headers.get('allow'), `${method} ${path}`).toBe('GET, POST');
      }
    }
    const token = await client.get('/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(token.status).toBe(405);
    expect(token.headers.get('allow')).toBe('POST');
    const head = await client.request('/login', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('content-type')).toContain('application/json');
  });

  it('415 for another content type, 400 for JSON that is not an object, 413 past 64 KiB', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security);
    await client.get('/login');
    const post = (body: string | ReadableStream<Uint8Array>, type: string | null, extra: Record<string, string> = {}) =>
      security.handle(
        new Request('http://localhost/login', {
          method: 'POST',
          headers: { accept: 'application/json', cookie: `twofold_session=${client.cookies.get('twofold_session')}`, 'x-csrf-token': client.csrf as string, ...(type === null ? {} : { 'content-type': type }), ...extra },
          body,
          duplex: 'half',
        } as RequestInit),
      );
    const unsupported = await post('email=a', 'text/plain');
    expect(unsupported?.status).toBe(415);
    expect(unsupported?.headers.get('cache-control')).toBe('no-store');
    expect((await post('<x/>', 'application/xml'))?.status).toBe(415);
    for (const bad of ['{', '[1,2]', '"text"', 'null', '{"email": }']) {
      const reply = await post(bad, 'application/json');
      expect(reply?.status, bad).toBe(400);
      expect(((await reply?.json()) as { response: { errors: string[] } }).response.errors).toEqual(['Input not appropriate for requested API']);
    }
    const big = JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(70 * 1024) });
    expect((await post(big, 'application/json'))?.status).toBe(413);
    // The same without a Content-Length: a stream is cut off at the limit too.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 80; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    expect((await post(stream, 'application/x-www-form-urlencoded'))?.status).toBe(413);
    // Just under the limit is read and judged on its content.
    const fits = await post(`email=a%40example.test&password=${'x'.repeat(60 * 1024)}`, 'application/x-www-form-urlencoded');
    expect(fits?.status).toBe(400);
  });
});

describe('headers and secrets', () => {
  it('e-mail and SMS flows: no reply, header or Location carries a sent code; every reply is no-store, every page has the CSP', async () => {
    const { security, clock } = makeApp(db.datastore, {
      smtpUrl: smtp.url,
      smsSender: SmsSenderFactory.create('twilio', twilio.config),
      options: { twoFactorRequired: true, twoFactorRescueEmail: true, twoFactorAlwaysValidate: false },
    });
    const sent: string[] = [];
    const clients: Client[] = [];
    for (const json of [true, false]) {
      const email = `leak-${json ? 'json' : 'html'}@example.test`;
      await userWithPassword(security, email);
      const client = new Client(security, { json });
      clients.push(client);
      // Set-up by e-mail during login, with a wrong code first.
      const login = await passwordStep(client, email, { remember: json ? true : 'y', next: '/n' });
      if (!json) await client.follow(login);
      await client.post('/tf-setup', { setup: 'email' });
      const setupCode = codeIn((await smtp.waitForMail((m) => m.to === email && m.subject === security.config.emailSubjectTwoFactor)).text);
      sent.push(setupCode);
      await client.post('/tf-validate', { code: wrongCode(setupCode) });
      expect((await client.post('/tf-validate', { code: setupCode })).status).toBe(json ? 200 : 302);
      // Change to SMS while logged in, through the token URL.
      const page = await client.get('/tf-setup');
      expect(page.status).toBe(200);
      // Each send below waits out the per-account cooldown between codes (RL-08).
      clock.advance(security.config.twoFactorSendCooldown);
      const started = await client.post('/tf-setup', { setup: 'sms', phone: '+1 650 555 0100' });
      const smsCode = codeIn((await twilio.waitForSms()).body);
      sent.push(smsCode);
      const action = json ? `/tf-setup/${started.json.tf_state_token as string}` : (/action="(\/tf-setup\/[^"]+)"/.exec(started.text)?.[1] as string);
      expect((await client.post(action, { code: smsCode })).status).toBe(json ? 200 : 302);
      await client.post('/logout', {});
      // A login by SMS, an e-mail rescue, and the rescued code; the trusted-device cookie is dropped first.
      client.cookies.delete('tf_validity');
      clock.advance(security.config.twoFactorSendCooldown);
      const again = await passwordStep(client, email);
      if (!json) await client.follow(again);
      sent.push(codeIn((await twilio.waitForSms()).body));
      await client.get('/tf-rescue');
      clock.advance(security.config.twoFactorSendCooldown);
      await client.post('/tf-rescue', { help_setup: 'email' });
      const rescueCode = codeIn((await smtp.waitForMail((m) => m.to === email && m.subject === security.config.emailSubjectTwoFactor)).text);
      sent.push(rescueCode);
      expect((await client.post('/tf-validate?include_auth_token', { code: rescueCode })).status).toBe(json ? 200 : 302);
      clock.advance(30);
    }
    expect(new Set(sent).size).toBeGreaterThan(4);
    for (const client of clients) {
      expectSafeHeaders(client);
      const all = client.transcript.join('\n');
      for (const code of sent) expect(all).not.toMatch(new RegExp(`(?<![A-Za-z0-9_-])${code}(?![A-Za-z0-9_-])`));
    }
  });

  it('error replies, redirects and the illegal-state reply are no-store too', async () => {
    const { security } = makeApp(db.datastore);
    for (const json of [true, false]) {
      const client = new Client(security, { json });
      await client.get('/login');
      await client.post('/login', { email: 'nobody@example.test', password: 'x' });
      await client.post('/login', {}, { csrf: false });
      await client.get('/tf-validate');
      await client.request('/tf-validate', { method: 'PUT' });
      await client.get('/mf-recovery-codes');
      await client.get('/verify');
      await client.get('/logout');
      expectSafeHeaders(client);
    }
  });

  it('an e-mailed code stops working after twoFactorMaxCodeAttempts wrong tries', async () => {
    const { security } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const user = await userWithPassword(security, 'capped@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const client = new Client(security);
    await passwordStep(client, 'capped@example.test');
    const code = codeIn((await smtp.waitForMail((m) => m.to === 'capped@example.test')).text);
    for (let i = 0; i < 5; i += 1) expect((await client.post('/tf-validate', { code: wrongCode(code) })).status).toBe(400);
    expect((await client.post('/tf-validate', { code })).status).toBe(400);
  });
});

describe('delivery failures', () => {
  const FAILED = 'Failed to send code. Please try again later';

  it('a login whose code cannot be mailed: JSON 500, HTML the login page again with the error; no half-login is left', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const user = await userWithPassword(security, 'unsent@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    smtp.refuseNextMails(2);
    const client = new Client(security);
    const reply = await passwordStep(client, 'unsent@example.test');
    expect(reply.status).toBe(500);
    expect(reply.json.errors).toEqual([FAILED]);
    expect((await client.get('/tf-validate')).status).toBe(400);
    // A failed send counts against the send limits too; the second try waits out the cooldown.
    clock.advance(security.config.twoFactorSendCooldown);
    const browser = new Client(security, { json: false });
    const page = await passwordStep(browser, 'unsent@example.test');
    expect(page.status).toBe(500);
    expect(page.text).toContain(FAILED);
    expect((await browser.get('/tf-validate')).status).toBe(302);
  });

  it('a set-up whose SMS cannot be sent: JSON 500 with the setup error, HTML re-renders the page with it', async () => {
    const { security, clock } = makeApp(db.datastore, { smsSender: SmsSenderFactory.create('twilio', twilio.config), options: { twoFactorRequired: true } });
    await userWithPassword(security, 'unsent-sms@example.test');
    twilio.respondWith({ kind: 'error', status: 400, code: 21211, message: 'invalid To' });
    try {
      const client = new Client(security);
      await passwordStep(client, 'unsent-sms@example.test');
      const reply = await client.post('/tf-setup', { setup: 'sms', phone: '+16505550111' });
      expect(reply.status).toBe(500);
      expect(reply.json.field_errors).toEqual({ setup: [FAILED] });
      clock.advance(security.config.twoFactorSendCooldown);
      const browser = new Client(security, { json: false });
      await browser.follow(await passwordStep(browser, 'unsent-sms@example.test'));
      const page = await browser.post('/tf-setup', { setup: 'sms', phone: '+16505550111' });
      expect(page.status).toBe(200);
      expect(page.text).toContain(FAILED);
      expect((await security.findUserByEmail('unsent-sms@example.test'))?.tfPhoneNumber).toBeNull();
    } finally {
      twilio.respondWith({ kind: 'accept' });
    }
  });

  it('a rescue mail that cannot be sent: JSON 500 with the help_setup error', async () => {
    const { security } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorRescueEmail: true } });
    await userWithAuthenticator(security, 'unsent-rescue@example.test');
    const client = new Client(security);
    await passwordStep(client, 'unsent-rescue@example.test');
    for (const choice of ['email', 'help']) {
      smtp.refuseNextMails(1);
      const reply = await client.post('/tf-rescue', { help_setup: choice });
      expect(reply.status, choice).toBe(500);
      expect(reply.json.field_errors, choice).toEqual({ help_setup: [FAILED] });
    }
  });
});
