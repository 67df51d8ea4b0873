/**
 * Guards "send a new code" on /tf-validate and the send cooldown met at login: the login stays, the page says
 * how long to wait, a new code replaces the old one, and nothing completes a login without a code.
 */
import { describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/delivery/mail.js';
import type { Security } from '../../src/security.js';
import { codeIn, makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client, formNamed, type Reply } from '../support/client.js';

const db = useDatastore();

const TOO_MANY = 'Too many codes have been sent. Please wait before asking for another.';

/** An app whose mails land in `mails`, and a user whose second factor is e-mail codes. */
async function mailingApp(email: string) {
  const mails: MailMessage[] = [];
  const app = makeApp(db.datastore, { mailer: { send: async (mail) => void mails.push(mail) } });
  const user = await userWithPassword(app.security, email);
  await app.security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
  return { ...app, mails };
}

async function passwordStep(security: Security, email: string, json: boolean): Promise<{ client: Client; reply: Reply }> {
  const client = new Client(security, { json });
  await client.get('/login');
  return { client, reply: await client.post('/login', { email, password: PASSWORD }) };
}

describe('the send cooldown met at login', () => {
  it('HTML: the login goes on to /tf-validate, which says how long to wait; after the wait a new code is sent, and only the newest logs in', async () => {
    const email = 'resend-html@example.test';
    const { security, clock, mails } = await mailingApp(email);
    await passwordStep(security, email, false);
    const firstCode = codeIn(mails.at(-1)?.text ?? '');
    clock.advance(10);

    const { client, reply } = await passwordStep(security, email, false);
    expect(reply.status).toBe(302);
    expect(reply.location).toBe('/tf-validate');
    const page = await client.follow(reply);
    expect(page.text).toContain(TOO_MANY);
    expect(page.text).toContain('You can ask for a new code in 20 seconds.');
    expect(formNamed(page.text, 'two_factor_resend_form')).toMatchObject({ action: '/tf-validate', fields: ['csrf_token', 'resend'] });
    expect(mails).toHaveLength(1);
    // The code of the other login is not this login's: nothing completes it before a code is sent.
    expect((await client.post('/tf-validate', { code: firstCode })).text).toContain('Invalid code');

    const early = await client.post('/tf-validate', { resend: '1' });
    expect(early.location).toBe('/tf-validate');
    expect((await client.follow(early)).text).toContain('You can ask for a new code in 20 seconds.');
    expect(mails).toHaveLength(1);

    clock.advance(20);
    const sent = await client.post('/tf-validate', { resend: '1' });
    expect(sent.location).toBe('/tf-validate');
    expect((await client.follow(sent)).text).toContain('Code has been sent.');
    expect(mails).toHaveLength(2);
    const secondCode = codeIn(mails.at(-1)?.text ?? '');

    clock.advance(30);
    await client.post('/tf-validate', { resend: '1' });
    expect(mails).toHaveLength(3);
    const thirdCode = codeIn(mails.at(-1)?.text ?? '');
    // A resend voids the code before it.
    if (secondCode !== thirdCode) expect((await client.post('/tf-validate', { code: secondCode })).text).toContain('Invalid code');
    const done = await client.post('/tf-validate', { code: thirdCode });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/');
  });

  it('JSON: 429 with Retry-After and retry_after beside tf_state ready; resend is refused until the wait is over, then its code logs in', async () => {
    const email = 'resend-json@example.test';
    const { security, clock, mails } = await mailingApp(email);
    await passwordStep(security, email, true);
    clock.advance(10);
    const { client, reply } = await passwordStep(security, email, true);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('20');
    expect(reply.json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'email', retry_after: 20, errors: [TOO_MANY] });

    clock.advance(5);
    const early = await client.post('/tf-validate', { resend: '1' });
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('15');
    expect(early.json).toMatchObject({ retry_after: 15, errors: [TOO_MANY] });
    expect(mails).toHaveLength(1);

    clock.advance(15);
    const sent = await client.post('/tf-validate', { resend: '1' });
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'email' });
    expect(mails).toHaveLength(2);
    const done = await client.post('/tf-validate', { code: codeIn(mails.at(-1)?.text ?? '') });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email });
  });

  it('an authenticator login has no resend: no form on the page, and a JSON resend is refused', async () => {
    const { security } = makeApp(db.datastore);
    const email = 'resend-authr@example.test';
    const user = await userWithPassword(security, email);
    await security.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: security.keyring.encrypt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', `users.tf_totp_secret:${user.id}`), phoneNumber: null, lastStep: null });
    const { client, reply } = await passwordStep(security, email, false);
    const page = await client.follow(reply);
    expect(page.text).not.toContain('two_factor_resend_form');
    const json = (await passwordStep(security, email, true)).client;
    expect((await json.post('/tf-validate', { resend: '1' })).status).toBe(400);
  });
});

describe('pages shown again keep what was typed', () => {
  it('a login whose code could not be sent shows the login page again with the e-mail address', async () => {
    const { security } = makeApp(db.datastore, { mailer: { send: async () => Promise.reject(new Error('mail server down')) } });
    const email = 'typed-email@example.test';
    const user = await userWithPassword(security, email);
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const { reply } = await passwordStep(security, email, false);
    expect(reply.status).toBe(500);
    expect(reply.text).toContain('Failed to send code. Please try again later');
    expect(reply.text).toMatch(new RegExp(`<input[^>]*name="email"[^>]*value="${email}"`));
  });

  it('the set-up form keeps the phone number typed when it comes back with an error', async () => {
    const { security } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const email = 'typed-phone@example.test';
    await userWithPassword(security, email);
    const { client, reply } = await passwordStep(security, email, false);
    await client.follow(reply);
    const invalid = await client.post('/tf-setup', { setup: 'sms', phone: '555-1212' });
    expect(invalid.text).toContain('Phone number not valid e.g. missing country code');
    expect(invalid.text).toMatch(/<input[^>]*name="phone"[^>]*value="555-1212"/);
  });
});
