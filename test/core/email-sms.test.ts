/** E-mail and SMS codes, delivered through a real SMTP server and a local Twilio stand-in, on every database. */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import type { TwofoldEventMap } from '../../src/events.js';
import { describeEachDatabase } from '../support/databases.js';
import { createTestUser, makeSecurity, reload } from '../support/security.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

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
beforeEach(() => twilio.respondWith({ kind: 'accept' }));

function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (match === null) throw new Error(`no code in ${JSON.stringify(text)}`);
  return match[1] as string;
}

describeEachDatabase('e-mail and SMS codes', (database) => {
  function setUp() {
    const made = makeSecurity(database.datastore, {
      smtpUrl: smtp.url,
      smsSender: SmsSenderFactory.create('twilio', twilio.config),
    });
    const sent: TwofoldEventMap['tfSecurityTokenSent'][] = [];
    made.security.events.on('tfSecurityTokenSent', (event) => void sent.push(event));
    return { ...made, sent };
  }

  it('sets up e-mail: the code arrives by mail, only its hash is stored, and it activates the method', async () => {
    const { security, user, sent } = await (async () => {
      const s = setUp();
      return { ...s, user: await createTestUser(s.security) };
    })();
    const started = await security.codePlugin.setupTf(user, { method: 'email' });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const mail = await smtp.waitForMail((m) => m.to.includes(user.email));
    expect(mail.subject).toBe('Two-Factor Login');
    const code = codeIn(mail.text);
    const rows = await database.datastore.db.selectFrom('one_time_codes').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(JSON.stringify(sent)).not.toContain(code);
    expect(sent.map((e) => e.method)).toEqual(['email']);
    expect((await reload(security, user)).tfPrimaryMethod).toBeNull();
    expect(await security.codePlugin.verifyToken(user, code, { pending: started.pending })).toBe(true);
    expect((await reload(security, user)).tfPrimaryMethod).toBe('email');
  });

  it('logs in with an e-mailed code once; a resend cancels the old code (OOB-03, OOB-05)', async () => {
    const { security, clock } = setUp();
    const user = await createTestUser(security);
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const active = await reload(security, user);
    expect(await security.codePlugin.sendToken(active, { challenge: 'login-a' })).toBe(true);
    const first = codeIn((await smtp.waitForMail((m) => m.to.includes(user.email))).text);
    // A resend within the cooldown is refused (RL-08); after it, the new code replaces the first.
    expect(await security.codePlugin.sendToken(active, { challenge: 'login-a' })).toBe(false);
    clock.advance(security.config.twoFactorSendCooldown);
    expect(await security.codePlugin.sendToken(active, { challenge: 'login-a' })).toBe(true);
    const second = codeIn((await smtp.waitForMail((m) => m.to.includes(user.email))).text);
    if (first !== second) expect(await security.codePlugin.verifyToken(active, first, { challenge: 'login-a' })).toBe(false);
    expect(await security.codePlugin.verifyToken(active, second, { challenge: 'login-b' })).toBe(false);
    expect(await security.codePlugin.verifyToken(active, second, { challenge: 'login-a' })).toBe(true);
    expect(await security.codePlugin.verifyToken(active, second, { challenge: 'login-a' })).toBe(false);
  });

  it('refuses an expired code even when it is right (OOB-02)', async () => {
    const { security, clock } = setUp();
    const user = await createTestUser(security);
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const active = await reload(security, user);
    await security.codePlugin.sendToken(active);
    const code = codeIn((await smtp.waitForMail((m) => m.to.includes(user.email))).text);
    clock.advance(300);
    expect(await security.codePlugin.verifyToken(active, code)).toBe(false);
  });

  it('stops checking a code after 5 wrong attempts, even the right one', async () => {
    const { security } = setUp();
    const user = await createTestUser(security);
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const active = await reload(security, user);
    await security.codePlugin.sendToken(active);
    const code = codeIn((await smtp.waitForMail((m) => m.to.includes(user.email))).text);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect(await security.codePlugin.verifyToken(active, wrong)).toBe(false);
    expect(await security.codePlugin.verifyToken(active, code)).toBe(false);
  });

  it('does not accept a set-up code for login, nor one user’s code for another', async () => {
    const { security, clock } = setUp();
    const alice = await createTestUser(security);
    const bob = await createTestUser(security);
    for (const user of [alice, bob]) {
      await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    }
    const started = await security.codePlugin.setupTf(await reload(security, alice), { method: 'email' });
    const setupCode = codeIn((await smtp.waitForMail((m) => m.to.includes(alice.email))).text);
    expect(await security.codePlugin.verifyToken(await reload(security, alice), setupCode)).toBe(false);
    clock.advance(security.config.twoFactorSendCooldown);
    await security.codePlugin.sendToken(await reload(security, alice));
    const aliceLogin = codeIn((await smtp.waitForMail((m) => m.to.includes(alice.email))).text);
    await security.codePlugin.sendToken(await reload(security, bob));
    expect(await security.codePlugin.verifyToken(await reload(security, bob), aliceLogin)).toBe(false);
    expect(started.ok).toBe(true);
  });

  it('sets up SMS: the number is normalised, texted through Twilio, and stored only once confirmed (OOB-07)', async () => {
    const { security } = setUp();
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'sms', phone: '(650) 555-1212' });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const sms = await twilio.waitForSms((s) => s.to === '+16505551212');
    expect(sms.body).toMatch(/^Use this code to sign in: \d{6}$/);
    expect((await reload(security, user)).tfPhoneNumber).toBeNull();
    expect(await security.codePlugin.verifyToken(user, codeIn(sms.body), { pending: started.pending })).toBe(true);
    const active = await reload(security, user);
    expect(active.tfPrimaryMethod).toBe('sms');
    expect(active.tfPhoneNumber).toBe('+16505551212');
  });

  it('reports a provider failure as "not sent" and keeps the old factor', async () => {
    const { security } = setUp();
    const user = await createTestUser(security);
    await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+16505551212', lastStep: null });
    twilio.respondWith({ kind: 'error', status: 500 });
    const started = await security.codePlugin.setupTf(await reload(security, user), { method: 'sms', phone: '+442083661177' });
    expect(started).toEqual({ ok: false, error: 'FAILED_TO_SEND_CODE' });
    const kept = await reload(security, user);
    expect(kept.tfPhoneNumber).toBe('+16505551212');
    expect(kept.tfPrimaryMethod).toBe('sms');
  });

  it('refuses SMS set-up without a valid phone number, and sends nothing', async () => {
    const { security } = setUp();
    const user = await createTestUser(security);
    const before = twilio.requests.length;
    expect(await security.codePlugin.setupTf(user, { method: 'sms' })).toEqual({ ok: false, error: 'PHONE_INVALID' });
    for (const phone of ['555-1212', '(650) 555-1212 call me', '+999', 'abcdefgh']) {
      expect(await security.codePlugin.setupTf(user, { method: 'sms', phone })).toEqual({ ok: false, error: 'PHONE_INVALID' });
    }
    expect(twilio.requests.length).toBe(before);
    expect(await security.codePlugin.setupTf(user, { method: 'carrier-pigeon' })).toEqual({ ok: false, error: 'TWO_FACTOR_METHOD_NOT_AVAILABLE' });
  });

  it('lets an authenticator user log in with an e-mailed code only when e-mail rescue is on', async () => {
    for (const rescue of [false, true]) {
      const security = makeSecurity(database.datastore, { smtpUrl: smtp.url, options: { twoFactorRescueEmail: rescue } }).security;
      const user = await createTestUser(security);
      const secret = security.keyring.encrypt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', `users.tf_totp_secret:${user.id}`);
      await security.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: secret, phoneNumber: null, lastStep: null });
      const active = await reload(security, user);
      expect(await security.codePlugin.sendToken(active, { method: 'email', challenge: 'rescue' })).toBe(rescue);
      if (!rescue) continue;
      const code = codeIn((await smtp.waitForMail((m) => m.to.includes(user.email))).text);
      expect(await security.codePlugin.verifyToken(active, code, { method: 'sms', challenge: 'rescue' })).toBe(false);
      expect(await security.codePlugin.verifyToken(active, code, { method: 'email', challenge: 'rescue' })).toBe(true);
    }
  });
});
