/**
 * A set-up owed at login is void once the user has a factor: a login left at `setup_from_login` (say, an
 * attacker's, with the password) must not go on to enrol its own authenticator over the one the user set up
 * since from another login; and a factor bound at login ends the sessions made without it (checklist FLOW-10).
 */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
const REQUIRED = { twoFactorRequired: true } as const;

async function passwordStep(security: Security, email: string): Promise<Client> {
  const client = new Client(security);
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD });
  expect(login.json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
  return client;
}

/** Chooses the authenticator and confirms it with its first code; returns the secret. */
async function enrol(client: Client, clock: { nowInSeconds(): number }): Promise<string> {
  const started = await client.post('/tf-setup', { setup: 'authenticator' });
  expect(started.status).toBe(200);
  const secret = started.json.tf_authr_b32key as string;
  const done = await client.post('/tf-validate', { code: new Totp(secret).generatePassword(clock.nowInSeconds()) });
  expect(done.status).toBe(200);
  return secret;
}

describe('a set-up login left standing', () => {
  it('cannot choose a method once the user enrolled from another login', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REQUIRED });
    const user = await userWithPassword(security, 'stale-setup-choose@example.test');
    const attacker = await passwordStep(security, user.email);
    const owner = await passwordStep(security, user.email);
    const secret = await enrol(owner, clock);

    const late = await attacker.post('/tf-setup', { setup: 'authenticator' });
    expect(late.status).toBe(400);
    expect(late.json).not.toHaveProperty('tf_authr_b32key');
    expect(totpSecretOf(security, await security.findUserById(user.id))).toBe(secret);
  });

  it('cannot confirm a set-up it started before the user enrolled from another login', async () => {
    const { security, clock } = makeApp(db.datastore, { options: REQUIRED });
    const user = await userWithPassword(security, 'stale-setup-confirm@example.test');
    const attacker = await passwordStep(security, user.email);
    const pending = await attacker.post('/tf-setup', { setup: 'authenticator' });
    const attackerSecret = pending.json.tf_authr_b32key as string;
    const owner = await passwordStep(security, user.email);
    const secret = await enrol(owner, clock);

    clock.advance(30);
    const late = await attacker.post('/tf-validate', { code: new Totp(attackerSecret).generatePassword(clock.nowInSeconds()) });
    expect(late.status).toBe(400);
    expect(late.json).not.toHaveProperty('user');
    expect(totpSecretOf(security, await security.findUserById(user.id))).toBe(secret);
    // The owner's session lives on.
    expect((await owner.get('/tf-setup')).status).toBe(200);
  });

  it('a factor set up at login ends the sessions made before it, without it', async () => {
    const email = 'stale-setup-sessions@example.test';
    const before = makeApp(db.datastore);
    await userWithPassword(before.security, email);
    const old = new Client(before.security);
    await old.get('/login');
    expect((await old.post('/login', { email, password: PASSWORD })).json).toMatchObject({ tf_required: false });

    // The operator now requires 2FA; the next login sets it up.
    const { security, clock } = makeApp(db.datastore, { options: REQUIRED });
    const owner = await passwordStep(security, email);
    await enrol(owner, clock);
    const cookieOf = (client: Client) => ({ cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ') });
    expect(await security.authenticate(new Request('http://localhost/', { headers: cookieOf(old) }))).toBeNull();
    expect((await security.authenticate(new Request('http://localhost/', { headers: cookieOf(owner) })))?.user.email).toBe(email);
  });
});
