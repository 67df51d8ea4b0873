/** The options around authentication and CSRF do what their names say, and a dangerous one is refused. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';

const db = useDatastore();

async function tokenFor(security: Parameters<typeof userWithPassword>[0], email: string): Promise<string> {
  await userWithPassword(security, email);
  const client = new Client(security);
  await client.get('/login');
  const reply = await client.post('/login?include_auth_token', { email, password: PASSWORD });
  return (reply.json.user as { authentication_token: string }).authentication_token;
}

describe('apiEnabledMethods', () => {
  it('refuses HTTP Basic outright (a password alone must never get past the second factor)', () => {
    expect(() => makeApp(db.datastore, { options: { apiEnabledMethods: ['session', 'basic'] as never } })).toThrow(ConfigError);
  });

  it('decides which mechanisms the guards accept by default', async () => {
    const { security } = makeApp(db.datastore, { options: { apiEnabledMethods: ['session'] } });
    const token = await tokenFor(security, 'token-only@example.test');
    const request = new Request('http://localhost/api', { headers: { 'authentication-token': token, accept: 'application/json' } });
    const auth = await security.authenticate(request);
    expect(auth?.via).toBe('token');
    expect((await security.refuse(request, auth, {}))?.status).toBe(401);
    expect(await security.refuse(request, auth, { methods: ['token'] })).toBeNull();
  });
});

describe('CSRF options', () => {
  it('csrfIgnoreUnauthEndpoints exempts only requests that are not logged in', async () => {
    const { security } = makeApp(db.datastore, { options: { csrfIgnoreUnauthEndpoints: true } });
    await userWithPassword(security, 'no-csrf@example.test');
    const client = new Client(security);
    const login = await client.post('/login', { email: 'no-csrf@example.test', password: PASSWORD }, { csrf: false });
    expect(login.status).toBe(200);
    const verify = await client.post('/verify', { password: PASSWORD }, { csrf: false });
    expect(verify.status).toBe(403);
  });

  it('csrfCookieName also hands the token out in a cookie a page script can read', async () => {
    const { security } = makeApp(db.datastore, { options: { csrfCookieName: 'XSRF-TOKEN' } });
    const client = new Client(security);
    const reply = await client.get('/login');
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='));
    expect(cookie).toBeDefined();
    expect(cookie).not.toMatch(/HttpOnly/i);
    expect(client.cookies.get('XSRF-TOKEN')).toBe(reply.json.csrf_token);
  });

  it('sends no CSRF cookie by default', async () => {
    const { security } = makeApp(db.datastore);
    const reply = await new Client(security).get('/login');
    expect(reply.headers.getSetCookie().every((c) => c.startsWith('twofold_session='))).toBe(true);
  });
});
