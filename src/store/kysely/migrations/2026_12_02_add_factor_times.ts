/** When the second factor was set up and last used, on `users`, for SQLite, PostgreSQL and MySQL/MariaDB alike. Frozen: change it with a new migration. */
import type { Kysely } from 'kysely';

/**
 * Adds `users.tf_set_at` (when the current second factor was confirmed) and `users.tf_last_used_at` (when a
 * code of it last passed), whole seconds, null when unknown: the record of a bound authenticator that NIST SP
 * 800-63B §6.1 asks for (checklist MGT-04). One column per statement: SQLite's ALTER TABLE adds one at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('tf_set_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('tf_last_used_at', 'bigint').execute();
}

/** Drops the two columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('tf_last_used_at').execute();
  await db.schema.alterTable('users').dropColumn('tf_set_at').execute();
}
