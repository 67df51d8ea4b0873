/** Counters for rate limits (code sending, per-challenge attempts), for SQLite, PostgreSQL and MySQL/MariaDB alike. Frozen: change it with a new migration. */
import { MysqlIntrospector, sql, type Kysely } from 'kysely';

/**
 * Creates `rate_limits`: one row per counter, keyed by a name the caller makes (`send:account:<id>`, or a
 * keyed MAC of an address or phone number, so no address is stored in the clear). A window starts at its
 * first hit and ends at `expires_at` (whole seconds); an expired row counts as empty and is purged later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = db.introspection instanceof MysqlIntrospector;
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(100)', (col) => col.notNull().primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    // MySQL/MariaDB: InnoDB for row locks, and a binary collation so keys compare exactly, as in the first migration.
    .$call((table) => (mysql ? table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`) : table))
    .execute();
  await db.schema.createIndex('rate_limits_expires_at_index').on('rate_limits').column('expires_at').execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
