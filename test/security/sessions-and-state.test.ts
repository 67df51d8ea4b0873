/**
 * Threat: the state between the password and the second factor, or a session after it, outlives what it
 * should or leaks what it holds — a password kept in the session store (django-two-factor-auth
 * CVE-2020-15105), a session that never ends, a half-finished login revived after its time or after the factor
 * it waits for was removed, a change token posted from someone else's session, or old codes and a remembered
 * device coming back with a new factor (checklist FLOW-02, FLOW-07, FLOW-09, MGT-02, MGT-07, REC-07).
 */
import { describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/delivery/mail.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import type { User } from '../../src/user.js';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
const DENIED = 'You currently do not have permissions to access this page';
const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** What `authenticate()` — the check every protected route of the application makes — says of a session cookie. */
function authenticateCookie(security: Security, cookie: string | undefined) {
  return security.authenticate(new Request('http://localhost/app', { headers: { cookie: `twofold_session=${cookie ?? ''}` } }));
}

async function passwordStep(client: Client, email: string, extra: Record<string, unknown> = {}) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD, ...extra });
}

/** The ways a password could sit in stored text: plain, URL/form-encoded, hex, and base64 at any byte offset. */
function passwordForms(password: string): string[] {
  const forms = [password, encodeURIComponent(password), new URLSearchParams({ p: password }).toString().slice(2), Buffer.from(password).toString('hex')];
  for (const alphabet of ['base64', 'base64url'] as const) {
    // Inside a longer encoded blob the password's characters depend on its offset modulo 3, so take the core
    // of each alignment: drop the characters that mix in the bytes before it and the partial group after it.
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.from('\0'.repeat(offset) + password).toString(alphabet).replace(/=+$/, '');
      forms.push(encoded.slice(Math.ceil((offset * 8) / 6), -2));
    }
  }
  return forms;
}

/** Every row of every twofold table, as text. */
async function everyRow(): Promise<Record<string, string>> {
  const tables = ['sessions', 'users', 'one_time_codes', 'recovery_codes', 'trusted_devices', 'rate_limits'] as const;
  const dump: Record<string, string> = {};
  for (const table of tables) dump[table] = JSON.stringify(await db.datastore.db.selectFrom(table).selectAll().execute());
  return dump;
}

describe('the pending state holds no password (FLOW-02)', () => {
  it('FLOW-02: after the password step — JSON, form, set-up from login, remember, /verify — no stored row holds the password in any encoding', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: (user: User) => user.email.startsWith('flow02-setup') } });
    const { phone } = await userWithAuthenticator(security, 'flow02-json@example.test');
    await userWithAuthenticator(security, 'flow02-form@example.test');
    await userWithPassword(security, 'flow02-setup@example.test');
    const { phone: verifyPhone } = await userWithAuthenticator(security, 'flow02-verify@example.test');

    const json = new Client(security);
    expect((await passwordStep(json, 'flow02-json@example.test', { remember: true, next: '/after' })).json).toMatchObject({ tf_state: 'ready' });
    const form = new Client(security, { json: false });
    expect((await passwordStep(form, 'flow02-form@example.test', { remember: 'y', next: '/after' })).location).toBe('/tf-validate?next=%2Fafter');
    const setup = new Client(security);
    expect((await passwordStep(setup, 'flow02-setup@example.test')).json).toMatchObject({ tf_state: 'setup_from_login' });
    expect((await setup.post('/tf-setup', { setup: 'authenticator' })).json).toMatchObject({ tf_state: 'validating_profile' });
    clock.advance(30);
    const verifying = await loggedInClient(security, clock, 'flow02-verify@example.test', { phone: verifyPhone });
    expect((await verifying.post('/verify', { password: PASSWORD })).json).toMatchObject({ tf_required: true, tf_state: 'ready' });

    const dump = await everyRow();
    const sessions = JSON.parse(dump.sessions ?? '[]') as { user_id: string | null; data: string }[];
    // The rows read are the ones these logins made: each pending login is there, by user id only.
    const pendingUsers = sessions.flatMap((row) => {
      const { tf } = JSON.parse(row.data) as { tf: { kind: string; login?: { userId: string } } };
      return tf.kind === 'login' && tf.login !== undefined ? [tf.login.userId] : [];
    });
    for (const email of ['flow02-json@example.test', 'flow02-form@example.test', 'flow02-setup@example.test']) {
      expect(pendingUsers).toContain((await security.findUserByEmail(email))?.id);
    }
    expect(sessions.some((row) => row.data.includes('"reauth":{'))).toBe(true);
    for (const [table, text] of Object.entries(dump)) {
      for (const secret of passwordForms(PASSWORD)) expect(text.toLowerCase(), `${table} holds ${secret}`).not.toContain(secret.toLowerCase());
    }
    // And the pending logins still complete: the password is not needed again, because it was checked once.
    expect((await json.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
  });
});

describe('session timeouts over HTTP (FLOW-09)', () => {
  it('FLOW-09: a session unused for sessionIdleTimeout is refused; at exactly the limit it still works', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'flow09-idle@example.test');
    const client = await loggedInClient(security, clock, 'flow09-idle@example.test', { phone });
    const cookie = client.cookies.get('twofold_session');
    expect(security.config.sessionIdleTimeout).toBe(HOUR);
    clock.advance(HOUR);
    expect(await authenticateCookie(security, cookie)).toMatchObject({ user: { email: 'flow09-idle@example.test' } });
    // Past freshness (10 minutes) but logged in: /login answers with the user.
    expect((await client.get('/login')).json.user).toEqual({ email: 'flow09-idle@example.test' });
    clock.advance(HOUR + 1);
    expect(await authenticateCookie(security, cookie)).toBeNull();
    const refused = await client.get('/mf-recovery-codes');
    expect(refused.status).toBe(401);
    expect(refused.json.errors).toEqual(['You must sign in to view this resource.']);
    // /tf-setup without a login is a step out of order: the reference's illegal-state reply.
    expect((await client.get('/tf-setup')).json.errors).toEqual([DENIED]);
    expect(await authenticateCookie(security, cookie)).toBeNull();
  });

  it('FLOW-09: a session used every 30 minutes is refused once sessionLifetime has passed since the login; so is its API token', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'flow09-life@example.test');
    const client = new Client(security);
    await passwordStep(client, 'flow09-life@example.test');
    const done = await client.post('/tf-validate?include_auth_token', { code: phone.generatePassword(clock.nowInSeconds()) });
    const token = (done.json.user as { authentication_token: string }).authentication_token;
    const cookie = client.cookies.get('twofold_session');
    const byToken = () => security.authenticate(new Request('http://localhost/app', { headers: { 'authentication-token': token } }));
    expect(security.config.sessionLifetime).toBe(24 * HOUR);
    let elapsed = 0;
    while (elapsed + 30 * MINUTE < security.config.sessionLifetime) {
      clock.advance(30 * MINUTE);
      elapsed += 30 * MINUTE;
      expect(await authenticateCookie(security, cookie), `after ${elapsed} s`).not.toBeNull();
      expect(await byToken(), `token after ${elapsed} s`).not.toBeNull();
    }
    clock.advance(security.config.sessionLifetime - 1 - elapsed);
    expect((await client.get('/login')).json.user, 'one second before the end').toEqual({ email: 'flow09-life@example.test' });
    expect(await byToken()).not.toBeNull();
    clock.advance(1);
    expect(await authenticateCookie(security, cookie)).toBeNull();
    expect(await byToken()).toBeNull();
    expect((await client.get('/mf-recovery-codes')).status).toBe(401);
  });

  it('FLOW-09: re-authentication (/verify, then the code) gives a new session whose idle and absolute clocks start over', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'flow09-reauth@example.test');
    const client = await loggedInClient(security, clock, 'flow09-reauth@example.test', { phone });
    const first = client.cookies.get('twofold_session');
    for (let hours = 0; hours < 23; hours++) {
      clock.advance(HOUR);
      expect(await authenticateCookie(security, first), `hour ${hours + 1}`).not.toBeNull();
    }
    expect((await client.post('/verify', { password: PASSWORD })).json).toMatchObject({ tf_required: true });
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    const second = client.cookies.get('twofold_session');
    expect(second).not.toBe(first);
    expect(await authenticateCookie(security, first)).toBeNull();
    // Used once an hour, each gap the whole idle limit, it lives past the first login's lifetime...
    for (let hours = 1; hours < 24; hours++) {
      clock.advance(HOUR);
      expect(await authenticateCookie(security, second), `hour ${hours} after /verify`).not.toBeNull();
    }
    // ...up to its own, 24 hours after the re-authentication.
    clock.advance(HOUR - 1);
    expect(await authenticateCookie(security, second)).not.toBeNull();
    clock.advance(1);
    expect(await authenticateCookie(security, second)).toBeNull();
    expect((await client.get('/mf-recovery-codes')).status).toBe(401);
  });
});

describe('the pending login (FLOW-07)', () => {
  it('FLOW-07: a right code completes a login exactly twoFactorLoginWithin old, and is refused one second later; the login is then gone', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'flow07-late@example.test');
    expect(security.config.twoFactorLoginWithin).toBe(600);
    const onTime = new Client(security);
    await passwordStep(onTime, 'flow07-late@example.test');
    clock.advance(600);
    expect((await onTime.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);

    clock.advance(30);
    const late = new Client(security);
    await passwordStep(late, 'flow07-late@example.test');
    clock.advance(601);
    const refused = await late.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ errors: [DENIED] });
    expect(refused.json).not.toHaveProperty('user');
    expect(await authenticateCookie(security, late.cookies.get('twofold_session'))).toBeNull();
    // Nothing to come back to: the next step's right code, and the code page, are refused too.
    clock.advance(30);
    expect((await late.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).json.errors).toEqual([DENIED]);
    expect((await late.get('/tf-validate')).status).toBe(400);
  });

  it('FLOW-07: the pending session a success used up is refused when presented again, even with a new, unused code', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'flow07-reuse@example.test');
    const client = new Client(security);
    await passwordStep(client, 'flow07-reuse@example.test');
    const pending = client.cookies.get('twofold_session') as string;
    const pendingCsrf = client.csrf as string;
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    const full = client.cookies.get('twofold_session');

    // A code of the next step: never used, so only the used-up login can refuse it.
    clock.advance(30);
    const code = phone.generatePassword(clock.nowInSeconds());
    const replay = new Client(security);
    replay.cookies.set('twofold_session', pending);
    replay.csrf = pendingCsrf;
    // The pending session is gone, and its CSRF token with it.
    expect((await replay.post('/tf-validate', { code })).status).toBe(403);
    const page = await replay.get('/tf-validate');
    expect(page.status).toBe(400);
    expect(page.json.errors).toEqual([DENIED]);
    const again = await replay.post('/tf-validate', { code });
    expect(again.status).toBe(400);
    expect(again.json.errors).toEqual([DENIED]);
    expect(await authenticateCookie(security, pending)).toBeNull();
    expect(await authenticateCookie(security, replay.cookies.get('twofold_session'))).toBeNull();
    // The login the success made is untouched, and the code is still good for a real login.
    expect(await authenticateCookie(security, full)).toMatchObject({ user: { email: 'flow07-reuse@example.test' } });
    const next = new Client(security);
    await passwordStep(next, 'flow07-reuse@example.test');
    expect((await next.post('/tf-validate', { code })).status).toBe(200);
  });
});

describe('management acts on the caller only (MGT-02)', () => {
  it("MGT-02: A's /tf-setup/<token>, posted from B's session with a right code for A's new key, is refused; A and B are unchanged", async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone: phoneA } = await userWithAuthenticator(security, 'mgt02-a@example.test');
    const { phone: phoneB } = await userWithAuthenticator(security, 'mgt02-b@example.test');
    const a = await loggedInClient(security, clock, 'mgt02-a@example.test', { phone: phoneA });
    const b = await loggedInClient(security, clock, 'mgt02-b@example.test', { phone: phoneB });
    const startedA = await a.post('/tf-setup', { setup: 'authenticator' });
    const tokenA = startedA.json.tf_state_token as string;
    const newPhoneA = new Totp(startedA.json.tf_authr_b32key as string);
    const settings = async () => {
      const [userA, userB] = [await security.findUserByEmail('mgt02-a@example.test'), await security.findUserByEmail('mgt02-b@example.test')];
      return { a: [userA?.tfPrimaryMethod, totpSecretOf(security, userA)], b: [userB?.tfPrimaryMethod, totpSecretOf(security, userB)] };
    };
    const before = await settings();
    expect(before).toEqual({ a: ['authenticator', phoneA.secrets], b: ['authenticator', phoneB.secrets] });

    clock.advance(30);
    const code = newPhoneA.generatePassword(clock.nowInSeconds());
    // B with no change of its own, then B with one pending: A's token names neither.
    const bare = await b.post(`/tf-setup/${tokenA}`, { code });
    expect(bare.status).toBe(400);
    expect(bare.json.errors).toEqual(['Input not appropriate for requested API']);
    const startedB = await b.post('/tf-setup', { setup: 'authenticator' });
    const withOwn = await b.post(`/tf-setup/${tokenA}`, { code });
    expect(withOwn.status).toBe(400);
    expect(withOwn.json.errors).toEqual(['Input not appropriate for requested API']);
    // B's own token with A's key's code: the code is checked against B's pending key, not A's.
    const restarted = await b.post('/tf-setup', { setup: 'authenticator' });
    const ownToken = await b.post(`/tf-setup/${restarted.json.tf_state_token as string}`, { code });
    expect(ownToken.status).toBe(400);
    expect(ownToken.json.field_errors).toEqual({ code: ['Invalid code'] });
    expect(startedB.json.tf_authr_b32key).not.toBe(newPhoneA.secrets);
    expect(await settings()).toEqual(before);

    // A's own session completes A's change with the same code: B's attempts neither used nor spoiled it.
    expect((await a.post(`/tf-setup/${tokenA}`, { code })).status).toBe(200);
    expect(await settings()).toEqual({ a: ['authenticator', newPhoneA.secrets], b: before.b });
  });
});

describe('removing the factor ends logins waiting for it (MGT-07)', () => {
  it('MGT-07: 2FA disabled from another fresh session between the password and the code: the right code is refused, nobody logs in', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'mgt07@example.test');
    const settings = await loggedInClient(security, clock, 'mgt07@example.test', { phone });
    // The control: a login like the one below, with nothing removed, completes.
    clock.advance(30);
    const control = new Client(security);
    await passwordStep(control, 'mgt07@example.test');
    expect((await control.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);

    clock.advance(30);
    const pending = new Client(security);
    expect((await passwordStep(pending, 'mgt07@example.test')).json).toMatchObject({ tf_required: true, tf_method: 'authenticator' });
    expect((await settings.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
    const refused = await pending.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(refused.status).toBe(400);
    expect(refused.json).not.toHaveProperty('user');
    expect(refused.headers.getSetCookie().some((cookie) => cookie.startsWith('tf_validity='))).toBe(false);
    expect(await authenticateCookie(security, pending.cookies.get('twofold_session'))).toBeNull();
    expect((await pending.get('/mf-recovery-codes')).status).toBe(401);
  });

  it('MGT-07: the same for a mailed code: the code reaches the user, the factor goes, the code no longer logs in', async () => {
    const mails: MailMessage[] = [];
    const { security, clock } = makeApp(db.datastore, { mailer: { send: async (mail) => void mails.push(mail) } });
    const user = await userWithPassword(security, 'mgt07-mail@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const codeMails = () => mails.filter((mail) => mail.subject === security.config.emailSubjectTwoFactor);
    const codeMail = () => codeMails().at(-1)?.text ?? '';
    const settings = new Client(security);
    await passwordStep(settings, 'mgt07-mail@example.test');
    expect((await settings.post('/tf-validate', { code: codeIn(codeMail()) })).status).toBe(200);

    clock.advance(security.config.twoFactorSendCooldown);
    const pending = new Client(security);
    expect((await passwordStep(pending, 'mgt07-mail@example.test')).json).toMatchObject({ tf_required: true, tf_method: 'email' });
    expect(codeMails()).toHaveLength(2);
    const code = codeIn(codeMail());
    expect((await settings.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
    const refused = await pending.post('/tf-validate', { code });
    expect(refused.status).toBe(400);
    expect(refused.json).not.toHaveProperty('user');
    expect(await authenticateCookie(security, pending.cookies.get('twofold_session'))).toBeNull();
  });
});

describe('turning 2FA off and on again brings nothing old back (REC-07)', () => {
  it('REC-07: after disable and a new authenticator, the old recovery codes, the old key’s code and the old remembered device are refused', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false } });
    const email = 'rec07@example.test';
    const { phone: oldPhone } = await userWithAuthenticator(security, email);
    const client = await loggedInClient(security, clock, email, { phone: oldPhone, remember: true });
    const trusted = client.cookies.get('tf_validity') as string;
    expect(trusted).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const codes = (await client.post('/mf-recovery-codes', {})).json.recovery_codes as string[];
    expect(codes).toHaveLength(10);
    // The controls: before the change, the remembered device skips the code, and a recovery code logs in.
    await client.post('/logout', {});
    expect((await passwordStep(client, email)).json).toMatchObject({ tf_required: false, user: { email } });
    const rescued = new Client(security);
    await passwordStep(rescued, email);
    expect((await rescued.post('/mf-recovery', { code: codes[0] })).status).toBe(200);

    expect((await client.post('/tf-setup', { setup: 'disable' })).json).toMatchObject({ user: { email } });
    expect((await client.get('/mf-recovery-codes')).json.remaining).toBe(0);
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    expect((await client.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: newPhone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    expect((await client.get('/mf-recovery-codes')).json.remaining).toBe(0);
    await client.post('/logout', {});

    // The browser still holds the old trusted-device cookie: it is challenged all the same.
    clock.advance(30);
    expect(client.cookies.get('tf_validity')).toBe(trusted);
    expect((await passwordStep(client, email)).json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'authenticator' });
    for (const old of [codes[1], codes[9]]) {
      const reply = await client.post('/mf-recovery', { code: old });
      expect(reply.status, old).toBe(400);
      expect(reply.json.field_errors, old).toEqual({ code: ['Recovery code invalid'] });
    }
    const oldKey = await client.post('/tf-validate', { code: oldPhone.generatePassword(clock.nowInSeconds()) });
    expect(oldKey.status).toBe(400);
    expect(oldKey.json.field_errors).toEqual({ code: ['Invalid code'] });
    expect(await authenticateCookie(security, client.cookies.get('twofold_session'))).toBeNull();
    // Only the new authenticator logs in.
    const done = await client.post('/tf-validate', { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email });
  });
});
