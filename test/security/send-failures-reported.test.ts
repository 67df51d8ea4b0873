/**
 * Threat to operations: when the SMTP server or the SMS provider fails, users see only "try again later".
 * Unless twofold tells the operator, nobody knows that logins are failing. The report must name the failure
 * but never the address, the number or the code, since logs are read by more people than codes should be.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createMailer } from '../../src/delivery/mail.js';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import { describeFailure } from '../../src/errors.js';
import { Security, type FailureKind } from '../../src/security.js';
import { PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';
import { TEST_START_IN_SECONDS, TEST_TOTP_SECRETS } from '../support/security.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

const db = useDatastore();
let twilio: TwilioTestServer;
beforeAll(async () => {
  twilio = await startTwilioServer();
});
afterAll(() => twilio.close());
afterEach(() => {
  twilio.respondWith({ kind: 'accept' });
  vi.restoreAllMocks();
});

const NUMBER = '+16505550191';
/** Nothing listens on port 1 of this machine: every send is refused at once. */
const DEAD_SMTP = 'smtp://127.0.0.1:1';

/** Default options but the methods under test; `onError` as given, or the default reporter when undefined. */
function securityWith(methods: ('authenticator' | 'email' | 'sms')[], onError?: (error: unknown, kind: FailureKind) => void, options: { mailer?: boolean } = {}) {
  return new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'twofold tests', twoFactorEnabledMethods: methods }, db.datastore, {
    clock: fixedClock(TEST_START_IN_SECONDS),
    mailer: methods.includes('email') || options.mailer === true ? createMailer({ smtpUrl: DEAD_SMTP, from: 'twofold@example.test' }) : null,
    smsSender: SmsSenderFactory.create('twilio', twilio.config),
    ...(onError === undefined ? {} : { onError }),
  });
}

async function logIn(security: Security, email: string) {
  const client = new Client(security, { clientAddress: '198.51.100.60' });
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

describe('a failed send reaches the error reporting', () => {
  it('SMS provider failing: onError gets kind sms-send-failed and an error whose description names the failure, not the number or code', async () => {
    const reports: { kind: FailureKind; line: string }[] = [];
    const security = securityWith(['sms'], (error, kind) => reports.push({ kind, line: describeFailure(error) }));
    const user = await userWithPassword(security, 'sms-fails@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: NUMBER, lastStep: null });
    twilio.respondWith({ kind: 'error', status: 500, code: 20500, message: 'Internal Server Error' });

    const reply = await logIn(security, 'sms-fails@example.test');
    expect(reply.status).toBe(500);
    expect(reports).toEqual([{ kind: 'sms-send-failed', line: 'TwofoldError SMS_SEND_FAILED' }]);
    // The code did reach the provider's request, which failed: it must not reach the report.
    const code = /\d{6}/.exec(twilio.requests.at(-1)?.body ?? '')?.[0];
    expect(code).toBeDefined();
    expect(JSON.stringify(reports)).not.toContain(code);
  });

  it('SMTP failing on a "help" rescue mail: onError gets kind mail-send-failed, without the address', async () => {
    const reports: { kind: FailureKind; line: string }[] = [];
    const security = securityWith(['authenticator'], (error, kind) => reports.push({ kind, line: describeFailure(error) }), { mailer: true });
    await userWithAuthenticator(security, 'help-fails@example.test');
    const client = new Client(security, { clientAddress: '198.51.100.61' });
    await client.get('/login');
    expect((await client.post('/login', { email: 'help-fails@example.test', password: PASSWORD })).json).toMatchObject({ tf_state: 'ready' });
    const reply = await client.post('/tf-rescue', { help_setup: 'help' });
    expect(reply.status).toBe(500);
    expect(reports).toEqual([{ kind: 'mail-send-failed', line: 'TwofoldError MAIL_SEND_FAILED' }]);
  });

  it('SMTP failing, default reporter: one stderr line with the kind and error code, not the address or code', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    const security = securityWith(['email']);
    const user = await userWithPassword(security, 'mail-fails@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });

    const reply = await logIn(security, 'mail-fails@example.test');
    expect(reply.status).toBe(500);
    const reported = lines.filter((line) => line.includes('mail-send-failed'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/^twofold: an e-mail was not sent \(mail-send-failed\): TwofoldError MAIL_SEND_FAILED/);
    expect(lines.join('\n')).not.toContain('mail-fails@example.test');
    expect(lines.join('\n')).not.toContain('127.0.0.1');
  });
});
