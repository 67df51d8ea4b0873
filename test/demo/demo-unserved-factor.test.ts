/**
 * The demo drops e-mail codes by itself in production without SMTP_URL. A user who set up e-mail codes must
 * not then log in with the password alone: the login stops, the start-up says how many users are affected,
 * and `users show` says the factor is not served (fail closed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/demo/app.js';
import { readEnvironment, servedMethodsOf } from '../../src/cli/environment.js';
import { createUserWithPassword, formatUserSummary, summarizeUser } from '../../src/cli/users.js';
import { systemClock } from '../../src/clock.js';
import { cryptoRandom } from '../../src/crypto/random.js';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'mailed-codes@example.test';

let folder: string;
let env: Record<string, string>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twofold-demo-unserved-'));
  env = { DATABASE_URL: `sqlite:${join(folder, 'demo.db')}`, SECURITY_TOTP_SECRETS: JSON.stringify({ '1': cryptoRandom.bytes(32).toString('base64url') }) };
  // In development e-mail codes are printed to the console; the user sets them up.
  const development = await createDemoApp({ env, notice: () => {}, console: { write: () => true } });
  const created = await createUserWithPassword({ datastore: development.datastore, random: cryptoRandom, clock: systemClock }, { email: EMAIL, password: PASSWORD });
  if (!created.ok) throw new Error('user not created');
  await development.datastore.setTwoFactor(created.user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
  await development.close();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the demo in production without SMTP_URL', () => {
  it('warns how many users have e-mail codes, and their login stops after the password', async () => {
    const notices: string[] = [];
    const production = { ...env, NODE_ENV: 'production' };
    const demo = await createDemoApp({ env: production, notice: (line) => void notices.push(line) });
    const server: Server = demo.app.listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => server.once('listening', resolve));
      expect(notices).toContain('E-mail codes are off: NODE_ENV is production and SMTP_URL is not set.');
      expect(notices.some((line) => /^WARNING: 1 user has 'email' as their second factor, which is not served here/.test(line))).toBe(true);

      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const first = await fetch(`${base}/login`, { headers: { accept: 'application/json' } });
      const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const csrf = ((await first.json()) as { response: { csrf_token: string } }).response.csrf_token;
      const login = await fetch(`${base}/login`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrf, cookie },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      });
      const body = (await login.json()) as { response: Record<string, unknown> };
      expect(login.status).toBe(200);
      expect(body.response).toMatchObject({ tf_required: true, tf_state: 'unavailable', tf_method: 'email' });
      expect(body.response).not.toHaveProperty('user');

      const environment = readEnvironment(production);
      const shown = await summarizeUser({ datastore: demo.datastore, random: cryptoRandom, clock: systemClock }, EMAIL, servedMethodsOf(environment).methods);
      if (!shown.ok) throw new Error('user not found');
      expect(shown.summary.tfMethodServed).toBe(false);
      expect(formatUserSummary(shown.summary)).toMatch(/second factor:\s+email \(NOT SERVED/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await demo.close();
    }
  });
});
