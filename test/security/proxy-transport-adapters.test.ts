/**
 * Threat: a TLS proxy on the same host forwards `Host: 127.0.0.1:PORT` for every browser on the Internet; an
 * adapter that passed no connection info, or claimed a trust the application never gave, would serve them as
 * "this machine" over plain HTTP. Fastify follows its `trustProxy`, Hono trusts only an application-given
 * `clientAddress` (test/security/proxy-transport.test.ts covers Express).
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Security } from '../../src/security.js';
import { twofoldFastify } from '../../src/fastify.js';
import { twofoldHono } from '../../src/hono.js';
import { useDatastore } from '../support/app.js';
import { makeSecurity } from '../support/security.js';

const db = useDatastore();
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const NGINX = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50' };

/** GET /login with headers of our choosing, Host included (fetch will not set it). */
function getLogin(port: number, forwarded: Record<string, string>): Promise<{ status: number; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${port}`, accept: 'application/json', ...forwarded };
    const request = httpRequest({ host: '127.0.0.1', port, path: '/login', headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, cookies: response.headers['set-cookie'] ?? [] }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function onFastify(security: Security, trusted: boolean): Promise<number> {
  const app = Fastify(trusted ? { trustProxy: 'loopback' } : {});
  await app.register(twofoldFastify(security).plugin);
  await app.listen({ port: 0, host: '127.0.0.1' });
  stops.push(() => app.close());
  return (app.server.address() as AddressInfo).port;
}

async function onHono(security: Security, trusted: boolean): Promise<number> {
  const app = new Hono();
  // What an application behind nginx would pass: the address nginx appends last.
  const clientAddress = (c: { req: { header(name: string): string | undefined } }) => c.req.header('x-forwarded-for')?.split(',').pop()?.trim() ?? null;
  app.use(twofoldHono(security, trusted ? { clientAddress } : {}).middleware());
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve) => server.once('listening', resolve));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

describe.each([
  ['fastify', onFastify],
  ['hono', onHono],
] as const)('behind a proxy on %s', (_name, start) => {
  it('untrusted: a request forwarded as nginx does is refused 403 with no cookie; without forwarding headers this machine is served', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const port = await start(makeSecurity(db.datastore).security, false);
    for (const forwarded of [NGINX, { 'x-forwarded-proto': 'https' }, { 'x-forwarded-for': '203.0.113.50' }] as Record<string, string>[]) {
      const reply = await getLogin(port, forwarded);
      expect({ status: reply.status, cookies: reply.cookies }, JSON.stringify(forwarded)).toEqual({ status: 403, cookies: [] });
    }
    expect((await getLogin(port, {})).status).toBe(200);
  });

  it('trusted: served over the https the proxy reports, with __Host- cookies marked Secure; plain HTTP from elsewhere refused', async () => {
    const port = await start(makeSecurity(db.datastore).security, true);
    const reply = await getLogin(port, NGINX);
    expect(reply.status).toBe(200);
    expect(reply.cookies.length).toBeGreaterThan(0);
    expect(reply.cookies.every((cookie) => cookie.startsWith('__Host-') && cookie.includes('; Secure'))).toBe(true);
    expect((await getLogin(port, { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.50' })).status).toBe(403);
  });
});

describe('Hono off @hono/node-server (app.request, as on a runtime without a Node socket)', () => {
  it('plain HTTP to a loopback Host from an address the application names as remote is refused; from loopback, served', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { security } = makeSecurity(db.datastore);
    const on = (address: string) => {
      const app = new Hono();
      app.use(twofoldHono(security, { connectionAddress: () => address }).middleware());
      return app;
    };
    const headers = { accept: 'application/json' };
    expect((await on('203.0.113.9').request('http://127.0.0.1:3000/login', { headers })).status).toBe(403);
    expect((await on('127.0.0.1').request('http://127.0.0.1:3000/login', { headers })).status).toBe(200);
  });
});
