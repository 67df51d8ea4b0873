/** Kysely's SQLite dialect, made safe for several processes on one database file. */
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Begins every transaction with `BEGIN IMMEDIATE`. A plain (deferred) `BEGIN` takes the write lock only at
 * the first write; if another process wrote since this transaction's first read, SQLite then fails with
 * SQLITE_BUSY at once, without waiting for `busy_timeout`. Taking the lock up front makes a second process
 * wait its turn instead. Every twofold transaction writes, so nothing is lost.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Declares SQLite's DDL transactional (it is), so Kysely's Migrator runs the migrations in one transaction:
 * with {@link ImmediateSqliteDriver} that transaction is the migration lock between processes, and a
 * failing migration leaves nothing half-made. Kysely's own adapter takes no lock at all.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** {@link SqliteDialect} with immediate transactions and transactional migrations; see the classes above. */
export class TwofoldSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
