/** When and from where the second factor was set up, and when last used, on `users`, for SQLite, PostgreSQL and MySQL/MariaDB alike. Frozen: change it with a new migration. */
import type { Kysely } from 'kysely';

/**
 * Adds `users.tf_set_at` (when the current second factor was confirmed), `tf_set_address` and
 * `tf_set_user_agent` (the client that confirmed it, as the adapter knew it) and `tf_last_used_at` (when a code
 * of it last passed); null when unknown. The record of a bound authenticator that NIST SP 800-63B §6.1 asks for
 * (checklist MGT-04). One column per statement: SQLite's ALTER TABLE adds one at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('tf_set_at', 'bigint').execute();
  // An IPv6 address with a zone fits in 64; a user agent is cut to 255, as for trusted devices.
  await db.schema.alterTable('users').addColumn('tf_set_address', 'varchar(64)').execute();
  await db.schema.alterTable('users').addColumn('tf_set_user_agent', 'varchar(255)').execute();
  await db.schema.alterTable('users').addColumn('tf_last_used_at', 'bigint').execute();
}

/** Drops the four columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('tf_last_used_at').execute();
  await db.schema.alterTable('users').dropColumn('tf_set_user_agent').execute();
  await db.schema.alterTable('users').dropColumn('tf_set_address').execute();
  await db.schema.alterTable('users').dropColumn('tf_set_at').execute();
}
