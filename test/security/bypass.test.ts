/**
 * Bypass attempts: a client that knows only the password — or holds a remembered-device cookie, made-up cookies
 * or form fields, or a stale session — must get no logged-in session, no API token, no factor change and no word
 * about the user before its second factor (checklist FLOW-01, FLOW-04, FLOW-06, FLOW-08, RMD-03, MGT-01).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/delivery/mail.js';
import { DummySmsSender } from '../../src/delivery/sms.js';
import { TfPluginBase, type TfSetupResult } from '../../src/factors/plugin.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import type { User } from '../../src/user.js';
import { codeIn, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client, formNamed, type Reply } from '../support/client.js';
import { totpSecretOf } from '../support/security.js';
import { twofoldExpress } from '../../src/express.js';

const db = useDatastore();
const REMEMBER = { twoFactorAlwaysValidate: false } as const;
/**
 * Freshness as shipped: a login or /verify counts for 10 minutes, and a check passed in that time for 5 more
 * (the grace never slides). Past both, a copied cookie or token can change nothing.
 */
const SHIPPED = { freshness: 600, grace: 300 } as const;
const STALE_AFTER_IN_SECONDS = SHIPPED.freshness + SHIPPED.grace + 1;
const PHONE = { typed: '+44 20 8366 1177', e164: '+442083661177' } as const;

/** JSON keys a reply may carry before the second factor (docs/flask-security-reference.md §2.0–§2.7); `user` is never one of them. */
const KEYS_BEFORE_SECOND_FACTOR = new Set(['csrf_token', 'errors', 'field_errors', 'tf_required', 'tf_state', 'tf_primary_method', 'tf_method', 'tf_select', 'tf_setup_methods', 'recovery_options', 'tf_available_methods', 'tf_method_assurance', 'tf_phone_number', 'reauth_required']);
/** What choosing a method during a set-up from login shows, so the new authenticator can be enrolled. */
const ENROLMENT_KEYS = new Set(['tf_state_token', 'tf_authr_key', 'tf_authr_b32key', 'tf_authr_username', 'tf_authr_issuer', 'tf_authr_uri']);

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An application's own routes behind every guard twofold gives it, served over real HTTP. */
async function guardedApp(security: Security): Promise<string> {
  const app = express();
  const tf = twofoldExpress(security);
  app.use(tf.middleware());
  app.get('/me', (req, res) => void res.json({ email: req.twofold?.user.email ?? null }));
  app.get('/profile', tf.loginRequired(), (req, res) => void res.json({ email: req.twofold?.user.email }));
  app.get('/api/data', tf.authRequired('session', 'token'), (req, res) => void res.json({ email: req.twofold?.user.email }));
  app.get('/admin', tf.tfRequired(), (req, res) => void res.json({ email: req.twofold?.user.email }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Every guarded route refuses `headers` (JSON 401, HTML to the login page) and `/me` sees nobody. */
async function expectGuardsRefuse(base: string, headers: Record<string, string>, label: string): Promise<void> {
  for (const path of ['/profile', '/api/data', '/admin']) {
    const json = await fetch(base + path, { headers: { accept: 'application/json', ...headers }, redirect: 'manual' });
    expect(json.status, `${label}: JSON ${path}`).toBe(401);
    const html = await fetch(base + path, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });
    expect(html.status, `${label}: HTML ${path}`).toBe(302);
    expect(html.headers.get('location'), `${label}: HTML ${path}`).toBe(`/login?next=${encodeURIComponent(path)}`);
  }
  expect(await (await fetch(`${base}/me`, { headers })).json(), `${label}: /me`).toEqual({ email: null });
}

function authenticateWith(security: Security, headers: Record<string, string>) {
  return security.authenticate(new Request('http://localhost/', { headers }));
}

/** No value the client holds, as a session cookie or as an API token, authenticates anyone. */
async function expectNothingAuthenticates(security: Security, values: Iterable<string>, label: string): Promise<void> {
  for (const value of values) {
    expect(await authenticateWith(security, { cookie: `twofold_session=${value}` }), `${label}: as cookie`).toBeNull();
    expect(await authenticateWith(security, { 'authentication-token': value }), `${label}: as token`).toBeNull();
  }
}

/** The values of the `Set-Cookie` headers of a reply. */
function setCookieValues(reply: Reply): string[] {
  return reply.headers.getSetCookie().map((cookie) => (cookie.split(';', 1)[0] ?? '').split('=').slice(1).join('='));
}

/** A client past the password step only; a browser loads the next page, as it would, for its new CSRF token. */
async function passwordStep(security: Security, email: string, json: boolean): Promise<{ client: Client; reply: Reply }> {
  const client = new Client(security, { json });
  await client.get('/login');
  const reply = await client.post('/login?include_auth_token', { email, password: PASSWORD });
  if (!json) await client.follow(reply);
  return { client, reply };
}

interface Probe {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The body; `code` is filled with a well-formed wrong code for the user. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Starts an authenticator set-up, whose reply shows the new key and the account name by contract. */
  readonly enrols?: boolean;
}

/** Every twofold endpoint, each way it can be called; the password is the user's own, where a form takes one. */
const PROBES: readonly Probe[] = [
  { method: 'GET', path: '/login' },
  { method: 'POST', path: '/login', body: {} },
  { method: 'GET', path: '/verify' },
  { method: 'POST', path: '/verify', body: { password: PASSWORD } },
  { method: 'GET', path: '/tf-validate' },
  { method: 'POST', path: '/tf-validate', body: { code: null } },
  { method: 'GET', path: '/tf-setup' },
  { method: 'POST', path: '/tf-setup', body: { setup: 'authenticator' }, enrols: true },
  { method: 'POST', path: '/tf-setup', body: { setup: 'disable' } },
  { method: 'GET', path: '/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
  { method: 'POST', path: '/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', body: { code: null } },
  { method: 'GET', path: '/tf-select' },
  { method: 'POST', path: '/tf-select', body: { which: 'authenticator' } },
  { method: 'GET', path: '/tf-rescue' },
  { method: 'POST', path: '/tf-rescue', body: { help_setup: 'recovery_code' } },
  { method: 'GET', path: '/mf-recovery-codes' },
  { method: 'POST', path: '/mf-recovery-codes', body: {} },
  { method: 'GET', path: '/mf-recovery' },
  { method: 'POST', path: '/mf-recovery', body: { code: null } },
  { method: 'GET', path: '/logout' },
  { method: 'POST', path: '/logout', body: {} },
];

type SweepState = 'authenticator' | 'sms' | 'setup';

/**
 * An app whose users may be in each state a password step can leave: validating an authenticator or an SMS
 * code, or set-up from login. Each probe gets a user of its own, so no send limit or lockout of an earlier
 * probe changes what a later one sees.
 */
function sweepApp() {
  const sms = new DummySmsSender();
  const made = makeApp(db.datastore, { smsSender: sms, options: { twoFactorRequired: (user: User) => user.email.startsWith('setup') } });
  const { security, clock } = made;
  let serial = 0;
  async function newUser(state: SweepState) {
    serial += 1;
    const email = `${state}-${serial}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const phoneNumber = `+4420836611${String(serial).padStart(2, '0')}`;
    if (state === 'authenticator') {
      const { user, phone } = await userWithAuthenticator(security, email);
      const recoveryCodes = await security.recoveryCodes.generateCodes(user);
      /** A well-formed code that is not the right one now, so a wrong guess is tried without any chance of passing. */
      const wrong = () => wrongCode(phone.generatePassword(clock.nowInSeconds()));
      return { user, wrong, secrets: [phone.secrets, ...recoveryCodes] };
    }
    const user = await userWithPassword(security, email);
    if (state === 'setup') return { user, wrong: () => '000000', secrets: [] };
    await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber, lastStep: null });
    const wrong = () => wrongCode(codeIn(sms.lastMessage(phoneNumber)?.message ?? ''));
    return { user, wrong, secrets: [phoneNumber, phoneNumber.slice(3)] };
  }
  return { ...made, newUser };
}

describe('after the password only (FLOW-01, FLOW-04, ENUM)', () => {
  for (const state of ['authenticator', 'sms', 'setup'] as const) {
    for (const json of [true, false]) {
      it(`${state} user, ${json ? 'JSON' : 'HTML'}: no endpoint logs in, hands out a token or tells about the user`, async () => {
        const { security, newUser } = sweepApp();
        for (const probe of PROBES) {
          const label = `${state} ${json ? 'JSON' : 'HTML'} ${probe.method} ${probe.path}`;
          const { user, wrong, secrets } = await newUser(state);
          const { client, reply: password } = await passwordStep(security, user.email, json);
          if (json) expect(password.json, label).toMatchObject({ tf_required: true, tf_state: state === 'setup' ? 'setup_from_login' : 'ready' });
          else expect(password.location, label).toBe(state === 'setup' ? '/tf-setup' : '/tf-validate');
          const body = probe.body === undefined ? undefined : { ...probe.body, ...('code' in probe.body ? { code: wrong() } : {}) };
          const path = `${probe.path}?include_auth_token`;
          const reply = probe.method === 'GET' ? await client.get(path) : await client.post(path, body);

          // Nothing the client holds or was sent is a logged-in session or an API token.
          expect(password.headers.getSetCookie().map((cookie) => cookie.split('=', 1)[0]), label).toEqual(['twofold_session']);
          await expectNothingAuthenticates(security, [...client.cookies.values(), ...setCookieValues(password), ...setCookieValues(reply)], label);
          for (const text of client.transcript) expect(text, label).not.toContain('authentication_token');
          if (probe.path.startsWith('/verify') || probe.path.startsWith('/mf-recovery-codes') || probe.path.startsWith('/tf-setup/')) {
            expect(reply.status, label).toBe(probe.method === 'GET' && probe.path.startsWith('/tf-setup/') ? 405 : json ? 401 : 302);
          }

          // Nothing about the user beyond the reference's login replies: no user, e-mail, id, phone or secret.
          // Choosing a method during a set-up from login shows it, with the new key and the account name.
          const enrolling = probe.enrols === true && state === 'setup';
          const disclosed = [null, undefined, state === 'setup' ? (enrolling ? probe.body?.setup : null) : state];
          for (const { json: payload } of [password, reply]) {
            for (const key of Object.keys(payload)) expect(KEYS_BEFORE_SECOND_FACTOR.has(key) || (enrolling && ENROLMENT_KEYS.has(key)), `${label}: key ${key}`).toBe(true);
            expect(disclosed, `${label}: tf_primary_method`).toContain(payload.tf_primary_method);
            expect(payload.tf_phone_number ?? null, label).toBeNull();
          }
          const forbidden = [user.id, user.fsUniquifier, user.passwordHash ?? PASSWORD, PASSWORD, ...secrets, ...(enrolling ? [] : [user.email])];
          const transcript = client.transcript.join('\n');
          const squeezed = transcript.replace(/[\s-]/g, '').toUpperCase();
          for (const secret of forbidden) {
            expect(transcript, `${label}: ${secret}`).not.toContain(secret);
            expect(squeezed, `${label}: ${secret}`).not.toContain(secret.replace(/[\s-]/g, '').toUpperCase());
          }
        }
      });
    }
  }

  it("the guards an application mounts refuse the pending session however it is presented, and so does authenticate()", async () => {
    const { security } = makeApp(db.datastore);
    await userWithAuthenticator(security, 'guarded@example.test');
    const base = await guardedApp(security);
    const { client, reply } = await passwordStep(security, 'guarded@example.test', true);
    expect(reply.json).toMatchObject({ tf_required: true, tf_state: 'ready' });
    const pending = client.cookies.get('twofold_session') as string;
    expect(setCookieValues(reply)).toEqual([pending]);
    const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
    const presentations: Record<string, Record<string, string>> = {
      cookie: { cookie: `twofold_session=${pending}` },
      'Authentication-Token': { 'authentication-token': pending },
      Bearer: { authorization: `Bearer ${pending}` },
      'Basic pending': { authorization: basic(`${pending}:`) },
      'Basic e-mail and password': { authorization: basic(`guarded@example.test:${PASSWORD}`) },
      'cookie and token': { cookie: `twofold_session=${pending}`, 'authentication-token': pending },
    };
    for (const [label, headers] of Object.entries(presentations)) {
      expect(await authenticateWith(security, headers), label).toBeNull();
      await expectGuardsRefuse(base, headers, label);
    }
    // The login is still pending and usable: refusing it did not consume or upgrade it.
    expect((await client.get('/tf-validate')).status).toBe(200);
  });
});

describe('made-up proof of a second factor (FLOW-06)', () => {
  const FIELDS = { step: 'done', tf_state: 'ready', tf_required: false, tf_verified: true, tf_done: '1', mfa: true };

  it('cookies, hidden fields and query parameters leave the login challenged', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { user, phone } = await userWithAuthenticator(security, 'forger@example.test');
    const base = await guardedApp(security);
    for (const validity of ['garbage', 'A'.repeat(43)]) {
      const client = new Client(security);
      await client.get('/login');
      for (const [name, value] of Object.entries({ mfa: 'true', tf_done: '1', tf_verified: 'true', tf_validity: validity, '__Host-twofold_session': 'B'.repeat(43) })) client.cookies.set(name, value);
      const fields = { ...FIELDS, user_id: user.id };
      const login = await client.post('/login?next=/admin&tf=ok&tf_state=ready', { email: 'forger@example.test', password: PASSWORD, ...fields });
      expect(login.json, validity).toMatchObject({ tf_required: true, tf_state: 'ready' });
      expect(login.json).not.toHaveProperty('user');
      const skipped = await client.post('/tf-validate?next=/admin&tf=ok', fields);
      expect(skipped.status, validity).toBe(400);
      const wrong = await client.post('/tf-validate?tf=ok', { ...fields, code: wrongCode(phone.generatePassword(clock.nowInSeconds())) });
      expect(wrong.status, validity).toBe(400);
      expect((await client.get('/tf-validate?tf=ok')).status, `${validity}: still at the code step`).toBe(200);
      await expectNothingAuthenticates(security, client.cookies.values(), validity);
      const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      await expectGuardsRefuse(base, { cookie }, validity);
    }
  });

  it("a second session cookie beside the pending one — made up, or the attacker's own full login — logs nobody in as the victim", async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'victim@example.test');
    await userWithPassword(security, 'attacker@example.test');
    const base = await guardedApp(security);
    const attacker = await passwordStep(security, 'attacker@example.test', true);
    const own = attacker.client.cookies.get('twofold_session') as string;
    const { client } = await passwordStep(security, 'victim@example.test', true);
    const pending = client.cookies.get('twofold_session') as string;
    for (const other of ['C'.repeat(43), own]) {
      for (const cookie of [`twofold_session=${other}; twofold_session=${pending}`, `twofold_session=${pending}; twofold_session=${other}`]) {
        const response = (await security.handle(
          new Request('http://localhost/tf-validate?include_auth_token', {
            method: 'POST',
            headers: { cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': client.csrf ?? '' },
            body: JSON.stringify({ ...FIELDS, code: wrongCode(phone.generatePassword(clock.nowInSeconds())) }),
          }),
        )) as Response;
        expect(response.status, cookie).toBeGreaterThanOrEqual(400);
        expect(await response.text(), cookie).not.toContain('victim@example.test');
        const me = (await (await fetch(`${base}/me`, { headers: { cookie } })).json()) as { email: string | null };
        expect(me.email, cookie).not.toBe('victim@example.test');
      }
    }
  });
});

describe('a remembered device (RMD-03)', () => {
  /** The `tf_validity` value of a remembered authenticator login; the session is logged out again. */
  async function rememberedDevice(security: Security, clock: { nowInSeconds(): number; advance(seconds: number): void }, email: string, phone: Totp): Promise<string> {
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD, remember: true });
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    await client.post('/logout', {});
    clock.advance(30);
    return client.cookies.get('tf_validity') as string;
  }

  it('never stands in for the password, JSON or HTML; with the right one it skips only the code', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'remembered@example.test');
    const device = await rememberedDevice(security, clock, 'remembered@example.test', phone);
    for (const json of [true, false]) {
      for (const password of [{ password: 'not the password' }, { password: '' }, {}]) {
        const label = `${json ? 'JSON' : 'HTML'} ${JSON.stringify(password)}`;
        const client = new Client(security, { json });
        client.cookies.set('tf_validity', device);
        await client.get('/login');
        const reply = await client.post('/login?include_auth_token', { email: 'remembered@example.test', ...password });
        expect(reply.status, label).toBe(json ? 400 : 200);
        expect(reply.text, label).not.toContain('authentication_token');
        // Refused as any login without the right password is: the login form again, nobody logged in.
        if (json) expect(reply.json.errors?.length, label).toBeGreaterThan(0);
        else expect(formNamed(reply.text, 'login_user_form').action, label).toBe('/login');
        await expectNothingAuthenticates(security, client.cookies.values(), label);
      }
    }
    const client = new Client(security);
    client.cookies.set('tf_validity', device);
    await client.get('/login');
    const reply = await client.post('/login', { email: 'remembered@example.test', password: PASSWORD });
    expect(reply.json).toMatchObject({ tf_required: false, user: { email: 'remembered@example.test' } });
  });

  it('never makes a stale session fresh: disabling and new recovery codes still need /verify', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    expect({ freshness: security.config.freshness, grace: security.config.freshnessGracePeriod }).toEqual(SHIPPED);
    const { user, phone } = await userWithAuthenticator(security, 'remembered-stale@example.test');
    const device = await rememberedDevice(security, clock, 'remembered-stale@example.test', phone);
    const client = new Client(security);
    client.cookies.set('tf_validity', device);
    await client.get('/login');
    expect((await client.post('/login', { email: 'remembered-stale@example.test', password: PASSWORD })).json.tf_required).toBe(false);
    clock.advance(STALE_AFTER_IN_SECONDS);
    // Logged in, a password login again answers with the user but does not refresh the session.
    expect((await client.post('/login', { email: 'remembered-stale@example.test', password: PASSWORD })).status).toBe(200);
    for (const [path, body] of [['/tf-setup', { setup: 'disable' }], ['/mf-recovery-codes', {}]] as const) {
      const reply = await client.post(path, body);
      expect(reply.status, path).toBe(401);
      expect(reply.json, path).toMatchObject({ reauth_required: true });
    }
    expect((await security.findUserById(user.id))?.tfPrimaryMethod).toBe('authenticator');
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(0);
    // Re-authentication asks for the code too, remembered device or not (RMD-03, MGT-01).
    expect((await client.post('/verify', { password: PASSWORD })).json).toMatchObject({ tf_required: true, tf_state: 'ready' });
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(401);
    expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
  });

  it("never skips a required set-up: another user's cookie, or the user's own from before an administrator reset", async () => {
    const { security, clock } = makeApp(db.datastore, { options: { ...REMEMBER, twoFactorRequired: true } });
    const { user, phone } = await userWithAuthenticator(security, 'required-owner@example.test');
    await userWithPassword(security, 'required-new@example.test');
    const device = await rememberedDevice(security, clock, 'required-owner@example.test', phone);
    await security.datastore.resetTwoFactor(user.id);
    for (const email of ['required-new@example.test', 'required-owner@example.test']) {
      for (const json of [true, false]) {
        const client = new Client(security, { json });
        client.cookies.set('tf_validity', device);
        await client.get('/login');
        const reply = await client.post('/login', { email, password: PASSWORD });
        if (json) expect(reply.json, email).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
        else expect(reply.location, email).toBe('/tf-setup');
        await expectNothingAuthenticates(security, client.cookies.values(), email);
      }
    }
  });

  it("never skips a required set-up: the user's own cookie after a plugin removed their only factor", async () => {
    /** A factor of the application's own; removing it is the plugin's business, as `removeTf` allows. */
    class KeyTfPlugin extends TfPluginBase {
      readonly methods = ['key'] as const;
      readonly enabled = new Set<string>();
      async setupTf(): Promise<TfSetupResult> {
        return { ok: false, error: 'TWO_FACTOR_METHOD_NOT_AVAILABLE' };
      }
      async sendToken(): Promise<boolean> {
        return true;
      }
      async verifyToken(_user: User, token: unknown): Promise<boolean> {
        return token === 'right key';
      }
      async isSetup(user: User): Promise<boolean> {
        return this.enabled.has(user.id);
      }
      async removeTf(user: User): Promise<void> {
        this.enabled.delete(user.id);
      }
    }
    const { security } = makeApp(db.datastore, { options: { ...REMEMBER, twoFactorRequired: true } });
    const plugin = new KeyTfPlugin();
    security.plugins.registerPlugin('key', plugin);
    const user = await userWithPassword(security, 'plugin-removed@example.test');
    plugin.enabled.add(user.id);
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email: 'plugin-removed@example.test', password: PASSWORD, remember: true });
    expect((await client.post('/tf-validate', { code: 'right key' })).status).toBe(200);
    await client.post('/logout', {});
    await plugin.removeTf(user);
    await client.get('/login');
    const reply = await client.post('/login', { email: 'plugin-removed@example.test', password: PASSWORD });
    expect(reply.json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
  });
});

describe('freshness for every factor change (FLOW-08, MGT-01)', () => {
  for (const json of [true, false]) {
    it(`${json ? 'JSON' : 'HTML'}: a stale session may not set up, change, disable or make recovery codes; after /verify it may`, async () => {
      const mails: MailMessage[] = [];
      const sms = new DummySmsSender();
      // The shipped freshness, not a shortened one: the defaults are what must hold.
      const { security, clock } = makeApp(db.datastore, { smsSender: sms, mailer: { send: async (mail) => void mails.push(mail) } });
      expect({ freshness: security.config.freshness, grace: security.config.freshnessGracePeriod }).toEqual(SHIPPED);
      // Code mails only: a completed change also mails the user a notice (MGT-03), tested on its own.
      const codeMails = () => mails.filter((mail) => mail.subject === security.config.emailSubjectTwoFactor).length;
      const email = `stale-${json ? 'json' : 'html'}@example.test`;
      const { user, phone } = await userWithAuthenticator(security, email);
      const client = new Client(security, { json });
      await client.get('/login');
      await client.post('/login', { email, password: PASSWORD });
      if (!json) await client.get('/tf-validate');
      await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
      // Five minutes on, still fresh: a change started now is to be confirmed by its token once stale, and
      // is still live then (twoFactorSetupWithin, 10 minutes).
      clock.advance(SHIPPED.grace);
      if (!json) await client.get('/tf-setup');
      const started = await client.post('/tf-setup', { setup: 'authenticator' });
      const tokenPath = json ? `/tf-setup/${started.json.tf_state_token as string}` : (formNamed(started.text, 'two_factor_verify_code_form').action as string);
      const newKey = json ? (started.json.tf_authr_b32key as string) : (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
      const sent = { mails: codeMails(), sms: sms.messages.length };
      // The last fresh check (the change's start) granted grace until 10 minutes after the login: one more second is stale.
      clock.advance(SHIPPED.freshness - SHIPPED.grace + 1);

      const actions: [string, Record<string, unknown> | null][] = [
        ['/tf-setup', null],
        ['/mf-recovery-codes', null],
        ['/tf-setup', { setup: 'authenticator' }],
        ['/tf-setup', { setup: 'email' }],
        ['/tf-setup', { setup: 'sms', phone: PHONE.typed }],
        ['/tf-setup', { setup: 'disable' }],
        ['/mf-recovery-codes', {}],
        [tokenPath, { code: new Totp(newKey).generatePassword(clock.nowInSeconds()) }],
      ];
      for (const [path, body] of actions) {
        const label = `${path} ${JSON.stringify(body)}`;
        const reply = body === null ? await client.get(path) : await client.post(path, body);
        if (json) {
          expect(reply.status, label).toBe(401);
          expect(reply.json, label).toMatchObject({ reauth_required: true, errors: ['You must reauthenticate to access this endpoint'] });
        } else {
          expect(reply.status, label).toBe(302);
          expect(reply.location, label).toBe(`/verify?next=${encodeURIComponent(path)}`);
        }
      }
      const unchanged = await security.findUserById(user.id);
      expect({ method: unchanged?.tfPrimaryMethod, secret: totpSecretOf(security, unchanged), phone: unchanged?.tfPhoneNumber }).toEqual({ method: 'authenticator', secret: phone.secrets, phone: null });
      expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(0);
      expect({ mails: codeMails(), sms: sms.messages.length }).toEqual(sent);

      if (!json) await client.get('/verify');
      expect((await client.post('/verify', { password: PASSWORD })).status).toBe(json ? 200 : 302);
      const ok = json ? 200 : 302;
      // The password alone leaves the session stale; the second factor's code makes it fresh (MGT-01).
      expect((await client.post('/mf-recovery-codes', {})).status).toBe(json ? 401 : 302);
      if (!json) await client.get('/tf-validate');
      expect((await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(ok);
      if (!json) await client.get('/tf-setup'); // a new session id, so the page hands out its new CSRF token
      // The change started before going stale completes once fresh again (within twoFactorSetupWithin).
      expect((await client.post(tokenPath, { code: new Totp(newKey).generatePassword(clock.nowInSeconds()) })).status).toBe(ok);
      expect(totpSecretOf(security, await security.findUserById(user.id))).toBe(newKey);
      expect((await client.post('/tf-setup', { setup: 'authenticator' })).status).toBe(200);
      expect((await client.post('/tf-setup', { setup: 'email' })).status).toBe(200);
      clock.advance(31); // past any cooldown between two codes sent to one account
      expect((await client.post('/tf-setup', { setup: 'sms', phone: PHONE.typed })).status).toBe(200);
      expect({ mails: codeMails(), sms: sms.messages.length }).toEqual({ mails: sent.mails + 1, sms: sent.sms + 1 });
      const codes = await client.post('/mf-recovery-codes', {});
      expect(codes.status).toBe(200);
      expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(10);
      expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(ok);
      expect((await security.findUserById(user.id))?.tfPrimaryMethod).toBeNull();
    });
  }
});

describe('steps out of order with no session at all', () => {
  for (const csrfIgnoreUnauthEndpoints of [false, true]) {
    it(`csrfIgnoreUnauthEndpoints ${String(csrfIgnoreUnauthEndpoints)}: every later step is refused and consumes nothing`, async () => {
      const { security, clock } = makeApp(db.datastore, { options: { csrfIgnoreUnauthEndpoints } });
      const email = `no-session-${String(csrfIgnoreUnauthEndpoints)}@example.test`;
      const { user, phone } = await userWithAuthenticator(security, email);
      const [recoveryCode] = (await security.recoveryCodes.generateCodes(user)) as [string];
      const code = phone.generatePassword(clock.nowInSeconds());
      const steps: [string, Record<string, unknown>][] = [
        ['/tf-validate', { code }],
        ['/mf-recovery', { code: recoveryCode }],
        ['/tf-select', { which: 'authenticator' }],
        ['/tf-setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { code }],
        ['/tf-setup', { setup: 'disable' }],
      ];
      for (const json of [true, false]) {
        for (const [path, body] of steps) {
          const label = `${json ? 'JSON' : 'HTML'} ${path}`;
          const client = new Client(security, { json });
          const reply = await client.post(`${path}?include_auth_token`, { ...body, user_id: user.id }, { csrf: 'made-up-csrf-token-0123456789' });
          if (json || !csrfIgnoreUnauthEndpoints) expect(reply.status, label).toBeGreaterThanOrEqual(400);
          else expect(reply.location, label).toMatch(/^\/login(\?|$)/);
          expect(reply.status, label).toBeLessThan(500);
          expect(reply.text, label).not.toContain('authentication_token');
          await expectNothingAuthenticates(security, client.cookies.values(), label);
        }
      }
      // Nothing was used up: the same authenticator code and recovery code still complete logins.
      expect((await security.findUserById(user.id))?.tfPrimaryMethod).toBe('authenticator');
      expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(10);
      const withCode = await passwordStep(security, email, true);
      expect((await withCode.client.post('/tf-validate', { code })).status).toBe(200);
      const withRecovery = await passwordStep(security, email, true);
      expect((await withRecovery.client.post('/mf-recovery', { code: recoveryCode })).status).toBe(200);
    });
  }
});
