/** Reads and writes of `recovery_codes`: replace the set, list, count, and the single-use consume. */
import type { Kysely } from 'kysely';
import type { StoredRecoveryCode } from '../datastore.js';
import { inWriteTransaction, lockUserRow, type DialectKind } from './dialect.js';
import { toNewRecoveryCodeRow, toStoredRecoveryCode, wholeNumber } from './rows.js';
import type { TwofoldDb } from './tables.js';

/** Deletes every code of the user and inserts `codes`, in one transaction: the old set dies as the new one is born. */
export async function replaceRecoveryCodes(
  db: Kysely<TwofoldDb>,
  kind: DialectKind,
  userId: string,
  codes: readonly StoredRecoveryCode[],
  createdAtInSeconds: number,
): Promise<void> {
  const rows = codes.map((code) => toNewRecoveryCodeRow(userId, code, wholeNumber('createdAtInSeconds', createdAtInSeconds)));
  await inWriteTransaction(db, kind, async (trx) => {
    await lockUserRow(trx, kind, userId);
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (rows.length > 0) await trx.insertInto('recovery_codes').values(rows).execute();
  });
}

/** The user's unused codes, ordered by id. */
export async function listUnusedRecoveryCodes(db: Kysely<TwofoldDb>, userId: string): Promise<StoredRecoveryCode[]> {
  const rows = await db
    .selectFrom('recovery_codes')
    .select(['id', 'code_hash'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toStoredRecoveryCode);
}

/**
 * Marks one code used; true for exactly one caller. The `used_at IS NULL` guard is in the UPDATE, so two
 * logins racing with the same code cannot both read "unused" and both succeed.
 */
export async function consumeRecoveryCode(db: Kysely<TwofoldDb>, userId: string, codeId: string, usedAtInSeconds: number): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: wholeNumber('usedAtInSeconds', usedAtInSeconds) })
    .where('id', '=', codeId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** How many unused codes the user has left. */
export async function countUnusedRecoveryCodes(db: Kysely<TwofoldDb>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('unused'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.unused;
}
