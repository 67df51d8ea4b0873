/** The JSON login flows of docs/flask-security-reference.md §3 over `security.handle`: password, set-up during login, validation, completion. */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';

const db = useDatastore();

async function loggedInPending(client: Client, email: string) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

describe('JSON login', () => {
  it('hands out a CSRF token and refuses a POST without it', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security);
    const first = await client.get('/login');
    expect(first.status).toBe(200);
    expect(first.code).toBe(200);
    expect(typeof first.json.csrf_token).toBe('string');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const refused = await client.post('/login', { email: 'a@example.test', password: PASSWORD }, { csrf: false });
    expect(refused.status).toBe(403);
    expect(refused.json.errors).toEqual(['The CSRF token is missing.']);
  });

  it('logs in without 2FA when none is set up and none required', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'plain@example.test');
    const client = new Client(security);
    const reply = await loggedInPending(client, 'plain@example.test');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ tf_required: false, user: { email: 'plain@example.test' } });
    expect(client.cookies.has('twofold_session')).toBe(true);
    expect((await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${client.cookies.get('twofold_session')}` } })))?.user.email).toBe('plain@example.test');
  });

  it('answers the same for an unknown e-mail, a wrong password and a 2FA account (ENUM-01)', async () => {
    const { security } = makeApp(db.datastore);
    await userWithAuthenticator(security, 'twofa@example.test');
    await userWithPassword(security, 'nofa@example.test');
    const replies = [];
    for (const email of ['nobody@example.test', 'twofa@example.test', 'nofa@example.test']) {
      const client = new Client(security);
      await client.get('/login');
      const reply = await client.post('/login', { email, password: 'wrong password' });
      replies.push({ status: reply.status, errors: reply.json.errors, fields: reply.json.field_errors, cookies: reply.headers.getSetCookie().length });
    }
    expect(replies[0]).toEqual({ status: 400, errors: ['Authentication failed - identity or password/passcode invalid'], fields: { '': ['Authentication failed - identity or password/passcode invalid'] }, cookies: 0 });
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[2]).toEqual(replies[0]);
  });

  it('validates an authenticator code, once, and only then logs in with a new session id (FLOW-01, FLOW-03)', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'ada@example.test');
    const client = new Client(security);
    await client.get('/login');
    const anonymousCookie = client.cookies.get('twofold_session');
    const pending = await client.post('/login', { email: 'ada@example.test', password: PASSWORD });
    expect(pending.json).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'authenticator', tf_primary_method: 'authenticator' });
    expect(pending.json).not.toHaveProperty('user');
    const pendingCookie = client.cookies.get('twofold_session');
    expect(pendingCookie).not.toBe(anonymousCookie);
    // The pending session authorises nothing.
    expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${pendingCookie}` } }))).toBeNull();
    expect(await security.authenticate(new Request('http://localhost/', { headers: { 'authentication-token': pendingCookie as string } }))).toBeNull();

    const wrong = await client.post('/tf-validate', { code: '000000' === phone.generatePassword(clock.nowInSeconds()) ? '000001' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.field_errors).toEqual({ code: ['Invalid code'] });

    const code = phone.generatePassword(clock.nowInSeconds());
    const done = await client.post('/tf-validate?include_auth_token', { code });
    expect(done.status).toBe(200);
    expect(done.json.user).toMatchObject({ email: 'ada@example.test' });
    const token = (done.json.user as { authentication_token: string }).authentication_token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const fullCookie = client.cookies.get('twofold_session');
    expect(fullCookie).not.toBe(pendingCookie);
    const auth = await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${fullCookie}` } }));
    expect(auth).toMatchObject({ via: 'session', tfVerified: true });
    expect((await security.authenticate(new Request('http://localhost/', { headers: { 'authentication-token': token } })))?.via).toBe('token');
    // The old pending session is used up.
    const replay = new Client(security);
    replay.cookies.set('twofold_session', pendingCookie as string);
    replay.csrf = client.csrf;
    expect((await replay.post('/tf-validate', { code })).status).toBeGreaterThanOrEqual(400);

    // A second login in the same step cannot reuse the code (TOTP-04).
    const again = new Client(security);
    await loggedInPending(again, 'ada@example.test');
    expect((await again.post('/tf-validate', { code })).status).toBe(400);
  });

  it('sets up an authenticator during login when 2FA is required, then logs in', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    await userWithPassword(security, 'new@example.test');
    const client = new Client(security);
    const pending = await loggedInPending(client, 'new@example.test');
    expect(pending.json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
    const form = await client.get('/tf-setup');
    expect(form.json).toMatchObject({ tf_available_methods: ['authenticator', 'sms'], tf_required: true });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ tf_state: 'validating_profile', tf_method: 'authenticator', tf_state_token: null, tf_authr_issuer: 'twofold tests' });
    const phone = new Totp(started.json.tf_authr_b32key as string);
    expect(started.json.tf_authr_uri).toContain(`secret=${phone.secrets}`);
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect((await security.findUserByEmail('new@example.test'))?.tfPrimaryMethod).toBe('authenticator');
  });

  it('refuses every step out of order with the illegal-state reply, changing nothing', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security);
    await client.get('/login');
    for (const path of ['/tf-validate', '/tf-setup', '/tf-rescue', '/tf-select', '/mf-recovery']) {
      const reply = await client.post(path, { code: '123456', setup: 'authenticator', which: 'authenticator', help_setup: 'help' });
      expect(reply.status, path).toBe(400);
      expect(reply.json.errors, path).toEqual(['You currently do not have permissions to access this page']);
    }
  });

  it('expires a pending login after twoFactorLoginWithin (FLOW-07)', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'slow@example.test');
    const client = new Client(security);
    await loggedInPending(client, 'slow@example.test');
    clock.advance(601);
    const reply = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual(['You currently do not have permissions to access this page']);
  });
});
