/**
 * The demo application over real HTTP: its own routes and their guards, a JSON login, an authenticator set up
 * over HTTP, and an API token that reaches `/api/sensitive-data` only after a second factor.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoApp, type DemoApp } from '../../examples/demo/app.js';
import { createUserWithPassword } from '../../src/cli/users.js';
import { systemClock } from '../../src/clock.js';
import { cryptoRandom } from '../../src/crypto/random.js';
import type { DummySmsSender } from '../../src/delivery/sms.js';
import { Totp } from '../../src/otp/totp-class.js';

const PASSWORD = 'correct horse battery staple';

/** A fetch client that keeps cookies and the last CSRF token, like a browser or an SPA. */
class HttpClient {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;

  constructor(
    readonly base: string,
    readonly accept: 'json' | 'html' = 'json',
  ) {}

  async request(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('accept')) headers.set('accept', this.accept === 'json' ? 'application/json' : 'text/html,application/xhtml+xml,*/*;q=0.8');
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    let body: string | undefined;
    if (init.body !== undefined) {
      headers.set('content-type', 'application/json');
      if (this.csrf !== null) headers.set('x-csrf-token', this.csrf);
      body = JSON.stringify(init.body);
    }
    const response = await fetch(this.base + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : null;
    const inner = (json?.response ?? json ?? {}) as Record<string, unknown>;
    if (typeof inner.csrf_token === 'string') this.csrf = inner.csrf_token;
    return { status: response.status, headers: response.headers, text, json, response: inner, location: response.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  post(path: string, body: Record<string, unknown> = {}) {
    return this.request(path, { body });
  }

  /** A JSON login: GET for the CSRF token, then the password. */
  async login(email: string, query = '') {
    await this.get('/login');
    return this.post(`/login${query}`, { email, password: PASSWORD });
  }
}

let directory: string;
let demo: DemoApp;
let server: Server;
let base: string;
const printed: string[] = [];
const notices: string[] = [];

async function createUser(email: string): Promise<void> {
  const created = await createUserWithPassword({ datastore: demo.datastore, random: cryptoRandom, clock: systemClock }, { email, password: PASSWORD });
  expect(created.ok).toBe(true);
}

/** The code an authenticator shows `stepsAhead` time steps from now (a code works once, so the next login needs a later one). */
function codeAt(phone: Totp, stepsAhead = 0): string {
  return phone.generatePassword(Math.floor(Date.now() / 1000) + 30 * stepsAhead);
}

/** Logs in as a new user without 2FA and sets up an authenticator over HTTP; returns the client and the "phone". */
async function userWithAuthenticator(email: string): Promise<{ client: HttpClient; phone: Totp }> {
  await createUser(email);
  const client = new HttpClient(base);
  expect((await client.login(email)).response).toMatchObject({ tf_required: false });
  const started = await client.post('/tf-setup', { setup: 'authenticator' });
  expect(started.status).toBe(200);
  expect(started.response).toMatchObject({ tf_state: 'validating_profile', tf_method: 'authenticator', tf_authr_issuer: 'twofold demo' });
  const phone = new Totp(started.response.tf_authr_b32key as string);
  const confirmed = await client.post(`/tf-setup/${started.response.tf_state_token as string}`, { code: codeAt(phone) });
  expect(confirmed.status).toBe(200);
  expect(confirmed.response).toMatchObject({ tf_method: 'authenticator' });
  return { client, phone };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'twofold-demo-'));
  demo = await createDemoApp({
    env: { DATABASE_URL: `sqlite:${join(directory, 'demo.db')}` },
    console: { write: (text: string) => printed.push(text) },
    notice: (line) => notices.push(line),
  });
  server = demo.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await demo.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the demo application', () => {
  it('starts with generated development secrets kept in the data folder, mode 0600, and says where mail goes', () => {
    expect(notices.some((line) => line.includes('generated a development key ring') && line.includes(join(directory, 'secrets.json')))).toBe(true);
    expect(statSync(join(directory, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(notices).toContain('SMTP_URL is not set: e-mail, codes included, is printed to this console, not sent.');
    expect(demo.security.config.twoFactorEnabledMethods).toEqual(['email', 'authenticator', 'sms']);
  });

  it('serves the home page with a link to every page and no script', async () => {
    const home = await new HttpClient(base, 'html').get('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    for (const href of ['/login', '/profile', '/admin', '/tf-setup', '/mf-recovery-codes', '/api/sensitive-data']) expect(home.text).toContain(`href="${href}"`);
    expect(home.text).not.toContain('<script');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers /profile with 401 to JSON and a login redirect to a browser when logged out', async () => {
    const json = await new HttpClient(base).get('/profile');
    expect(json.status).toBe(401);
    const page = await new HttpClient(base, 'html').get('/profile');
    expect(page.status).toBe(302);
    const location = new URL(page.location ?? '', base);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe('/profile');
  });

  it('gives /profile to a logged-in user and refuses /admin with the seed\'s tf_required until a second factor', async () => {
    await createUser('plain@example.test');
    const client = new HttpClient(base);
    const login = await client.login('plain@example.test');
    expect(login.status).toBe(200);
    expect(login.response).toMatchObject({ tf_required: false });

    const profile = await client.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.json).toEqual({ email: 'plain@example.test' });

    const admin = await client.get('/admin');
    expect(admin.status).toBe(403);
    expect(admin.json).toEqual({ error: expect.any(String), tf_required: true, tf_methods: [] });

    const sensitive = await client.get('/api/sensitive-data');
    expect(sensitive.status).toBe(403);
    expect(sensitive.json).toMatchObject({ tf_required: true, tf_methods: [] });

    // A browser is sent to set up a second factor instead.
    const browser = new HttpClient(base, 'html');
    browser.cookies.set('twofold_session', client.cookies.get('twofold_session') ?? '');
    const page = await browser.get('/admin');
    expect(page.status).toBe(302);
    expect(page.location).toBe('/tf-setup');
    expect((await browser.get('/profile')).text).toContain('plain@example.test');
  });

  it('lets /admin in once the session set up an authenticator', async () => {
    const { client } = await userWithAuthenticator('admin@example.test');
    const admin = await client.get('/admin');
    expect(admin.status).toBe(200);
    expect(admin.json).toEqual({ admin: true, email: 'admin@example.test' });
  });

  it('serves /api/sensitive-data to an Authentication-Token from a login that passed the authenticator', async () => {
    const { client, phone } = await userWithAuthenticator('api@example.test');
    expect((await client.post('/logout')).status).toBe(200);

    const api = new HttpClient(base);
    const pending = await api.login('api@example.test', '?include_auth_token');
    expect(pending.response).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'authenticator' });
    expect(pending.response).not.toHaveProperty('user');
    // The set-up used this step's code; each code works once, so the login takes the next step's (window ±1).
    const done = await api.post('/tf-validate?include_auth_token', { code: codeAt(phone, 1) });
    expect(done.status).toBe(200);
    const token = (done.response.user as { authentication_token?: string }).authentication_token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const withToken = new HttpClient(base);
    const data = await withToken.get('/api/sensitive-data', { 'authentication-token': token as string });
    expect(data.status).toBe(200);
    expect(data.json).toMatchObject({ data: expect.stringContaining('api@example.test'), via: 'token' });
    expect(withToken.cookies.size).toBe(0);

    expect((await new HttpClient(base).get('/api/sensitive-data')).status).toBe(401);
    // The API answers JSON even to a client that accepts anything, such as curl.
    const curl = await new HttpClient(base, 'html').get('/api/sensitive-data', { accept: '*/*' });
    expect(curl.status).toBe(401);
    expect(curl.headers.get('content-type')).toContain('application/json');
    expect((await new HttpClient(base).get('/api/sensitive-data', { 'authentication-token': 'x'.repeat(43) })).status).toBe(401);
  });

  it('prints e-mailed codes to the console, and texts through the dummy sender, when nothing real is configured', async () => {
    await createUser('mail@example.test');
    const client = new HttpClient(base);
    await client.login('mail@example.test');
    const before = printed.length;
    const started = await client.post('/tf-setup', { setup: 'email' });
    expect(started.status).toBe(200);
    const mail = printed.slice(before).join('');
    expect(mail).toContain('printed, NOT sent');
    expect(mail).toContain('To: mail@example.test');
    const code = /\b(\d{6})\b/.exec(mail)?.[1];
    expect(code).toBeDefined();
    expect((await client.post(`/tf-setup/${started.response.tf_state_token as string}`, { code })).status).toBe(200);
    expect((await client.get('/admin')).status).toBe(200);

    // Another account: one account gets one code per cooldown (twoFactorSendCooldown).
    await createUser('sms@example.test');
    const texter = new HttpClient(base);
    await texter.login('sms@example.test');
    const sms = await texter.post('/tf-setup', { setup: 'sms', phone: '+1 650 555 0123' });
    expect(sms.status).toBe(200);
    const text = (demo.smsSender as DummySmsSender).lastMessage('+16505550123')?.message ?? '';
    expect(printed.join('')).toContain('To: +16505550123');
    const smsCode = /\b(\d{6})\b/.exec(text)?.[1];
    expect((await texter.post(`/tf-setup/${sms.response.tf_state_token as string}`, { code: smsCode })).status).toBe(200);
    expect((await texter.get('/admin')).status).toBe(200);
  });

  it('answers an unknown URL with 404 and a failing request with a 500 that shows no stack trace', async () => {
    expect((await new HttpClient(base, 'html').get('/no-such-page')).status).toBe(404);
    expect((await new HttpClient(base).get('/no-such-page')).json).toEqual({ error: 'Not Found' });

    // A second demo whose database is gone: every request fails inside twofold's middleware.
    const broken = await createDemoApp({ env: { DATABASE_URL: 'sqlite::memory:', SECRET_KEY: 'demo-test-secret-key-0123456789-abcdefghij' }, console: { write: () => true }, notice: () => {} });
    await broken.close();
    const brokenServer = broken.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => brokenServer.once('listening', () => resolve()));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const brokenBase = `http://127.0.0.1:${(brokenServer.address() as AddressInfo).port}`;
      // A session cookie makes twofold look the session up, in the closed database.
      const cookie = { cookie: `twofold_session=${'a'.repeat(43)}` };
      const page = await new HttpClient(brokenBase, 'html').get('/profile', cookie);
      const json = await new HttpClient(brokenBase).get('/', cookie);
      expect(page.status).toBe(500);
      expect(json.status).toBe(500);
      expect(json.json).toEqual({ error: 'Internal Server Error' });
      for (const body of [page.text, json.text]) {
        expect(body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|TypeError|database/i);
      }
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
      await new Promise<void>((resolve) => brokenServer.close(() => resolve()));
    }
  });
});
