/** Guards docs/flask-security-reference.md §3.2's login transitions over HTTP, JSON and HTML: no 2FA, set-up during login (authenticator, e-mail, SMS), validation, selection. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowInWholeSeconds, type Clock } from '../../src/clock.js';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import { TfPluginBase, type TfSetupData, type TfSetupResult, type TfTokenContext } from '../../src/factors/plugin.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { User } from '../../src/user.js';
import { codeIn, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
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

/** A small second factor beside the code plugin: a 4-digit PIN "sent" to an outbox, good once. */
class PinTfPlugin extends TfPluginBase {
  readonly methods: readonly string[] = ['pin'];
  readonly outbox: { userId: string; challenge: string | undefined; pin: string }[] = [];
  readonly #users = new Set<string>();
  readonly #pins = new Map<string, string>();
  #counter = 4100;

  constructor(private readonly clock: Clock) {
    super();
  }
  enable(user: User): void {
    this.#users.add(user.id);
  }
  async setupTf(_user: User, setupData: TfSetupData): Promise<TfSetupResult> {
    return { ok: true, pending: { method: setupData.method, startedAtInSeconds: nowInWholeSeconds(this.clock) } };
  }
  async sendToken(user: User, context: TfTokenContext = {}): Promise<boolean> {
    const pin = String((this.#counter += 7));
    this.#pins.set(`${user.id}/${context.challenge}`, pin);
    this.outbox.push({ userId: user.id, challenge: context.challenge, pin });
    return true;
  }
  async verifyToken(user: User, token: unknown, context: TfTokenContext = {}): Promise<boolean> {
    const key = `${user.id}/${context.challenge}`;
    if (this.#pins.get(key) !== token) return false;
    this.#pins.delete(key);
    return true;
  }
  async isSetup(user: User): Promise<boolean> {
    return this.#users.has(user.id);
  }
  async removeTf(user: User): Promise<void> {
    this.#users.delete(user.id);
  }
}

function delivering(options: Record<string, unknown> = {}) {
  return makeApp(db.datastore, { smtpUrl: smtp.url, smsSender: SmsSenderFactory.create('twilio', twilio.config), options: { twoFactorRequired: true, ...options } });
}

async function startLogin(client: Client, email: string, extra: Record<string, unknown> = {}) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD, ...extra });
}

describe('login without a second factor', () => {
  it('JSON: logs in at once with tf_required false and a session that authenticates', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'plain-json@example.test');
    const client = new Client(security);
    const reply = await startLogin(client, 'plain-json@example.test');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ tf_required: false, user: { email: 'plain-json@example.test' } });
    expect(typeof reply.json.csrf_token).toBe('string');
    expect((await client.get('/tf-setup')).json).toMatchObject({ tf_required: false, tf_method: null, tf_available_methods: ['authenticator', 'sms'] });
  });

  it('HTML: the login page has the form, the POST redirects to next, and no flash of a second factor', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'plain-html@example.test');
    const client = new Client(security, { json: false });
    const page = await client.get('/login?next=/profile');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(formNamed(page.text, 'login_user_form')).toMatchObject({ action: '/login', method: 'post', fields: ['csrf_token', 'email', 'password', 'remember', 'next'] });
    const reply = await client.post('/login?next=/profile', { email: 'plain-html@example.test', password: PASSWORD, next: '/profile' });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe('/profile');
    expect(reply.headers.getSetCookie().some((cookie) => cookie.startsWith('twofold_session='))).toBe(true);
  });
});

describe('set-up during login', () => {
  it('JSON, authenticator: setup_from_login → validating_profile → logged in; the setup code then no longer works', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    await userWithPassword(security, 'setup-authr@example.test');
    const client = new Client(security);
    expect((await startLogin(client, 'setup-authr@example.test')).json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    expect(started.json).toMatchObject({ tf_state: 'validating_profile', tf_primary_method: 'authenticator', tf_method: 'authenticator', tf_state_token: null });
    expect(Object.keys(started.json).sort()).toEqual(
      ['csrf_token', 'tf_authr_b32key', 'tf_authr_issuer', 'tf_authr_key', 'tf_authr_uri', 'tf_authr_username', 'tf_method', 'tf_primary_method', 'tf_state', 'tf_state_token'].sort(),
    );
    const phone = new Totp(started.json.tf_authr_b32key as string);
    expect(started.json.tf_authr_b32key).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.json.tf_authr_key).toBe(phone.secrets.match(/.{4}/g)?.join('-'));
    expect(started.json).toMatchObject({ tf_authr_username: 'setup-authr@example.test', tf_authr_issuer: 'twofold tests' });
    expect(started.json.tf_authr_uri).toMatch(new RegExp(`^otpauth://totp/twofold%20tests:setup-authr%40example\\.test\\?secret=${phone.secrets}&issuer=twofold%20tests`));
    const code = phone.generatePassword(clock.nowInSeconds());
    const wrong = await client.post('/tf-validate', { code: wrongCode(code) });
    expect(wrong.status).toBe(400);
    expect(wrong.json.field_errors).toEqual({ code: ['Invalid code'] });
    const done = await client.post('/tf-validate', { code });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email: 'setup-authr@example.test' });
    const stored = await security.findUserByEmail('setup-authr@example.test');
    expect(stored?.tfPrimaryMethod).toBe('authenticator');
    expect(totpSecretOf(security, stored)).toBe(phone.secrets);
  });

  it('re-POSTing /tf-setup replaces the pending secret: the first key no longer completes the set-up', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    await userWithPassword(security, 'setup-twice@example.test');
    const client = new Client(security);
    await startLogin(client, 'setup-twice@example.test');
    const first = new Totp((await client.post('/tf-setup', { setup: 'authenticator' })).json.tf_authr_b32key as string);
    const second = new Totp((await client.post('/tf-setup', { setup: 'authenticator' })).json.tf_authr_b32key as string);
    expect(second.secrets).not.toBe(first.secrets);
    const stale = await client.post('/tf-validate', { code: first.generatePassword(clock.nowInSeconds()) });
    expect(stale.status).toBe(400);
    expect((await client.post('/tf-validate', { code: second.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    expect(totpSecretOf(security, await security.findUserByEmail('setup-twice@example.test'))).toBe(second.secrets);
  });

  it('HTML, authenticator: 302 to /tf-setup, the QR page with a code form posting to /tf-validate, then 302 to next', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    await userWithPassword(security, 'setup-html@example.test');
    const client = new Client(security, { json: false });
    const login = await startLogin(client, 'setup-html@example.test', { next: '/after' });
    expect(login.status).toBe(302);
    expect(login.location).toBe('/tf-setup?next=%2Fafter');
    const page = await client.follow(login);
    expect(formNamed(page.text, 'two_factor_setup_form')).toMatchObject({ action: '/tf-setup?next=%2Fafter', fields: ['csrf_token', 'setup', 'phone'] });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    expect(started.status).toBe(200);
    expect(started.text).toContain('<svg');
    expect(formNamed(started.text, 'two_factor_verify_code_form')).toMatchObject({ action: '/tf-validate?next=%2Fafter', fields: ['csrf_token', 'code'] });
    const key = /<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1];
    const phone = new Totp((key ?? '').replace(/ /g, ''));
    const wrong = await client.post('/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('Invalid code');
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/after');
  });

  it('JSON and HTML, e-mail: the code arrives through SMTP and completes the set-up', async () => {
    const { security } = delivering();
    await userWithPassword(security, 'setup-mail@example.test');
    const client = new Client(security);
    await startLogin(client, 'setup-mail@example.test');
    const started = await client.post('/tf-setup', { setup: 'email' });
    expect(started.json).toMatchObject({ tf_state: 'validating_profile', tf_method: 'email', tf_state_token: null });
    expect(started.json).not.toHaveProperty('tf_authr_key');
    const mail = await smtp.waitForMail((m) => m.to === 'setup-mail@example.test');
    expect(mail.subject).toBe('Two-Factor Login');
    expect((await client.post('/tf-validate', { code: codeIn(mail.text) })).status).toBe(200);
    expect((await security.findUserByEmail('setup-mail@example.test'))?.tfPrimaryMethod).toBe('email');

    await userWithPassword(security, 'setup-mail-html@example.test');
    const browser = new Client(security, { json: false });
    await startLogin(browser, 'setup-mail-html@example.test');
    await browser.get('/tf-setup');
    const page = await browser.post('/tf-setup', { setup: 'email' });
    expect(page.text).toContain('A code was sent to your email address.');
    expect(formNamed(page.text, 'two_factor_verify_code_form').action).toBe('/tf-validate');
    const code = codeIn((await smtp.waitForMail((m) => m.to === 'setup-mail-html@example.test')).text);
    const done = await browser.post('/tf-validate', { code });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/');
  });

  it('JSON, SMS: the code goes through the twilio sender; the phone is stored in E.164 only once confirmed', async () => {
    const { security } = delivering();
    await userWithPassword(security, 'setup-sms@example.test');
    const client = new Client(security);
    await startLogin(client, 'setup-sms@example.test');
    const noPhone = await client.post('/tf-setup', { setup: 'sms' });
    expect(noPhone.status).toBe(400);
    expect(noPhone.json.field_errors).toEqual({ phone: ['Phone number not valid e.g. missing country code'] });
    const started = await client.post('/tf-setup', { setup: 'sms', phone: '(650) 555-1234' });
    expect(started.json).toMatchObject({ tf_state: 'validating_profile', tf_method: 'sms' });
    expect((await security.findUserByEmail('setup-sms@example.test'))?.tfPhoneNumber).toBeNull();
    const sms = await twilio.waitForSms((m) => m.to === '+16505551234');
    expect(sms.from).toBe(twilio.config.phoneNumber);
    expect((await client.post('/tf-validate', { code: codeIn(sms.body) })).status).toBe(200);
    const stored = await security.findUserByEmail('setup-sms@example.test');
    expect({ method: stored?.tfPrimaryMethod, phone: stored?.tfPhoneNumber }).toEqual({ method: 'sms', phone: '+16505551234' });
  });

  it('HTML, SMS: the phone field error re-renders the page; the texted code completes the set-up', async () => {
    const { security } = delivering();
    await userWithPassword(security, 'setup-sms-html@example.test');
    const client = new Client(security, { json: false });
    await client.follow(await startLogin(client, 'setup-sms-html@example.test'));
    const invalid = await client.post('/tf-setup', { setup: 'sms', phone: '555-1212' });
    expect(invalid.status).toBe(200);
    expect(invalid.text).toContain('Phone number not valid e.g. missing country code');
    expect(formNamed(invalid.text, 'two_factor_setup_form').fields).toContain('phone');
    const started = await client.post('/tf-setup', { setup: 'sms', phone: '+1 650 555 1299' });
    expect(started.text).toContain('A code was sent to your phone.');
    const code = codeIn((await twilio.waitForSms((m) => m.to === '+16505551299')).body);
    const done = await client.post(formNamed(started.text, 'two_factor_verify_code_form').action ?? '', { code });
    expect(done.status).toBe(302);
    expect((await security.findUserByEmail('setup-sms-html@example.test'))?.tfPhoneNumber).toBe('+16505551299');
  });
});

describe('validation at login', () => {
  it('HTML: 302 to /tf-validate?next, a page with the code and rescue forms, a wrong code re-rendered, the right one logs in', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'validate-html@example.test');
    const events: string[] = [];
    security.events.on('userFailedAuthn', (event) => void events.push(`failed ${event.authType}`));
    security.events.on('tfCodeConfirmed', (event) => void events.push(`confirmed ${event.method}`));
    const client = new Client(security, { json: false });
    const login = await startLogin(client, 'validate-html@example.test', { next: '/dash?tab=1' });
    expect(login.status).toBe(302);
    expect(login.location).toBe('/tf-validate?next=%2Fdash%3Ftab%3D1');
    const page = await client.follow(login);
    expect(page.text).toContain('Please enter your authentication code generated via: authenticator');
    expect(formNamed(page.text, 'two_factor_verify_code_form')).toMatchObject({ action: '/tf-validate?next=%2Fdash%3Ftab%3D1', fields: ['csrf_token', 'code'] });
    expect(formNamed(page.text, 'two_factor_rescue_form')).toMatchObject({ action: '/tf-rescue', fields: ['csrf_token', 'help_setup'] });
    const code = phone.generatePassword(clock.nowInSeconds());
    const wrong = await client.post('/tf-validate', { code: wrongCode(code) });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('Invalid code');
    const done = await client.post('/tf-validate', { code });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/dash?tab=1');
    expect(events).toEqual(['failed code', 'confirmed authenticator']);
    expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${client.cookies.get('twofold_session')}` } }))).toMatchObject({ tfVerified: true });
  });

  it('JSON, e-mail method: login sends a code (no user in the reply), GET shows recovery_options, the code logs in once', async () => {
    const { security, clock } = delivering({ twoFactorRequired: false });
    const user = await userWithPassword(security, 'validate-mail@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const client = new Client(security);
    const login = await startLogin(client, 'validate-mail@example.test');
    expect(login.json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'email', tf_primary_method: 'email' });
    expect(login.json).not.toHaveProperty('user');
    const form = await client.get('/tf-validate');
    expect(form.json).toEqual({ csrf_token: client.csrf, recovery_options: { help: '/tf-rescue' } });
    const code = codeIn((await smtp.waitForMail((m) => m.to === 'validate-mail@example.test')).text);
    expect((await client.post('/tf-validate', { code })).json.user).toEqual({ email: 'validate-mail@example.test' });
    clock.advance(security.config.twoFactorSendCooldown);
    const again = new Client(security);
    await startLogin(again, 'validate-mail@example.test');
    await smtp.waitForMail((m) => m.to === 'validate-mail@example.test');
    expect((await again.post('/tf-validate', { code })).status).toBe(400);
  });
});

describe('selection among several methods', () => {
  async function twoMethodUser(email: string) {
    const { security, clock } = makeApp(db.datastore);
    const pin = new PinTfPlugin(clock);
    security.plugins.registerPlugin('pin', pin);
    const { user, phone } = await userWithAuthenticator(security, email);
    pin.enable(user);
    return { security, clock, pin, phone };
  }

  it('JSON: tf_select with both methods, GET lists them, an unknown one is refused, the chosen plugin completes the login', async () => {
    const { security, pin } = await twoMethodUser('select-json@example.test');
    const client = new Client(security);
    const login = await startLogin(client, 'select-json@example.test');
    expect(login.json).toMatchObject({ tf_required: true, tf_select: true, tf_setup_methods: ['authenticator', 'pin'] });
    expect((await client.get('/tf-select')).json).toMatchObject({ tf_select: true, tf_setup_methods: ['authenticator', 'pin'] });
    const unknown = await client.post('/tf-select', { which: 'sms' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.field_errors).toEqual({ which: ['Not a valid choice.'] });
    const chosen = await client.post('/tf-select', { which: 'pin' });
    expect(chosen.json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'pin' });
    const sent = pin.outbox.at(-1);
    expect(sent?.challenge).toEqual(expect.any(String));
    const done = await client.post('/tf-validate', { code: sent?.pin });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email: 'select-json@example.test' });
  });

  it('HTML: 302 to /tf-select?next, a form with `which`, then 302 to /tf-validate?next and the authenticator code logs in', async () => {
    const { security, clock, phone } = await twoMethodUser('select-html@example.test');
    const client = new Client(security, { json: false });
    const login = await startLogin(client, 'select-html@example.test', { next: '/x' });
    expect(login.location).toBe('/tf-select?next=%2Fx');
    const page = await client.follow(login);
    expect(formNamed(page.text, 'tf_select')).toMatchObject({ action: '/tf-select?next=%2Fx', fields: ['csrf_token', 'which'] });
    expect(page.text).toContain('value="pin"');
    const chosen = await client.post('/tf-select?next=%2Fx', { which: 'authenticator' });
    expect(chosen.status).toBe(302);
    expect(chosen.location).toBe('/tf-validate?next=%2Fx');
    await client.follow(chosen);
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.location).toBe('/x');
  });
});
