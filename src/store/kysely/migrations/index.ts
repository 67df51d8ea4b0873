/** twofold's migrations, served from code by our own MigrationProvider, and the one function that runs them. */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as createTfTables from './2026_11_28_create_tf_tables.js';
import * as createSessionTables from './2026_11_29_create_session_tables.js';
import * as addSecondFactorFailures from './2026_11_30_add_second_factor_failures.js';
import * as createRateLimits from './2026_12_01_create_rate_limits.js';
import * as addFactorTimes from './2026_12_02_add_factor_times.js';

/** Where Kysely records applied migrations. Fixed forever: renaming it would re-run every migration. */
export const migrationTableName = 'twofold_migration';
/** Kysely's lock row for migrations; fixed for the same reason. */
export const migrationLockTableName = 'twofold_migration_lock';

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
 * @throws the database's error when a migration fails.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: twofoldMigrationProvider, migrationTableName, migrationLockTableName });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}
