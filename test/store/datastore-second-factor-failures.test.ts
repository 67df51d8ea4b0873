/** The Datastore contract for the per-account second-factor failure counter and lockout, on every database. */
import { expect, it } from 'vitest';
import type { SecondFactorLockoutPolicy } from '../../src/store/datastore.js';
import { describeEachDatabase, newTestUser, type TestDatabase } from '../support/databases.js';

const now = 1_767_225_600;
const policy: SecondFactorLockoutPolicy = { freeAttempts: 3, lockBaseInSeconds: 30, lockMaxInSeconds: 100 };

async function aUser(database: TestDatabase): Promise<string> {
  const user = newTestUser();
  await database.datastore.createUser(user);
  return user.id;
}

async function counterOf(database: TestDatabase, userId: string) {
  const user = await database.datastore.findUserById(userId);
  return { failures: user?.tfFailedAttempts, lockedUntil: user?.tfLockedUntilInSeconds };
}

describeEachDatabase('second-factor failures', (database) => {
  it('starts a new user at 0 failures and no lock', async () => {
    const userId = await aUser(database);
    expect(await counterOf(database, userId)).toEqual({ failures: 0, lockedUntil: null });
  });

  it('counts each claim as a failure, and the claim reaching freeAttempts locks for lockBase', async () => {
    const userId = await aUser(database);
    for (let i = 1; i <= 2; i++) {
      expect(await database.datastore.claimSecondFactorAttempt(userId, now, policy)).toEqual({ allowed: true, lockInSecondsIfWrong: null });
      expect(await counterOf(database, userId)).toEqual({ failures: i, lockedUntil: null });
    }
    // The third claim is still checked, but it locks in advance in case its code is wrong.
    expect(await database.datastore.claimSecondFactorAttempt(userId, now, policy)).toEqual({ allowed: true, lockInSecondsIfWrong: 30 });
    expect(await counterOf(database, userId)).toEqual({ failures: 3, lockedUntil: now + 30 });
  });

  it('refuses every claim while locked, with the seconds left, and counts none of them', async () => {
    const userId = await aUser(database);
    for (let i = 0; i < 3; i++) await database.datastore.claimSecondFactorAttempt(userId, now, policy);

    expect(await database.datastore.claimSecondFactorAttempt(userId, now + 10, policy)).toEqual({ allowed: false, reason: 'locked', retryAfterInSeconds: 20 });
    expect(await database.datastore.claimSecondFactorAttempt(userId, now + 29, policy)).toEqual({ allowed: false, reason: 'locked', retryAfterInSeconds: 1 });
    expect(await counterOf(database, userId)).toEqual({ failures: 3, lockedUntil: now + 30 });
  });

  it('doubles the lock with each failure after the lock ends, up to lockMax', async () => {
    const userId = await aUser(database);
    let t = now;
    for (let i = 0; i < 3; i++) await database.datastore.claimSecondFactorAttempt(userId, t, policy);
    const lengths: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { lockedUntil } = await counterOf(database, userId);
      lengths.push((lockedUntil as number) - t);
      t = lockedUntil as number; // the lock ends exactly now: a claim is allowed again
      expect(await database.datastore.claimSecondFactorAttempt(userId, t, policy)).toMatchObject({ allowed: true });
    }
    expect(lengths).toEqual([30, 60, 100, 100]);
  });

  it('clears failures and the lock, for that user only', async () => {
    const userId = await aUser(database);
    const otherId = await aUser(database);
    for (let i = 0; i < 3; i++) {
      await database.datastore.claimSecondFactorAttempt(userId, now, policy);
      await database.datastore.claimSecondFactorAttempt(otherId, now, policy);
    }

    await database.datastore.clearSecondFactorFailures(userId);
    expect(await counterOf(database, userId)).toEqual({ failures: 0, lockedUntil: null });
    expect(await database.datastore.claimSecondFactorAttempt(userId, now, policy)).toMatchObject({ allowed: true });
    expect(await counterOf(database, otherId)).toEqual({ failures: 3, lockedUntil: now + 30 });
  });

  it('refuses a claim for an unknown user, and a policy or time that is not whole and positive', async () => {
    expect((await database.datastore.claimSecondFactorAttempt('nobody', now, policy)).allowed).toBe(false);
    const userId = await aUser(database);
    await expect(database.datastore.claimSecondFactorAttempt(userId, now + 0.5, policy)).rejects.toThrow(TypeError);
    await expect(database.datastore.claimSecondFactorAttempt(userId, now, { ...policy, freeAttempts: 0 })).rejects.toThrow(/policy.freeAttempts/);
    await expect(database.datastore.claimSecondFactorAttempt(userId, now, { ...policy, lockMaxInSeconds: 10 })).rejects.toThrow(/lockMaxInSeconds/);
    expect(await counterOf(database, userId)).toEqual({ failures: 0, lockedUntil: null });
  });

  it('keeps the counter when the second factor is set or reset (it belongs to the account)', async () => {
    const userId = await aUser(database);
    await database.datastore.claimSecondFactorAttempt(userId, now, policy);
    await database.datastore.setTwoFactor(userId, { method: 'authenticator', totpSecretEncrypted: 'k1:c', phoneNumber: null, lastStep: null });
    await database.datastore.resetTwoFactor(userId);
    expect(await counterOf(database, userId)).toEqual({ failures: 1, lockedUntil: null });
  });
});
