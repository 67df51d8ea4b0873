/** Guards the URL options and `urlPrefix`: every endpoint moves, the old URLs are no longer ours, and every redirect, form action and link follows. */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import type { User } from '../../src/user.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client, formNamed, formsIn } from '../support/client.js';

const db = useDatastore();

const DEFAULT_PATHS = ['/login', '/logout', '/verify', '/tf-setup', '/tf-validate', '/tf-rescue', '/tf-select', '/tf-devices', '/mf-recovery-codes', '/mf-recovery', '/static/twofold.css'];
const CUSTOM = {
  urlPrefix: '/auth',
  loginUrl: '/signin',
  logoutUrl: '/signout',
  verifyUrl: '/reauth',
  twoFactorSetupUrl: '/2fa/setup',
  twoFactorTokenValidationUrl: '/2fa/code',
  twoFactorRescueUrl: '/2fa/help',
  twoFactorSelectUrl: '/2fa/pick',
  twoFactorDevicesUrl: '/2fa/devices',
  multiFactorRecoveryCodesUrl: '/2fa/codes',
  multiFactorRecoveryUrl: '/2fa/recover',
  freshness: 120,
  freshnessGracePeriod: 60,
};
const CUSTOM_PATHS = ['/auth/signin', '/auth/signout', '/auth/reauth', '/auth/2fa/setup', '/auth/2fa/code', '/auth/2fa/help', '/auth/2fa/pick', '/auth/2fa/devices', '/auth/2fa/codes', '/auth/2fa/recover'];

describe('urlPrefix alone', () => {
  it('serves every endpoint under the prefix and nothing at the old URLs', async () => {
    const { security } = makeApp(db.datastore, { options: { urlPrefix: '/auth' } });
    const client = new Client(security);
    for (const path of DEFAULT_PATHS) {
      expect((await client.get(path)).status, path).toBe(404);
      expect((await client.get(`/auth${path}`)).status, `/auth${path}`).not.toBe(404);
    }
    expect(await security.handle(new Request('http://localhost/auth/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAA', { method: 'POST' }))).not.toBeNull();
    expect(await security.handle(new Request('http://localhost/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAA', { method: 'POST' }))).toBeNull();
    expect(security.urlFor('tfSetup')).toBe('/auth/tf-setup');
  });

  it('HTML: the login form posts under the prefix and the page links the prefixed stylesheet', async () => {
    const { security } = makeApp(db.datastore, { options: { urlPrefix: '/auth' } });
    const page = await new Client(security, { json: false }).get('/auth/login');
    expect(formNamed(page.text, 'login_user_form').action).toBe('/auth/login');
    expect(page.text).toContain('<link rel="stylesheet" href="/auth/static/twofold.css">');
  });
});

describe('custom URLs with a prefix', () => {
  it('old and unprefixed URLs are not ours; the new ones answer', async () => {
    const { security } = makeApp(db.datastore, { options: CUSTOM });
    const client = new Client(security);
    for (const path of [...DEFAULT_PATHS, ...CUSTOM_PATHS.map((path) => path.slice('/auth'.length)), '/auth/login', '/auth/tf-setup']) {
      expect((await client.get(path)).status, path).toBe(404);
    }
    for (const path of CUSTOM_PATHS) expect((await client.get(path)).status, path).not.toBe(404);
  });

  it('HTML set-up during login: redirects, form actions and the code form all carry the new URLs', async () => {
    // Required until set up, so that disabling is a choice afterwards.
    const { security, clock } = makeApp(db.datastore, { options: { ...CUSTOM, twoFactorRequired: (user: User) => user.tfPrimaryMethod === null } });
    await userWithPassword(security, 'url-setup@example.test');
    const client = new Client(security, { json: false });
    const login = await client.get('/auth/signin');
    expect(formNamed(login.text, 'login_user_form').action).toBe('/auth/signin');
    const entered = await client.post('/auth/signin', { email: 'url-setup@example.test', password: PASSWORD });
    expect(entered.location).toBe('/auth/2fa/setup');
    const setup = await client.follow(entered);
    expect(formNamed(setup.text, 'two_factor_setup_form').action).toBe('/auth/2fa/setup');
    const started = await client.post('/auth/2fa/setup', { setup: 'authenticator' });
    expect(formNamed(started.text, 'two_factor_verify_code_form').action).toBe('/auth/2fa/code');
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
    const done = await client.post('/auth/2fa/code', { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    // The application's own pages are not prefixed.
    expect(done.location).toBe('/');
    // The set-up page, logged in, links the recovery codes and posts the change to the token URL.
    const change = await client.get('/auth/2fa/setup');
    expect(change.text).toContain('href="/auth/2fa/codes"');
    const changing = await client.post('/auth/2fa/setup', { setup: 'authenticator' });
    expect(formNamed(changing.text, 'two_factor_verify_code_form').action).toMatch(/^\/auth\/2fa\/setup\/[A-Za-z0-9_-]+$/);
    const disabled = await client.post('/auth/2fa/setup', { setup: 'disable' });
    expect(disabled.location).toBe('/auth/2fa/setup');
    const logout = await client.get('/auth/signout');
    expect(formNamed(logout.text, 'logout_form').action).toBe('/auth/signout');
  });

  it('HTML validation, selection and rescue: every redirect and action is under the new URLs', async () => {
    const { security } = makeApp(db.datastore, { options: CUSTOM });
    await userWithAuthenticator(security, 'url-validate@example.test');
    const client = new Client(security, { json: false });
    await client.get('/auth/signin');
    const entered = await client.post('/auth/signin', { email: 'url-validate@example.test', password: PASSWORD, next: '/home' });
    expect(entered.location).toBe('/auth/2fa/code?next=%2Fhome');
    const page = await client.follow(entered);
    const actions = formsIn(page.text).map((form) => form.action);
    expect(actions).toEqual(['/auth/2fa/code?next=%2Fhome', '/auth/2fa/help']);
    const illegal = await client.get('/auth/2fa/pick');
    expect(illegal.status).toBe(302);
    expect(illegal.location).toBe('/auth/signin');
    expect((await client.follow(illegal)).text).toContain('You currently do not have permissions to access this page');
  });

  it('JSON: recovery_options, the rescue redirect and the token URL use the new URLs', async () => {
    const { security, clock } = makeApp(db.datastore, { options: CUSTOM });
    const { phone } = await userWithAuthenticator(security, 'url-json@example.test');
    const client = new Client(security);
    await client.get('/auth/signin');
    await client.post('/auth/signin', { email: 'url-json@example.test', password: PASSWORD });
    expect((await client.post('/auth/2fa/code', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    await client.post('/auth/2fa/codes', {});
    const started = await client.post('/auth/2fa/setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    expect((await client.post(`/auth/2fa/setup/${started.json.tf_state_token as string}`, { code: newPhone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    await client.post('/auth/signout', {});

    await client.get('/auth/signin');
    await client.post('/auth/signin', { email: 'url-json@example.test', password: PASSWORD });
    expect((await client.get('/auth/2fa/code')).json.recovery_options).toEqual({ help: '/auth/2fa/help', recovery_code: '/auth/2fa/recover' });
    const rescue = await client.post('/auth/2fa/help', { help_setup: 'recovery_code' });
    expect(rescue.location).toBe('/auth/2fa/recover');
  });

  it('freshness and login redirects point at the new URLs with a prefixed next', async () => {
    const { security, clock } = makeApp(db.datastore, { options: CUSTOM });
    await userWithPassword(security, 'url-fresh@example.test');
    const anonymous = new Client(security, { json: false });
    const refused = await anonymous.get('/auth/2fa/codes');
    expect(refused.location).toBe('/auth/signin?next=%2Fauth%2F2fa%2Fcodes');
    const client = new Client(security, { json: false });
    await client.get('/auth/signin');
    await client.post('/auth/signin', { email: 'url-fresh@example.test', password: PASSWORD });
    clock.advance(200);
    const stale = await client.get('/auth/2fa/setup');
    expect(stale.location).toBe('/auth/reauth?next=%2Fauth%2F2fa%2Fsetup');
    const verify = await client.follow(stale);
    expect(formNamed(verify.text, 'verify_form').action).toBe('/auth/reauth');
    const verified = await client.post('/auth/reauth', { password: PASSWORD, next: '/auth/2fa/setup' });
    expect(verified.location).toBe('/auth/2fa/setup');
  });
});
