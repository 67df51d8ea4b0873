/** The Datastore contract for users on every database: create and find, 2FA settings, the TOTP step guard, key rotation, schema. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, newTestUser } from '../support/databases.js';

const createdAt = 1_767_225_600;

describeEachDatabase('users', (database) => {
  it('creates a user with the second factor unset, and finds it by id, e-mail and uniquifier', async () => {
    const input = newTestUser({ passwordHash: null, active: false });
    const created = await database.datastore.createUser(input);

    const expected = { ...input, tfPrimaryMethod: null, tfTotpSecretEncrypted: null, tfPhoneNumber: null, tfTotpLastStep: null, tfFailedAttempts: 0, tfLockedUntilInSeconds: null, tfSetAtInSeconds: null, tfSetAddress: null, tfSetUserAgent: null, tfLastUsedAtInSeconds: null };
    expect(created).toEqual(expected);
    expect(await database.datastore.findUserById(input.id)).toEqual(expected);
    expect(await database.datastore.findUserByEmail(input.email)).toEqual(expected);
    expect(await database.datastore.findUserByUniquifier(input.fsUniquifier)).toEqual(expected);
  });

  it('finds nothing for an unknown id, e-mail or uniquifier', async () => {
    expect(await database.datastore.findUserById('nobody')).toBeNull();
    expect(await database.datastore.findUserByEmail('nobody@example.test')).toBeNull();
    expect(await database.datastore.findUserByUniquifier('nobody')).toBeNull();
  });

  it('returns null for a taken e-mail and leaves the first user as it was', async () => {
    const first = newTestUser();
    await database.datastore.createUser(first);

    expect(await database.datastore.createUser(newTestUser({ email: first.email }))).toBeNull();
    const rows = await database.datastore.db.selectFrom('users').select('id').where('email', '=', first.email).execute();
    expect(rows).toEqual([{ id: first.id }]);
  });

  it('throws, rather than answering "e-mail taken", for a duplicate id or uniquifier', async () => {
    const first = newTestUser();
    await database.datastore.createUser(first);

    await expect(database.datastore.createUser(newTestUser({ id: first.id }))).rejects.toThrow();
    await expect(database.datastore.createUser(newTestUser({ fsUniquifier: first.fsUniquifier }))).rejects.toThrow();
  });

  it('compares e-mails exactly, as the caller normalised them (no case folding, even on MariaDB)', async () => {
    const user = newTestUser({ email: 'exact.case@example.test' });
    await database.datastore.createUser(user);

    expect(await database.datastore.findUserByEmail('Exact.Case@example.test')).toBeNull();
    expect(await database.datastore.createUser(newTestUser({ email: 'EXACT.CASE@example.test' }))).not.toBeNull();
  });

  it('updates the password hash and the active flag', async () => {
    const user = newTestUser({ active: true });
    await database.datastore.createUser(user);

    await database.datastore.updatePasswordHash(user.id, 'new-hash');
    await database.datastore.setUserActive(user.id, false);
    expect(await database.datastore.findUserById(user.id)).toMatchObject({ passwordHash: 'new-hash', active: false });

    await database.datastore.setUserActive(user.id, true);
    expect((await database.datastore.findUserById(user.id))?.active).toBe(true);
  });

  it('sets the second factor in one call', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);

    await database.datastore.setTwoFactor(user.id, { method: 'sms', totpSecretEncrypted: 'k1:cipher', phoneNumber: '+15551234567', lastStep: 58_000_000 });
    expect(await database.datastore.findUserById(user.id)).toMatchObject({
      tfPrimaryMethod: 'sms',
      tfTotpSecretEncrypted: 'k1:cipher',
      tfPhoneNumber: '+15551234567',
      tfTotpLastStep: 58_000_000,
    });
  });

  it('records when and from where the factor was set, and when last used; clears them on a new set-up and a reset (MGT-04)', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);
    const setFrom = { address: '2001:db8::1', userAgent: `Agent ${'x'.repeat(300)}` };
    await database.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: 'k1:x', phoneNumber: null, lastStep: null, setAtInSeconds: createdAt + 10, setFrom });
    expect(await database.datastore.findUserById(user.id)).toMatchObject({ tfSetAtInSeconds: createdAt + 10, tfSetAddress: '2001:db8::1', tfSetUserAgent: setFrom.userAgent.slice(0, 255), tfLastUsedAtInSeconds: null });
    // A right code of the factor records its use; a right recovery code (no time given) does not.
    await database.datastore.clearSecondFactorFailures(user.id, createdAt + 20);
    await database.datastore.clearSecondFactorFailures(user.id);
    expect(await database.datastore.findUserById(user.id)).toMatchObject({ tfSetAtInSeconds: createdAt + 10, tfLastUsedAtInSeconds: createdAt + 20 });
    const session = { idHash: `s-${user.id}`, kind: 'browser' as const, userId: user.id, fsUniquifier: user.fsUniquifier, data: '{}', authenticatedAtInSeconds: null, createdAtInSeconds: createdAt, lastSeenAtInSeconds: createdAt, expiresAtInSeconds: createdAt + 3600 };
    await database.datastore.createSession(session);
    expect((await database.datastore.findSession(session.idHash, createdAt))?.user).toMatchObject({ tfSetAtInSeconds: createdAt + 10, tfLastUsedAtInSeconds: createdAt + 20 });
    await database.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null, setAtInSeconds: createdAt + 30 });
    expect(await database.datastore.findUserById(user.id)).toMatchObject({ tfSetAtInSeconds: createdAt + 30, tfLastUsedAtInSeconds: null });
    await database.datastore.resetTwoFactor(user.id);
    expect(await database.datastore.findUserById(user.id)).toMatchObject({ tfSetAtInSeconds: null, tfSetAddress: null, tfSetUserAgent: null, tfLastUsedAtInSeconds: null });
  });

  it('resets the second factor and deletes the user’s recovery and one-time codes, not another user’s', async () => {
    const user = newTestUser();
    const other = newTestUser();
    for (const u of [user, other]) {
      await database.datastore.createUser(u);
      await database.datastore.setTwoFactor(u.id, { method: 'authenticator', totpSecretEncrypted: 'k1:x', phoneNumber: null, lastStep: 1 });
      await database.datastore.replaceRecoveryCodes(u.id, [{ id: `${u.id}-r`, codeHash: 'h' }], createdAt);
      await database.datastore.putOneTimeCode({ id: `${u.id}-o`, userId: u.id, purpose: 'login', codeHash: 'h', expiresAtInSeconds: createdAt + 300, createdAtInSeconds: createdAt });
    }

    await database.datastore.resetTwoFactor(user.id);

    expect(await database.datastore.findUserById(user.id)).toMatchObject({
      fsUniquifier: user.fsUniquifier,
      tfPrimaryMethod: null,
      tfTotpSecretEncrypted: null,
      tfPhoneNumber: null,
      tfTotpLastStep: null,
    });
    expect(await codeIdsOf(user.id)).toEqual({ recovery: [], oneTime: [] });
    expect(await codeIdsOf(other.id)).toEqual({ recovery: [`${other.id}-r`], oneTime: [`${other.id}-o`] });
    expect((await database.datastore.findUserById(other.id))?.tfPrimaryMethod).toBe('authenticator');
  });

  it('resets access: as a reset, plus a new uniquifier so the old one finds nobody', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);
    await database.datastore.setTwoFactor(user.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
    await database.datastore.replaceRecoveryCodes(user.id, [{ id: `${user.id}-r`, codeHash: 'h' }], createdAt);

    await database.datastore.resetAccess(user.id, 'fresh-uniquifier');

    expect(await database.datastore.findUserByUniquifier(user.fsUniquifier)).toBeNull();
    expect(await database.datastore.findUserByUniquifier('fresh-uniquifier')).toMatchObject({ id: user.id, tfPrimaryMethod: null });
    expect(await codeIdsOf(user.id)).toEqual({ recovery: [], oneTime: [] });
  });

  it('advances the TOTP step only forward: an equal or lower step is refused', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);

    expect(await database.datastore.advanceTotpStep(user.id, 100, null)).toBe(true);
    expect(await database.datastore.advanceTotpStep(user.id, 100, null)).toBe(false);
    expect(await database.datastore.advanceTotpStep(user.id, 99, null)).toBe(false);
    expect(await database.datastore.advanceTotpStep(user.id, 101, null)).toBe(true);
    expect((await database.datastore.findUserById(user.id))?.tfTotpLastStep).toBe(101);
    expect(await database.datastore.advanceTotpStep('nobody', 1, null)).toBe(false);
  });

  it('advances the TOTP step only while the secret the code was checked against is still the user’s', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);
    await database.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: 'tf1:1:old', phoneNumber: null, lastStep: null });
    await database.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: 'tf1:1:new', phoneNumber: null, lastStep: null });
    expect(await database.datastore.advanceTotpStep(user.id, 100, 'tf1:1:old')).toBe(false);
    expect(await database.datastore.advanceTotpStep(user.id, 100, null)).toBe(false);
    expect(await database.datastore.advanceTotpStep(user.id, 100, 'tf1:1:new')).toBe(true);
  });

  it('refuses a fractional time or step with a TypeError, and writes nothing', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);

    await expect(database.datastore.advanceTotpStep(user.id, 10.5, null)).rejects.toThrow(TypeError);
    await expect(database.datastore.createUser(newTestUser({ createdAtInSeconds: createdAt + 0.25 }))).rejects.toThrow(TypeError);
    expect((await database.datastore.findUserById(user.id))?.tfTotpLastStep).toBeNull();
  });

  it('deletes a user’s codes with the user (ON DELETE CASCADE, foreign keys on)', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);
    await database.datastore.replaceRecoveryCodes(user.id, [{ id: `${user.id}-r`, codeHash: 'h' }], createdAt);
    await database.datastore.putOneTimeCode({ id: `${user.id}-o`, userId: user.id, purpose: 'login', codeHash: 'h', expiresAtInSeconds: createdAt, createdAtInSeconds: createdAt });

    await database.datastore.db.deleteFrom('users').where('id', '=', user.id).execute();
    expect(await codeIdsOf(user.id)).toEqual({ recovery: [], oneTime: [] });
  });

  it('refuses a code for a user that does not exist (foreign key)', async () => {
    await expect(database.datastore.replaceRecoveryCodes('nobody', [{ id: 'orphan', codeHash: 'h' }], createdAt)).rejects.toThrow();
  });

  /** The ids of the user's codes, read with plain queries. */
  async function codeIdsOf(userId: string): Promise<{ recovery: string[]; oneTime: string[] }> {
    const db = database.datastore.db;
    const recovery = await db.selectFrom('recovery_codes').select('id').where('user_id', '=', userId).execute();
    const oneTime = await db.selectFrom('one_time_codes').select('id').where('user_id', '=', userId).execute();
    return { recovery: recovery.map((row) => row.id), oneTime: oneTime.map((row) => row.id) };
  }
});

describeEachDatabase('key rotation', (database) => {
  // Lower-case letters and digits with a common prefix sort alike under every collation.
  const ids = ['rot01', 'rot02', 'rot03', 'rot04', 'rot05'];

  it('pages through the users holding a TOTP secret, by id, skipping those without', async () => {
    for (const id of ids) {
      await database.datastore.createUser(newTestUser({ id }));
      await database.datastore.setTwoFactor(id, { method: 'authenticator', totpSecretEncrypted: `old:${id}`, phoneNumber: null, lastStep: null });
    }
    await database.datastore.createUser(newTestUser({ id: 'rot02a' }));

    const seen: string[][] = [];
    let afterId: string | null = null;
    for (;;) {
      const page: { id: string; tfTotpSecretEncrypted: string }[] = await database.datastore.listEncryptedTotpSecrets(afterId, 2);
      if (page.length === 0) break;
      seen.push(page.map((row) => row.id));
      afterId = page[page.length - 1]!.id;
    }

    expect(seen).toEqual([['rot01', 'rot02'], ['rot03', 'rot04'], ['rot05']]);
    expect(await database.datastore.listEncryptedTotpSecrets('rot04', 10)).toEqual([{ id: 'rot05', tfTotpSecretEncrypted: 'old:rot05' }]);
  });

  it('refuses a page size that is not a positive whole number', async () => {
    await expect(database.datastore.listEncryptedTotpSecrets(null, 0)).rejects.toThrow(TypeError);
  });

  it('replaces a ciphertext only while it is still the expected one', async () => {
    expect(await database.datastore.replaceEncryptedTotpSecret('rot01', 'old:rot01', 'new:rot01')).toBe(true);
    expect(await database.datastore.replaceEncryptedTotpSecret('rot01', 'old:rot01', 'newer:rot01')).toBe(false);
    expect((await database.datastore.findUserById('rot01'))?.tfTotpSecretEncrypted).toBe('new:rot01');
  });

  it('does not match a ciphertext differing only in case (binary comparison on MariaDB too)', async () => {
    expect(await database.datastore.replaceEncryptedTotpSecret('rot02', 'OLD:ROT02', 'x')).toBe(false);
    expect((await database.datastore.findUserById('rot02'))?.tfTotpSecretEncrypted).toBe('old:rot02');
  });

  it('counts a swap to the same ciphertext as a success (rows matched, not rows changed)', async () => {
    expect(await database.datastore.replaceEncryptedTotpSecret('rot03', 'old:rot03', 'old:rot03')).toBe(true);
  });

  it('does not swap for a user without a secret or an unknown user', async () => {
    expect(await database.datastore.replaceEncryptedTotpSecret('rot02a', '', 'x')).toBe(false);
    expect(await database.datastore.replaceEncryptedTotpSecret('nobody', 'old:rot01', 'x')).toBe(false);
  });
});

describeEachDatabase('schema', (database) => {
  it('returns bigint columns and counts as JS numbers, past 2^31 too', async () => {
    const year2100 = 4_102_444_800;
    const user = newTestUser({ createdAtInSeconds: year2100 });
    await database.datastore.createUser(user);
    await database.datastore.advanceTotpStep(user.id, 2 ** 40, null);

    const { rows } = await sql<{ created_at: unknown; tf_totp_last_step: unknown; users: unknown }>`
      select created_at, tf_totp_last_step, (select count(*) from ${sql.table('users')}) as users from ${sql.table('users')} where id = ${user.id}`.execute(database.datastore.db);
    expect(rows).toEqual([{ created_at: year2100, tf_totp_last_step: 2 ** 40, users: 1 }]);
    expect(await database.datastore.findUserById(user.id)).toMatchObject({ createdAtInSeconds: year2100, tfTotpLastStep: 2 ** 40 });
  });

  it('is harmless to migrate again: no error, data kept, each migration recorded once', async () => {
    await database.datastore.migrate();
    await database.datastore.migrate();

    const { rows } = await sql<{ name: string }>`select name from twofold_migration order by name`.execute(database.datastore.db);
    expect(rows).toEqual([{ name: '2026_11_28_create_tf_tables' }, { name: '2026_11_29_create_session_tables' }, { name: '2026_11_30_add_second_factor_failures' }, { name: '2026_12_01_create_rate_limits' }, { name: '2026_12_02_add_factor_times' }]);
    expect(await database.datastore.db.selectFrom('users').select('id').execute()).toHaveLength(1);
  });
});
