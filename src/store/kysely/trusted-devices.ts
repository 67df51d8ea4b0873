/** Reads and writes of `trusted_devices`: create, the per-user look-up, touch, list and revoke. */
import type { Kysely } from 'kysely';
import type { StoredTrustedDevice } from '../datastore.js';
import { toNewTrustedDeviceRow, toStoredTrustedDevice, wholeNumber } from './rows.js';
import type { TwofoldDb } from './tables.js';

/** Stores a new device, its user agent cut to 255 characters (`varchar(255)`); a duplicate id hash is thrown. */
export async function insertTrustedDevice(db: Kysely<TwofoldDb>, device: StoredTrustedDevice): Promise<void> {
  await db.insertInto('trusted_devices').values(toNewTrustedDeviceRow(device)).execute();
}

/**
 * The device with this hash, only if it is `userId`'s and live (`expires_at > now`). The user is in the WHERE,
 * so a token stolen from one account's browser does not skip the second factor of another.
 */
export async function findTrustedDevice(db: Kysely<TwofoldDb>, idHash: string, userId: string, nowInSeconds: number): Promise<StoredTrustedDevice | null> {
  const row = await db
    .selectFrom('trusted_devices')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('user_id', '=', userId)
    .where('expires_at', '>', wholeNumber('nowInSeconds', nowInSeconds))
    .executeTakeFirst();
  return row === undefined ? null : toStoredTrustedDevice(row);
}

/** Sets the device's last use to `nowInSeconds`; nothing happens for an unknown hash. */
export async function touchTrustedDevice(db: Kysely<TwofoldDb>, idHash: string, nowInSeconds: number): Promise<void> {
  await db.updateTable('trusted_devices').set({ last_used_at: wholeNumber('nowInSeconds', nowInSeconds) }).where('id_hash', '=', idHash).execute();
}

/** The user's live devices, newest (`created_at`) first; ties in id-hash order, so the list is stable. */
export async function listTrustedDevices(db: Kysely<TwofoldDb>, userId: string, nowInSeconds: number): Promise<StoredTrustedDevice[]> {
  const rows = await db
    .selectFrom('trusted_devices')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', wholeNumber('nowInSeconds', nowInSeconds))
    .orderBy('created_at', 'desc')
    .orderBy('id_hash')
    .execute();
  return rows.map(toStoredTrustedDevice);
}

/**
 * Revokes one of the user's devices; false when the user has none with this hash. The user is in the WHERE,
 * so a revoke request naming another account's device (an IDOR) deletes nothing.
 */
export async function deleteTrustedDevice(db: Kysely<TwofoldDb>, userId: string, idHash: string): Promise<boolean> {
  const result = await db.deleteFrom('trusted_devices').where('id_hash', '=', idHash).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Revokes every device of the user; returns how many went. Takes a transaction too, for the 2FA changes. */
export async function deleteTrustedDevices(db: Kysely<TwofoldDb>, userId: string): Promise<number> {
  const result = await db.deleteFrom('trusted_devices').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
