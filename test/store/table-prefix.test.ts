/**
 * twofold in an application's own database: its tables, indexes and constraints carry a prefix, so migrating
 * never touches, and no query ever reads, the application's `users`, `sessions` or `accounts`.
 */
import { sql, type Kysely } from 'kysely';

/** The application's schema, which twofold's types do not describe. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the application's tables are not in TwofoldDb
type ApplicationDb = Kysely<any>;
import { expect, it } from 'vitest';
import { openDatastore, type KyselyDatastore } from '../../src/store/kysely/index.js';
import { describeEachDatabase, newTestUser, type TestDatabase } from '../support/databases.js';

/** The application's rows, as it wrote them before twofold arrived. */
const applicationRows = {
  users: [
    { id: 1, email: 'app-user@example.test' },
    { id: 2, email: 'other@example.test' },
  ],
  sessions: [{ id: 's1', user_id: 1 }],
  accounts: [{ id: 10, user_id: 2, provider: 'github' }],
} as const;

const twofoldTables = ['users', 'sessions', 'recovery_codes', 'one_time_codes', 'rate_limits', 'trusted_devices', 'migration', 'migration_lock'];

describeEachDatabase(
  'table prefix',
  (database) => {
    it('migrates beside an application that has its own users, sessions and accounts, and leaves them untouched', async () => {
      const db = database.datastore.db.withoutPlugins() as ApplicationDb;
      await createApplicationTables(db);
      const before = await readApplicationTables(db);
      const applicationIndexes = await listIndexNames(database);

      await database.datastore.migrate();
      const user = await database.datastore.createUser(newTestUser({ email: 'app-user@example.test' }));
      expect(user).not.toBeNull();
      // The same address in the application's `users` is no duplicate for twofold's.
      expect(await database.datastore.createUser(newTestUser({ email: 'app-user@example.test' }))).toBeNull();

      expect(await readApplicationTables(db)).toEqual(before);
      const tables = await listTables(database);
      expect(tables.filter((name) => !['users', 'sessions', 'accounts'].includes(name)).sort()).toEqual(twofoldTables.map((name) => `twofold_${name}`).sort());
      // twofold's indexes and constraints: `twofold_…` (SQLite's own `sqlite_autoindex_twofold_…`, MariaDB's `PRIMARY`).
      const added = (await listIndexNames(database)).filter((name) => !applicationIndexes.includes(name));
      expect(added.length).toBeGreaterThan(0);
      for (const name of added) expect(name).toMatch(/^(twofold_|sqlite_autoindex_twofold_|PRIMARY$)/);
    });

    it('uses another prefix when asked, as a separate set of tables', async () => {
      const other = await openDatastore(database.url, { tablePrefix: 'auth2fa_' });
      try {
        await other.migrate();
        const user = await other.createUser(newTestUser({ email: 'app-user@example.test' }));
        expect(user).not.toBeNull();
        expect(await other.findUserByEmail('app-user@example.test')).toMatchObject({ id: user!.id });
        // A second migrate finds everything applied in `auth2fa_migration`.
        await other.migrate();
      } finally {
        await other.close();
      }
      const tables = await listTables(database);
      expect(tables.filter((name) => name.startsWith('auth2fa_')).sort()).toEqual(twofoldTables.map((name) => `auth2fa_${name}`).sort());
      const { rows } = await sql<{ name: string }>`select name from auth2fa_migration`.execute(database.datastore.db);
      expect(rows.length).toBeGreaterThan(0);
    });

    it('refuses an empty, upper-case or too long prefix before opening anything', async () => {
      for (const tablePrefix of ['', 'Twofold_', '1x_', 'a'.repeat(21), 'two-fold_']) {
        await expect(openDatastore(database.url, { tablePrefix })).rejects.toMatchObject({ code: 'CONFIG_INVALID', key: 'tablePrefix' });
      }
    });
  },
  { migrate: false },
);

async function createApplicationTables(db: ApplicationDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('email', 'varchar(255)', (col) => col.notNull())
    .addUniqueConstraint('users_email_unique', ['email'])
    .execute();
  await db.schema.createIndex('users_email_idx').on('users').column('email').execute();
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id_index').on('sessions').column('user_id').execute();
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull())
    .addColumn('provider', 'varchar(64)', (col) => col.notNull())
    .execute();
  for (const [table, rows] of Object.entries(applicationRows)) await db.insertInto(table).values([...rows]).execute();
}

async function readApplicationTables(db: ApplicationDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of Object.keys(applicationRows)) out[table] = await db.selectFrom(table).selectAll().orderBy('id').execute();
  return out;
}

/** Every table in the test database, read from the catalog, not through Kysely's introspector. */
async function listTables(database: TestDatabase): Promise<string[]> {
  const db: KyselyDatastore['db'] = database.datastore.db;
  switch (database.kind) {
    case 'sqlite':
      return (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows.map((row) => row.name);
    case 'postgres':
      return (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db)).rows.map((row) => row.name);
    case 'mariadb':
      return (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = database()`.execute(db)).rows.map((row) => row.name);
  }
}

/** Every index name in the test database: PostgreSQL's are global to the schema, so twofold's must be prefixed. */
async function listIndexNames(database: TestDatabase): Promise<string[]> {
  const db: KyselyDatastore['db'] = database.datastore.db;
  switch (database.kind) {
    case 'sqlite':
      return (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db)).rows.map((row) => row.name);
    case 'postgres':
      return (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = 'public'`.execute(db)).rows.map((row) => row.name);
    case 'mariadb':
      return (await sql<{ name: string }>`select distinct index_name as name from information_schema.statistics where table_schema = database()`.execute(db)).rows.map((row) => row.name);
  }
}
