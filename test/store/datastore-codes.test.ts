/** The Datastore contract for recovery codes and one-time (e-mail, SMS) codes on every database. */
import { expect, it } from 'vitest';
import type { StoredOneTimeCode } from '../../src/store/datastore.js';
import { describeEachDatabase, newTestUser, type TestDatabase } from '../support/databases.js';

const now = 1_767_225_600;

/** Creates a user and returns its id. */
async function aUser(database: TestDatabase): Promise<string> {
  const user = newTestUser();
  await database.datastore.createUser(user);
  return user.id;
}

/** A one-time code for `userId`, live for five minutes from {@link now}. */
function aCode(userId: string, overrides: Partial<Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>> = {}) {
  return { id: `${userId}-${Math.random().toString(36).slice(2, 10)}`, userId, purpose: 'login', codeHash: 'hash', expiresAtInSeconds: now + 300, createdAtInSeconds: now, ...overrides };
}

describeEachDatabase('recovery codes', (database) => {
  it('stores a set and lists the unused ones by id, with their count', async () => {
    const userId = await aUser(database);
    await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-b`, codeHash: 'hb' }, { id: `${userId}-a`, codeHash: 'ha' }], now);

    expect(await database.datastore.listUnusedRecoveryCodes(userId)).toEqual([
      { id: `${userId}-a`, codeHash: 'ha' },
      { id: `${userId}-b`, codeHash: 'hb' },
    ]);
    expect(await database.datastore.countUnusedRecoveryCodes(userId)).toBe(2);
    const rows = await database.datastore.db.selectFrom('recovery_codes').select(['created_at', 'used_at']).where('user_id', '=', userId).execute();
    expect(rows).toEqual([{ created_at: now, used_at: null }, { created_at: now, used_at: null }]);
  });

  it('replaces the whole set, used codes included, and leaves other users’ codes alone', async () => {
    const userId = await aUser(database);
    const otherId = await aUser(database);
    await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-old1`, codeHash: 'h' }, { id: `${userId}-old2`, codeHash: 'h' }], now);
    await database.datastore.replaceRecoveryCodes(otherId, [{ id: `${otherId}-keep`, codeHash: 'h' }], now);
    await database.datastore.consumeRecoveryCode(userId, `${userId}-old1`, now);

    await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-new`, codeHash: 'hn' }], now + 60);

    const rows = await database.datastore.db.selectFrom('recovery_codes').select('id').where('user_id', '=', userId).execute();
    expect(rows.map((row) => row.id)).toEqual([`${userId}-new`]);
    expect(await database.datastore.listUnusedRecoveryCodes(otherId)).toEqual([{ id: `${otherId}-keep`, codeHash: 'h' }]);
  });

  it('clears every code when given an empty set', async () => {
    const userId = await aUser(database);
    await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-a`, codeHash: 'h' }], now);

    await database.datastore.replaceRecoveryCodes(userId, [], now);
    expect(await database.datastore.countUnusedRecoveryCodes(userId)).toBe(0);
  });

  it('consumes a code once: the second use is refused and the code leaves the unused list', async () => {
    const userId = await aUser(database);
    await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-a`, codeHash: 'ha' }, { id: `${userId}-b`, codeHash: 'hb' }], now);

    expect(await database.datastore.consumeRecoveryCode(userId, `${userId}-a`, now + 5)).toBe(true);
    expect(await database.datastore.consumeRecoveryCode(userId, `${userId}-a`, now + 6)).toBe(false);

    expect(await database.datastore.listUnusedRecoveryCodes(userId)).toEqual([{ id: `${userId}-b`, codeHash: 'hb' }]);
    expect(await database.datastore.countUnusedRecoveryCodes(userId)).toBe(1);
    const row = await database.datastore.db.selectFrom('recovery_codes').select('used_at').where('id', '=', `${userId}-a`).executeTakeFirstOrThrow();
    expect(row.used_at).toBe(now + 5);
  });

  it('does not consume another user’s code, or an unknown one', async () => {
    const userId = await aUser(database);
    const otherId = await aUser(database);
    await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-a`, codeHash: 'h' }], now);

    expect(await database.datastore.consumeRecoveryCode(otherId, `${userId}-a`, now)).toBe(false);
    expect(await database.datastore.consumeRecoveryCode(userId, 'unknown', now)).toBe(false);
    expect(await database.datastore.countUnusedRecoveryCodes(userId)).toBe(1);
  });

  it('counts zero for a user without codes', async () => {
    expect(await database.datastore.countUnusedRecoveryCodes(await aUser(database))).toBe(0);
    expect(await database.datastore.listUnusedRecoveryCodes('nobody')).toEqual([]);
  });
});

describeEachDatabase('one-time codes', (database) => {
  it('stores a code and finds it with no attempts and unused', async () => {
    const userId = await aUser(database);
    const code = aCode(userId, { purpose: 'setup:sms', codeHash: 'keyed-hash' });
    await database.datastore.putOneTimeCode(code);

    expect(await database.datastore.findOneTimeCode(userId, 'setup:sms')).toEqual({ ...code, attempts: 0, usedAtInSeconds: null });
    expect(await database.datastore.findOneTimeCode(userId, 'login')).toBeNull();
  });

  it('replaces the older code of the same user and purpose, not other purposes or users', async () => {
    const userId = await aUser(database);
    const otherId = await aUser(database);
    const older = aCode(userId);
    const otherPurpose = aCode(userId, { purpose: 'setup:email' });
    const otherUser = aCode(otherId);
    for (const code of [older, otherPurpose, otherUser]) await database.datastore.putOneTimeCode(code);

    const newer = aCode(userId, { codeHash: 'newer' });
    await database.datastore.putOneTimeCode(newer);

    const rows = await database.datastore.db.selectFrom('one_time_codes').select('id').where('user_id', 'in', [userId, otherId]).execute();
    expect(rows.map((row) => row.id).sort()).toEqual([newer.id, otherPurpose.id, otherUser.id].sort());
    expect((await database.datastore.findOneTimeCode(userId, 'login'))?.id).toBe(newer.id);
  });

  it('still finds an expired code (the caller decides), but not a used one', async () => {
    const userId = await aUser(database);
    const expired = aCode(userId, { expiresAtInSeconds: now - 1 });
    await database.datastore.putOneTimeCode(expired);
    expect((await database.datastore.findOneTimeCode(userId, 'login'))?.id).toBe(expired.id);

    await database.datastore.consumeOneTimeCode(expired.id, now);
    expect(await database.datastore.findOneTimeCode(userId, 'login')).toBeNull();
  });

  it('counts attempts up to the cap, then refuses', async () => {
    const code = aCode(await aUser(database));
    await database.datastore.putOneTimeCode(code);

    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await database.datastore.countOneTimeCodeAttempt(code.id, 3, now));
    expect(answers).toEqual([true, true, true, false, false]);
    expect(await attemptsOf(code.id)).toBe(3);
  });

  it('refuses an attempt on an expired code, counting nothing (expiry is exclusive)', async () => {
    const code = aCode(await aUser(database), { expiresAtInSeconds: now + 300 });
    await database.datastore.putOneTimeCode(code);

    expect(await database.datastore.countOneTimeCodeAttempt(code.id, 5, now + 300)).toBe(false);
    expect(await database.datastore.countOneTimeCodeAttempt(code.id, 5, now + 299)).toBe(true);
    expect(await attemptsOf(code.id)).toBe(1);
  });

  it('refuses an attempt on a used code or an unknown one', async () => {
    const code = aCode(await aUser(database));
    await database.datastore.putOneTimeCode(code);
    await database.datastore.consumeOneTimeCode(code.id, now);

    expect(await database.datastore.countOneTimeCodeAttempt(code.id, 5, now)).toBe(false);
    expect(await database.datastore.countOneTimeCodeAttempt('unknown', 5, now)).toBe(false);
    expect(await attemptsOf(code.id)).toBe(0);
  });

  it('consumes a code once and records when', async () => {
    const code = aCode(await aUser(database));
    await database.datastore.putOneTimeCode(code);

    expect(await database.datastore.consumeOneTimeCode(code.id, now + 10)).toBe(true);
    expect(await database.datastore.consumeOneTimeCode(code.id, now + 11)).toBe(false);
    expect(await database.datastore.consumeOneTimeCode('unknown', now)).toBe(false);
    const row = await database.datastore.db.selectFrom('one_time_codes').select('used_at').where('id', '=', code.id).executeTakeFirstOrThrow();
    expect(row.used_at).toBe(now + 10);
  });

  it('refuses a fractional time with a TypeError', async () => {
    const code = aCode(await aUser(database));
    await expect(database.datastore.putOneTimeCode({ ...code, expiresAtInSeconds: now + 0.5 })).rejects.toThrow(TypeError);
    await expect(database.datastore.countOneTimeCodeAttempt(code.id, 5, now + 0.5)).rejects.toThrow(TypeError);
  });

  /** The attempts column, read with a plain query. */
  async function attemptsOf(codeId: string): Promise<number> {
    const row = await database.datastore.db.selectFrom('one_time_codes').select('attempts').where('id', '=', codeId).executeTakeFirstOrThrow();
    return row.attempts;
  }
});
