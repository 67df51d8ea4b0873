/** What differs between SQLite, PostgreSQL and MySQL/MariaDB once connected: write transactions, row locks, unique violations. */
import type { Kysely, Transaction } from 'kysely';
import type { TwofoldDb } from './tables.js';

/** The SQL dialect a datastore speaks; `mysql` covers MariaDB. */
export type DialectKind = 'sqlite' | 'postgres' | 'mysql';

/**
 * Runs `work` in one write transaction, committed when it resolves and rolled back when it throws.
 *
 * PostgreSQL and MySQL/MariaDB run it READ COMMITTED. On InnoDB the default REPEATABLE READ makes a DELETE
 * that finds nothing lock the gap where the row would be; two such transactions for different users share
 * that gap, and their INSERTs then deadlock. SQLite has one writer at a time anyway (see `sqlite-dialect.ts`).
 */
export function inWriteTransaction<T>(db: Kysely<TwofoldDb>, kind: DialectKind, work: (trx: Transaction<TwofoldDb>) => Promise<T>): Promise<T> {
  const transaction = db.transaction();
  return (kind === 'sqlite' ? transaction : transaction.setIsolationLevel('read committed')).execute(work);
}

/**
 * Locks the user's row until the transaction ends, so two writers of one user's codes queue rather than
 * interleave (two concurrent `putOneTimeCode` would otherwise both delete nothing and both insert).
 * SQLite needs no lock: its one write lock is already held, by `BEGIN IMMEDIATE` or, with a plain `BEGIN`,
 * by the DELETE that comes first in every such transaction.
 */
export async function lockUserRow(trx: Transaction<TwofoldDb>, kind: DialectKind, userId: string): Promise<void> {
  if (kind === 'sqlite') return;
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

/** Which database, and the prefix of twofold's tables, indexes and constraints in it. */
export interface DialectNames {
  kind: DialectKind;
  tablePrefix: string;
}

/**
 * True only for the unique violation of `users.email`: a duplicate id or `fs_uniquifier` is a bug, not a
 * taken address, and must surface. Each driver reports it differently (shown with the prefix `twofold_`):
 * - SQLite (better-sqlite3): code `SQLITE_CONSTRAINT_UNIQUE`, message `UNIQUE constraint failed: twofold_users.email`;
 * - PostgreSQL (pg): SQLSTATE `23505` with `constraint` = `twofold_users_email_unique`;
 * - MySQL/MariaDB (mysql2): errno 1062 (`ER_DUP_ENTRY`), message ending `for key 'twofold_users_email_unique'`
 *   (MySQL 8 writes `'twofold_users.twofold_users_email_unique'`).
 */
export function isDuplicateEmail(error: unknown, { kind, tablePrefix }: DialectNames): boolean {
  const table = `${tablePrefix}users`;
  const constraint = `${tablePrefix}users_email_unique`;
  switch (kind) {
    case 'sqlite':
      return field(error, 'code') === 'SQLITE_CONSTRAINT_UNIQUE' && field(error, 'message') === `UNIQUE constraint failed: ${table}.email`;
    case 'postgres':
      return field(error, 'code') === '23505' && field(error, 'constraint') === constraint;
    case 'mysql': {
      const message = field(error, 'sqlMessage');
      return field(error, 'errno') === 1062 && typeof message === 'string' && (message.endsWith(`for key '${constraint}'`) || message.endsWith(`for key '${table}.${constraint}'`));
    }
  }
}

/** Reads one property of a thrown value of unknown shape. */
function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}
