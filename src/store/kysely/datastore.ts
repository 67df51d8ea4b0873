/** KyselyDatastore: the Datastore contract on SQLite, PostgreSQL and MySQL/MariaDB, as a thin facade over this folder's functions. */
import type { Kysely } from 'kysely';
import type {
  Datastore,
  NewUser,
  RateLimitBucket,
  RateLimitResult,
  SecondFactorClaim,
  SecondFactorLockoutPolicy,
  SessionUpdate,
  StoredOneTimeCode,
  StoredRecoveryCode,
  StoredSession,
  StoredTrustedDevice,
  StoredUser,
  TwoFactorSettings,
} from '../datastore.js';
import { inWriteTransaction, type DialectKind } from './dialect.js';
import { migrateToLatest } from './migrations/index.js';
import * as oneTimeCodes from './one-time-codes.js';
import * as rateLimits from './rate-limits.js';
import * as recoveryCodes from './recovery-codes.js';
import * as sessions from './sessions.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by {@link} in a doc comment below
import type { TwofoldSqliteDialect } from './sqlite-dialect.js';
import type { TwofoldDb } from './tables.js';
import { defaultTablePrefix, TablePrefixPlugin } from './table-prefix.js';
import * as trustedDevices from './trusted-devices.js';
import * as users from './users.js';

/**
 * The {@link Datastore} over a Kysely instance. Every single-use check is one guarded UPDATE whose row count
 * decides, so several instances (or processes) on one database agree. Times are whole seconds; a fraction
 * is refused with a `TypeError` rather than stored differently by each database.
 *
 * Prefer `openDatastore(url)`, which also sets the drivers up. Built directly, the Kysely instance must
 * return `bigint` columns as JS numbers, and on SQLite should use {@link TwofoldSqliteDialect} on a
 * connection with `foreign_keys = ON` (else codes, sessions and trusted devices outlive their user, and
 * concurrent migrations collide).
 *
 * Every table, index and constraint twofold creates has the prefix `tablePrefix` (default `twofold_`:
 * `twofold_users`, `twofold_sessions`, …, and the migration table `twofold_migration`), so it never meets an
 * application's own `users` or `sessions`. Choose it once: another prefix is another, empty, set of tables.
 *
 * @example
 * ```ts
 * import { Kysely, PostgresDialect } from 'kysely';
 * import pg from 'pg';
 * const pool = new pg.Pool({
 *   connectionString: process.env.DATABASE_URL,
 *   types: { getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) },
 * });
 * const datastore = new KyselyDatastore(new Kysely<TwofoldDb>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
 * await datastore.migrate();
 * ```
 */
export class KyselyDatastore implements Datastore {
  /** The Kysely instance given, with the {@link TablePrefixPlugin}: queries on it name tables without the prefix. */
  readonly db: Kysely<TwofoldDb>;
  /** The prefix of twofold's tables, indexes and constraints. */
  readonly tablePrefix: string;

  /**
   * @param db The Kysely instance; the datastore owns it from now on (`close()` destroys it).
   * @param kind Its dialect: `'sqlite'`, `'postgres'`, or `'mysql'` (also for MariaDB).
   * @param options.tablePrefix Default `'twofold_'`: a lower-case letter, then at most 19 of `a-z`, `0-9`, `_`.
   * @throws ConfigError `CONFIG_INVALID` for a prefix that is empty, too long or has other characters.
   */
  constructor(
    db: Kysely<TwofoldDb>,
    readonly kind: DialectKind,
    options: { tablePrefix?: string } = {},
  ) {
    const plugin = new TablePrefixPlugin(options.tablePrefix ?? defaultTablePrefix);
    this.tablePrefix = plugin.prefix;
    this.db = db.withPlugin(plugin);
  }

  migrate(): Promise<void> {
    return migrateToLatest(this.db, this.tablePrefix);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  createUser(user: NewUser): Promise<StoredUser | null> {
    return users.insertUser(this.db, { kind: this.kind, tablePrefix: this.tablePrefix }, user);
  }

  findUserById(id: string): Promise<StoredUser | null> {
    return users.findUserBy(this.db, 'id', id);
  }

  findUserByEmail(email: string): Promise<StoredUser | null> {
    return users.findUserBy(this.db, 'email', email);
  }

  findUserByUniquifier(fsUniquifier: string): Promise<StoredUser | null> {
    return users.findUserBy(this.db, 'fs_uniquifier', fsUniquifier);
  }

  /**
   * Up to `limit` users in e-mail order, after `afterEmail` (`null`: from the first); for the `users list`
   * command, not part of the {@link Datastore} contract.
   *
   * @throws TypeError when `limit` is not a positive whole number.
   */
  listUsers(afterEmail: string | null, limit: number): Promise<StoredUser[]> {
    return users.listUsersByEmail(this.db, afterEmail, limit);
  }

  updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    return inWriteTransaction(this.db, this.kind, (trx) => users.updatePasswordHash(trx, userId, passwordHash));
  }

  setUserActive(userId: string, active: boolean): Promise<void> {
    return inWriteTransaction(this.db, this.kind, (trx) => users.setUserActive(trx, userId, active));
  }

  countUsersByTfMethod(): Promise<ReadonlyMap<string, number>> {
    return users.countUsersByTfMethod(this.db);
  }

  setTwoFactor(userId: string, settings: TwoFactorSettings): Promise<void> {
    return inWriteTransaction(this.db, this.kind, (trx) => users.setTwoFactor(trx, userId, settings));
  }

  resetTwoFactor(userId: string): Promise<void> {
    return inWriteTransaction(this.db, this.kind, (trx) => users.clearTwoFactor(trx, userId));
  }

  resetAccess(userId: string, newFsUniquifier: string): Promise<void> {
    return inWriteTransaction(this.db, this.kind, async (trx) => {
      await users.clearTwoFactor(trx, userId, newFsUniquifier);
      await sessions.deleteUserSessions(trx, userId);
    });
  }

  advanceTotpStep(userId: string, step: number, verifiedSecretEncrypted: string | null): Promise<boolean> {
    return users.advanceTotpStep(this.db, userId, step, verifiedSecretEncrypted);
  }

  listEncryptedTotpSecrets(afterId: string | null, limit: number): Promise<{ id: string; tfTotpSecretEncrypted: string }[]> {
    return users.listEncryptedTotpSecrets(this.db, afterId, limit);
  }

  replaceEncryptedTotpSecret(userId: string, expected: string, next: string): Promise<boolean> {
    return users.replaceEncryptedTotpSecret(this.db, userId, expected, next);
  }

  claimSecondFactorAttempt(userId: string, nowInSeconds: number, policy: SecondFactorLockoutPolicy): Promise<SecondFactorClaim> {
    return users.claimSecondFactorAttempt(this.db, this.kind, userId, nowInSeconds, policy);
  }

  clearSecondFactorFailures(userId: string, usedAtInSeconds?: number): Promise<void> {
    return users.clearSecondFactorFailures(this.db, userId, usedAtInSeconds);
  }

  hitRateLimits(buckets: readonly RateLimitBucket[], nowInSeconds: number): Promise<RateLimitResult> {
    return rateLimits.hitRateLimits(this.db, this.kind, buckets, nowInSeconds);
  }

  deleteExpiredRateLimits(nowInSeconds: number): Promise<number> {
    return rateLimits.deleteExpiredRateLimits(this.db, nowInSeconds);
  }

  replaceRecoveryCodes(userId: string, codes: readonly StoredRecoveryCode[], createdAtInSeconds: number): Promise<void> {
    return recoveryCodes.replaceRecoveryCodes(this.db, this.kind, userId, codes, createdAtInSeconds);
  }

  listUnusedRecoveryCodes(userId: string): Promise<StoredRecoveryCode[]> {
    return recoveryCodes.listUnusedRecoveryCodes(this.db, userId);
  }

  consumeRecoveryCode(userId: string, codeId: string, usedAtInSeconds: number): Promise<boolean> {
    return recoveryCodes.consumeRecoveryCode(this.db, userId, codeId, usedAtInSeconds);
  }

  countUnusedRecoveryCodes(userId: string): Promise<number> {
    return recoveryCodes.countUnusedRecoveryCodes(this.db, userId);
  }

  putOneTimeCode(code: Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>): Promise<void> {
    return oneTimeCodes.putOneTimeCode(this.db, this.kind, code);
  }

  findOneTimeCode(userId: string, purpose: string): Promise<StoredOneTimeCode | null> {
    return oneTimeCodes.findOneTimeCode(this.db, userId, purpose);
  }

  countOneTimeCodeAttempt(codeId: string, maxAttempts: number, nowInSeconds: number): Promise<boolean> {
    return oneTimeCodes.countOneTimeCodeAttempt(this.db, codeId, maxAttempts, nowInSeconds);
  }

  consumeOneTimeCode(codeId: string, nowInSeconds: number): Promise<boolean> {
    return oneTimeCodes.consumeOneTimeCode(this.db, codeId, nowInSeconds);
  }

  createSession(session: StoredSession): Promise<void> {
    return sessions.insertSession(this.db, session);
  }

  findSession(idHash: string, nowInSeconds: number): Promise<{ session: StoredSession; user: StoredUser | null } | null> {
    return sessions.findSession(this.db, idHash, nowInSeconds);
  }

  updateSession(idHash: string, update: SessionUpdate): Promise<boolean> {
    return sessions.updateSession(this.db, idHash, update);
  }

  deleteSession(idHash: string): Promise<boolean> {
    return sessions.deleteSession(this.db, idHash);
  }

  deleteUserSessions(userId: string, exceptIdHash?: string): Promise<number> {
    return sessions.deleteUserSessions(this.db, userId, exceptIdHash);
  }

  deleteExpiredSessions(nowInSeconds: number): Promise<number> {
    return sessions.deleteExpiredSessions(this.db, nowInSeconds);
  }

  /** Stores the device; a user agent longer than 255 characters is cut to its first 255 (code points). */
  createTrustedDevice(device: StoredTrustedDevice): Promise<void> {
    return trustedDevices.insertTrustedDevice(this.db, device);
  }

  findTrustedDevice(idHash: string, userId: string, nowInSeconds: number): Promise<StoredTrustedDevice | null> {
    return trustedDevices.findTrustedDevice(this.db, idHash, userId, nowInSeconds);
  }

  touchTrustedDevice(idHash: string, nowInSeconds: number): Promise<void> {
    return trustedDevices.touchTrustedDevice(this.db, idHash, nowInSeconds);
  }

  listTrustedDevices(userId: string, nowInSeconds: number): Promise<StoredTrustedDevice[]> {
    return trustedDevices.listTrustedDevices(this.db, userId, nowInSeconds);
  }

  deleteTrustedDevice(userId: string, idHash: string): Promise<boolean> {
    return trustedDevices.deleteTrustedDevice(this.db, userId, idHash);
  }

  deleteTrustedDevices(userId: string): Promise<number> {
    return trustedDevices.deleteTrustedDevices(this.db, userId);
  }
}
