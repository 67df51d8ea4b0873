/** The first schema — users, recovery codes, one-time codes — for SQLite, PostgreSQL and MySQL/MariaDB alike. Frozen: change it with a new migration. */
import { MysqlIntrospector, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Creates `users`, `recovery_codes` and `one_time_codes`. Ids are caller-made random strings, times are
 * whole seconds in `bigint`. Primary keys say `notNull()` because SQLite otherwise lets a non-integer
 * primary key hold NULL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const withTableOptions = tableOptionsFor(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(64)', (col) => col.notNull().primaryKey())
    .addColumn('email', 'varchar(255)', (col) => col.notNull())
    .addColumn('password_hash', 'varchar(255)')
    .addColumn('fs_uniquifier', 'varchar(64)', (col) => col.notNull())
    .addColumn('active', 'boolean', (col) => col.notNull())
    .addColumn('tf_primary_method', 'varchar(64)')
    .addColumn('tf_totp_secret', 'varchar(512)')
    .addColumn('tf_phone_number', 'varchar(32)')
    .addColumn('tf_totp_last_step', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    // Named, because the datastore recognises a duplicate e-mail by this name (PostgreSQL, MySQL).
    .addUniqueConstraint('users_email_unique', ['email'])
    .addUniqueConstraint('users_fs_uniquifier_unique', ['fs_uniquifier'])
    .$call(withTableOptions)
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'varchar(64)', (col) => col.notNull().primaryKey())
    .addColumn('user_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('code_hash', 'varchar(255)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    // Table-level, because MySQL silently ignores a column-level REFERENCES.
    .addForeignKeyConstraint('recovery_codes_user_id_fk', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'))
    .$call(withTableOptions)
    .execute();
  await db.schema.createIndex('recovery_codes_user_id_index').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('one_time_codes')
    .addColumn('id', 'varchar(64)', (col) => col.notNull().primaryKey())
    .addColumn('user_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('purpose', 'varchar(64)', (col) => col.notNull())
    .addColumn('code_hash', 'varchar(255)', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addForeignKeyConstraint('one_time_codes_user_id_fk', ['user_id'], 'users', ['id'], (fk) => fk.onDelete('cascade'))
    // Unique, not just an index: one live code per user and purpose is the contract, and if a writer ever
    // skipped the delete-then-insert it should fail rather than leave two codes. Also serves the FK on MySQL.
    .addUniqueConstraint('one_time_codes_user_id_purpose_unique', ['user_id', 'purpose'])
    .$call(withTableOptions)
    .execute();
}

/** Drops the three tables, children first. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('one_time_codes').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('users').execute();
}

/**
 * MySQL/MariaDB only: InnoDB (foreign keys, row locks) and a binary collation, so that e-mails, hashes and
 * ciphertexts compare exactly, as they do on PostgreSQL and SQLite; the server default (`*_general_ci`)
 * would make `A@x` equal `a@x` and let a compare-and-swap match a ciphertext differing only in case.
 */
function tableOptionsFor(db: Kysely<any>): <T extends string, C extends string>(table: CreateTableBuilder<T, C>) => CreateTableBuilder<T, C> {
  // The migration only sees Kysely<any>; the introspector's class is the public way to tell the dialect.
  if (!(db.introspection instanceof MysqlIntrospector)) return (table) => table;
  return (table) => table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`);
}
