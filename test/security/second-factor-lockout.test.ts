/**
 * Threat: an attacker who knows the password guesses the second factor — six digits fall to enough tries — by
 * spreading wrong codes over many logins, resent codes, addresses and factors; one per-account counter must
 * stop them all, and hold even a right code while the account is locked (checklist RL-01, RL-02, RL-04…RL-07).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Security } from '../../src/security.js';
import { Totp } from '../../src/otp/totp-class.js';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client, type Reply } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

/** A new client (each from its own address) that has passed the password step. */
async function passwordDone(security: Security, email: string, from = '203.0.113.1'): Promise<Client> {
  const client = new Client(security, { clientAddress: from });
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`password step failed: ${login.text}`);
  return client;
}

/** The counter as stored. */
async function counterOf(security: Security, email: string) {
  const user = await security.datastore.findUserByEmail(email);
  return { failures: user?.tfFailedAttempts, lockedUntil: user?.tfLockedUntilInSeconds };
}

function expectLocked(reply: Reply, retryAfterInSeconds: number): void {
  expect(reply.status).toBe(429);
  expect(reply.headers.get('retry-after')).toBe(String(retryAfterInSeconds));
  expect(reply.json.errors).toEqual(['Too many failed attempts. Please try again later.']);
}

/** Records `userFailedAuthn` and `tfLockedOut` in order. */
function recordEvents(security: Security): string[] {
  const events: string[] = [];
  security.events.on('userFailedAuthn', (event) => void events.push(`failed ${event.authType}`));
  security.events.on('tfLockedOut', (event) => void events.push(`locked ${event.retryAfterInSeconds}`));
  return events;
}

describe('per-account lockout (RL-01)', () => {
  it('refuses the 11th code and then a right one with 429 and Retry-After, however the 10 failures were spread; after the lock a right code logs in and clears the counter', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'rl01@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const events = recordEvents(security);
    const right = () => phone.generatePassword(clock.nowInSeconds());

    for (let i = 0; i < 10; i++) {
      const client = await passwordDone(security, email, `203.0.113.${i + 1}`);
      const wrong = await client.post('/tf-validate', { code: wrongCode(right()) });
      expect(wrong.status, `failure ${i + 1}`).toBe(400);
    }
    expect(await counterOf(security, email)).toMatchObject({ failures: 10 });

    const client = await passwordDone(security, email, '198.51.100.7');
    expectLocked(await client.post('/tf-validate', { code: wrongCode(right()) }), 30);
    expectLocked(await client.post('/tf-validate', { code: right() }), 30);
    clock.advance(20);
    expectLocked(await client.post('/tf-validate', { code: right() }), 10);
    // Refused attempts are not checked, so they neither count nor emit.
    expect(events).toEqual([...Array.from({ length: 10 }, () => 'failed code'), 'locked 30']);

    clock.advance(10);
    const done = await client.post('/tf-validate', { code: right() });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email });
    expect(await counterOf(security, email)).toEqual({ failures: 0, lockedUntil: null });
  });

  it('HTML: the code page comes back with status 429, Retry-After and the message', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorMaxFailedAttempts: 1 } });
    const { phone } = await userWithAuthenticator(security, 'rl01-html@example.test');
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    await browser.follow(await browser.post('/login', { email: 'rl01-html@example.test', password: PASSWORD }));
    const code = phone.generatePassword(clock.nowInSeconds());
    expect((await browser.post('/tf-validate', { code: wrongCode(code) })).status).toBe(200);

    const locked = await browser.post('/tf-validate', { code });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');
    expect(locked.headers.get('content-type')).toContain('text/html');
    expect(locked.text).toContain('Too many failed attempts. Please try again later.');
    expect(locked.text).toContain('name="two_factor_verify_code_form"');
  });
});

describe('the cap per challenge: a login, a change, a re-authentication (RL-01)', () => {
  it('ends a login after 5 wrong codes: the 6th, even right, gets TOO_MANY_ATTEMPTS and the login is gone; a new login starts over', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'per-challenge@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = await passwordDone(security, email);
    const right = () => phone.generatePassword(clock.nowInSeconds());
    for (let i = 0; i < 5; i++) expect((await client.post('/tf-validate', { code: wrongCode(right()) })).status).toBe(400);
    const sixth = await client.post('/tf-validate', { code: right() });
    expect(sixth.status).toBe(400);
    expect(sixth.json.field_errors).toMatchObject({ code: ['Too many failed attempts. Please try again later.'] });
    expect(sixth.json).not.toHaveProperty('user');
    // The login is dropped: the same session has nothing left to validate, and is told to log in again.
    expect((await client.post('/tf-validate', { code: right() })).json.errors).toEqual(['This login was ended after too many wrong codes. Please log in again.']);
    // The sixth attempt was not checked, so it was not counted; the account is not locked at 5 of 10.
    expect(await counterOf(security, email)).toEqual({ failures: 5, lockedUntil: null });
    const again = await passwordDone(security, email);
    expect((await again.post('/tf-validate', { code: right() })).json.user).toEqual({ email });
  });

  it('HTML: the browser is sent back to the login page with the message', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'per-challenge-html@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    await browser.follow(await browser.post('/login', { email, password: PASSWORD }));
    const wrong = wrongCode(phone.generatePassword(clock.nowInSeconds()));
    for (let i = 0; i < 5; i++) await browser.post('/tf-validate', { code: wrong });
    const sixth = await browser.post('/tf-validate', { code: wrong });
    expect(sixth.location).toBe('/login');
    expect((await browser.follow(sixth)).text).toContain('Too many failed attempts. Please try again later.');
  });

  it('ends a logged-in change after 5 wrong codes: its token is dead, the factor unchanged; a new change starts over', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'per-challenge-change@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = await loggedInClient(security, clock, email, { phone });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    const token = `/tf-setup/${started.json.tf_state_token as string}`;
    const right = () => newPhone.generatePassword(clock.nowInSeconds());
    for (let i = 0; i < 5; i++) expect((await client.post(token, { code: wrongCode(right()) })).status).toBe(400);
    const sixth = await client.post(token, { code: right() });
    expect(sixth.json.field_errors).toEqual({ code: ['Too many failed attempts. Please try again later.'] });
    expect((await client.post(token, { code: right() })).status).toBe(400);
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(phone.secrets);
    const again = await client.post('/tf-setup', { setup: 'authenticator' });
    const code = new Totp(again.json.tf_authr_b32key as string).generatePassword(clock.nowInSeconds());
    expect((await client.post(`/tf-setup/${again.json.tf_state_token as string}`, { code })).status).toBe(200);
  });

  it('ends a re-authentication after 5 wrong codes: the session stays stale until /verify starts over', async () => {
    const { security, clock } = makeApp(db.datastore);
    const options = { freshness: security.config.freshness, freshnessGracePeriod: security.config.freshnessGracePeriod };
    const email = 'per-challenge-reauth@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = await loggedInClient(security, clock, email, { phone });
    clock.advance(options.freshness + options.freshnessGracePeriod + 1);
    expect((await client.post('/verify', { password: PASSWORD })).json).toMatchObject({ tf_required: true });
    const right = () => phone.generatePassword(clock.nowInSeconds());
    for (let i = 0; i < 5; i++) expect((await client.post('/tf-validate', { code: wrongCode(right()) })).status).toBe(400);
    expect((await client.post('/tf-validate', { code: right() })).json.field_errors).toEqual({ code: ['Too many failed attempts. Please try again later.'] });
    expect((await client.get('/mf-recovery-codes')).status).toBe(401);
    expect((await client.post('/verify', { password: PASSWORD })).json).toMatchObject({ tf_required: true });
    expect((await client.post('/tf-validate', { code: right() })).json.user).toEqual({ email });
    expect((await client.get('/mf-recovery-codes')).status).toBe(200);
  });

  it('checks at most 5 of 50 wrong codes sent at once on one login', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'per-challenge-race@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = await passwordDone(security, email);
    const wrong = wrongCode(phone.generatePassword(clock.nowInSeconds()));
    const replies = await Promise.all(Array.from({ length: 50 }, () => client.post('/tf-validate', { code: wrong })));
    expect(replies.every((reply) => reply.status === 400)).toBe(true);
    expect(await counterOf(security, email)).toEqual({ failures: 5, lockedUntil: null });
  });
});

describe('the counter lives on the account (RL-02)', () => {
  it('survives new logins and resent e-mail codes; the mailed right code is refused once locked', async () => {
    // Nineteen mails to one account: the send limits (RL-08, tested on their own) are loosened here.
    const sendLimits = { twoFactorSendCooldown: 1, twoFactorMaxSendsPerAccount: 100, twoFactorMaxSendsPerDestination: 100 };
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorEnabledMethods: ['authenticator', 'email'], ...sendLimits } });
    const email = 'rl02@example.test';
    const user = await userWithPassword(security, email);
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const mailedCode = async () => {
      const code = codeIn((await smtp.waitForMail((m) => m.to === email)).text);
      clock.advance(1);
      return code;
    };

    for (let i = 1; i <= 9; i++) {
      const client = await passwordDone(security, email);
      const code = await mailedCode();
      expect((await client.post('/tf-validate', { code: wrongCode(code) })).status).toBe(400);
      expect(await counterOf(security, email)).toMatchObject({ failures: i });
      // A fresh login mails a fresh code, cancelling this one: the counter does not move (OOB-05).
      await passwordDone(security, email);
      await mailedCode();
      expect(await counterOf(security, email)).toMatchObject({ failures: i, lockedUntil: null });
    }

    const client = await passwordDone(security, email);
    const code = await mailedCode();
    expect((await client.post('/tf-validate', { code: wrongCode(code) })).status).toBe(400);
    expectLocked(await client.post('/tf-validate', { code }), 30);
    expect(await counterOf(security, email)).toMatchObject({ failures: 10 });
  });
});

describe('every factor feeds one counter (RL-04)', () => {
  it('counts wrong recovery codes with wrong TOTP codes, and refuses a right recovery code once locked', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'rl04@example.test';
    const { user, phone } = await userWithAuthenticator(security, email);
    const [recoveryCode] = await security.recoveryCodes.generateCodes(user);
    const events = recordEvents(security);

    for (let i = 0; i < 5; i++) {
      const client = await passwordDone(security, email);
      expect((await client.post('/mf-recovery', { code: 'aaaaa-bbbbb-ccccc' })).status).toBe(400);
      expect((await client.post('/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) })).status).toBe(400);
    }
    const client = await passwordDone(security, email);
    expectLocked(await client.post('/mf-recovery', { code: recoveryCode }), 30);
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(10);
    expect(events.filter((event) => event === 'failed recovery_code')).toHaveLength(5);
    expect(events.filter((event) => event === 'failed code')).toHaveLength(5);
    expect(events.at(-1)).toBe('locked 30');

    clock.advance(30);
    expect((await client.post('/mf-recovery', { code: recoveryCode })).status).toBe(200);
    expect(await counterOf(security, email)).toEqual({ failures: 0, lockedUntil: null });
  });

  it('counts wrong codes on every path that checks one: set-up during login and /tf-setup/<token> (RL-05)', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorMaxFailedAttempts: 2, twoFactorRequired: true } });
    const email = 'rl05@example.test';
    await userWithPassword(security, email);
    const client = await passwordDone(security, email);
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    expect(started.json).toMatchObject({ tf_state: 'validating_profile' });
    expect((await client.post('/tf-validate', { code: '000000' })).status).toBe(400);
    expect((await client.post('/tf-validate', { code: '000001' })).status).toBe(400);
    expectLocked(await client.post('/tf-validate', { code: '000002' }), 30);

    // A logged-in user changing the factor counts toward the same lock.
    const { phone } = await userWithAuthenticator(security, 'rl05-change@example.test');
    const changer = await passwordDone(security, 'rl05-change@example.test');
    expect((await changer.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    const change = await changer.post('/tf-setup', { setup: 'authenticator' });
    const token = change.json.tf_state_token as string;
    expect((await changer.post(`/tf-setup/${token}`, { code: '000000' })).status).toBe(400);
    expect((await changer.post(`/tf-setup/${token}`, { code: '000001' })).status).toBe(400);
    expectLocked(await changer.post(`/tf-setup/${token}`, { code: '000002' }), 30);
  });
});

describe('what resets the counter (RL-06, RL-07)', () => {
  it('a right password alone keeps the failures; a full login clears them', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'rl06@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    for (let i = 0; i < 3; i++) {
      const client = await passwordDone(security, email);
      await client.post('/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) });
    }
    const client = await passwordDone(security, email);
    expect(await counterOf(security, email)).toEqual({ failures: 3, lockedUntil: null });
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    expect(await counterOf(security, email)).toEqual({ failures: 0, lockedUntil: null });
  });

  it('20 wrong passwords do not touch the second-factor counter, and the user still logs in', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'rl07@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const events = recordEvents(security);
    const attacker = new Client(security);
    await attacker.get('/login');
    for (let i = 0; i < 20; i++) expect((await attacker.post('/login', { email, password: `wrong ${i}` })).status).toBe(400);

    expect(await counterOf(security, email)).toEqual({ failures: 0, lockedUntil: null });
    expect(events).toEqual([]);
    const client = await passwordDone(security, email);
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
  });
});

describe('growing back-off (RL-07)', () => {
  it('doubles each lock from twoFactorLockoutBase up to twoFactorLockoutMax', async () => {
    // All on one login: the per-challenge cap (RL-01, tested on its own) is lifted here.
    const options = { twoFactorMaxFailedAttempts: 3, twoFactorLockoutBase: 30, twoFactorLockoutMax: 100, twoFactorMaxCodeAttempts: 100 };
    const { security, clock } = makeApp(db.datastore, { options });
    const email = 'backoff@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const events = recordEvents(security);
    const wrong = () => ({ code: wrongCode(phone.generatePassword(clock.nowInSeconds())) });
    const client = await passwordDone(security, email);
    for (let i = 0; i < 3; i++) await client.post('/tf-validate', wrong());

    const locks: number[] = [];
    for (let round = 0; round < 4; round++) {
      const refused = await client.post('/tf-validate', wrong());
      expect(refused.status).toBe(429);
      const lock = Number(refused.headers.get('retry-after'));
      locks.push(lock);
      clock.advance(lock);
      // The first attempt after a lock is checked again; being wrong, it starts the next, longer lock.
      expect((await client.post('/tf-validate', wrong())).status).toBe(400);
    }
    expect(locks).toEqual([30, 60, 100, 100]);
    expect(events.filter((event) => event.startsWith('locked'))).toEqual(['locked 30', 'locked 60', 'locked 100', 'locked 100', 'locked 100']);
  });
});
