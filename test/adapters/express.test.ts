/** Guards the Express 5 adapter over real HTTP: bodies, cookies and HEAD survive the round trip, and the guards refuse as the seed says. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { HttpBrowser } from '../support/express-app.js';
import { twofoldExpress } from '../../src/express.js';

const db = useDatastore();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The application of a test: twofold mounted, with routes of its own behind the guards. */
function application(security: Security, options: { parsersFirst?: boolean } = {}): Express {
  const app = express();
  if (options.parsersFirst === true) app.use(express.json(), express.urlencoded({ extended: false }));
  const tf = twofoldExpress(security);
  app.use(tf.middleware());
  app.get('/me', (req, res) => {
    res.json({ email: req.twofold?.user.email ?? null, via: req.twofold?.via ?? null, tfVerified: req.twofold?.tfVerified ?? null });
  });
  app.get('/profile', tf.loginRequired(), (req, res) => void res.json({ email: req.twofold?.user.email }));
  app.get('/api/token-only', tf.authRequired('token'), (req, res) => void res.json({ via: req.twofold?.via }));
  app.get('/admin', tf.tfRequired(), (_req, res) => void res.send('admin'));
  app.post('/echo', express.json(), (req, res) => void res.json({ body: req.body as unknown }));
  return app;
}

async function listen(app: Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}


async function envelope(response: Response): Promise<Record<string, unknown>> {
  return ((await response.json()) as { response: Record<string, unknown> }).response;
}

describe('twofoldExpress(security)', () => {
  it('round-trips a JSON body and a form body, and req.twofold reaches the app', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'express-json@example.test');
    const base = await listen(application(security));
    const api = new HttpBrowser(base, 'json');
    expect(await (await api.fetch('/me')).json()).toEqual({ email: null, via: null, tfVerified: null });
    await api.fetch('/login');
    const login = await api.postJson('/login', { email: 'express-json@example.test', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(await envelope(login)).toMatchObject({ tf_required: false, user: { email: 'express-json@example.test' } });
    expect(await (await api.fetch('/me')).json()).toEqual({ email: 'express-json@example.test', via: 'session', tfVerified: false });

    const browser = new HttpBrowser(base, 'html');
    await browser.fetch('/login');
    const form = await browser.postForm('/login?next=/me', { email: 'express-json@example.test', password: PASSWORD, next: '/me' });
    expect(form.status).toBe(302);
    expect(form.headers.get('location')).toBe('/me');
    expect(await (await browser.fetch('/me')).json()).toMatchObject({ email: 'express-json@example.test' });
  });

  it('keeps several Set-Cookie headers as several (session and remember-this-device)', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false } });
    const { phone } = await userWithAuthenticator(security, 'express-cookies@example.test');
    const base = await listen(application(security));
    const browser = new HttpBrowser(base, 'json');
    await browser.fetch('/login');
    await browser.postJson('/login', { email: 'express-cookies@example.test', password: PASSWORD, remember: true });
    const done = await browser.postJson('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    const cookies = done.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies.map((cookie) => cookie.split('=')[0]).sort()).toEqual(['tf_validity', 'twofold_session']);
    expect(cookies.find((cookie) => cookie.startsWith('twofold_session='))).toContain('Max-Age=86400');
  });

  it('answers HEAD with the GET headers and no body, and serves the stylesheet', async () => {
    const { security } = makeApp(db.datastore);
    const base = await listen(application(security));
    const head = await fetch(`${base}/login`, { method: 'HEAD', headers: { accept: 'text/html' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/html');
    expect(head.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await head.text()).toBe('');
    const css = await fetch(`${base}/static/twofold.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });

  it('works when express.json() and express.urlencoded() parsed the body first', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'express-parsed@example.test');
    const base = await listen(application(security, { parsersFirst: true }));
    const api = new HttpBrowser(base, 'json');
    await api.fetch('/login');
    expect(await envelope(await api.postJson('/login', { email: 'express-parsed@example.test', password: PASSWORD }))).toMatchObject({ tf_required: false });
    const browser = new HttpBrowser(base, 'html');
    await browser.fetch('/login');
    const form = await browser.postForm('/login', { email: 'express-parsed@example.test', password: PASSWORD });
    expect(form.status).toBe(302);
    const refused = await api.fetch('/login', { method: 'POST', type: 'application/json', body: '{"email": ', headers: { 'x-csrf-token': api.csrf } });
    expect(refused.status).toBe(400);
  });

  it('leaves the body of the app’s own POST routes unread', async () => {
    const { security } = makeApp(db.datastore);
    const base = await listen(application(security));
    const echoed = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) });
    expect(echoed.status).toBe(200);
    expect(await echoed.json()).toEqual({ body: { hello: 'world' } });
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const { security } = makeApp(db.datastore);
    const base = await listen(application(security));
    const api = new HttpBrowser(base, 'json');
    await api.fetch('/login');
    const big = await api.postJson('/login', { email: 'a@example.test', password: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
  });
});

describe('guards', () => {
  it('loginRequired(): 401 JSON or a redirect to the login page when anonymous; through when logged in', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'express-guard@example.test');
    const base = await listen(application(security));
    const api = new HttpBrowser(base, 'json');
    const refused = await api.fetch('/profile');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(((await refused.json()) as { response: { errors: string[] } }).response.errors).toEqual(['You must sign in to view this resource.']);
    const browser = new HttpBrowser(base, 'html');
    const redirected = await browser.fetch('/profile?tab=2');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('/login?next=%2Fprofile%3Ftab%3D2');
    await api.fetch('/login');
    await api.postJson('/login', { email: 'express-guard@example.test', password: PASSWORD });
    expect(await (await api.fetch('/profile')).json()).toEqual({ email: 'express-guard@example.test' });
  });

  it("authRequired('token') refuses a cookie session and admits the Authentication-Token", async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'express-token@example.test');
    const base = await listen(application(security));
    const api = new HttpBrowser(base, 'json');
    await api.fetch('/login');
    const login = await api.postJson('/login?include_auth_token', { email: 'express-token@example.test', password: PASSWORD });
    const token = ((await envelope(login)).user as { authentication_token: string }).authentication_token;
    expect((await api.fetch('/api/token-only')).status).toBe(401);
    const withToken = await fetch(`${base}/api/token-only`, { headers: { accept: 'application/json', 'authentication-token': token } });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toEqual({ via: 'token' });
  });

  it("tfRequired(): the seed's 403 JSON and a redirect to set-up without a second factor; through after one", async () => {
    const { security, clock } = makeApp(db.datastore);
    await userWithPassword(security, 'express-nofa@example.test');
    const { phone } = await userWithAuthenticator(security, 'express-2fa@example.test');
    const base = await listen(application(security));
    const api = new HttpBrowser(base, 'json');
    expect((await api.fetch('/admin')).status).toBe(401);
    await api.fetch('/login');
    await api.postJson('/login', { email: 'express-nofa@example.test', password: PASSWORD });
    const refused = await api.fetch('/admin');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'Two-factor authentication is required to access this resource.', tf_required: true, tf_methods: [] });

    const browser = new HttpBrowser(base, 'html');
    await browser.fetch('/login');
    await browser.postForm('/login', { email: 'express-nofa@example.test', password: PASSWORD });
    const redirected = await browser.fetch('/admin');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('/tf-setup');

    const verified = new HttpBrowser(base, 'json');
    await verified.fetch('/login');
    await verified.postJson('/login', { email: 'express-2fa@example.test', password: PASSWORD });
    expect((await verified.fetch('/admin')).status).toBe(401);
    await verified.postJson('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    const admitted = await verified.fetch('/admin');
    expect(admitted.status).toBe(200);
    expect(await admitted.text()).toBe('admin');
  });
});
