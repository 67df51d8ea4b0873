/** Reads and writes of `users`: creation, look-ups, password, 2FA settings (and what they revoke), the TOTP replay guard, key rotation and the second-factor failure counter. */
import type { Kysely, Transaction } from 'kysely';
import type { NewUser, SecondFactorClaim, SecondFactorLockoutPolicy, StoredUser, TwoFactorSettings } from '../datastore.js';
import { inWriteTransaction, isDuplicateEmail, lockUserRow, type DialectKind, type DialectNames } from './dialect.js';
import {
  clearedTwoFactorColumns,
  storedUserFromNew,
  toDbBoolean,
  toEncryptedTotpSecret,
  toNewUserRow,
  toStoredUser,
  toTwoFactorColumns,
  wholeNumber,
} from './rows.js';
import type { TwofoldDb } from './tables.js';
import { hitRateLimitsIn } from './rate-limits.js';
import { deleteTrustedDevices } from './trusted-devices.js';

/** Inserts a user; `null` when the e-mail is taken. Any other failure (even a duplicate id) is thrown. */
export async function insertUser(db: Kysely<TwofoldDb>, names: DialectNames, user: NewUser): Promise<StoredUser | null> {
  try {
    await db.insertInto('users').values(toNewUserRow(user)).execute();
  } catch (error) {
    if (isDuplicateEmail(error, names)) return null;
    throw error;
  }
  return storedUserFromNew(user);
}

/** The user whose `column` equals `value` exactly; `null` when none. */
export async function findUserBy(db: Kysely<TwofoldDb>, column: 'id' | 'email' | 'fs_uniquifier', value: string): Promise<StoredUser | null> {
  const row = await db.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst();
  return row === undefined ? null : toStoredUser(row);
}

/** Up to `limit` users in e-mail order, after `afterEmail` (a page for `users list`; `null` starts at the first). */
export async function listUsersByEmail(db: Kysely<TwofoldDb>, afterEmail: string | null, limit: number): Promise<StoredUser[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`Argument 'limit' must be a positive whole number, got ${limit}`);
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .$if(afterEmail !== null, (qb) => qb.where('email', '>', afterEmail ?? ''))
    .orderBy('email')
    .limit(limit)
    .execute();
  return rows.map(toStoredUser);
}

/** How many users have each second-factor method stored. */
export async function countUsersByTfMethod(db: Kysely<TwofoldDb>): Promise<ReadonlyMap<string, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['tf_primary_method', db.fn.countAll<number | string | bigint>().as('users')])
    .where('tf_primary_method', 'is not', null)
    .groupBy('tf_primary_method')
    .execute();
  return new Map(rows.map((row) => [row.tf_primary_method as string, Number(row.users)]));
}

/** Sets the password hash. */
export async function updatePasswordHash(trx: Transaction<TwofoldDb>, userId: string, passwordHash: string): Promise<void> {
  await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  // A browser remembered under the old password must not skip the second factor for whoever has the new one.
  await deleteTrustedDevices(trx, userId);
}

/** Sets whether the user may log in; deactivating also revokes the trusted devices, for good (RMD-04). */
export async function setUserActive(trx: Transaction<TwofoldDb>, userId: string, active: boolean): Promise<void> {
  await trx.updateTable('users').set({ active: toDbBoolean(active) }).where('id', '=', userId).execute();
  if (!active) await deleteTrustedDevices(trx, userId);
}

/**
 * Writes a confirmed second factor in one statement and revokes the user's trusted devices: a device trusted
 * under the old factor must not skip the new one (RMD-04). Takes a transaction so both stand or fall together;
 * the UPDATE comes first, locking the user's row as every other twofold transaction does.
 */
export async function setTwoFactor(trx: Transaction<TwofoldDb>, userId: string, settings: TwoFactorSettings): Promise<void> {
  await trx.updateTable('users').set(toTwoFactorColumns(settings)).where('id', '=', userId).execute();
  await deleteTrustedDevices(trx, userId);
}

/**
 * Clears the second factor (and, when given, replaces `fs_uniquifier`) and deletes the user's recovery codes,
 * one-time codes and trusted devices. Takes a transaction so the statements stand or fall together; the
 * UPDATE comes first and so locks the user's row, the same order every other twofold transaction locks in.
 */
export async function clearTwoFactor(trx: Transaction<TwofoldDb>, userId: string, newFsUniquifier?: string): Promise<void> {
  const columns = newFsUniquifier === undefined ? clearedTwoFactorColumns : { ...clearedTwoFactorColumns, fs_uniquifier: newFsUniquifier };
  await trx.updateTable('users').set(columns).where('id', '=', userId).execute();
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx.deleteFrom('one_time_codes').where('user_id', '=', userId).execute();
  await deleteTrustedDevices(trx, userId);
}

/**
 * Moves the last used TOTP step forward; true only for the one caller that moved it. The guard sits in the
 * UPDATE itself, so of two requests replaying one code at once the database lets exactly one through
 * (RFC 6238 §5.2: a code is accepted once).
 */
export async function advanceTotpStep(db: Kysely<TwofoldDb>, userId: string, step: number, verifiedSecretEncrypted: string | null): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ tf_totp_last_step: wholeNumber('step', step) })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('tf_totp_last_step', 'is', null), eb('tf_totp_last_step', '<', step)]))
    .where('tf_totp_secret', verifiedSecretEncrypted === null ? 'is' : '=', verifiedSecretEncrypted)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * A page of users holding a TOTP secret, by id, after `afterId`. Paging by id (not offset) stays correct
 * while rows are added or re-encrypted between pages.
 *
 * @throws TypeError when `limit` is not a positive whole number.
 */
export async function listEncryptedTotpSecrets(
  db: Kysely<TwofoldDb>,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; tfTotpSecretEncrypted: string }[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`Argument 'limit' must be a positive whole number, got ${limit}`);
  const rows = await db
    .selectFrom('users')
    .select(['id', 'tf_totp_secret'])
    .where('tf_totp_secret', 'is not', null)
    .$if(afterId !== null, (qb) => qb.where('id', '>', afterId ?? ''))
    .orderBy('id')
    .limit(limit)
    .$narrowType<{ tf_totp_secret: string }>()
    .execute();
  return rows.map(toEncryptedTotpSecret);
}

/**
 * Compare-and-swap of the ciphertext: a rotation that read the old ciphertext must not overwrite a secret a
 * concurrent set-up has just written. True when the row still held `expected` (also when `next` equals it).
 */
export async function replaceEncryptedTotpSecret(db: Kysely<TwofoldDb>, userId: string, expected: string, next: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ tf_totp_secret: next })
    .where('id', '=', userId)
    .where('tf_totp_secret', '=', expected)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Claims one second-factor attempt for the user (see `Datastore.claimSecondFactorAttempt`). The read and the
 * write happen under the user's row lock, and the attempt is counted as a failure before any code is checked:
 * fifty parallel guesses queue on the row, the first `freeAttempts` are allowed, and the claim that reaches
 * the cap writes the lock that refuses the rest (checklist RL-03; Zitadel CVE-2023-47111 is the race this closes).
 * A user who does not exist gets a refusal, never an allowed check.
 */
export async function claimSecondFactorAttempt(
  db: Kysely<TwofoldDb>,
  kind: DialectKind,
  userId: string,
  nowInSeconds: number,
  policy: SecondFactorLockoutPolicy,
): Promise<SecondFactorClaim> {
  const now = wholeNumber('nowInSeconds', nowInSeconds);
  const { freeAttempts, lockBaseInSeconds, lockMaxInSeconds } = checkedPolicy(policy);
  return inWriteTransaction(db, kind, async (trx) => {
    // SQLite: `BEGIN IMMEDIATE` (sqlite-dialect.ts) already holds the one write lock; with a plain BEGIN a
    // writer that slipped in between this read and the UPDATE makes the UPDATE fail (SQLITE_BUSY), never count twice.
    await lockUserRow(trx, kind, userId);
    const row = await trx.selectFrom('users').select(['tf_failed_attempts', 'tf_locked_until']).where('id', '=', userId).executeTakeFirst();
    if (row === undefined) return { allowed: false, reason: 'locked', retryAfterInSeconds: lockBaseInSeconds };
    if (row.tf_locked_until !== null && row.tf_locked_until > now) return { allowed: false, reason: 'locked', retryAfterInSeconds: row.tf_locked_until - now };
    if (policy.challenge !== undefined) {
      const hit = await hitRateLimitsIn(trx, kind, [policy.challenge], now);
      if (!hit.allowed) return { allowed: false, reason: 'challenge', retryAfterInSeconds: hit.retryAfterInSeconds };
    }
    const failures = row.tf_failed_attempts + 1;
    // Doubling from the first lock: base, 2·base, 4·base, … up to the max (checklist RL-07: back-off, not a permanent lock).
    const lockInSeconds = failures >= freeAttempts ? Math.min(lockMaxInSeconds, lockBaseInSeconds * 2 ** Math.min(failures - freeAttempts, 52)) : null;
    await trx
      .updateTable('users')
      .set({ tf_failed_attempts: failures, tf_locked_until: lockInSeconds === null ? row.tf_locked_until : now + lockInSeconds })
      .where('id', '=', userId)
      .execute();
    return { allowed: true, lockInSecondsIfWrong: lockInSeconds };
  });
}

/** Forgets the user's second-factor failures and lock (after a right code: checklist RL-06). */
export async function clearSecondFactorFailures(db: Kysely<TwofoldDb>, userId: string, usedAtInSeconds?: number): Promise<void> {
  const used = usedAtInSeconds === undefined ? {} : { tf_last_used_at: wholeNumber('usedAtInSeconds', usedAtInSeconds) };
  await db.updateTable('users').set({ tf_failed_attempts: 0, tf_locked_until: null, ...used }).where('id', '=', userId).execute();
}

/** @throws TypeError naming the field when the policy is not whole, positive numbers with max ≥ base. */
function checkedPolicy(policy: SecondFactorLockoutPolicy): SecondFactorLockoutPolicy {
  for (const name of ['freeAttempts', 'lockBaseInSeconds', 'lockMaxInSeconds'] as const) {
    const value = policy[name];
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`Argument 'policy.${name}' must be a positive whole number, got ${String(value)}`);
  }
  if (policy.lockMaxInSeconds < policy.lockBaseInSeconds) {
    throw new TypeError(`Argument 'policy.lockMaxInSeconds' must be at least lockBaseInSeconds (${policy.lockBaseInSeconds}), got ${policy.lockMaxInSeconds}`);
  }
  return policy;
}
