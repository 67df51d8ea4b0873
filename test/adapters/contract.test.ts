/**
 * The contract every adapter keeps, over real HTTP: a translation that dropped a cookie, a body, a HEAD or a
 * 503 would let a login fail, or serve a request as anonymous when the database is gone. One suite, run
 * through Express, Fastify and Hono.
 */
import { describe, expect, it, vi } from 'vitest';
import { messageText } from '../../src/messages.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import { ADAPTERS, useAdapterServers } from '../support/adapters.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { HttpBrowser } from '../support/express-app.js';

const db = useDatastore();

async function envelope(response: Response): Promise<Record<string, unknown>> {
  return ((await response.json()) as { response: Record<string, unknown> }).response;
}

/** A datastore that fails as a lost database does (ECONNREFUSED) once `cut` is set, and is the shared one otherwise. */
function cuttable(datastore: KyselyDatastore): { datastore: KyselyDatastore; cut: () => void } {
  const broken = Object.create(datastore) as KyselyDatastore;
  return {
    datastore: broken,
    cut: () => {
      broken.findSession = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    },
  };
}

const ENCODED_NEXT = '/caf%C3%A9%E2%82%AC';

describe.each(ADAPTERS)('the %s adapter', (adapter) => {
  const start = useAdapterServers(adapter);
  const email = (label: string) => `${adapter}-${label}@example.test`;

  it('logs in with JSON and an authenticator code; the user reaches the application’s routes', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, email('json'));
    const api = new HttpBrowser(await start(security), 'json');
    expect(await (await api.fetch('/me')).json()).toEqual({ email: null, via: null, tfVerified: null });
    await api.fetch('/login');
    const login = await api.postJson('/login', { email: email('json'), password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(await envelope(login)).toMatchObject({ tf_required: true, tf_state: 'ready' });
    const done = await api.postJson('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(await (await api.fetch('/me')).json()).toEqual({ email: email('json'), via: 'session', tfVerified: true });
    expect(await (await api.fetch('/profile')).json()).toEqual({ email: email('json') });
    expect(await (await api.fetch('/api')).json()).toEqual({ via: 'session' });
    expect(await (await api.fetch('/admin')).text()).toBe('admin');
  });

  it('logs in with forms: redirects to the code page, then to next', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, email('form'));
    const browser = new HttpBrowser(await start(security), 'html');
    await browser.fetch('/login');
    const password = await browser.postForm('/login?next=/profile', { email: email('form'), password: PASSWORD });
    expect(password.status).toBe(302);
    const page = await browser.fetch(password.headers.get('location') ?? '');
    expect(page.status).toBe(200);
    const action = /<form[^>]*action="([^"]*)"/.exec(await page.text())?.[1]?.replace(/&amp;/g, '&') ?? '';
    const done = await browser.postForm(action, { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/profile');
    expect(await (await browser.fetch('/profile')).json()).toEqual({ email: email('form') });
  });

  it('keeps several Set-Cookie headers as several (session and remember-this-device)', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false } });
    const { phone } = await userWithAuthenticator(security, email('cookies'));
    const api = new HttpBrowser(await start(security), 'json');
    await api.fetch('/login');
    await api.postJson('/login', { email: email('cookies'), password: PASSWORD, remember: true });
    const done = await api.postJson('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(done.headers.getSetCookie().map((cookie) => cookie.split('=')[0]).sort()).toEqual(['tf_validity', 'twofold_session']);
    expect(done.headers.getSetCookie().find((cookie) => cookie.startsWith('twofold_session='))).toContain('Max-Age=86400');
  });

  it('leaves the body of the application’s own POST routes to the framework', async () => {
    const { security } = makeApp(db.datastore);
    const base = await start(security);
    const echoed = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) });
    expect(echoed.status).toBe(200);
    expect(await echoed.json()).toEqual({ body: { hello: 'world' } });
  });

  it('refuses a POST without the CSRF token with 403', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, email('csrf'));
    const api = new HttpBrowser(await start(security), 'json');
    await api.fetch('/login');
    const refused = await api.fetch('/login', { method: 'POST', type: 'application/json', body: JSON.stringify({ email: email('csrf'), password: PASSWORD }) });
    expect(refused.status).toBe(403);
    expect(await (await api.fetch('/me')).json()).toMatchObject({ email: null });
  });

  it('answers HEAD with the GET headers and no body, serves the stylesheet, and leaves other URLs to the framework', async () => {
    const { security } = makeApp(db.datastore);
    const base = await start(security);
    const head = await fetch(`${base}/login`, { method: 'HEAD', headers: { accept: 'text/html' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/html');
    expect(head.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/static/twofold.css`)).headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });

  it('guards: 401 JSON or a redirect to login when anonymous, 403 tf_required or a redirect to set-up without a second factor', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, email('guards'));
    const base = await start(security);
    const api = new HttpBrowser(base, 'json');
    for (const path of ['/profile', '/api', '/admin']) expect((await api.fetch(path)).status, path).toBe(401);
    const anonymous = await api.fetch('/profile');
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    expect(((await anonymous.json()) as { response: { errors: string[] } }).response.errors).toEqual(['You must sign in to view this resource.']);
    const browser = new HttpBrowser(base, 'html');
    const redirected = await browser.fetch('/profile?tab=2');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('/login?next=%2Fprofile%3Ftab%3D2');

    await api.fetch('/login');
    await api.postJson('/login', { email: email('guards'), password: PASSWORD });
    expect((await api.fetch('/profile')).status).toBe(200);
    const refused = await api.fetch('/admin');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'Two-factor authentication is required to access this resource.', tf_required: true, tf_methods: [] });
    await browser.fetch('/login');
    await browser.postForm('/login', { email: email('guards'), password: PASSWORD });
    const setup = await browser.fetch('/admin');
    expect(setup.status).toBe(302);
    expect(setup.headers.get('location')).toBe('/tf-setup');
  });

  it('admits an API token where tokens are allowed, and refuses a cookie where only tokens are', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, email('token'));
    const base = await start(security);
    const api = new HttpBrowser(base, 'json');
    await api.fetch('/login');
    const login = await api.postJson('/login?include_auth_token', { email: email('token'), password: PASSWORD });
    const token = ((await envelope(login)).user as { authentication_token: string }).authentication_token;
    expect((await api.fetch('/api/token-only')).status).toBe(401);
    for (const path of ['/api', '/api/token-only']) {
      const reply = await fetch(`${base}${path}`, { headers: { accept: 'application/json', 'authentication-token': token } });
      expect(reply.status, path).toBe(200);
      expect(await reply.json()).toEqual({ via: 'token' });
    }
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const { security } = makeApp(db.datastore);
    const api = new HttpBrowser(await start(security), 'json');
    await api.fetch('/login');
    const big = await api.postJson('/login', { email: 'a@example.test', password: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
  });

  it('ends a login whose next holds characters no header can carry in a redirect to the encoded path', async () => {
    const { security, clock } = makeApp(db.datastore);
    const { phone } = await userWithAuthenticator(security, email('next'));
    const browser = new HttpBrowser(await start(security), 'html');
    await browser.fetch(`/login?next=${ENCODED_NEXT}`);
    const password = await browser.postForm(`/login?next=${ENCODED_NEXT}`, { email: email('next'), password: PASSWORD, next: '/café€' });
    expect(password.status).toBe(302);
    const page = await browser.fetch(password.headers.get('location') ?? '');
    const action = /<form[^>]*action="([^"]*)"/.exec(await page.text())?.[1]?.replace(/&amp;/g, '&') ?? '';
    const done = await browser.postForm(action, { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(ENCODED_NEXT);
    const guarded = await new HttpBrowser(browser.base, 'html').fetch('/profile?tab=café€');
    expect(guarded.status).toBe(302);
    expect(guarded.headers.get('location')).toMatch(/^\/login\?next=[\x21-\x7e]+$/);
  });

  it('answers 503 with Retry-After, on its own URLs and on guarded routes, when the database is gone', async () => {
    const { datastore, cut } = cuttable(db.datastore);
    const { security } = makeApp(datastore);
    await userWithPassword(security, email('down'));
    const api = new HttpBrowser(await start(security), 'json');
    await api.fetch('/login');
    await api.postJson('/login', { email: email('down'), password: PASSWORD });
    // The default onError writes one line per failure to stderr; kept here to check what was reported.
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => {});
    cut();
    const unavailable = messageText('SERVICE_UNAVAILABLE');
    for (const path of ['/tf-setup', '/profile', '/me']) {
      const reply = await api.fetch(path);
      expect({ path, status: reply.status, retryAfter: reply.headers.get('retry-after') }).toEqual({ path, status: 503, retryAfter: '5' });
      expect(((await reply.json()) as { response: { errors: string[] } }).response.errors).toEqual([unavailable]);
    }
    expect(errorLog.mock.calls.map((call) => String(call[0]))).toEqual(Array(3).fill(expect.stringContaining('store-unavailable')));
    errorLog.mockRestore();
  });
});
