/** Server-side sessions and trusted devices, for SQLite, PostgreSQL and MySQL/MariaDB alike. Frozen: change it with a new migration. */
import { MysqlIntrospector, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Creates `sessions` and `trusted_devices`. Both are keyed by the hash of a random id (the id itself is never
 * stored); times are whole seconds in `bigint`. A user's rows go with the user (ON DELETE CASCADE).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = db.introspection instanceof MysqlIntrospector;
  const withTableOptions = tableOptionsFor(mysql);

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'varchar(64)', (col) => col.notNull().primaryKey())
    .addColumn('kind', 'varchar(16)', (col) => col.notNull())
    .addColumn('user_id', 'varchar(64)')
    .addColumn('fs_uniquifier', 'varchar(64)')
    // MySQL's `text` holds 65,535 bytes, fewer characters once they are not ASCII; `mediumtext` (16 MB) does
    // not make the web layer's JSON fail (strict mode) or be cut (non-strict) just short of 64 KB.
    .addColumn('data', mysql ? sql`mediumtext` : 'text', (col) => col.notNull())
    .addColumn('authenticated_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    // Table-level, because MySQL silently ignores a column-level REFERENCES.
    .addForeignKeyConstraint('sessions_user_id_fk', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'))
    .$call(withTableOptions)
    .execute();
  // For "log out everywhere" and cascades, and for the periodic purge of expired sessions.
  await db.schema.createIndex('sessions_user_id_index').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at_index').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('trusted_devices')
    .addColumn('id_hash', 'varchar(64)', (col) => col.notNull().primaryKey())
    .addColumn('user_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('user_agent', 'varchar(255)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addForeignKeyConstraint('trusted_devices_user_id_fk', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'))
    .$call(withTableOptions)
    .execute();
  await db.schema.createIndex('trusted_devices_user_id_index').on('trusted_devices').column('user_id').execute();
}

/** Drops the two tables. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trusted_devices').execute();
  await db.schema.dropTable('sessions').execute();
}

/**
 * MySQL/MariaDB only: InnoDB and a binary collation, as in the first migration, so that id hashes compare
 * exactly (a base64url hash differing only in case is another hash). Copied rather than imported: a
 * migration must not change when a later one does.
 */
function tableOptionsFor(mysql: boolean): <T extends string, C extends string>(table: CreateTableBuilder<T, C>) => CreateTableBuilder<T, C> {
  if (!mysql) return (table) => table;
  return (table) => table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`);
}
