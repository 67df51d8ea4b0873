/**
 * The demo on each framework (`DEMO_SERVER=express|fastify|hono`): the same pages, guards and headers, and a
 * login with an authenticator code over HTTP; `npm start` with `DEMO_SERVER` set listens on that framework.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/passwords.js';
import { Totp } from '../../src/otp/totp-class.js';
import { createDemoApp, type DemoApp } from '../../examples/demo/app.js';
import { DEMO_SERVERS, demoServer, parseDemoServer } from '../../examples/demo/servers.js';
import { HttpBrowser } from '../support/express-app.js';

const root = resolve(import.meta.dirname, '../..');
const PASSWORD = 'correct horse battery staple';
let directory: string;
let demo: DemoApp;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'twofold-demo-servers-'));
  demo = await createDemoApp({ env: { DATABASE_URL: `sqlite:${join(directory, 'demo.db')}` }, console: { write: () => true }, notice: () => {} });
});

afterAll(async () => {
  await demo.close();
  rmSync(directory, { recursive: true, force: true });
});

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise<void>((done) => server.once('listening', () => done()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(DEMO_SERVERS)('the demo on %s', (kind) => {
  it('serves the home page with its headers, guards its pages, and logs in with an authenticator code', async () => {
    const email = `demo-${kind}@example.test`;
    const user = await demo.security.createUser({ email, passwordHash: await hashPassword(PASSWORD) });
    if (user === null) throw new Error(`${email} exists`);
    const phone = new Totp();
    const secret = demo.security.keyring.encrypt(phone.secrets, `users.tf_totp_secret:${user.id}`);
    await demo.security.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: secret, phoneNumber: null, lastStep: null });

    const server = await demoServer(demo, kind);
    try {
      const base = await listen(server);
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('twofold demo');
      expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(home.headers.get('cache-control')).toBe('no-store');
      expect((await fetch(`${base}/nothing-here`, { headers: { accept: 'application/json' } })).status).toBe(404);
      const page = new HttpBrowser(base, 'html');
      const refused = await page.fetch('/admin');
      expect([refused.status, refused.headers.get('location')]).toEqual([302, '/login?next=%2Fadmin']);
      expect((await fetch(`${base}/api/sensitive-data`)).status).toBe(401);

      const api = new HttpBrowser(base, 'json');
      await api.fetch('/login');
      expect((await api.postJson('/login', { email, password: PASSWORD })).status).toBe(200);
      expect((await api.postJson('/tf-validate', { code: phone.generatePassword(Date.now() / 1000) })).status).toBe(200);
      expect(await (await api.fetch('/admin')).json()).toEqual({ admin: true, email });
      expect(await (await api.fetch('/api/sensitive-data')).json()).toMatchObject({ via: 'session' });
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});

describe('DEMO_SERVER', { timeout: 60_000 }, () => {
  it('is read as one of the frameworks, Express when unset, and a wrong one is named', () => {
    expect(parseDemoServer(undefined)).toBe('express');
    expect(parseDemoServer('Hono')).toBe('hono');
    expect(() => parseDemoServer('koa')).toThrow(/DEMO_SERVER must be one of express, fastify, hono; got "koa"/);
  });

  it.each(['fastify', 'hono'])('=%s: npm start listens on it, serves the login page, and exits 0 on SIGTERM', async (kind) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/server.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: '0', DEMO_SERVER: kind, DATABASE_URL: `sqlite:${join(directory, `${kind}.db`)}` },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        const timer = setInterval(() => {
          const match = /twofold demo listening on (http:\/\/\S+)\n/.exec(output);
          if (match !== null) {
            clearInterval(timer);
            done(match[1] as string);
          }
        }, 50);
        void exited.then((code) => {
          clearInterval(timer);
          fail(new Error(`exited ${code}: ${output}`));
        });
      });
      expect((await fetch(`${url}/login`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
