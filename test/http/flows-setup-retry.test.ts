/** Guards a set-up against a slip: a wrong code or a wrong token leaves the pending set-up, its QR code and its key as they were. */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import { loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client, formNamed, type Reply } from '../support/client.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();

/** The key the page shows for typing by hand, without its spaces. */
function keyOn(page: Reply): string {
  const key = /<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(page.text)?.[1];
  if (key === undefined) throw new Error(`no key on the page: ${page.text.slice(0, 300)}`);
  return key.replace(/ /g, '');
}

/** The errors listed beside the code field of the set-up page. */
function codeFieldErrors(page: Reply): string | null {
  return /<ul class="tf-field-errors" id="tf-setup-code-errors">([\s\S]*?)<\/ul>/.exec(page.text)?.[1] ?? null;
}

describe('a wrong code while setting up an authenticator keeps the QR code and key', () => {
  it('logged-in change: the page comes back with the same key, a QR code and the error at the code; the same key then completes it', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'retry-change@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = await loggedInClient(security, clock, email, { phone, json: false });
    await client.get('/tf-setup');
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const key = keyOn(started);
    const action = formNamed(started.text, 'two_factor_verify_code_form').action ?? '';
    clock.advance(30);
    const wrong = await client.post(action, { code: wrongCode(new Totp(key).generatePassword(clock.nowInSeconds())) });
    expect(wrong.status).toBe(200);
    expect(keyOn(wrong)).toBe(key);
    expect(wrong.text).toContain('<svg');
    expect(codeFieldErrors(wrong)).toContain('Invalid code');
    expect(formNamed(wrong.text, 'two_factor_verify_code_form').action).toBe(action);
    const done = await client.post(action, { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect((await client.follow(done)).text).toContain('You successfully changed your two-factor method.');
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(key);
  });

  it('set-up during a login (validating_profile): /tf-validate shows the same key and QR code with the error; the same key logs in', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const email = 'retry-login@example.test';
    await userWithPassword(security, email);
    const client = new Client(security, { json: false });
    await client.get('/login');
    await client.follow(await client.post('/login', { email, password: PASSWORD }));
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const key = keyOn(started);
    const wrong = await client.post('/tf-validate', { code: wrongCode(new Totp(key).generatePassword(clock.nowInSeconds())) });
    expect(wrong.status).toBe(200);
    expect(keyOn(wrong)).toBe(key);
    expect(wrong.text).toContain('<svg');
    expect(codeFieldErrors(wrong)).toContain('Invalid code');
    expect(formNamed(wrong.text, 'two_factor_verify_code_form').action).toBe('/tf-validate');
    const done = await client.post('/tf-validate', { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/');
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(key);
  });
});

describe('a wrong token at /tf-setup/<token>', () => {
  it('is refused and leaves the pending change alone: the right token and code then complete it', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'wrong-token@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = await loggedInClient(security, clock, email, { phone });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    const stray = await client.post('/tf-setup/not-the-token', { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(stray.status).toBe(400);
    expect(stray.json.errors).toEqual(['Input not appropriate for requested API']);
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(phone.secrets);
    const done = await client.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(newPhone.secrets);
  });
});
