/** The Kysely datastore: open it from a URL, or build it on your own Kysely instance. */
export { openDatastore } from './connect.js';
export { KyselyDatastore } from './datastore.js';
export type { DialectKind } from './dialect.js';
export { TwofoldSqliteDialect } from './sqlite-dialect.js';
export { migrationTableNames, twofoldMigrationProvider } from './migrations/index.js';
export { TablePrefixPlugin, checkTablePrefix, defaultTablePrefix } from './table-prefix.js';
export type { TwofoldDb, UsersTable, RecoveryCodesTable, OneTimeCodesTable, SessionsTable, TrustedDevicesTable } from './tables.js';
