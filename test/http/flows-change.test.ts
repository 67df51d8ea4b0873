/** Guards docs/flask-security-reference.md §3.3: changing and disabling the second factor while logged in, only when fresh, and re-authentication by /verify. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowInWholeSeconds } from '../../src/clock.js';
import { resolveConfig } from '../../src/config.js';
import { hashPassword } from '../../src/passwords.js';
import { SmsSenderFactory } from '../../src/delivery/sms.js';
import { Totp } from '../../src/otp/totp-class.js';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';
import { TEST_START_IN_SECONDS, TEST_TOTP_SECRETS, totpSecretOf } from '../support/security.js';
import type { Security } from '../../src/security.js';
import type { User } from '../../src/user.js';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio.js';

const db = useDatastore();
let twilio: TwilioTestServer;
beforeAll(async () => {
  twilio = await startTwilioServer();
});
afterAll(() => twilio.close());

const SHORT_FRESHNESS = { freshness: 120, freshnessGracePeriod: 60 };

describe('change while logged in', () => {
  it('JSON via /tf-setup/<token>: the old method stays until the new code is confirmed', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone: oldPhone } = await userWithAuthenticator(security, 'change-token@example.test');
    const changed: unknown[] = [];
    security.events.on('tfProfileChanged', (event) => void changed.push(event.method));
    const client = await loggedInClient(security, clock, 'change-token@example.test', { phone: oldPhone });
    const form = await client.get('/tf-setup');
    expect(form.json).toMatchObject({ tf_required: false, tf_method: 'authenticator', tf_primary_method: 'authenticator', tf_available_methods: ['disable', 'authenticator', 'sms'] });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    expect(started.json).toMatchObject({ tf_state: 'validating_profile', tf_method: 'authenticator' });
    const token = started.json.tf_state_token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    expect(totpSecretOf(security, await security.findUserByEmail('change-token@example.test'))).toBe(oldPhone.secrets);
    clock.advance(30);
    const wrong = await client.post(`/tf-setup/${token}`, { code: wrongCode(newPhone.generatePassword(clock.nowInSeconds())) });
    expect(wrong.status).toBe(400);
    expect(wrong.json.field_errors).toEqual({ code: ['Invalid code'] });
    const done = await client.post(`/tf-setup/${token}`, { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(done.json).toEqual({ csrf_token: client.csrf, tf_method: 'authenticator', tf_primary_method: 'authenticator', tf_phone: null });
    expect(totpSecretOf(security, await security.findUserByEmail('change-token@example.test'))).toBe(newPhone.secrets);
    expect(changed).toEqual(['authenticator']);
    // The token is used up.
    const replay = await client.post(`/tf-setup/${token}`, { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(replay.status).toBe(400);
    expect(replay.json.errors).toEqual(['Input not appropriate for requested API']);
  });

  it('JSON via /tf-setup/<token> to SMS: the texted code confirms, and tf_phone is the E.164 number', async () => {
    const { security, clock } = makeApp(db.datastore, { smsSender: SmsSenderFactory.create('twilio', twilio.config) });
    const { phone } = await userWithAuthenticator(security, 'change-sms@example.test');
    const client = await loggedInClient(security, clock, 'change-sms@example.test', { phone });
    const started = await client.post('/tf-setup', { setup: 'sms', phone: '+44 20 8366 1177' });
    expect(started.json).toMatchObject({ tf_method: 'sms' });
    const sms = await twilio.waitForSms((m) => m.to === '+442083661177');
    const done = await client.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: codeIn(sms.body) });
    expect(done.json).toMatchObject({ tf_method: 'sms', tf_primary_method: 'sms', tf_phone: '+442083661177' });
    expect((await client.get('/tf-setup')).json).toMatchObject({ tf_method: 'sms', tf_phone_number: '+442083661177' });
  });

  it('an Authentication-Token client (no cookie, no CSRF) changes its factor through /tf-setup/<token>', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'change-api@example.test');
    const browser = new Client(security);
    await browser.get('/login');
    await browser.post('/login', { email: 'change-api@example.test', password: PASSWORD });
    const done = await browser.post('/tf-validate?include_auth_token', { code: phone.generatePassword(clock.nowInSeconds()) });
    const token = (done.json.user as { authentication_token: string }).authentication_token;
    const api = new Client(security, { headers: { 'authentication-token': token } });
    const started = await api.post('/tf-setup', { setup: 'authenticator' }, { csrf: false });
    expect(started.status).toBe(200);
    expect(started.headers.getSetCookie()).toEqual([]);
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    const changed = await api.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: newPhone.generatePassword(clock.nowInSeconds()) }, { csrf: false });
    expect(changed.status).toBe(200);
    expect(totpSecretOf(security, await security.findUserByEmail('change-api@example.test'))).toBe(newPhone.secrets);
  });

  it('HTML via /tf-setup/<token>: the code form posts to the token URL; success flashes and redirects to the set-up page', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'change-html@example.test');
    const client = await loggedInClient(security, clock, 'change-html@example.test', { phone, json: false });
    const form = await client.get('/tf-setup');
    expect(form.text).toContain('Currently setup two-factor method: authenticator');
    expect(form.text).toContain('value="disable"');
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const action = formNamed(started.text, 'two_factor_verify_code_form').action ?? '';
    expect(action).toMatch(/^\/tf-setup\/[A-Za-z0-9_-]+$/);
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
    clock.advance(30);
    const wrong = await client.post(action, { code: wrongCode(new Totp(key).generatePassword(clock.nowInSeconds())) });
    // The page stays, with the same key to try again (see flows-setup-retry.test.ts).
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('Invalid code');
    const done = await client.post(action, { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/tf-setup');
    expect((await client.follow(done)).text).toContain('You successfully changed your two-factor method.');
    expect(totpSecretOf(security, await security.findUserByEmail('change-html@example.test'))).toBe(key);
  });

  it('JSON via the legacy /tf-validate: GET shows the user, the new code confirms without a new login', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'change-legacy@example.test');
    const client = await loggedInClient(security, clock, 'change-legacy@example.test', { phone });
    const session = client.cookies.get('twofold_session');
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    expect((await client.get('/tf-validate')).json).toEqual({ csrf_token: client.csrf, user: { email: 'change-legacy@example.test' } });
    clock.advance(30);
    const done = await client.post('/tf-validate', { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ user: { email: 'change-legacy@example.test' }, tf_method: 'authenticator' });
    expect(client.cookies.get('twofold_session')).toBe(session);
    expect(totpSecretOf(security, await security.findUserByEmail('change-legacy@example.test'))).toBe(newPhone.secrets);
  });

  it('HTML via the legacy /tf-validate: the code page has no rescue form; success redirects to the set-up page', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'change-legacy-html@example.test');
    const client = await loggedInClient(security, clock, 'change-legacy-html@example.test', { phone, json: false });
    await client.get('/tf-setup');
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
    const page = await client.get('/tf-validate');
    expect(formNamed(page.text, 'two_factor_verify_code_form').action).toBe('/tf-validate');
    expect(page.text).not.toContain('two_factor_rescue_form');
    clock.advance(30);
    const done = await client.post('/tf-validate', { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/tf-setup');
  });

  it('opt-in: a user without 2FA enables it while logged in, and the next login asks for it', async () => {
    const { security, clock } = makeApp(db.datastore);
    await userWithPassword(security, 'opt-in@example.test');
    const client = await loggedInClient(security, clock, 'opt-in@example.test');
    expect((await client.get('/tf-setup')).json.tf_available_methods).toEqual(['authenticator', 'sms']);
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const phone = new Totp(started.json.tf_authr_b32key as string);
    expect((await client.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    const next = new Client(security);
    await next.get('/login');
    expect((await next.post('/login', { email: 'opt-in@example.test', password: PASSWORD })).json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'authenticator' });
  });
});

describe('disable', () => {
  it('JSON: setup=disable resets the factor at once and replies with the user; the next login needs no code', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'disable@example.test');
    const disabled: string[] = [];
    security.events.on('tfDisabled', (event) => void disabled.push(event.user.email));
    const client = await loggedInClient(security, clock, 'disable@example.test', { phone });
    const reply = await client.post('/tf-setup', { setup: 'disable' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ csrf_token: client.csrf, user: { email: 'disable@example.test' } });
    const stored = await security.findUserByEmail('disable@example.test');
    expect({ method: stored?.tfPrimaryMethod, secret: totpSecretOf(security, stored) }).toEqual({ method: null, secret: null });
    expect(disabled).toEqual(['disable@example.test']);
    expect((await client.get('/tf-setup')).json.tf_available_methods).toEqual(['authenticator', 'sms']);
    const again = await loggedInClient(security, clock, 'disable@example.test');
    expect(again.cookies.has('twofold_session')).toBe(true);
  });

  it('HTML: flash on the set-up page after the redirect', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'disable-html@example.test');
    const client = await loggedInClient(security, clock, 'disable-html@example.test', { phone, json: false });
    await client.get('/tf-setup');
    const reply = await client.post('/tf-setup', { setup: 'disable' });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe('/tf-setup');
    expect((await client.follow(reply)).text).toContain('You successfully disabled two-factor authorization.');
  });

  it('is no choice when 2FA is required', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const { phone } = await userWithAuthenticator(security, 'disable-required@example.test');
    const client = await loggedInClient(security, clock, 'disable-required@example.test', { phone });
    expect((await client.get('/tf-setup')).json.tf_available_methods).toEqual(['authenticator', 'sms']);
    const refused = await client.post('/tf-setup', { setup: 'disable' });
    expect(refused.status).toBe(400);
    expect(refused.json.field_errors).toEqual({ setup: ['Marked method is not valid'] });
    expect((await security.findUserByEmail('disable-required@example.test'))?.tfPrimaryMethod).toBe('authenticator');
  });
});

describe('freshness', () => {
  it('JSON: a stale session gets 401 reauth_required on /tf-setup and /mf-recovery-codes; /verify, password then code, makes it fresh (FLOW-08, MGT-01)', async () => {
    const { security, clock } = makeApp(db.datastore, { options: SHORT_FRESHNESS });
    const { phone } = await userWithAuthenticator(security, 'stale@example.test');
    const client = await loggedInClient(security, clock, 'stale@example.test', { phone });
    clock.advance(SHORT_FRESHNESS.freshness + SHORT_FRESHNESS.freshnessGracePeriod + 1);
    for (const [method, path] of [['GET', '/tf-setup'], ['POST', '/tf-setup'], ['GET', '/mf-recovery-codes'], ['POST', '/mf-recovery-codes']] as const) {
      const reply = method === 'GET' ? await client.get(path) : await client.post(path, { setup: 'disable' });
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.json, `${method} ${path}`).toMatchObject({ reauth_required: true, errors: ['You must reauthenticate to access this endpoint'] });
    }
    expect((await security.findUserByEmail('stale@example.test'))?.tfPrimaryMethod).toBe('authenticator');
    const wrong = await client.post('/verify', { password: 'not it' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.field_errors).toEqual({ password: ['Invalid password'] });
    // The password alone is not enough: the second factor is due next, and until then the session stays stale.
    const password = await client.post('/verify', { password: PASSWORD });
    expect(password.status).toBe(200);
    expect(password.json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'authenticator' });
    expect(password.json).not.toHaveProperty('user');
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(401);
    const code = phone.generatePassword(clock.nowInSeconds());
    expect((await client.post('/tf-validate', { code: wrongCode(code) })).json.field_errors).toEqual({ code: ['Invalid code'] });
    const staleCookie = client.cookies.get('twofold_session');
    const verified = await client.post('/tf-validate', { code });
    expect(verified.status).toBe(200);
    expect(verified.json.user).toEqual({ email: 'stale@example.test' });
    // A new session id for the fresh session; the old one is gone (FLOW-03).
    expect(client.cookies.get('twofold_session')).not.toBe(staleCookie);
    expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${staleCookie ?? ''}` } }))).toBeNull();
    expect((await client.get('/tf-setup')).status).toBe(200);
  });

  it('JSON: with freshnessRequiresSecondFactor off, /verify takes the password alone (FST)', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { ...SHORT_FRESHNESS, freshnessRequiresSecondFactor: false } });
    const { phone } = await userWithAuthenticator(security, 'stale-fst@example.test');
    const client = await loggedInClient(security, clock, 'stale-fst@example.test', { phone });
    clock.advance(SHORT_FRESHNESS.freshness + SHORT_FRESHNESS.freshnessGracePeriod + 1);
    expect((await client.get('/tf-setup')).status).toBe(401);
    expect((await client.post('/verify', { password: PASSWORD })).json.user).toEqual({ email: 'stale-fst@example.test' });
    expect((await client.get('/tf-setup')).status).toBe(200);
  });

  it('JSON: an e-mail user gets the code by mail, bound to this re-authentication', async () => {
    const mails: string[] = [];
    const { security, clock } = makeApp(db.datastore, { options: SHORT_FRESHNESS, mailer: { send: async (mail) => void mails.push(mail.text) } });
    const user = await userWithPassword(security, 'stale-mail@example.test');
    await security.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email: 'stale-mail@example.test', password: PASSWORD });
    expect((await client.post('/tf-validate', { code: codeIn(mails.at(-1) ?? '') })).status).toBe(200);
    clock.advance(SHORT_FRESHNESS.freshness + SHORT_FRESHNESS.freshnessGracePeriod + 1);
    expect((await client.post('/verify', { password: PASSWORD })).json).toMatchObject({ tf_required: true, tf_method: 'email' });
    expect((await client.post('/tf-validate', { code: codeIn(mails.at(-1) ?? '') })).json.user).toEqual({ email: 'stale-mail@example.test' });
    expect((await client.get('/tf-setup')).status).toBe(200);
  });

  it('HTML: a stale session is sent to /verify?next=…, whose form brings it back fresh', async () => {
    const { security, clock } = makeApp(db.datastore, { options: SHORT_FRESHNESS });
    const { phone } = await userWithAuthenticator(security, 'stale-html@example.test');
    const client = await loggedInClient(security, clock, 'stale-html@example.test', { phone, json: false });
    clock.advance(SHORT_FRESHNESS.freshness + SHORT_FRESHNESS.freshnessGracePeriod + 1);
    const stale = await client.get('/tf-setup');
    expect(stale.status).toBe(302);
    expect(stale.location).toBe('/verify?next=%2Ftf-setup');
    const page = await client.follow(stale);
    expect(page.text).toContain('You must reauthenticate to access this endpoint');
    expect(formNamed(page.text, 'verify_form')).toMatchObject({ action: '/verify', fields: ['csrf_token', 'password', 'next'] });
    const password = await client.post('/verify', { password: PASSWORD, next: '/tf-setup' });
    expect(password.status).toBe(302);
    expect(password.location).toBe('/tf-validate?next=%2Ftf-setup');
    const codePage = await client.follow(password);
    expect(formNamed(codePage.text, 'two_factor_verify_code_form').action).toBe('/tf-validate?next=%2Ftf-setup');
    const verified = await client.post('/tf-validate?next=%2Ftf-setup', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(verified.status).toBe(302);
    expect(verified.location).toBe('/tf-setup');
    expect((await client.follow(verified)).status).toBe(200);
  });

  for (const [label, options] of [
    ['shortened', SHORT_FRESHNESS],
    ['as shipped', {}],
  ] as const) {
    it(`${label}: a fresh use grants the grace past \`freshness\`, and a use within the grace does not extend it`, async () => {
      const { security, clock } = makeApp(db.datastore, { options });
      const { freshness, freshnessGracePeriod: grace } = security.config;
      const email = `grace-${label.replace(' ', '-')}@example.test`;
      const { phone } = await userWithAuthenticator(security, email);
      const client = await loggedInClient(security, clock, email, { phone });
      // A use is a POST: a GET changes nothing, so a link from another site cannot keep a session fresh.
      const use = async () => (await client.post('/tf-setup', { setup: 'no-such-method' })).status;
      clock.advance(freshness - 1);
      expect(await use()).toBe(400); // fresh by the login: the grace runs from now
      clock.advance(grace - 2); // past freshness, within the grace
      expect((await client.get('/tf-setup')).status).toBe(200);
      expect(await use()).toBe(400); // still fresh, but this use grants nothing more
      clock.advance(2); // freshness + grace - 1 after the login: the grace the first use granted is over
      expect((await client.get('/tf-setup')).status).toBe(401);
      expect((await client.post('/tf-setup', { setup: 'authenticator' })).status).toBe(401);
    });
  }
});

describe('other sessions after a change (FLOW-10)', () => {
  /** A user logged in twice and holding an API token, each a step apart (a TOTP code works once). */
  async function twoSessions(email: string, options: Record<string, unknown> = {}) {
    const { security, clock } = makeApp(db.datastore, { options });
    const { phone } = await userWithAuthenticator(security, email);
    const here = await loggedInClient(security, clock, email, { phone });
    clock.advance(30);
    const elsewhere = await loggedInClient(security, clock, email, { phone });
    clock.advance(30);
    const withToken = new Client(security);
    await withToken.get('/login');
    await withToken.post('/login', { email, password: PASSWORD });
    const token = (await withToken.post('/tf-validate?include_auth_token', { code: phone.generatePassword(clock.nowInSeconds()) })).json.user as { authentication_token: string };
    const alive = async (client: Client) => (await client.get('/tf-setup')).status === 200;
    const tokenAlive = async () => (await security.authenticate(new Request('http://localhost/', { headers: { 'authentication-token': token.authentication_token } }))) !== null;
    return { security, clock, here, elsewhere, alive, tokenAlive };
  }

  it('turning 2FA off ends the other sessions and API tokens, and keeps this one', async () => {
    const { here, elsewhere, alive, tokenAlive } = await twoSessions('others-disable@example.test');
    expect([await alive(elsewhere), await tokenAlive()]).toEqual([true, true]);
    expect((await here.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
    expect([await alive(here), await alive(elsewhere), await tokenAlive()]).toEqual([true, false, false]);
  });

  it('a confirmed change of authenticator ends them too; with twoFactorChangeEndsOtherSessions off they stay', async () => {
    for (const ends of [true, false]) {
      const { security, clock, here, elsewhere, alive, tokenAlive } = await twoSessions(`others-change-${String(ends)}@example.test`, { twoFactorChangeEndsOtherSessions: ends });
      const started = await here.post('/tf-setup', { setup: 'authenticator' });
      const code = new Totp(started.json.tf_authr_b32key as string).generatePassword(clock.nowInSeconds());
      expect((await here.post(`/tf-setup/${started.json.tf_state_token as string}`, { code })).status).toBe(200);
      expect([await alive(here), await alive(elsewhere), await tokenAlive()], `ends: ${String(ends)}`).toEqual([true, !ends, !ends]);
      expect(security.config.twoFactorChangeEndsOtherSessions).toBe(ends);
    }
  });
});

describe('the list of factors (MGT-04)', () => {
  it('GET /tf-setup lists each factor with when and from where it was set up, when last used, and nothing secret', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    await userWithPassword(security, 'factors@example.test');
    const client = new Client(security, { clientAddress: '198.51.100.77', headers: { 'user-agent': 'Phone Browser/2' } });
    await client.get('/login');
    await client.post('/login', { email: 'factors@example.test', password: PASSWORD });
    const setAt = nowInWholeSeconds(clock);
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const phone = new Totp(started.json.tf_authr_b32key as string);
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    const from = { address: '198.51.100.77', user_agent: 'Phone Browser/2' };
    expect((await client.get('/tf-setup')).json.tf_factors).toEqual([{ type: 'authenticator', created_at: setAt, created_from: from, last_used_at: setAt }]);

    clock.advance(90);
    await client.post('/logout', {});
    const again = await loggedInClient(security, clock, 'factors@example.test', { phone });
    await again.post('/mf-recovery-codes', {});
    const listed = await again.get('/tf-setup');
    expect(listed.json.tf_factors).toEqual([
      { type: 'authenticator', created_at: setAt, created_from: from, last_used_at: setAt + 90 },
      { type: 'recovery_code', remaining: 10 },
    ]);
    expect(listed.text).not.toContain(phone.secrets);
  });
});

describe('weaker methods and a missing backup (OOB-07, OOB-08, MGT-06)', () => {
  it('labels each method with its assurance, warns of SMS and e-mail on the page, and refuses e-mail by default', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorEnabledMethods: ['authenticator', 'sms', 'email'] }, mailer: { send: async () => {} } });
    const { phone } = await userWithAuthenticator(security, 'assurance@example.test');
    const client = await loggedInClient(security, clock, 'assurance@example.test', { phone });
    expect((await client.get('/tf-setup')).json.tf_method_assurance).toEqual({ authenticator: 'otp', sms: 'restricted', email: 'weak' });
    clock.advance(30);
    const page = await (await loggedInClient(security, clock, 'assurance@example.test', { phone, json: false })).get('/tf-setup');
    expect(page.text).toContain('Text messages can be intercepted or redirected to another SIM card; an authenticator app is safer.');
    expect(page.text).toContain('A code by email is only as safe as your mailbox; an authenticator app is safer.');

    // The default configuration offers neither: e-mail is not a second factor unless the application says so.
    expect(resolveConfig({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'Defaults' }).twoFactorEnabledMethods).toEqual(['authenticator']);
    const strict = makeApp(db.datastore, { options: { twoFactorEnabledMethods: ['authenticator'] } });
    const { phone: strictPhone } = await userWithAuthenticator(strict.security, 'assurance-strict@example.test');
    const strictClient = await loggedInClient(strict.security, strict.clock, 'assurance-strict@example.test', { phone: strictPhone });
    const refused = await strictClient.post('/tf-setup', { setup: 'email' });
    expect(refused.status).toBe(400);
    expect((await strictClient.get('/tf-setup')).json.tf_method_assurance).toEqual({ authenticator: 'otp' });
  });

  it('says a backup is missing while the user has one factor and no recovery codes, in JSON and on the page', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'backup@example.test');
    const client = await loggedInClient(security, clock, 'backup@example.test', { phone });
    expect((await client.get('/tf-setup')).json.tf_backup_missing).toBe(true);
    clock.advance(30);
    const browser = await loggedInClient(security, clock, 'backup@example.test', { phone, json: false });
    expect((await browser.get('/tf-setup')).text).toContain('You have no recovery codes: if you lose your second factor, you will be locked out. Make a set now.');
    await client.post('/mf-recovery-codes', {});
    expect((await client.get('/tf-setup')).json.tf_backup_missing).toBe(false);
    expect((await browser.get('/tf-setup')).text).not.toContain('You have no recovery codes');
  });
});

describe('who must have a second factor (MGT-08)', () => {
  /** The guard `tfRequired()` applies, asked directly: the seed's 403 `tf_required`, or null when the request may pass. */
  async function tfGuard(security: Security, client: Client): Promise<number | null> {
    const request = new Request('http://localhost/admin', { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json' } });
    const refusal = await security.refuse(request, await security.authenticate(request), { twoFactor: true });
    return refusal === null ? null : refusal.status;
  }

  it('a role predicate sends admins to set-up at login and lets others in, whom tfRequired() still keeps out of 2FA routes', async () => {
    const isAdmin = (user: User) => user.email.startsWith('admin');
    const { security } = makeApp(db.datastore, { options: { twoFactorRequired: isAdmin } });
    await userWithPassword(security, 'admin-policy@example.test');
    await userWithPassword(security, 'member-policy@example.test');
    const admin = new Client(security);
    await admin.get('/login');
    expect((await admin.post('/login', { email: 'admin-policy@example.test', password: PASSWORD })).json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
    // Half-way through, the admin is not logged in at all.
    expect(await tfGuard(security, admin)).toBe(401);
    const member = new Client(security);
    await member.get('/login');
    expect((await member.post('/login', { email: 'member-policy@example.test', password: PASSWORD })).json).toMatchObject({ tf_required: false });
    expect(await tfGuard(security, member)).toBe(403);
  });

  it('a grace period is a predicate on time: logins pass until the deadline, the first one after it must enrol', async () => {
    const deadline = TEST_START_IN_SECONDS + 7 * 24 * 3600;
    let now = (): number => 0;
    const { security: graced, clock } = makeApp(db.datastore, { options: { twoFactorRequired: () => now() >= deadline } });
    now = () => clock.nowInSeconds();
    await userWithPassword(graced, 'grace-policy@example.test');
    const before = new Client(graced);
    await before.get('/login');
    expect((await before.post('/login', { email: 'grace-policy@example.test', password: PASSWORD })).json).toMatchObject({ tf_required: false });
    clock.advance(7 * 24 * 3600);
    const after = new Client(graced);
    await after.get('/login');
    expect((await after.post('/login', { email: 'grace-policy@example.test', password: PASSWORD })).json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
  });
});

describe('a password reset by the application (FLOW-05)', () => {
  it('a new password hash keeps the second factor, logs nobody in, and the next login still asks for the code', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false } });
    const { user, phone } = await userWithAuthenticator(security, 'reset-password@example.test');
    const remembered = await loggedInClient(security, clock, 'reset-password@example.test', { phone, remember: true });
    const device = remembered.cookies.get('tf_validity');
    expect(device).toBeDefined();
    // The application's reset flow: a new hash through the datastore, as twofold has no reset flow of its own.
    await security.datastore.updatePasswordHash(user.id, await hashPassword('a brand new passphrase'));
    expect((await security.findUserById(user.id))?.tfPrimaryMethod).toBe('authenticator');
    const next = new Client(security);
    next.cookies.set('tf_validity', device ?? '');
    await next.get('/login');
    const login = await next.post('/login', { email: 'reset-password@example.test', password: 'a brand new passphrase' });
    expect(login.json).toMatchObject({ tf_required: true, tf_state: 'ready' });
    expect(login.json).not.toHaveProperty('user');
  });
});
