/**
 * Threat: the send-limit counters are named by a keyed MAC of the number or address. If that name changed
 * whenever a newer key is added to `totpSecrets`, every key rotation would reset every limit, and an attacker
 * pumping SMS would get a fresh budget with each one. The counters must survive a rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import type { Security } from '../../src/security.js';
import { loggedInClient, makeApp, useDatastore, userWithPassword } from '../support/app.js';
import { TEST_TOTP_SECRETS } from '../support/security.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

const NEWER_SECRET = 'newer-test-only-key-ring-secret-9876543210-zyxwvutsrq';

const db = useDatastore();
let twilio: TwilioTestServer;
beforeAll(async () => {
  twilio = await startTwilioServer();
});
afterAll(() => twilio.close());

function smsApp(options: { totpSecrets?: Record<string, string> } = {}) {
  return makeApp(db.datastore, { smsSender: SmsSenderFactory.create('twilio', twilio.config), options });
}

/** A new account, fully logged in, that starts one SMS set-up towards `number`; the reply's status. */
async function setUpFromNewAccount(security: Security, clock: { nowInSeconds(): number }, email: string, number: string): Promise<number> {
  await userWithPassword(security, email);
  const client = await loggedInClient(security, clock, email);
  return (await client.post('/tf-setup', { setup: 'sms', phone: number })).status;
}

describe('send limits across a key rotation', () => {
  it('a full set-up cap for a number is still full after a newer key is added (new Security, same database)', async () => {
    const number = '+16505550181';
    const { security, clock } = smsApp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await setUpFromNewAccount(security, clock, `before-rotation-${i}@example.test`, number));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);

    const rotated = smsApp({ totpSecrets: { ...TEST_TOTP_SECRETS, '2': NEWER_SECRET } });
    expect(rotated.security.keyring.currentTag).toBe('2');
    expect(await setUpFromNewAccount(rotated.security, rotated.clock, 'after-rotation@example.test', number)).toBe(429);
  });
});
