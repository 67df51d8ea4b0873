/**
 * Threat: an attacker who knows the password probes the second factor and learns from the reply why a code
 * failed — "expired" says the code was right and worth racing, "already used" says someone just logged in
 * with it — or moves the clock the server checks codes against by sending a time of their own. Every failed
 * code must get one generic reply, and only the server's clock may decide (checklist ENUM-02, TOTP-08).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import { totpSecretContext } from '../../src/users.js';
import { codeIn, makeApp, PASSWORD, useDatastore, userWithPassword, wrongCode } from '../support/app.js';
import { Client, type Reply } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

/** Seconds back the client claims it is (checklist TOTP-08: a code for t − 300 s with a time set to t − 300 s). */
const SKEW_IN_SECONDS = 300;

/** A user with an authenticator whose code for `now − skew` is none of the codes the server accepts at `now`. */
async function userWithAuthenticatorAt(security: Security, email: string, nowInSeconds: number): Promise<Totp> {
  const user = await userWithPassword(security, email);
  let phone = new Totp();
  const accepted = (candidate: Totp) => [-30, 0, 30].map((offset) => candidate.generatePassword(nowInSeconds + offset));
  while (accepted(phone).includes(phone.generatePassword(nowInSeconds - SKEW_IN_SECONDS))) phone = new Totp();
  const secret = security.keyring.encrypt(phone.secrets, totpSecretContext(user.id));
  await security.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: secret, phoneNumber: null, lastStep: null });
  return phone;
}

async function userWithEmailFactor(security: Security, email: string): Promise<void> {
  const user = await userWithPassword(security, email);
  await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
}

/** A new client past the password step; a browser has loaded the code page, as it would after the redirect. */
async function pendingLogin(security: Security, email: string, json = true): Promise<Client> {
  const client = new Client(security, { json });
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD });
  if (json) expect(login.json, email).toMatchObject({ tf_required: true, tf_state: 'ready' });
  else expect((await client.follow(login)).status, email).toBe(200);
  return client;
}

/** The code mailed to `email` since the last call (each mail is handed out once). */
async function mailedCode(security: Security, email: string): Promise<string> {
  return codeIn((await smtp.waitForMail((mail) => mail.to === email && mail.subject === security.config.emailSubjectTwoFactor)).text);
}

/** What a JSON client can tell two failures apart by: status, body (the per-session CSRF token left out), headers. */
function jsonFailure(reply: Reply) {
  const { csrf_token: _csrf, ...body } = reply.json;
  return { status: reply.status, body, headers: [...reply.headers].filter(([name]) => name !== 'set-cookie') };
}

/** The page a browser shows, the per-session CSRF token masked. */
function htmlFailure(reply: Reply) {
  return { status: reply.status, location: reply.location, page: reply.text.replace(/(name="csrf_token" value=")[^"]*/g, '$1<csrf>') };
}

/** The error lines on a page: form-level alerts and the list under each field. */
function errorTexts(html: string): string[] {
  return [...html.matchAll(/<ul class="tf-field-errors"[^>]*>([\s\S]*?)<\/ul>/g)].flatMap((list) => [...(list[1] ?? '').matchAll(/<li>([^<]*)<\/li>/g)].map((item) => item[1] ?? ''));
}

/** One app, one authenticator user and one e-mail user; the send cooldown is waited out before each mail. */
async function failureApp(suffix: string) {
  const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorMaxSendsPerAccount: 100, twoFactorMaxSendsPerDestination: 100 } });
  const totpEmail = `enum02-totp-${suffix}@example.test`;
  const mailEmail = `enum02-mail-${suffix}@example.test`;
  const phone = await userWithAuthenticatorAt(security, totpEmail, clock.nowInSeconds());
  await userWithEmailFactor(security, mailEmail);
  const waitOutCooldown = () => clock.advance(security.config.twoFactorSendCooldown);
  return { security, clock, phone, totpEmail, mailEmail, waitOutCooldown };
}

/**
 * The four failures of ENUM-02, each in a login of its own so no per-challenge cap is reached: a wrong
 * authenticator code, a replayed one (right, but its step was used by another login a moment ago), a wrong
 * mailed code, and a right mailed code past `twoFactorMailValidity`.
 */
async function fourFailures(app: Awaited<ReturnType<typeof failureApp>>, json: boolean): Promise<Record<'wrong' | 'replayed' | 'wrongMailed' | 'expiredMailed', Reply>> {
  const { security, clock, phone, totpEmail, mailEmail, waitOutCooldown } = app;
  const wrong = await (await pendingLogin(security, totpEmail, json)).post('/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) });

  clock.advance(30);
  const used = phone.generatePassword(clock.nowInSeconds());
  const replays: string[] = [];
  const stop = security.events.on('tfCodeReplayed', (event) => void replays.push(event.user.email));
  const first = await pendingLogin(security, totpEmail, json);
  expect((await first.post('/tf-validate', { code: used })).status, 'the first use logs in').toBe(json ? 200 : 302);
  const replayed = await (await pendingLogin(security, totpEmail, json)).post('/tf-validate', { code: used });
  stop();
  // The server knew it was a replay (it says so to the application), yet the client is not told.
  expect(replays).toEqual([totpEmail]);

  waitOutCooldown();
  const mailWrong = await pendingLogin(security, mailEmail, json);
  const wrongMailed = await mailWrong.post('/tf-validate', { code: wrongCode(await mailedCode(security, mailEmail)) });

  waitOutCooldown();
  const mailLate = await pendingLogin(security, mailEmail, json);
  const late = await mailedCode(security, mailEmail);
  clock.advance(security.config.twoFactorMailValidity + 1);
  const expiredMailed = await mailLate.post('/tf-validate', { code: late });
  return { wrong, replayed, wrongMailed, expiredMailed };
}

describe('one reply for every failed code (ENUM-02)', () => {
  it('ENUM-02 JSON: a wrong, a replayed, a wrong mailed and an expired mailed code get the same status, body and headers', async () => {
    const app = await failureApp('json');
    const replies = await fourFailures(app, true);
    expect(jsonFailure(replies.wrong)).toMatchObject({ status: 400, body: { errors: ['Invalid code'], field_errors: { code: ['Invalid code'] } } });
    expect(jsonFailure(replies.replayed)).toEqual(jsonFailure(replies.wrong));
    expect(jsonFailure(replies.wrongMailed)).toEqual(jsonFailure(replies.wrong));
    expect(jsonFailure(replies.expiredMailed)).toEqual(jsonFailure(replies.wrong));
    // None of the four logged anyone in.
    for (const reply of Object.values(replies)) expect(reply.json).not.toHaveProperty('user');
  });

  it('ENUM-02 HTML: the same four failures re-render the code page with the same error, and per method the very same page', async () => {
    const app = await failureApp('html');
    const replies = await fourFailures(app, false);
    for (const [name, reply] of Object.entries(replies)) {
      expect(reply.status, name).toBe(200);
      expect(errorTexts(reply.text), name).toEqual(['Invalid code']);
    }
    // Within one method the pages differ in nothing but the CSRF token: no "expired", no "already used".
    expect(htmlFailure(replies.replayed)).toEqual(htmlFailure(replies.wrong));
    expect(htmlFailure(replies.expiredMailed)).toEqual(htmlFailure(replies.wrongMailed));
    for (const reply of Object.values(replies)) expect(reply.text).not.toMatch(/expired|already|replay|used/i);
  });
});

describe('only the server clock counts (TOTP-08)', () => {
  /** Every way a client could claim that it is `claimedInSeconds`. */
  function claimedTime(claimedInSeconds: number) {
    const httpDate = new Date(claimedInSeconds * 1000).toUTCString();
    return {
      query: `?timestamp=${claimedInSeconds}&time=${claimedInSeconds}`,
      body: { timestamp: claimedInSeconds, time: claimedInSeconds, timestamp_ms: claimedInSeconds * 1000, now: new Date(claimedInSeconds * 1000).toISOString() },
      headers: { date: httpDate, 'x-timestamp': String(claimedInSeconds), 'x-time': String(claimedInSeconds) },
    };
  }

  it('TOTP-08 JSON: the code for t−300 s is refused however the client says it is t−300 s; the code for t is accepted whatever it says', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'totp08-json@example.test';
    const phone = await userWithAuthenticatorAt(security, email, clock.nowInSeconds());
    const now = clock.nowInSeconds();
    const stale = phone.generatePassword(now - SKEW_IN_SECONDS);
    const past = claimedTime(Math.floor(now) - SKEW_IN_SECONDS);
    const attempts: [string, string, Record<string, unknown>, Record<string, string>][] = [
      ['a timestamp field in the body', '/tf-validate', { timestamp: past.body.timestamp }, {}],
      ['a timestamp query parameter', `/tf-validate?timestamp=${past.body.timestamp}`, {}, {}],
      ['a time query parameter', `/tf-validate?time=${past.body.timestamp}`, {}, {}],
      ['a Date header', '/tf-validate', {}, { date: past.headers.date }],
      ['an X-Timestamp header', '/tf-validate', {}, { 'x-timestamp': past.headers['x-timestamp'] }],
      ['all of them at once', `/tf-validate${past.query}`, past.body, past.headers],
    ];
    for (const [label, path, extra, headers] of attempts) {
      const client = await pendingLogin(security, email);
      const reply = await client.post(path, { code: stale, ...extra }, { headers });
      expect(reply.status, label).toBe(400);
      expect(reply.json, label).toMatchObject({ field_errors: { code: ['Invalid code'] } });
      expect(reply.json, label).not.toHaveProperty('user');
      expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${client.cookies.get('twofold_session') ?? ''}` } })), label).toBeNull();
    }
    // The right code for the server's time passes, even with a client time 300 s off either way.
    const client = await pendingLogin(security, email);
    const future = claimedTime(Math.floor(now) + SKEW_IN_SECONDS);
    const done = await client.post(`/tf-validate${past.query}`, { code: phone.generatePassword(now), ...future.body }, { headers: past.headers });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email });
  });

  it('TOTP-08 HTML and set-up: a form field or header with t−300 s does not confirm a new authenticator with the code for t−300 s', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const email = 'totp08-setup@example.test';
    await userWithPassword(security, email);
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    await browser.follow(await browser.post('/login', { email, password: PASSWORD }));
    const page = await browser.post('/tf-setup', { setup: 'authenticator' });
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(page.text)?.[1] ?? '').replace(/ /g, '');
    const phone = new Totp(key);
    const now = clock.nowInSeconds();
    const stale = phone.generatePassword(now - SKEW_IN_SECONDS);
    const fresh = [-30, 0, 30].map((offset) => phone.generatePassword(now + offset));
    // The key is the server's, drawn at random: its old code is valid now about once in 300,000 runs.
    expect(fresh).not.toContain(stale);
    const past = claimedTime(Math.floor(now) - SKEW_IN_SECONDS);
    const refused = await browser.post(`/tf-validate${past.query}`, { code: stale, timestamp: past.body.timestamp }, { headers: past.headers });
    expect(refused.status).toBe(200);
    expect(errorTexts(refused.text)).toEqual(['Invalid code']);
    expect((await security.findUserByEmail(email))?.tfPrimaryMethod).toBeNull();
    const done = await browser.post(`/tf-validate${past.query}`, { code: phone.generatePassword(now), timestamp: past.body.timestamp }, { headers: past.headers });
    expect(done.status).toBe(302);
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(key);
  });
});
