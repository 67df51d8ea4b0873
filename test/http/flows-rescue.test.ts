/** Guards the way out when the second factor is out of reach: rescue by e-mail, help mail, recovery codes (docs/flask-security-reference.md §2.4, §2.6, §2.7). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, wrongCode } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';

const db = useDatastore();
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

async function startLogin(client: Client, email: string, extra: Record<string, unknown> = {}) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD, ...extra });
}

/** A user with an authenticator and a fresh set of recovery codes, made over HTTP; the client is logged out again. */
async function userWithRecoveryCodes(email: string, options: Record<string, unknown> = {}) {
  const made = makeApp(db.datastore, { smtpUrl: smtp.url, options });
  const { phone } = await userWithAuthenticator(made.security, email);
  const client = await loggedInClient(made.security, made.clock, email, { phone });
  const generated = await client.post('/mf-recovery-codes', {});
  expect(generated.status).toBe(200);
  const codes = generated.json.recovery_codes as string[];
  expect((await client.post('/logout', {})).status).toBe(200);
  made.clock.advance(30); // the next login needs the next authenticator step
  return { ...made, phone, codes };
}

describe('rescue', () => {
  it('JSON, email (twoFactorRescueEmail): the code is mailed and completes the login through /tf-validate', async () => {
    const { security } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorRescueEmail: true } });
    await userWithAuthenticator(security, 'rescue-mail@example.test');
    const client = new Client(security);
    await startLogin(client, 'rescue-mail@example.test');
    const options = await client.get('/tf-rescue');
    expect(options.json).toEqual({ csrf_token: client.csrf, recovery_options: { help: '/tf-rescue', email: '/tf-rescue' } });
    const rescued = await client.post('/tf-rescue', { help_setup: 'email' });
    expect(rescued.status).toBe(200);
    expect(rescued.json.recovery_options).toEqual({ help: '/tf-rescue', email: '/tf-rescue' });
    const mail = await smtp.waitForMail((m) => m.to === 'rescue-mail@example.test');
    const code = codeIn(mail.text);
    expect((await client.post('/tf-validate', { code: wrongCode(code) })).status).toBe(400);
    const done = await client.post('/tf-validate', { code });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email: 'rescue-mail@example.test' });
  });

  it('HTML, email: the page says the code was sent, and the mailed code logs in', async () => {
    const { security } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorRescueEmail: true } });
    await userWithAuthenticator(security, 'rescue-mail-html@example.test');
    const client = new Client(security, { json: false });
    await client.follow(await startLogin(client, 'rescue-mail-html@example.test'));
    const page = await client.post('/tf-rescue', { help_setup: 'email' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('The code for authentication was sent to your email address');
    expect(formNamed(page.text, 'two_factor_verify_code_form').action).toBe('/tf-validate');
    const code = codeIn((await smtp.waitForMail((m) => m.to === 'rescue-mail-html@example.test')).text);
    const done = await client.post('/tf-validate', { code });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/');
  });

  it('help: a mail naming the user goes to twoFactorRescueMail; the login stays where it was', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorRescueMail: 'admin@example.test' } });
    const { phone } = await userWithAuthenticator(security, 'rescue-help@example.test');
    const client = new Client(security);
    await startLogin(client, 'rescue-help@example.test');
    const rescued = await client.post('/tf-rescue', { help_setup: 'help' });
    expect(rescued.status).toBe(200);
    expect(rescued.json).toEqual({ csrf_token: client.csrf, recovery_options: { help: '/tf-rescue' } });
    const mail = await smtp.waitForMail((m) => m.to === 'admin@example.test');
    expect(mail.subject).toBe('Two-Factor Rescue');
    expect(mail.text).toContain('rescue-help@example.test');
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);

    const browser = new Client(security, { json: false });
    await browser.follow(await startLogin(browser, 'rescue-help@example.test'));
    const page = await browser.post('/tf-rescue', { help_setup: 'help' });
    expect(page.text).toContain('An email was sent to us in order to reset your application account');
    await smtp.waitForMail((m) => m.to === 'admin@example.test');
  });

  it('without twoFactorRescueEmail, `email` is not a choice', async () => {
    const { security } = makeApp(db.datastore, { smtpUrl: smtp.url });
    await userWithAuthenticator(security, 'rescue-no-mail@example.test');
    const client = new Client(security);
    await startLogin(client, 'rescue-no-mail@example.test');
    const refused = await client.post('/tf-rescue', { help_setup: 'email' });
    expect(refused.status).toBe(400);
    expect(refused.json.field_errors).toEqual({ help_setup: ['Not a valid choice.'] });
  });
});

describe('recovery codes', () => {
  it('POST /mf-recovery-codes shows a new set once; GET only counts them; a new set replaces the old', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'codes@example.test');
    const client = await loggedInClient(security, clock, 'codes@example.test', { phone });
    expect((await client.get('/mf-recovery-codes')).json).toEqual({ csrf_token: client.csrf, recovery_codes: [], remaining: 0 });
    const first = await client.post('/mf-recovery-codes', {});
    const codes = first.json.recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const shown = await client.get('/mf-recovery-codes');
    expect(shown.json).toEqual({ csrf_token: client.csrf, recovery_codes: [], remaining: 10 });
    for (const code of codes) expect(shown.text).not.toContain(code);
    const rows = await db.datastore.db.selectFrom('recovery_codes').selectAll().execute();
    for (const code of codes) expect(JSON.stringify(rows)).not.toContain(code);
    const second = (await client.post('/mf-recovery-codes', {})).json.recovery_codes as string[];
    expect(second.filter((code) => codes.includes(code))).toEqual([]);
    expect((await client.get('/mf-recovery-codes')).json.remaining).toBe(10);
  });

  it('HTML: the page counts the codes and has the generate form; the POST lists the new codes', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'codes-html@example.test');
    const client = await loggedInClient(security, clock, 'codes-html@example.test', { phone, json: false });
    const page = await client.get('/mf-recovery-codes');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const form = formNamed(page.text, 'mf_recovery_codes_form');
    expect(form).toMatchObject({ action: '/mf-recovery-codes', method: 'post' });
    expect(form.fields).toEqual(expect.arrayContaining(['csrf_token', 'generate_new_codes']));
    const made = await client.post('/mf-recovery-codes', { generate_new_codes: 'y' });
    expect(made.status).toBe(200);
    expect(made.text).toContain('Be sure to copy these and store in a safe place. Each code can be used only once.');
    expect(await security.recoveryCodes.getRemainingCodes((await security.findUserByEmail('codes-html@example.test'))!)).toBe(10);
  });

  it('JSON: rescue recovery_code → 302 /mf-recovery → a code logs in, once', async () => {
    const { security, codes } = await userWithRecoveryCodes('recover-json@example.test');
    const client = new Client(security);
    await startLogin(client, 'recover-json@example.test');
    expect((await client.get('/tf-validate')).json.recovery_options).toEqual({ help: '/tf-rescue', recovery_code: '/mf-recovery' });
    const rescue = await client.post('/tf-rescue', { help_setup: 'recovery_code' });
    expect(rescue.status).toBe(302);
    expect(rescue.location).toBe('/mf-recovery');
    expect((await client.follow(rescue)).json).toEqual({ csrf_token: client.csrf });
    const wrong = await client.post('/mf-recovery', { code: 'not-a-code' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.field_errors).toEqual({ code: ['Recovery code invalid'] });
    const done = await client.post('/mf-recovery', { code: codes[0] });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email: 'recover-json@example.test' });
    // The reply says how many are left and that the set should be replaced (REC-05).
    expect(done.json).toMatchObject({ mf_recovery_codes_left: 9, mf_recovery_codes_replace: true });
    // No remember-this-device from a recovery code, and the code is spent.
    expect(done.headers.getSetCookie().some((cookie) => cookie.startsWith('tf_validity='))).toBe(false);
    const again = new Client(security);
    await startLogin(again, 'recover-json@example.test');
    expect((await again.post('/mf-recovery', { code: codes[0] })).status).toBe(400);
    expect((await again.post('/mf-recovery', { code: codes[1] })).status).toBe(200);
  });

  it('HTML: rescue recovery_code redirects to the recovery page, whose code form completes the login to next', async () => {
    const { security, codes } = await userWithRecoveryCodes('recover-html@example.test');
    const client = new Client(security, { json: false });
    const login = await startLogin(client, 'recover-html@example.test', { next: '/inbox' });
    const validate = await client.follow(login);
    expect(validate.text).toContain('value="recovery_code"');
    const rescue = await client.post('/tf-rescue', { help_setup: 'recovery_code' });
    expect(rescue.status).toBe(302);
    expect(rescue.location).toBe('/mf-recovery');
    const page = await client.follow(rescue);
    expect(formNamed(page.text, 'mf_recovery_form')).toMatchObject({ action: '/mf-recovery', fields: ['csrf_token', 'code'] });
    const wrong = await client.post('/mf-recovery', { code: 'nope' });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('Recovery code invalid');
    const done = await client.post('/mf-recovery', { code: codes[2] });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/inbox');
  });
});
