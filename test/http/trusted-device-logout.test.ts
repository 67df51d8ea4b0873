/** Guards "remember this device" (docs/flask-security-reference.md §3.4, docs/design.md §3: a revocable server-side token for one user) and that logout ends the session. */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import { loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';

const db = useDatastore();
const REMEMBER = { twoFactorAlwaysValidate: false };

function sessionAuth(security: Parameters<typeof loggedInClient>[0], cookie: string | undefined) {
  return security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${cookie ?? ''}` } }));
}

async function passwordStep(client: Client, email: string) {
  await client.get('/login');
  return client.post('/login', { email, password: PASSWORD });
}

describe('remember this device (twoFactorAlwaysValidate: false)', () => {
  it('a remembered login sets tf_validity; the next password login of that user skips the code', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'trusted@example.test');
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email: 'trusted@example.test', password: PASSWORD, remember: true });
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    const cookie = done.headers.getSetCookie().find((value) => value.startsWith('tf_validity='));
    expect(cookie).toMatch(/^tf_validity=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Strict$/);
    const token = client.cookies.get('tf_validity') as string;
    const rows = await db.datastore.db.selectFrom('trusted_devices').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);

    await client.post('/logout', {});
    const again = await passwordStep(client, 'trusted@example.test');
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ tf_required: false, user: { email: 'trusted@example.test' } });
    expect(await sessionAuth(security, client.cookies.get('twofold_session'))).toMatchObject({ tfVerified: true });
    // The cookie stands in for the second factor only: a wrong password is still a wrong password.
    await client.post('/logout', {});
    await client.get('/login');
    expect((await client.post('/login', { email: 'trusted@example.test', password: 'wrong' })).status).toBe(400);
  });

  it('without "remember" no cookie is set', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'not-remembered@example.test');
    const client = new Client(security);
    await passwordStep(client, 'not-remembered@example.test');
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.headers.getSetCookie().some((value) => value.startsWith('tf_validity='))).toBe(false);
  });

  it('HTML: the checkbox `remember` sets the cookie on the redirect after the code', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'trusted-html@example.test');
    const client = new Client(security, { json: false });
    await client.get('/login');
    await client.follow(await client.post('/login', { email: 'trusted-html@example.test', password: PASSWORD, remember: 'y' }));
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.headers.getSetCookie().filter((value) => value.startsWith('tf_validity=') || value.startsWith('twofold_session='))).toHaveLength(2);
  });

  it('over HTTPS the cookie is __Host-tf_validity and Secure', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'trusted-https@example.test');
    const client = new Client(security, { base: 'https://localhost' });
    await client.get('/login');
    await client.post('/login', { email: 'trusted-https@example.test', password: PASSWORD, remember: true });
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    const cookies = done.headers.getSetCookie();
    expect(cookies.find((value) => value.startsWith('__Host-tf_validity='))).toMatch(/; Secure; SameSite=Strict$/);
    expect(cookies.find((value) => value.startsWith('__Host-twofold_session='))).toContain('; Secure');
  });

  it('another user presenting the cookie, and a forged cookie, are still challenged', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'owner@example.test');
    await userWithAuthenticator(security, 'other@example.test');
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email: 'owner@example.test', password: PASSWORD, remember: true });
    await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(client.cookies.has('tf_validity')).toBe(true);
    await client.post('/logout', {});
    expect((await passwordStep(client, 'other@example.test')).json).toMatchObject({ tf_required: true, tf_state: 'ready' });

    const forger = new Client(security);
    forger.cookies.set('tf_validity', 'A'.repeat(43));
    expect((await passwordStep(forger, 'owner@example.test')).json).toMatchObject({ tf_required: true, tf_state: 'ready' });
  });

  it('changing the second factor revokes the remembered devices', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(security, 'revoked@example.test');
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email: 'revoked@example.test', password: PASSWORD, remember: true });
    await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    expect((await client.post(`/tf-setup/${started.json.tf_state_token as string}`, { code: newPhone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    await client.post('/logout', {});
    expect(client.cookies.has('tf_validity')).toBe(true);
    expect((await passwordStep(client, 'revoked@example.test')).json).toMatchObject({ tf_required: true, tf_state: 'ready' });
  });
});

describe('logout', () => {
  it('JSON: POST /logout deletes the session; the old cookie authenticates nothing', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'logout@example.test');
    const client = await loggedInClient(security, clock, 'logout@example.test', { phone });
    const old = client.cookies.get('twofold_session');
    expect(await sessionAuth(security, old)).not.toBeNull();
    const reply = await client.post('/logout', {});
    expect(reply.status).toBe(200);
    expect(client.cookies.get('twofold_session')).not.toBe(old);
    expect(await sessionAuth(security, old)).toBeNull();
    const stale = new Client(security);
    stale.cookies.set('twofold_session', old as string);
    expect((await stale.get('/tf-setup')).status).toBe(400);
    expect((await stale.get('/mf-recovery-codes')).status).toBe(401);
  });

  it('HTML: GET shows a button that POSTs; the POST clears the cookie and redirects', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, 'logout-html@example.test');
    const client = await loggedInClient(security, clock, 'logout-html@example.test', { phone, json: false });
    const old = client.cookies.get('twofold_session');
    const page = await client.get('/logout');
    expect(page.status).toBe(200);
    const form = formNamed(page.text, 'logout_form');
    expect(form).toMatchObject({ action: '/logout', method: 'post' });
    expect(await sessionAuth(security, old)).not.toBeNull();
    const reply = await client.post('/logout', {});
    expect(reply.status).toBe(302);
    expect(reply.location).toBe('/');
    expect(reply.headers.getSetCookie()).toEqual(['twofold_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
    expect(await sessionAuth(security, old)).toBeNull();
  });
});
