/**
 * Threat: anyone with an account can start an SMS set-up towards someone else's phone number. If those
 * set-up texts counted against the same budget as the number owner's login codes, a few accounts could
 * lock the owner out of their own SMS login (and flood them with texts they never asked for). A confirmed
 * number keeps its login budget whatever other accounts do; set-ups towards a number have their own,
 * tighter caps, per account and for all accounts together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import type { Security } from '../../src/security.js';
import { loggedInClient, makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client, type Reply } from '../support/client.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

const db = useDatastore();
let twilio: TwilioTestServer;
beforeAll(async () => {
  twilio = await startTwilioServer();
});
afterAll(() => twilio.close());

/** Default options; only the SMS sender is the Twilio stand-in, and 'sms' is among the enabled methods. */
function smsApp() {
  return makeApp(db.datastore, { smsSender: SmsSenderFactory.create('twilio', twilio.config) });
}

const textsTo = (number: string) => twilio.requests.filter((request) => request.to === number).length;
/** An SMS arrives after the reply; a refused one must not arrive at all, so wait a little before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** The victim: an account whose confirmed second factor is SMS to `number`. */
async function victimWithNumber(security: Security, email: string, number: string): Promise<void> {
  const user = await userWithPassword(security, email);
  await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: number, lastStep: null });
}

/** The victim's password step from their own client: what sends their login code. */
async function victimLogsIn(security: Security, email: string): Promise<Reply> {
  const client = new Client(security, { clientAddress: '198.51.100.20' });
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

/** `tries` SMS set-ups towards `number` from one logged-in attacker account, each after the cooldown. */
async function setUpsFrom(security: Security, clock: { advance(seconds: number): void; nowInSeconds(): number }, attacker: Client, number: string, tries: number): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < tries; i++) {
    replies.push(await attacker.post('/tf-setup', { setup: 'sms', phone: number }));
    clock.advance(security.config.twoFactorSendCooldown);
  }
  return replies;
}

/** An attacker: an ordinary account without a second factor, fully logged in, so it may start set-ups. */
async function attackerClient(security: Security, clock: { nowInSeconds(): number }, email: string): Promise<Client> {
  await userWithPassword(security, email);
  return loggedInClient(security, clock, email);
}

describe("set-ups towards someone else's confirmed number", () => {
  it('three attacker accounts starting many set-ups: each is refused after its own budget, the number gets 5 texts, the victim still logs in', async () => {
    const { security, clock } = smsApp();
    const number = '+16505550171';
    await victimWithNumber(security, 'victim-three@example.test', number);
    const before = textsTo(number);
    const statuses: number[][] = [];
    for (let a = 0; a < 3; a++) {
      const attacker = await attackerClient(security, clock, `attacker-${a}@example.test`);
      const replies = await setUpsFrom(security, clock, attacker, number, 6);
      statuses.push(replies.map((reply) => reply.status));
      for (const reply of replies.filter((r) => r.status === 429)) {
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(reply.json.field_errors).toEqual({ setup: ['Too many codes have been sent. Please wait before asking for another.'] });
      }
    }
    // The victim's login gets its code first: that is the property; the exact budgets come after.
    const login = await victimLogsIn(security, 'victim-three@example.test');
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ tf_state: 'ready', tf_method: 'sms' });
    // 3 set-up codes per account and number; 5 to one number from all accounts together.
    expect(statuses).toEqual([
      [200, 200, 200, 429, 429, 429],
      [200, 200, 429, 429, 429, 429],
      [429, 429, 429, 429, 429, 429],
    ]);
    await settle();
    expect(textsTo(number) - before).toBe(6); // 5 set-up texts, then the victim's one login code
  });

  it('one attacker account alone cannot use up the victim\'s login budget either', async () => {
    const { security, clock } = smsApp();
    const number = '+16505550172';
    await victimWithNumber(security, 'victim-one@example.test', number);
    const before = textsTo(number);
    const attacker = await attackerClient(security, clock, 'lone-attacker@example.test');
    const replies = await setUpsFrom(security, clock, attacker, number, 12);
    const login = await victimLogsIn(security, 'victim-one@example.test');
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ tf_state: 'ready', tf_method: 'sms' });
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, ...Array<number>(9).fill(429)]);
    await settle();
    expect(textsTo(number) - before).toBe(4); // 3 set-up texts, then the victim's one login code
  });

  it("the victim's own login codes are still capped, per account (twoFactorMaxSendsPerDestination)", async () => {
    const { security, clock } = smsApp();
    const number = '+16505550173';
    await victimWithNumber(security, 'victim-own@example.test', number);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await victimLogsIn(security, 'victim-own@example.test')).status);
      clock.advance(security.config.twoFactorSendCooldown);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
  });
});
