/** The Datastore contract for trusted devices on every database, and the 2FA changes that revoke them (and, for resetAccess, sessions). */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { StoredSession, StoredTrustedDevice } from '../../src/store/datastore.js';
import { describeEachDatabase, newTestUser, type TestDatabase } from '../support/databases.js';

const now = 1_767_225_600;
const thirtyDaysInSeconds = 30 * 24 * 3_600;

/** Creates a user and returns its id. */
async function aUser(database: TestDatabase): Promise<string> {
  const user = newTestUser();
  await database.datastore.createUser(user);
  return user.id;
}

/** A device of `userId` trusted at {@link now} for thirty days, with a random id hash; `overrides` fix any field. */
function aDevice(userId: string, overrides: Partial<StoredTrustedDevice> = {}): StoredTrustedDevice {
  return {
    idHash: randomBytes(32).toString('hex'),
    userId,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
    createdAtInSeconds: now,
    lastUsedAtInSeconds: now,
    expiresAtInSeconds: now + thirtyDaysInSeconds,
    ...overrides,
  };
}

describeEachDatabase('trusted devices', (database) => {
  it('finds a device for its own user only', async () => {
    const userId = await aUser(database);
    const otherId = await aUser(database);
    const device = aDevice(userId);
    await database.datastore.createTrustedDevice(device);

    expect(await database.datastore.findTrustedDevice(device.idHash, userId, now)).toEqual(device);
    expect(await database.datastore.findTrustedDevice(device.idHash, otherId, now)).toBeNull();
    expect(await database.datastore.findTrustedDevice('nothing-here', userId, now)).toBeNull();
  });

  it('honours expiry at the boundary: found one second before expires_at, not at it', async () => {
    const userId = await aUser(database);
    const device = aDevice(userId, { expiresAtInSeconds: now + 100 });
    await database.datastore.createTrustedDevice(device);

    expect(await database.datastore.findTrustedDevice(device.idHash, userId, now + 99)).toEqual(device);
    expect(await database.datastore.findTrustedDevice(device.idHash, userId, now + 100)).toBeNull();
  });

  it('records a use, leaving the rest of the device as it was', async () => {
    const userId = await aUser(database);
    const device = aDevice(userId);
    await database.datastore.createTrustedDevice(device);

    await database.datastore.touchTrustedDevice(device.idHash, now + 60);
    expect(await database.datastore.findTrustedDevice(device.idHash, userId, now + 60)).toEqual({ ...device, lastUsedAtInSeconds: now + 60 });
    await expect(database.datastore.touchTrustedDevice('nothing-here', now)).resolves.toBeUndefined();
  });

  it('lists the user’s live devices newest first, without expired ones or another user’s', async () => {
    const userId = await aUser(database);
    const older = aDevice(userId, { createdAtInSeconds: now - 20 });
    const newer = aDevice(userId, { createdAtInSeconds: now - 10 });
    const expired = aDevice(userId, { createdAtInSeconds: now - 5, expiresAtInSeconds: now });
    for (const device of [older, expired, newer, aDevice(await aUser(database))]) await database.datastore.createTrustedDevice(device);

    expect(await database.datastore.listTrustedDevices(userId, now)).toEqual([newer, older]);
    expect(await database.datastore.listTrustedDevices(userId, now - 1)).toEqual([expired, newer, older]);
    expect(await database.datastore.listTrustedDevices('nobody', now)).toEqual([]);
  });

  it('revokes one device of the user, once', async () => {
    const userId = await aUser(database);
    const device = aDevice(userId);
    const kept = aDevice(userId);
    for (const d of [device, kept]) await database.datastore.createTrustedDevice(d);

    expect(await database.datastore.deleteTrustedDevice(userId, device.idHash)).toBe(true);
    expect(await database.datastore.deleteTrustedDevice(userId, device.idHash)).toBe(false);
    expect(await idHashesOf(userId)).toEqual([kept.idHash]);
  });

  it('does not revoke another user’s device (IDOR): false, and the row stays', async () => {
    const victimId = await aUser(database);
    const attackerId = await aUser(database);
    const device = aDevice(victimId);
    await database.datastore.createTrustedDevice(device);

    expect(await database.datastore.deleteTrustedDevice(attackerId, device.idHash)).toBe(false);
    expect(await idHashesOf(victimId)).toEqual([device.idHash]);
  });

  it('revokes every device of the user and says how many, leaving other users’', async () => {
    const userId = await aUser(database);
    const otherId = await aUser(database);
    for (const d of [aDevice(userId), aDevice(userId), aDevice(otherId)]) await database.datastore.createTrustedDevice(d);

    expect(await database.datastore.deleteTrustedDevices(userId)).toBe(2);
    expect(await database.datastore.deleteTrustedDevices(userId)).toBe(0);
    expect(await idHashesOf(userId)).toEqual([]);
    expect(await idHashesOf(otherId)).toHaveLength(1);
  });

  it('cuts a user agent to 255 characters, counting an emoji as one and never splitting it', async () => {
    const userId = await aUser(database);
    const exact = aDevice(userId, { userAgent: 'x'.repeat(255) });
    const long = aDevice(userId, { userAgent: 'y'.repeat(1_000) });
    // 254 letters and an emoji are 255 characters (256 UTF-16 units): kept whole; what follows is cut.
    const emoji = aDevice(userId, { userAgent: `${'z'.repeat(254)}😀 and more` });
    for (const d of [exact, long, emoji]) await database.datastore.createTrustedDevice(d);

    const userAgentOf = async (d: StoredTrustedDevice) => (await database.datastore.findTrustedDevice(d.idHash, userId, now))?.userAgent;
    expect(await userAgentOf(exact)).toBe('x'.repeat(255));
    expect(await userAgentOf(long)).toBe('y'.repeat(255));
    expect(await userAgentOf(emoji)).toBe(`${'z'.repeat(254)}😀`);
  });

  it('refuses a device of a user that does not exist (foreign key), and deletes devices with their user', async () => {
    await expect(database.datastore.createTrustedDevice(aDevice('nobody'))).rejects.toThrow();

    const userId = await aUser(database);
    await database.datastore.createTrustedDevice(aDevice(userId));
    await database.datastore.db.deleteFrom('users').where('id', '=', userId).execute();
    expect(await idHashesOf(userId)).toEqual([]);
  });

  async function idHashesOf(userId: string): Promise<string[]> {
    const rows = await database.datastore.db.selectFrom('trusted_devices').select('id_hash').where('user_id', '=', userId).execute();
    return rows.map((row) => row.id_hash);
  }
});

describeEachDatabase('2FA changes revoke trusted devices', (database) => {
  /** A user with two trusted devices and two sessions, beside another user with the same; returns both ids. */
  async function twoUsersWithDevicesAndSessions(): Promise<{ userId: string; otherId: string }> {
    const [userId, otherId] = [await aUser(database), await aUser(database)];
    for (const id of [userId, otherId]) {
      await database.datastore.setTwoFactor(id, { method: 'authenticator', totpSecretEncrypted: 'k1:c', phoneNumber: null, lastStep: 1 });
      for (const d of [aDevice(id), aDevice(id)]) await database.datastore.createTrustedDevice(d);
      for (const s of [aSession(id), aSession(id)]) await database.datastore.createSession(s);
    }
    return { userId, otherId };
  }

  it('setTwoFactor revokes the user’s devices and keeps its sessions', async () => {
    const { userId, otherId } = await twoUsersWithDevicesAndSessions();

    await database.datastore.setTwoFactor(userId, { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+15551234567', lastStep: null });

    expect(await rowsOf(userId)).toEqual({ devices: 0, sessions: 2 });
    expect(await rowsOf(otherId)).toEqual({ devices: 2, sessions: 2 });
    expect((await database.datastore.findUserById(userId))?.tfPrimaryMethod).toBe('sms');
  });

  it('a new password hash revokes the user’s devices and keeps its sessions (RMD-04)', async () => {
    const { userId, otherId } = await twoUsersWithDevicesAndSessions();
    await database.datastore.updatePasswordHash(userId, 'new-hash');
    expect(await rowsOf(userId)).toEqual({ devices: 0, sessions: 2 });
    expect(await rowsOf(otherId)).toEqual({ devices: 2, sessions: 2 });
    expect((await database.datastore.findUserById(userId))?.passwordHash).toBe('new-hash');
  });

  it('deactivating revokes the user’s devices, so reactivating does not bring them back; activating revokes nothing (RMD-04)', async () => {
    const { userId, otherId } = await twoUsersWithDevicesAndSessions();
    await database.datastore.setUserActive(otherId, true);
    expect(await rowsOf(otherId)).toEqual({ devices: 2, sessions: 2 });
    await database.datastore.setUserActive(userId, false);
    await database.datastore.setUserActive(userId, true);
    expect(await rowsOf(userId)).toEqual({ devices: 0, sessions: 2 });
    expect((await database.datastore.findUserById(userId))?.active).toBe(true);
  });

  it('resetTwoFactor revokes the user’s devices and keeps its sessions', async () => {
    const { userId, otherId } = await twoUsersWithDevicesAndSessions();

    await database.datastore.resetTwoFactor(userId);

    expect(await rowsOf(userId)).toEqual({ devices: 0, sessions: 2 });
    expect(await rowsOf(otherId)).toEqual({ devices: 2, sessions: 2 });
    expect((await database.datastore.findUserById(userId))?.tfPrimaryMethod).toBeNull();
  });

  it('resetAccess revokes the user’s devices and deletes every session of the user, not anonymous ones', async () => {
    const { userId, otherId } = await twoUsersWithDevicesAndSessions();
    const anonymous = aSession(null);
    await database.datastore.createSession(anonymous);

    await database.datastore.resetAccess(userId, randomBytes(16).toString('hex'));

    expect(await rowsOf(userId)).toEqual({ devices: 0, sessions: 0 });
    expect(await rowsOf(otherId)).toEqual({ devices: 2, sessions: 2 });
    expect(await database.datastore.findSession(anonymous.idHash, now)).not.toBeNull();
  });

  /** How many device and session rows the user has, read with plain queries. */
  async function rowsOf(userId: string): Promise<{ devices: number; sessions: number }> {
    const db = database.datastore.db;
    const devices = await db.selectFrom('trusted_devices').select('id_hash').where('user_id', '=', userId).execute();
    const sessions = await db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute();
    return { devices: devices.length, sessions: sessions.length };
  }
});

/** A live session of `userId` (or an anonymous one) with a random id hash. */
function aSession(userId: string | null): StoredSession {
  return {
    idHash: randomBytes(32).toString('hex'),
    kind: 'browser',
    userId,
    fsUniquifier: null,
    data: '{}',
    authenticatedAtInSeconds: null,
    createdAtInSeconds: now,
    lastSeenAtInSeconds: now,
    expiresAtInSeconds: now + 3_600,
  };
}
