/**
 * Threat: behind a TLS proxy on the same host (nginx's default `proxy_pass` forwards `Host: 127.0.0.1:PORT`),
 * an application that does not trust the proxy would take every browser on the Internet for "this machine":
 * pages served and session cookies set without `Secure`, and every client counted at the proxy's address.
 * The connection decides, not the Host header; an untrusted proxy is refused and the operator told once.
 */
import { request as httpRequest } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmsSenderBase } from '../../src/delivery/sms.js';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';
import { useServers } from '../support/express-app.js';
import { twofoldExpress } from '../../src/express.js';

const db = useDatastore();
const listen = useServers();
afterEach(() => {
  vi.restoreAllMocks();
});

interface Raw {
  readonly status: number;
  readonly cookies: string[];
  readonly body: string;
}

/** One request with headers of our choosing, Host included (fetch will not set it). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, cookies: response.headers['set-cookie'] ?? [], body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function serve(security: Security, trustProxy: string | null) {
  const app = express();
  if (trustProxy !== null) app.set('trust proxy', trustProxy);
  app.use(twofoldExpress(security).middleware());
  return (await listen(app)).port;
}

/** A client speaking to the app through "the proxy": the headers nginx adds, a cookie jar, the CSRF token. */
function proxied(port: number, forwarded: Record<string, string>) {
  const cookies = new Map<string, string>();
  let csrf = '';
  const send = async (method: string, path: string, body?: Record<string, string>) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, accept: 'application/json', ...forwarded };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'x-csrf-token': csrf });
    const reply = await raw(port, method, path, headers, body === undefined ? undefined : JSON.stringify(body));
    for (const cookie of reply.cookies) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    if (reply.body.startsWith('{')) csrf = (JSON.parse(reply.body) as { response?: { csrf_token?: string } }).response?.csrf_token ?? csrf;
    return reply;
  };
  return { send, cookies };
}

const NGINX = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50', 'x-real-ip': '203.0.113.50' };

describe('a proxy the application does not trust (default: no trust proxy)', () => {
  it('a request forwarded as nginx does, Host 127.0.0.1, is refused 403 HTTPS_REQUIRED with no cookie, and the operator is told once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'proxy-untrusted@example.test');
    const port = await serve(security, null);
    const variants: Record<string, string>[] = [NGINX, { 'x-forwarded-proto': 'https' }, { 'x-forwarded-for': '203.0.113.50' }, { 'x-real-ip': '203.0.113.50' }, { forwarded: 'for=203.0.113.50;proto=https' }];
    for (const forwarded of variants) {
      const client = proxied(port, forwarded);
      const page = await client.send('GET', '/login');
      const login = await client.send('POST', '/login', { email: 'proxy-untrusted@example.test', password: PASSWORD });
      for (const reply of [page, login]) {
        expect(reply.status, JSON.stringify(forwarded)).toBe(403);
        expect(reply.cookies).toEqual([]);
        expect(JSON.parse(reply.body)).toMatchObject({ response: { errors: ['This page is only served over HTTPS.'] } });
      }
    }
    const warnings = warn.mock.calls.map((call) => String(call[0])).filter((text) => text.includes('trust proxy'));
    expect(warnings).toHaveLength(1);
  });

  it('without any forwarding header, a browser on this machine is still served over plain HTTP (development)', async () => {
    const { security } = makeApp(db.datastore);
    const port = await serve(security, null);
    const reply = await proxied(port, {}).send('GET', '/login');
    expect(reply.status).toBe(200);
    expect(reply.cookies.every((cookie) => cookie.startsWith('twofold_session=') && !cookie.includes('Secure'))).toBe(true);
  });

  it('security.handle without connection info does not take a loopback Host with forwarding headers for this machine', async () => {
    const { security } = makeApp(db.datastore);
    const client = new Client(security, { base: 'http://127.0.0.1:3000', headers: { 'x-forwarded-proto': 'https' } });
    expect((await client.get('/login')).status).toBe(403);
    expect((await new Client(security, { base: 'http://127.0.0.1:3000' }).get('/login')).status).toBe(200);
  });
});

describe("a proxy the application trusts (app.set('trust proxy', 'loopback'))", () => {
  it('serves the login with __Host- cookies marked Secure', async () => {
    const { security } = makeApp(db.datastore);
    const port = await serve(security, 'loopback');
    const reply = await proxied(port, NGINX).send('GET', '/login');
    expect(reply.status).toBe(200);
    expect(reply.cookies.length).toBeGreaterThan(0);
    expect(reply.cookies.every((cookie) => cookie.startsWith('__Host-') && cookie.includes('; Secure'))).toBe(true);
  });

  it('refuses a client the proxy says came over plain HTTP from elsewhere', async () => {
    const { security } = makeApp(db.datastore);
    const port = await serve(security, 'loopback');
    const reply = await proxied(port, { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.50' }).send('GET', '/login');
    expect(reply.status).toBe(403);
    expect(reply.cookies).toEqual([]);
  });

  it('the remembered-browser cookie is __Host- and Secure over https', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false } });
    const { phone } = await userWithAuthenticator(security, 'proxy-remember@example.test');
    const port = await serve(security, 'loopback');
    const client = proxied(port, NGINX);
    await client.send('GET', '/login');
    expect((await client.send('POST', '/login', { email: 'proxy-remember@example.test', password: PASSWORD, remember: 'y' })).status).toBe(200);
    const done = await client.send('POST', '/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    const device = done.cookies.find((cookie) => cookie.startsWith('__Host-tf_validity='));
    expect(device).toBeDefined();
    expect(device).toContain('; Secure');
    expect(done.cookies.every((cookie) => cookie.startsWith('__Host-') && cookie.includes('; Secure'))).toBe(true);
  });

  it("the per-address send budget counts each real client, not the proxy's address (default budget)", async () => {
    const sent: string[] = [];
    const smsSender = new (class extends SmsSenderBase {
      async sendSms(_from: string, to: string): Promise<void> {
        sent.push(to);
      }
    })();
    const { security } = makeApp(db.datastore, { smsSender });
    const port = await serve(security, 'loopback');
    const budget = security.config.twoFactorMaxSendsPerAddress;
    const statuses: number[] = [];
    for (let i = 0; i <= budget; i++) {
      const email = `budget-${i}@example.test`;
      const user = await userWithPassword(security, email);
      await security.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: `+1650555${String(1000 + i)}`, lastStep: null });
      // The last account comes from another client: its own budget is untouched.
      const client = proxied(port, { ...NGINX, 'x-forwarded-for': i < budget ? '203.0.113.60' : '203.0.113.61' });
      await client.send('GET', '/login');
      statuses.push((await client.send('POST', '/login', { email, password: PASSWORD })).status);
    }
    expect(statuses).toEqual(Array<number>(budget + 1).fill(200));
    // One more account from the first client is over that client's budget.
    const over = await userWithPassword(security, 'budget-over@example.test');
    await security.datastore.setTwoFactor(over.id, { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+16505559999', lastStep: null });
    const one = proxied(port, { ...NGINX, 'x-forwarded-for': '203.0.113.60' });
    await one.send('GET', '/login');
    expect((await one.send('POST', '/login', { email: 'budget-over@example.test', password: PASSWORD })).status).toBe(429);
    expect(sent).toHaveLength(budget + 1);
  });
});

describe('twoFactorValidityCookie.secure', () => {
  async function rememberedCookie(base: string, options: Record<string, unknown>): Promise<string | undefined> {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false, ...options } });
    const email = `validity-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const { phone } = await userWithAuthenticator(security, email);
    const client = new Client(security, { base });
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD, remember: true });
    const done = await client.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) });
    return done.headers.getSetCookie().find((cookie) => cookie.includes('tf_validity='));
  }

  it('default (secure: true): Secure over https and over plain HTTP to another host (allowInsecureHttp); not on this machine', async () => {
    expect(await rememberedCookie('https://app.example.test', {})).toMatch(/^__Host-tf_validity=.*; Secure/);
    expect(await rememberedCookie('http://intranet.example.test', { allowInsecureHttp: true })).toMatch(/^tf_validity=.*; Secure/);
    expect(await rememberedCookie('http://localhost:3000', {})).not.toContain('Secure');
  });

  it('secure: false leaves Secure to https only', async () => {
    expect(await rememberedCookie('http://intranet.example.test', { allowInsecureHttp: true, twoFactorValidityCookie: { secure: false } })).not.toContain('Secure');
    expect(await rememberedCookie('https://app.example.test', { twoFactorValidityCookie: { secure: false } })).toContain('; Secure');
  });
});
