/**
 * Fail closed: a second factor that is stored but cannot be served here — its method since dropped from
 * `twoFactorEnabledMethods`, or the key of an authenticator secret since removed — must block the login. It
 * never counts as "no factor": the password alone must not log in, set up the attacker's authenticator or
 * make recovery codes; a recovery code or the administrator's `users reset-access` are the ways back.
 */
import { describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/delivery/mail.js';
import type { TwofoldOptions } from '../../src/config.js';
import { Security } from '../../src/security.js';
import type { User } from '../../src/user.js';
import { hashToken } from '../../src/crypto/token-hash.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client, formsIn } from '../support/client.js';
import { TEST_START_IN_SECONDS, TEST_TOTP_SECRETS } from '../support/security.js';

const db = useDatastore();

/** A key ring that has lost tag 1, the one the stored secrets were encrypted under. */
const ROTATED_WITHOUT_OLD_KEY = { '2': 'test-only-second-key-ring-secret-9876543210-zyxwvutsrq' } as const;

/** Each built-in method, and how the operator's configuration stops serving it. */
const CASES: { name: string; method: 'authenticator' | 'email' | 'sms'; served: TwofoldOptions }[] = [
  { name: 'authenticator, method turned off', method: 'authenticator', served: { twoFactorEnabledMethods: ['email'] } },
  { name: 'authenticator, key removed from the key ring', method: 'authenticator', served: { totpSecrets: ROTATED_WITHOUT_OLD_KEY } },
  { name: 'email, method turned off', method: 'email', served: { twoFactorEnabledMethods: ['authenticator'] } },
  { name: 'sms, method turned off', method: 'sms', served: { twoFactorEnabledMethods: ['authenticator'] } },
];

const mails: MailMessage[] = [];
const mailer = { send: async (mail: MailMessage) => void mails.push(mail) };

/** A user whose factor of `method` was set up while every method was served, with a set of recovery codes. */
async function enrolledUser(method: 'authenticator' | 'email' | 'sms', email: string): Promise<{ user: User; recoveryCodes: string[] }> {
  const { security } = makeApp(db.datastore, { mailer });
  const user = await userWithPassword(security, email);
  const secret = method === 'authenticator' ? security.keyring.encrypt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', `users.tf_totp_secret:${user.id}`) : null;
  await security.datastore.setTwoFactor(user.id, { method, totpSecretEncrypted: secret, phoneNumber: method === 'sms' ? '+442083661177' : null, lastStep: null });
  const recoveryCodes = await security.recoveryCodes.generateCodes(user);
  return { user, recoveryCodes };
}

/** The Security as the operator now runs it: `served` no longer serves the user's method. */
function reconfigured(served: TwofoldOptions, warnings: string[] = []): Security {
  const methods = served.twoFactorEnabledMethods ?? ['authenticator'];
  return new Security({ totpIssuer: 'twofold tests', totpSecrets: TEST_TOTP_SECRETS, ...served }, db.datastore, {
    ...(methods.includes('email') ? { mailer } : {}),
    onWarning: (line) => void warnings.push(line),
  });
}

async function passwordStep(security: Security, email: string, json = true): Promise<{ client: Client; login: Awaited<ReturnType<Client['post']>> }> {
  const client = new Client(security, { json });
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD });
  return { client, login };
}

describe('a stored factor that cannot be served blocks the login', () => {
  for (const { name, method, served } of CASES) {
    it(`${name}: the password alone logs nobody in, sets up nothing, makes no recovery codes`, async () => {
      const email = `unserved-${name.replace(/\W+/g, '-')}@example.test`;
      const { user, recoveryCodes } = await enrolledUser(method, email);
      const security = reconfigured(served);
      expect(await security.getTfMethods(user)).toEqual([]);
      expect(await security.hasTfSetup((await security.findUserById(user.id)) as User)).toBe(true);

      const { client, login } = await passwordStep(security, email);
      expect(login.status).toBe(200);
      expect(login.json).toMatchObject({ tf_required: true, tf_state: 'unavailable', tf_method: method });
      expect(login.json).not.toHaveProperty('user');
      for (const value of client.cookies.values()) expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${value}` } }))).toBeNull();

      // Every way forward but the recovery codes is shut; each probe from a login of its own, since an
      // illegal step ends the login it was made in.
      const probe = async (path: string, body: Record<string, unknown>) => (await passwordStep(security, email)).client.post(path, body);
      expect((await probe('/tf-setup', { setup: 'authenticator' })).status).toBe(400);
      expect((await probe('/mf-recovery-codes', {})).status).toBe(401);
      expect((await probe('/tf-rescue', { help_setup: 'email' })).status).toBe(400);
      const shown = await client.get('/tf-validate');
      expect(shown.status).toBe(200);
      expect(shown.json.tf_state).toBe('unavailable');
      expect(Object.keys(shown.json.recovery_options as object).sort()).toEqual(['help', 'recovery_code']);
      const code = await client.post('/tf-validate', { code: '123456' });
      expect(code.status).toBe(400);
      expect(code.json.errors?.[0]).toMatch(/cannot be used on this site/);
      const stored = await security.findUserById(user.id);
      expect({ method: stored?.tfPrimaryMethod, failures: stored?.tfFailedAttempts }).toEqual({ method, failures: 0 });
      expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(recoveryCodes.length);

      // A recovery code is the user's own way in.
      const recovered = await client.post('/mf-recovery', { code: recoveryCodes[0] });
      expect(recovered.status).toBe(200);
      expect(recovered.json).toMatchObject({ user: { email } });
    });
  }

  it('HTML: the page says the factor cannot be used and offers no code field, only the rescue', async () => {
    const email = 'unserved-html@example.test';
    await enrolledUser('sms', email);
    const security = reconfigured({ twoFactorEnabledMethods: ['authenticator'] });
    const { client, login } = await passwordStep(security, email, false);
    expect(login.status).toBe(302);
    expect(login.location).toBe('/tf-validate');
    const page = await client.follow(login);
    expect(page.text).toContain('cannot be used on this site at the moment');
    const names = formsIn(page.text).map((form) => form.name);
    expect(names).not.toContain('two_factor_verify_code_form');
    expect(names).toContain('two_factor_rescue_form');
    expect(page.text).not.toMatch(/name="code"/);
  });

  it('"help" mails the administrator once for such a login, so they can reset the access', async () => {
    const email = 'unserved-help@example.test';
    await enrolledUser('sms', email);
    const security = new Security({ totpIssuer: 'twofold tests', totpSecrets: TEST_TOTP_SECRETS, twoFactorRescueMail: 'admin@example.test' }, db.datastore, { mailer });
    const { client } = await passwordStep(security, email);
    const before = mails.length;
    for (let i = 0; i < 3; i++) expect((await client.post('/tf-rescue', { help_setup: 'help' })).status).toBe(200);
    const sent = mails.slice(before);
    expect(sent.map((mail) => mail.to)).toEqual(['admin@example.test']);
    expect(sent[0]?.text).toContain(email);
  });

  it('a remembered browser does not stand in for a factor out of service', async () => {
    const email = 'unserved-remembered@example.test';
    const { user } = await enrolledUser('email', email);
    const { security } = makeApp(db.datastore, { mailer, options: { twoFactorAlwaysValidate: false } });
    const device = security.random.bytes(32).toString('base64url');
    await security.datastore.createTrustedDevice({
      idHash: hashToken(device),
      userId: user.id,
      userAgent: 'test',
      createdAtInSeconds: TEST_START_IN_SECONDS,
      lastUsedAtInSeconds: TEST_START_IN_SECONDS,
      expiresAtInSeconds: TEST_START_IN_SECONDS + 3600,
    });
    const now = makeApp(db.datastore, { options: { twoFactorAlwaysValidate: false, twoFactorEnabledMethods: ['authenticator'] } }).security;
    const client = new Client(now);
    client.cookies.set('tf_validity', device);
    await client.get('/login');
    const login = await client.post('/login', { email, password: PASSWORD });
    expect(login.json).toMatchObject({ tf_required: true, tf_state: 'unavailable' });
  });

  it('a logged-in session cannot re-authenticate with the password alone while its factor is out of service', async () => {
    const email = 'unserved-verify@example.test';
    const { recoveryCodes } = await enrolledUser('sms', email);
    const security = reconfigured({ twoFactorEnabledMethods: ['authenticator'] });
    const { client } = await passwordStep(security, email);
    expect((await client.post('/mf-recovery', { code: recoveryCodes[0] })).status).toBe(200);
    const verify = await client.post('/verify', { password: PASSWORD });
    expect(verify.status).toBe(400);
    expect(verify.json.errors?.[0]).toMatch(/cannot be used on this site/);
  });

  it('warns at start-up how many users have a factor that is not served', async () => {
    for (const email of ['count-a@example.test', 'count-b@example.test']) await enrolledUser('sms', email);
    const warnings: string[] = [];
    const security = reconfigured({ twoFactorEnabledMethods: ['authenticator'] }, warnings);
    const unserved = await security.storedFactorCheck;
    const sms = unserved.find((entry) => entry.method === 'sms');
    expect(sms?.users).toBeGreaterThanOrEqual(2);
    const line = warnings.find((warning) => warning.includes("'sms'"));
    expect(line).toMatch(new RegExp(`^twofold: ${String(sms?.users)} users have 'sms' as their second factor, which is not served here`));
    expect(line).toContain('users reset-access');
    // With every method served, nothing to warn about.
    const quiet: string[] = [];
    const all = reconfigured({ twoFactorEnabledMethods: ['authenticator', 'email', 'sms'] }, quiet);
    expect(await all.storedFactorCheck).toEqual([]);
    expect(quiet).toEqual([]);
  });
});
