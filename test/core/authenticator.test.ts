/** Authenticator set-up and login through the code plugin, on every database: confirmation first, then each code once. */
import { expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import { describeEachDatabase } from '../support/databases.js';
import { createTestUser, makeSecurity, reload, TEST_START_IN_SECONDS, totpSecretOf } from '../support/security.js';

describeEachDatabase('authenticator factor', (database) => {
  async function setUp() {
    const { security, clock } = makeSecurity(database.datastore);
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('set-up did not start');
    const phone = new Totp(started.authenticator.b32key);
    return { security, clock, user, started, phone, pending: started.pending, values: started.authenticator };
  }

  it('shows the key for an authenticator app and activates nothing before a code confirms it (ENR-02)', async () => {
    const { security, user, values, pending } = await setUp();
    expect(values.b32key).toMatch(/^[A-Z2-7]{32}$/);
    expect(values.key.replace(/-/g, '')).toBe(values.b32key);
    expect(values.uri).toContain(`secret=${values.b32key}`);
    expect(values.issuer).toBe('twofold tests');
    expect(JSON.stringify(pending)).not.toContain(values.b32key);
    const stored = await reload(security, user);
    expect(stored.tfPrimaryMethod).toBeNull();
    expect(totpSecretOf(security, stored)).toBeNull();
    expect(await security.hasTfSetup(stored)).toBe(false);
  });

  it('keeps the factor inactive after a wrong code, and activates it with the right one', async () => {
    const { security, user, phone, pending } = await setUp();
    const wrong = String((Number(phone.generatePassword(TEST_START_IN_SECONDS)) + 1) % 1_000_000).padStart(6, '0');
    expect(await security.codePlugin.verifyToken(user, wrong, { pending })).toBe(false);
    expect((await reload(security, user)).tfPrimaryMethod).toBeNull();
    expect(await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending })).toBe(true);
    const active = await reload(security, user);
    expect(active.tfPrimaryMethod).toBe('authenticator');
    expect(totpSecretOf(security, active)).toBe(phone.secrets);
    expect(await security.getTfMethods(active)).toEqual(['authenticator']);
  });

  it('stores the secret encrypted under the key ring, bound to the user (ENR-07)', async () => {
    const { security, user, phone, pending } = await setUp();
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    const row = await database.datastore.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.tf_totp_secret).toMatch(/^tf1:1:/);
    expect(row.tf_totp_secret).not.toContain(phone.secrets);
    expect(() => security.keyring.decrypt(row.tf_totp_secret as string, `users.tf_totp_secret:someone-else`)).toThrow();
  });

  it('refuses the confirming code at the next login, and every code a second time (TOTP-04)', async () => {
    const { security, clock, user, phone, pending } = await setUp();
    const confirming = phone.generatePassword(TEST_START_IN_SECONDS);
    await security.codePlugin.verifyToken(user, confirming, { pending });
    expect(await security.codePlugin.verifyToken(await reload(security, user), confirming)).toBe(false);

    clock.advance(30);
    const next = phone.generatePassword(clock.nowInSeconds());
    expect(await security.codePlugin.verifyToken(await reload(security, user), next)).toBe(true);
    expect(await security.codePlugin.verifyToken(await reload(security, user), next)).toBe(false);
    // A stale copy of the user (another request that loaded it earlier) is stopped by the guarded UPDATE.
    expect(await security.codePlugin.verifyToken(user, next)).toBe(false);
  });

  it('treats a user built anywhere like one Security read: a copy of the row passes its code, and the step then holds', async () => {
    const { security, clock, user, phone, pending } = await setUp();
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    clock.advance(30);
    const code = phone.generatePassword(clock.nowInSeconds());
    const row = await database.datastore.findUserById(user.id);
    if (row === null) throw new Error('user vanished');
    expect(await security.codePlugin.verifyToken({ ...row }, code)).toBe(true);
    expect(await security.codePlugin.verifyToken(await reload(security, user), code)).toBe(false);
  });

  it('refuses an earlier step once a later one was used', async () => {
    const { security, clock, user, phone, pending } = await setUp();
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    clock.advance(90);
    const previous = phone.generatePassword(clock.nowInSeconds() - 30);
    const current = phone.generatePassword(clock.nowInSeconds());
    expect(await security.codePlugin.verifyToken(await reload(security, user), current)).toBe(true);
    expect(await security.codePlugin.verifyToken(await reload(security, user), previous)).toBe(false);
  });

  it('accepts one step either side by default and no more (TOTP-06)', async () => {
    const { security, clock, user, phone, pending } = await setUp();
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    clock.advance(600);
    const now = clock.nowInSeconds();
    for (const offset of [-60, 60]) {
      expect(await security.codePlugin.verifyToken(await reload(security, user), phone.generatePassword(now + offset))).toBe(false);
    }
    expect(await security.codePlugin.verifyToken(await reload(security, user), phone.generatePassword(now - 30))).toBe(true);
    expect(await security.codePlugin.verifyToken(await reload(security, user), phone.generatePassword(now + 30))).toBe(true);
  });

  it('gives exactly one true to 50 concurrent uses of one code, across two connection pools (TOTP-05)', async () => {
    const { security, clock, user, phone, pending } = await setUp();
    const other = makeSecurity(await database.openAnother(), { nowInSeconds: TEST_START_IN_SECONDS + 60 }).security;
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    clock.advance(60);
    const code = phone.generatePassword(clock.nowInSeconds());
    const active = await reload(security, user);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? security : other).codePlugin.verifyToken(active, code)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('treats hostile tokens as wrong, never as an error (TOTP-10)', async () => {
    const { security, user, phone, pending } = await setUp();
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    const active = await reload(security, user);
    for (const token of ['', ' ', '12345a', '1234567', '%', '９９９９９９', 123456, ['123456'], { $ne: 1 }, null, undefined, '1'.repeat(10_000)]) {
      expect(await security.codePlugin.verifyToken(active, token)).toBe(false);
    }
  });

  it('is gone after removeTf, and its pending set-up no longer matters', async () => {
    const { security, user, phone, pending } = await setUp();
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending });
    await security.codePlugin.removeTf(await reload(security, user));
    const removed = await reload(security, user);
    expect(removed.tfPrimaryMethod).toBeNull();
    expect(totpSecretOf(security, removed)).toBeNull();
    expect(await security.hasTfSetup(removed)).toBe(false);
  });
});

describeEachDatabase('authenticator factor, edges', (database) => {
  it('drops a set-up not confirmed within twoFactorSetupWithin (ENR-02)', async () => {
    const { security, clock } = makeSecurity(database.datastore);
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
    clock.advance(security.config.twoFactorSetupWithin + 1);
    const code = new Totp(started.authenticator.b32key).generatePassword(clock.nowInSeconds());
    expect(await security.codePlugin.verifyToken(user, code, { pending: started.pending })).toBe(false);
    expect((await reload(security, user)).tfPrimaryMethod).toBeNull();
  });

  it('refuses a pending set-up made for another user', async () => {
    const { security } = makeSecurity(database.datastore);
    const alice = await createTestUser(security);
    const mallory = await createTestUser(security);
    const started = await security.codePlugin.setupTf(alice, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
    const code = new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS);
    expect(await security.codePlugin.verifyToken(mallory, code, { pending: started.pending })).toBe(false);
    expect((await reload(security, mallory)).tfPrimaryMethod).toBeNull();
  });

  it('reports a replayed code as tfCodeReplayed, and a wrong one not (TOTP-11)', async () => {
    const { security, clock } = makeSecurity(database.datastore);
    const replays: string[] = [];
    security.events.on('tfCodeReplayed', ({ user, method }) => void replays.push(`${user.id}:${method}`));
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
    const phone = new Totp(started.authenticator.b32key);
    await security.codePlugin.verifyToken(user, phone.generatePassword(TEST_START_IN_SECONDS), { pending: started.pending });
    clock.advance(30);
    const code = phone.generatePassword(clock.nowInSeconds());
    expect(await security.codePlugin.verifyToken(await reload(security, user), code)).toBe(true);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await security.codePlugin.verifyToken(await reload(security, user), wrong)).toBe(false);
    expect(replays).toEqual([]);
    expect(await security.codePlugin.verifyToken(await reload(security, user), code)).toBe(false);
    expect(replays).toEqual([`${user.id}:authenticator`]);
  });

  it('logs in only with the method the user set up', async () => {
    const { security } = makeSecurity(database.datastore);
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
    const code = new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS + 30);
    await security.codePlugin.verifyToken(user, new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS), { pending: started.pending });
    const active = await reload(security, user);
    expect(await security.codePlugin.sendToken(active, { method: 'sms' })).toBe(false);
    expect(await security.codePlugin.verifyToken(active, code, { method: 'sms' })).toBe(false);
    expect(await security.codePlugin.verifyToken(active, code, { method: 'email' })).toBe(false);
  });

  it('refuses a code of the old secret checked just as the user switched authenticators', async () => {
    const { security, clock } = makeSecurity(database.datastore);
    const user = await createTestUser(security);
    const first = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!first.ok || first.authenticator === undefined) throw new Error('no set-up');
    const oldPhone = new Totp(first.authenticator.b32key);
    await security.codePlugin.verifyToken(user, oldPhone.generatePassword(TEST_START_IN_SECONDS), { pending: first.pending });
    const loadedBeforeTheChange = await reload(security, user);
    clock.advance(30);
    const second = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!second.ok || second.authenticator === undefined) throw new Error('no set-up');
    await security.codePlugin.verifyToken(user, new Totp(second.authenticator.b32key).generatePassword(clock.nowInSeconds() - 30), { pending: second.pending });
    clock.advance(30);
    expect(await security.codePlugin.verifyToken(loadedBeforeTheChange, oldPhone.generatePassword(clock.nowInSeconds()))).toBe(false);
  });
});
