/** twofold's migrations, served from code by our own MigrationProvider, and the one function that runs them. */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as createTfTables from './2026_11_28_create_tf_tables.js';
import * as createSessionTables from './2026_11_29_create_session_tables.js';
import * as addSecondFactorFailures from './2026_11_30_add_second_factor_failures.js';
import * as createRateLimits from './2026_12_01_create_rate_limits.js';
import * as addFactorTimes from './2026_12_02_add_factor_times.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by {@link} in a doc comment below
import type { TablePrefixPlugin } from '../table-prefix.js';

/**
 * Where Kysely records applied migrations, `<prefix>migration` (`twofold_migration` by default), and its lock
 * row, `<prefix>migration_lock`. Fixed forever for a given prefix: renaming them would re-run every migration.
 */
export function migrationTableNames(tablePrefix: string): { migrationTableName: string; migrationLockTableName: string } {
  return { migrationTableName: `${tablePrefix}migration`, migrationLockTableName: `${tablePrefix}migration_lock` };
}

/** Every migration by name. Names sort by date; a shipped one is never renamed or edited. */
const migrations: Record<string, Migration> = {
  '2026_11_28_create_tf_tables': createTfTables,
  '2026_11_29_create_session_tables': createSessionTables,
  '2026_11_30_add_second_factor_failures': addSecondFactorFailures,
  '2026_12_01_create_rate_limits': createRateLimits,
  '2026_12_02_add_factor_times': addFactorTimes,
};

/** Serves {@link migrations} from code, so a bundled app needs no migration folder on disk. */
export const twofoldMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * Applies every pending migration. Safe on every start, and from two processes at once: Kysely's Migrator
 * takes a lock first (PostgreSQL advisory lock, MySQL `GET_LOCK`, SQLite `BEGIN IMMEDIATE` when the dialect
 * comes from `openDatastore`), then reads what is applied, so the second process finds nothing to do.
 *
 * `db` must carry the {@link TablePrefixPlugin} of the same prefix: the migrations name their tables without it.
 *
 * @throws the database's error when a migration fails.
 */
export async function migrateToLatest(db: Kysely<any>, tablePrefix: string): Promise<void> {
  const migrator = new Migrator({ db, provider: twofoldMigrationProvider, ...migrationTableNames(tablePrefix) });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}
