/**
 * Threat: a session or trusted-device cookie sent in clear text is read off the network and replayed.
 * twofold answers only over HTTPS, except to this machine, where development happens (checklist WEB-04).
 */
import type { AddressInfo } from 'node:net';
import { request as httpRequest, type Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator } from '../support/app.js';
import { Client } from '../support/client.js';
import { twofoldExpress } from '../../src/express.js';

const db = useDatastore();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const REFUSAL = 'This page is only served over HTTPS.';

async function passwordStep(security: Security, base: string, json = true) {
  const client = new Client(security, { base, json });
  const page = await client.get('/login');
  const login = await client.post('/login', { email: 'https@example.test', password: PASSWORD });
  return { page, login };
}

describe('plain HTTP (WEB-04)', () => {
  it('to another host: every page is 403 and no cookie is set, in JSON and HTML', async () => {
    const { security } = makeApp(db.datastore);
    await userWithAuthenticator(security, 'https@example.test').catch(() => undefined);
    for (const json of [true, false]) {
      const { page, login } = await passwordStep(security, 'http://app.example.test', json);
      for (const reply of [page, login]) {
        expect(reply.status).toBe(403);
        expect(reply.headers.getSetCookie()).toEqual([]);
        if (json) expect(reply.json.errors).toEqual([REFUSAL]);
        else expect(reply.text).toContain(REFUSAL);
      }
    }
  });

  it('over HTTPS the same host is served, with __Host- cookies marked Secure', async () => {
    const { security } = makeApp(db.datastore);
    const { login } = await passwordStep(security, 'https://app.example.test');
    expect(login.json).toMatchObject({ tf_required: true, tf_state: 'ready' });
    expect(login.headers.getSetCookie().every((cookie) => cookie.startsWith('__Host-') && cookie.includes('; Secure'))).toBe(true);
  });

  it('to this machine (localhost, 127.0.0.1, [::1]) plain HTTP is served, for development', async () => {
    const { security } = makeApp(db.datastore);
    for (const base of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://app.localhost']) {
      expect((await passwordStep(security, base)).login.json, base).toMatchObject({ tf_required: true });
    }
  });

  it('allowInsecureHttp lets another host through (for a closed network the application vouches for)', async () => {
    const { security } = makeApp(db.datastore, { options: { allowInsecureHttp: true } });
    expect((await passwordStep(security, 'http://intranet.example.test')).login.json).toMatchObject({ tf_required: true });
  });

  it('behind a TLS proxy: Express must trust the proxy for X-Forwarded-Proto, or every page is refused', async () => {
    const { security } = makeApp(db.datastore);
    const base = async (trustProxy: boolean) => {
      const app = express();
      if (trustProxy) app.set('trust proxy', 'loopback');
      app.use(twofoldExpress(security).middleware());
      const server = app.listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise<void>((resolve) => server.once('listening', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    // As the proxy would forward it: the public host name, and the scheme the browser used.
    const headers = { host: 'app.example.test', 'x-forwarded-proto': 'https', accept: 'application/json' };
    const trusted = await getThroughProxy(`${await base(true)}/login`, headers);
    expect(trusted.status).toBe(200);
    expect(trusted.cookies.length).toBeGreaterThan(0);
    expect(trusted.cookies.every((cookie) => cookie.startsWith('__Host-'))).toBe(true);
    const untrusted = await getThroughProxy(`${await base(false)}/login`, headers);
    expect(untrusted.status).toBe(403);
    expect(untrusted.cookies).toEqual([]);
  });
});

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getThroughProxy(url: string, headers: Record<string, string>): Promise<{ status: number; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, cookies: response.headers['set-cookie'] ?? [] }));
    });
    request.on('error', reject);
    request.end();
  });
}
