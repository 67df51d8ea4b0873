/** tfSendSecurityToken: sends by the right channel, says false on failure, and the code never reaches a log. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tfSendSecurityToken } from '../../src/delivery/token.js';
import { DummySmsSender } from '../../src/delivery/sms.js';
import { createMailer } from '../../src/delivery/mail.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import { Totp } from '../../src/otp/totp-class.js';
import { createTestUser, makeSecurity, reload, TEST_START_IN_SECONDS } from '../support/security.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';

let smtp: SmtpTestServer;
let datastore: KyselyDatastore;
const logged: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  datastore = await openDatastore('sqlite::memory:');
  await datastore.migrate();
  // Every console channel is captured, so a code printed anywhere would be found (checklist LOG-02).
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await smtp.close();
  await datastore.close();
});
afterEach(() => {
  logged.length = 0;
});

describe('tfSendSecurityToken', () => {
  it('mails a 6-digit code for email, emits tfSecurityTokenSent without it, and logs nothing with it', async () => {
    const { security } = makeSecurity(datastore, { smtpUrl: smtp.url });
    const user = await createTestUser(security);
    const events: unknown[] = [];
    security.events.on('tfSecurityTokenSent', (event) => void events.push(event));
    expect(await tfSendSecurityToken(user, 'email', { security })).toBe(true);
    const mail = await smtp.waitForMail((m) => m.to.includes(user.email));
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toContain('5 minutes');
    expect(events).toEqual([{ user: { id: user.id, email: user.email, active: true, tfPrimaryMethod: null }, method: 'email', phoneNumber: null }]);
    expect(JSON.stringify(events)).not.toContain(code);
    expect(JSON.stringify(events)).not.toMatch(/fsUniquifier|passwordHash|tfTotpSecret/);
    expect(logged.join('\n')).not.toContain(code);
  });

  it('texts a code to the given number in E.164 form for sms', async () => {
    const sms = new DummySmsSender();
    const { security } = makeSecurity(datastore, { smsSender: sms });
    const user = await createTestUser(security);
    expect(await tfSendSecurityToken(user, 'sms', { security, phoneNumber: '(650) 555-1212' })).toBe(true);
    expect(sms.messages).toHaveLength(1);
    expect(sms.messages[0]?.to).toBe('+16505551212');
    expect(sms.messages[0]?.message).toMatch(/^Use this code to sign in: \d{6}$/);
    expect(logged.join('\n')).not.toContain(sms.messages[0]?.message.slice(-6));
  });

  it('sends nothing for authenticator and says true only when the user has one', async () => {
    const sms = new DummySmsSender();
    const { security } = makeSecurity(datastore, { smsSender: sms });
    const user = await createTestUser(security);
    expect(await tfSendSecurityToken(user, 'authenticator', { security })).toBe(false);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
    await security.codePlugin.verifyToken(user, new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS), { pending: started.pending });
    const before = smtp.messages.length;
    expect(await tfSendSecurityToken(await reload(security, user), 'authenticator', { security })).toBe(true);
    expect(sms.messages).toHaveLength(0);
    expect(smtp.messages.length).toBe(before);
  });

  it('makes a code sent to a new number good only for setting up that number, never for login', async () => {
    const sms = new DummySmsSender();
    const { security } = makeSecurity(datastore, { smsSender: sms });
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
    await security.codePlugin.verifyToken(user, new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS), { pending: started.pending });
    const active = await reload(security, user);

    expect(await tfSendSecurityToken(active, 'sms', { security, phoneNumber: '+16505551212' })).toBe(true);
    const code = /(\d{6})$/.exec(sms.messages.at(-1)?.message ?? '')?.[1] as string;
    expect(await security.codePlugin.verifyToken(active, code, { method: 'sms' })).toBe(false);
    expect(await security.codePlugin.verifyToken(active, code, { method: 'email' })).toBe(false);
    const otherNumber = { method: 'sms', phoneNumber: '+442083661177', startedAtInSeconds: TEST_START_IN_SECONDS };
    expect(await security.codePlugin.verifyToken(active, code, { pending: otherNumber })).toBe(false);
    const sameNumber = { method: 'sms', phoneNumber: '+16505551212', startedAtInSeconds: TEST_START_IN_SECONDS };
    expect(await security.codePlugin.verifyToken(active, code, { pending: sameNumber })).toBe(true);
    expect((await reload(security, user)).tfPhoneNumber).toBe('+16505551212');
  });

  it('says false for an invalid number, an unknown or disabled method, and a failed delivery', async () => {
    const sms = new DummySmsSender();
    const { security } = makeSecurity(datastore, { smsSender: sms });
    const user = await createTestUser(security);
    expect(await tfSendSecurityToken(user, 'sms', { security, phoneNumber: '555-1212' })).toBe(false);
    expect(await tfSendSecurityToken(user, 'sms', { security })).toBe(false); // no number stored
    expect(await tfSendSecurityToken(user, 'fax', { security })).toBe(false);
    expect(await tfSendSecurityToken(user, 'email', { security })).toBe(false); // e-mail not enabled here
    sms.failNextSends(1);
    expect(await tfSendSecurityToken(user, 'sms', { security, phoneNumber: '+442083661177' })).toBe(false);
    expect(sms.messages).toHaveLength(0);
  });

  it('says false when the SMTP server is down, without crashing or logging the code', async () => {
    const down = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'twofold@example.test', timeoutInSeconds: 2 });
    const { security } = makeSecurity(datastore, { mailer: down });
    const user = await createTestUser(security);
    expect(await tfSendSecurityToken(user, 'email', { security })).toBe(false);
    expect(logged.join('\n')).not.toMatch(/\b\d{6}\b/);
  });
});
