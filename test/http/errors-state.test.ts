/** Guards docs/flask-security-reference.md §2's state errors: every step out of order, expired or with a bad choice gets the reference's reply and advances nothing. */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import type { User } from '../../src/user.js';
import { loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';
import { AlwaysTfPlugin } from '../support/plugins.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
const DENIED = 'You currently do not have permissions to access this page';
const STATE_ENDPOINTS = ['/tf-setup', '/tf-validate', '/tf-rescue', '/tf-select', '/mf-recovery'] as const;
const ANY_BODY = { code: '123456', setup: 'authenticator', which: 'authenticator', help_setup: 'help' };


async function passwordStep(client: Client, email: string) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

function expectDeniedJson(reply: { status: number; json: Record<string, unknown> }, label: string) {
  expect(reply.status, label).toBe(400);
  expect(reply.json, label).toMatchObject({ errors: [DENIED], field_errors: { '': [DENIED] } });
}

/** An app with one user in each login state: set-up (no factor), validate (authenticator) and select (two). */
async function statefulApp() {
  const made = makeApp(db.datastore, { options: { twoFactorRequired: (user: User) => user.email.startsWith('setup') } });
  made.security.plugins.registerPlugin('always', new AlwaysTfPlugin());
  const suffix = Math.random().toString(36).slice(2, 8);
  const emails = { setup: `setup-${suffix}@example.test`, validate: `validate-${suffix}@example.test`, select: `select-${suffix}@example.test` };
  await userWithPassword(made.security, emails.setup);
  const { phone } = await userWithAuthenticator(made.security, emails.validate);
  await userWithAuthenticator(made.security, emails.select);
  return { ...made, emails, phone };
}

describe('missing state', () => {
  it('JSON: every state endpoint, GET and POST, without a login gets 400 TWO_FACTOR_PERMISSION_DENIED', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security);
    await client.get('/login');
    for (const path of STATE_ENDPOINTS) {
      expectDeniedJson(await client.get(path), `GET ${path}`);
      expectDeniedJson(await client.post(path, ANY_BODY), `POST ${path}`);
    }
  });

  it('HTML: the same steps redirect to the login page, which shows the flash once', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security, { json: false });
    await client.get('/login');
    for (const path of STATE_ENDPOINTS) {
      for (const method of ['GET', 'POST'] as const) {
        const reply = method === 'GET' ? await client.get(path) : await client.post(path, ANY_BODY);
        expect(reply.status, `${method} ${path}`).toBe(302);
        expect(reply.location, `${method} ${path}`).toBe('/login');
        const page = await client.follow(reply);
        expect(page.text, `${method} ${path}`).toContain(DENIED);
        expect(page.text).toContain('tf-flash-error');
        expect((await client.get('/login')).text, `${method} ${path}: shown once`).not.toContain(DENIED);
      }
    }
  });

  it('each login state allows only its own next steps; a wrong one wipes the login', async () => {
    const { security, clock, emails, phone } = await statefulApp();
    const wrongSteps: Record<keyof typeof emails, string[]> = {
      setup: ['/tf-validate', '/tf-rescue', '/tf-select', '/mf-recovery'],
      validate: ['/tf-setup', '/tf-select'],
      select: ['/tf-setup', '/tf-validate', '/tf-rescue', '/mf-recovery'],
    };
    for (const [state, paths] of Object.entries(wrongSteps) as [keyof typeof emails, string[]][]) {
      for (const path of paths) {
        const client = new Client(security);
        const entered = await passwordStep(client, emails[state]);
        expect(entered.json.tf_required, state).toBe(true);
        expectDeniedJson(await client.post(path, ANY_BODY), `${state}: POST ${path}`);
        // The login is gone: even the step that was right before is now refused.
        const rightStep = state === 'setup' ? client.get('/tf-setup') : state === 'select' ? client.get('/tf-select') : client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
        expectDeniedJson(await rightStep, `${state} after ${path}`);
      }
    }
    // /tf-validate during set-up needs a chosen method first.
    const client = new Client(security);
    await passwordStep(client, emails.setup);
    expect((await client.get('/tf-setup')).status).toBe(200);
  });

  it('logged in: /tf-validate without a change logs out; /tf-select is refused; /tf-setup/<token> without a change is API_ERROR', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'logged-in-state@example.test');
    const client = await loggedInClient(security, clock, 'logged-in-state@example.test', { phone });
    const token = await client.post('/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { code: '123456' });
    expect(token.status).toBe(400);
    expect(token.json).toMatchObject({ errors: ['Input not appropriate for requested API'], field_errors: { '': ['Input not appropriate for requested API'] } });
    expectDeniedJson(await client.post('/tf-select', { which: 'authenticator' }), '/tf-select');
    const old = client.cookies.get('twofold_session');
    expectDeniedJson(await client.post('/tf-validate', { code: '123456' }), '/tf-validate');
    expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${old}` } }))).toBeNull();
    expect((await client.get('/mf-recovery-codes')).status).toBe(401);
  });

  it('an authenticated user on /tf-rescue and /mf-recovery: JSON 400 ANONYMOUS_USER_REQUIRED, HTML to the post-login view', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'anon-only@example.test');
    const client = await loggedInClient(security, clock, 'anon-only@example.test', { phone });
    const text = 'You can only access this endpoint when not logged in.';
    for (const path of ['/tf-rescue', '/mf-recovery']) {
      for (const reply of [await client.get(path), await client.post(path, { help_setup: 'help', code: 'x' })]) {
        expect(reply.status, path).toBe(400);
        expect(reply.json, path).toMatchObject({ errors: [text], field_errors: { '': [text] } });
      }
    }
    clock.advance(30);
    const browser = await loggedInClient(security, clock, 'anon-only@example.test', { phone, json: false });
    for (const path of ['/tf-rescue', '/mf-recovery']) {
      const reply = await browser.get(path);
      expect(reply.status, path).toBe(302);
      expect(reply.location, path).toBe('/');
    }
  });
});

describe('abandoned state', () => {
  it('POST /login and /logout abandon a half-finished login; a GET of /login (any site can link it) does not', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'abandon@example.test');
    const visited = new Client(security);
    await passwordStep(visited, 'abandon@example.test');
    expect((await visited.get('/login')).status).toBe(200);
    expect((await visited.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    clock.advance(30);
    const leave: ((client: Client) => Promise<unknown>)[] = [
      (client) => client.post('/login', { email: 'abandon@example.test', password: 'wrong' }),
      (client) => client.post('/logout', {}),
    ];
    for (const [index, away] of leave.entries()) {
      const client = new Client(security);
      await passwordStep(client, 'abandon@example.test');
      await away(client);
      expectDeniedJson(await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) }), `way ${index}`);
    }
  });

  it('a user deactivated or reset since the password step voids the login', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { user, phone } = await userWithAuthenticator(security, 'vanishing@example.test');
    const client = new Client(security);
    await passwordStep(client, 'vanishing@example.test');
    await security.datastore.setUserActive(user.id, false);
    expectDeniedJson(await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) }), 'deactivated');
    await security.datastore.setUserActive(user.id, true);
    const again = new Client(security);
    await passwordStep(again, 'vanishing@example.test');
    await security.datastore.resetAccess(user.id, 'new-uniquifier-0123456789');
    expectDeniedJson(await again.get('/tf-validate'), 'reset');
  });

  it('HTML: a logged-in POST to /tf-validate without a change logs out and shows the flash on the login page; a GET does not log out', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'logout-flash@example.test');
    const client = await loggedInClient(security, clock, 'logout-flash@example.test', { phone, json: false });
    const looked = await client.get('/tf-validate');
    expect([looked.status, looked.location]).toEqual([302, '/login']);
    expect((await client.get('/tf-setup')).status).toBe(200);
    const reply = await client.post('/tf-validate', { code: '123456' });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe('/login');
    const page = await client.follow(reply);
    expect(page.text).toContain(DENIED);
    expect(formNamed(page.text, 'login_user_form').action).toBe('/login');
  });
});

describe('expired state', () => {
  it('a login past twoFactorLoginWithin is void at every step (JSON and HTML)', async () => {
    const { security, clock, emails, phone } = await statefulApp();
    const steps: [keyof typeof emails, string, Record<string, unknown>][] = [
      ['setup', '/tf-setup', { setup: 'authenticator' }],
      ['validate', '/tf-validate', {}],
      ['validate', '/tf-rescue', { help_setup: 'help' }],
      ['validate', '/mf-recovery', { code: 'x' }],
      ['select', '/tf-select', { which: 'authenticator' }],
    ];
    for (const [state, path, body] of steps) {
      const client = new Client(security);
      await passwordStep(client, emails[state]);
      clock.advance(601);
      const reply = await client.post(path, path === '/tf-validate' ? { code: phone.generatePassword(clock.nowInSeconds()) } : body);
      expectDeniedJson(reply, `${state} ${path}`);
    }
    const browser = new Client(security, { json: false });
    await browser.follow(await passwordStep(browser, emails.validate));
    clock.advance(601);
    const late = await browser.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(late.status).toBe(302);
    expect(late.location).toBe('/login');
  });

  it('a set-up during login past twoFactorSetupWithin no longer completes', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true, twoFactorSetupWithin: 120 } });
    await userWithPassword(security, 'late-setup@example.test');
    const client = new Client(security);
    await passwordStep(client, 'late-setup@example.test');
    const phone = new Totp((await client.post('/tf-setup', { setup: 'authenticator' })).json.tf_authr_b32key as string);
    clock.advance(121);
    const reply = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(reply.status).toBe(400);
    expect((await security.findUserByEmail('late-setup@example.test'))?.tfPrimaryMethod).toBeNull();
  });

  it('/tf-setup/<token> past twoFactorSetupWithin: TWO_FACTOR_SETUP_EXPIRED (JSON 400; HTML flash and 302 to /tf-setup)', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'late-change@example.test');
    const expired = 'Setup must be completed within 10 minutes. Please start over.';
    const client = await loggedInClient(security, clock, 'late-change@example.test', { phone });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    // Still fresh through the grace that a fresh check just before the 10 minutes granted (a POST: a GET
    // changes nothing, grace included); the set-up is not.
    clock.advance(599);
    expect((await client.post('/tf-setup/not-the-token', { code: '123456' })).status).toBe(400);
    clock.advance(2);
    const reply = await client.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: newPhone.generatePassword(clock.nowInSeconds()) });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ errors: [expired], field_errors: { '': [expired] } });
    expect(totpSecretOf(security, await security.findUserByEmail('late-change@example.test'))).toBe(phone.secrets);

    clock.advance(30);
    const browser = await loggedInClient(security, clock, 'late-change@example.test', { phone, json: false });
    await browser.get('/tf-setup');
    const page = await browser.post('/tf-setup', { setup: 'authenticator' });
    const action = /action="(\/tf-setup\/[^"]+)"/.exec(page.text)?.[1] as string;
    clock.advance(599);
    await browser.post('/tf-setup/not-the-token', { code: '123456' });
    clock.advance(2);
    const late = await browser.post(action, { code: '123456' });
    expect(late.status).toBe(302);
    expect(late.location).toBe('/tf-setup');
    expect((await browser.follow(late)).text).toContain(expired);
  });
});

describe('bad input', () => {
  it('wrong and malformed codes: JSON 400 with the code field error', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'wrong-code@example.test');
    const client = new Client(security);
    await passwordStep(client, 'wrong-code@example.test');
    for (const code of ['', 'abcdef', '12345678901234567890', '000000']) {
      const reply = await client.post('/tf-validate', { code: code === '000000' && phone.generatePassword(clock.nowInSeconds()) === code ? '000001' : code });
      expect(reply.status, code).toBe(400);
      expect(Object.keys(reply.json.field_errors ?? {}), code).toEqual(['code']);
    }
  });

  // The per-account cap on wrong codes (RL-01…RL-03) is proven in test/security/second-factor-lockout.test.ts.

  it('unknown choices: setup, which and help_setup each get 400 with their field error', async () => {
    const { security, emails } = await statefulApp();
    const setup = new Client(security);
    await passwordStep(setup, emails.setup);
    for (const value of ['yubikey', 'disable', '', 'mail']) {
      const reply = await setup.post('/tf-setup', { setup: value });
      expect(reply.status, value).toBe(400);
      expect(reply.json.field_errors, value).toEqual({ setup: ['Marked method is not valid'] });
    }
    const select = new Client(security);
    await passwordStep(select, emails.select);
    const which = await select.post('/tf-select', { which: 'sms' });
    expect(which.status).toBe(400);
    expect(which.json.field_errors).toEqual({ which: ['Not a valid choice.'] });
    const rescue = new Client(security);
    await passwordStep(rescue, emails.validate);
    for (const value of ['lost_device', 'no_mail_access', 'email', 'recovery_code']) {
      const reply = await rescue.post('/tf-rescue', { help_setup: value });
      expect(reply.status, value).toBe(400);
      expect(reply.json.field_errors, value).toEqual({ help_setup: ['Not a valid choice.'] });
    }
    // HTML re-renders the form with the error.
    const browser = new Client(security, { json: false });
    await browser.follow(await passwordStep(browser, emails.select));
    const page = await browser.post('/tf-select', { which: 'sms' });
    expect(page.text).toContain('Not a valid choice.');
    expect(page.text).toContain('name="which"');
  });

  it('bad /tf-setup/<token>: API_ERROR (JSON 400, HTML flash + 302), a malformed one is not our URL, anonymous is 401', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'bad-token@example.test');
    const client = await loggedInClient(security, clock, 'bad-token@example.test', { phone });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const token = started.json.tf_state_token as string;
    const wrong = await client.post(`/tf-setup/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, { code: '123456' });
    expect(wrong.json.errors).toEqual(['Input not appropriate for requested API']);
    // A bad token leaves the change alone (FST 5.5+): the real token still takes a code.
    expect((await client.post(`/tf-setup/${token}`, { code: '123456' })).json.errors).toEqual(['Invalid code']);
    expect((await client.post('/tf-setup/a.b', { code: '1' })).status).toBe(404);
    expect((await client.post(`/tf-setup/${'A'.repeat(65)}`, { code: '1' })).status).toBe(404);
    const anonymous = new Client(security);
    await anonymous.get('/login');
    expect((await anonymous.post(`/tf-setup/${token}`, { code: '123456' })).status).toBe(401);

    clock.advance(30);
    const browser = await loggedInClient(security, clock, 'bad-token@example.test', { phone, json: false });
    await browser.get('/tf-setup');
    const reply = await browser.post('/tf-setup/nonsense', { code: '123456' });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe('/tf-setup');
    expect((await browser.follow(reply)).text).toContain('Input not appropriate for requested API');
  });

  it('a code that is not a string or number: 400, not a crash; API_ERROR on /tf-setup/<token>', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'odd-code@example.test');
    const client = new Client(security);
    await passwordStep(client, 'odd-code@example.test');
    for (const code of [{ a: 1 }, [1, 2], null, true]) {
      const reply = await client.post('/tf-validate', { code });
      expect(reply.status, JSON.stringify(code)).toBe(400);
    }
    const changer = await loggedInClient(security, clock, 'odd-code@example.test', { phone });
    const token = (await changer.post('/tf-setup', { setup: 'authenticator' })).json.tf_state_token as string;
    const reply = await changer.post(`/tf-setup/${token}`, { code: { a: 1 } });
    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual(['Input not appropriate for requested API']);
  });
});
