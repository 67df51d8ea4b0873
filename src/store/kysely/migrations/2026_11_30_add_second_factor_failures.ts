/** The per-account second-factor failure counter and lockout on `users`, for SQLite, PostgreSQL and MySQL/MariaDB alike. Frozen: change it with a new migration. */
import type { Kysely } from 'kysely';

/**
 * Adds `users.tf_failed_attempts` (wrong second-factor codes since the last success, every factor together)
 * and `users.tf_locked_until` (whole seconds; null when not locked). They sit on the account, not on the
 * session or the challenge, so neither a new login nor a resent code resets them (checklist RL-02).
 * One column per statement: SQLite's ALTER TABLE adds one column at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('tf_failed_attempts', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('tf_locked_until', 'bigint').execute();
}

/** Drops the two columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('tf_locked_until').execute();
  await db.schema.alterTable('users').dropColumn('tf_failed_attempts').execute();
}
