/**
 * What only Express does: a body its parsers already read is serialised again for twofold. The round trip of
 * bodies, cookies and HEAD, and the guards, are the contract every adapter keeps (contract.test.ts).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { HttpBrowser } from '../support/express-app.js';
import { twofoldExpress } from '../../src/express.js';

const db = useDatastore();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** twofold mounted behind Express's own body parsers, which read every body before twofold sees it. */
function application(security: Security): Express {
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.use(twofoldExpress(security).middleware());
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
  it('works when express.json() and express.urlencoded() parsed the body first', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'express-parsed@example.test');
    const base = await listen(application(security));
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
});
