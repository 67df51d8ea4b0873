/**
 * Threat: "help" on the rescue page mails the administrator. Anyone with a password (or with many accounts)
 * could ask again and again and flood the administrator's inbox, burying real requests. One help mail per
 * login, and the account's send caps across logins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator } from '../support/app.js';
import { Client } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';

const db = useDatastore();
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

/** Default options (authenticator only); a mailer, since help mails need one. */
function app() {
  return makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorEnabledMethods: ['authenticator'] } });
}

/** Help mails naming `email` that reached the administrator (FST's default address). */
const helpMailsFor = (email: string) => smtp.messages.filter((mail) => mail.to === 'no-reply@localhost' && mail.text.includes(email)).length;
/** Mail arrives after the reply; one that must not arrive at all needs a moment before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

/** A new login of `email` waiting for its second factor. */
async function startLogin(security: Security, email: string, clientAddress: string): Promise<Client> {
  const client = new Client(security, { clientAddress });
  await client.get('/login');
  const reply = await client.post('/login', { email, password: PASSWORD });
  expect(reply.json).toMatchObject({ tf_state: 'ready' });
  return client;
}

describe('"help" rescue mails', () => {
  it('20 requests in one login mail the administrator once; every one gets the same 200 reply', async () => {
    const { security } = app();
    const email = 'help-repeat@example.test';
    await userWithAuthenticator(security, email);
    const client = await startLogin(security, email, '198.51.100.31');
    const replies = [];
    for (let i = 0; i < 20; i++) replies.push(await client.post('/tf-rescue', { help_setup: 'help' }));
    expect(replies.map((reply) => reply.status)).toEqual(Array<number>(20).fill(200));
    for (const reply of replies) expect(reply.json.recovery_options).toEqual({ help: '/tf-rescue' });
    await smtp.waitForMail((mail) => mail.text.includes(email));
    await settle();
    expect(helpMailsFor(email)).toBe(1);
  });

  it('20 requests at once in one login mail once; the others get 200 or 429, never a second mail', async () => {
    const { security } = app();
    const email = 'help-burst@example.test';
    await userWithAuthenticator(security, email);
    const client = await startLogin(security, email, '198.51.100.32');
    const replies = await Promise.all(Array.from({ length: 20 }, () => client.post('/tf-rescue', { help_setup: 'help' })));
    expect(replies.filter((reply) => reply.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const reply of replies) expect([200, 429]).toContain(reply.status);
    await smtp.waitForMail((mail) => mail.text.includes(email));
    await settle();
    expect(helpMailsFor(email)).toBe(1);
  });

  it("new logins of one account are capped by the account's send limit: 10 mails an hour, then 429 with Retry-After", async () => {
    const { security, clock } = app();
    const email = 'help-logins@example.test';
    await userWithAuthenticator(security, email);
    const statuses: number[] = [];
    let refused = null;
    for (let i = 0; i < 12; i++) {
      // Each login from its own address, so only the account is shared.
      const client = await startLogin(security, email, `192.0.2.${40 + i}`);
      const reply = await client.post('/tf-rescue', { help_setup: 'help' });
      statuses.push(reply.status);
      if (reply.status === 429) refused ??= reply;
      clock.advance(60);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
    expect(Number(refused?.headers.get('retry-after'))).toBe(3600 - 10 * 60);
    expect(refused?.json.field_errors).toEqual({ help_setup: ['Too many codes have been sent. Please wait before asking for another.'] });
    await settle();
    expect(helpMailsFor(email)).toBe(10);
  });
});
