/** Reads and writes of `one_time_codes`: put (one live code per purpose), find, the attempt counter and consume. */
import type { Kysely } from 'kysely';
import type { StoredOneTimeCode } from '../datastore.js';
import { inWriteTransaction, lockUserRow, type DialectKind } from './dialect.js';
import { toNewOneTimeCodeRow, toStoredOneTimeCode, wholeNumber } from './rows.js';
import type { TwofoldDb } from './tables.js';

/** Stores a new code and deletes the user's other codes of the same purpose, in one transaction. */
export async function putOneTimeCode(db: Kysely<TwofoldDb>, kind: DialectKind, code: Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>): Promise<void> {
  const row = toNewOneTimeCodeRow(code);
  await inWriteTransaction(db, kind, async (trx) => {
    await lockUserRow(trx, kind, code.userId);
    await trx.deleteFrom('one_time_codes').where('user_id', '=', code.userId).where('purpose', '=', code.purpose).execute();
    await trx.insertInto('one_time_codes').values(row).execute();
  });
}

/** The unused code of this user and purpose, expired or not; `null` when none. */
export async function findOneTimeCode(db: Kysely<TwofoldDb>, userId: string, purpose: string): Promise<StoredOneTimeCode | null> {
  const row = await db
    .selectFrom('one_time_codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? null : toStoredOneTimeCode(row);
}

/**
 * Counts one attempt before the code is checked; false when spent, expired or out of attempts. The cap is
 * in the UPDATE's WHERE, so fifty parallel guesses against a five-attempt code get exactly five checks —
 * a read-then-write counter would let them all through before any write landed.
 */
export async function countOneTimeCodeAttempt(db: Kysely<TwofoldDb>, codeId: string, maxAttempts: number, nowInSeconds: number): Promise<boolean> {
  const result = await db
    .updateTable('one_time_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', codeId)
    .where('attempts', '<', wholeNumber('maxAttempts', maxAttempts))
    .where('used_at', 'is', null)
    .where('expires_at', '>', wholeNumber('nowInSeconds', nowInSeconds))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks the code used; true for exactly one caller, so a code opens one login even when sent twice at once. */
export async function consumeOneTimeCode(db: Kysely<TwofoldDb>, codeId: string, nowInSeconds: number): Promise<boolean> {
  const result = await db
    .updateTable('one_time_codes')
    .set({ used_at: wholeNumber('nowInSeconds', nowInSeconds) })
    .where('id', '=', codeId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
