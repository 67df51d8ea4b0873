/** Kysely's SQLite dialect, made safe for several processes on one database file. */
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';

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

/** How many prepared statements a connection keeps; twofold issues a few dozen distinct ones. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Keeps prepared statements by SQL text. Kysely prepares each query anew, and on the session lookup every
 * request makes, preparing cost more than running. Reuse is safe: Kysely runs one query at a time on its one
 * SQLite connection, and `all`/`run` finish before the next begins.
 */
function cachingStatements(database: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** {@link SqliteDialect} with immediate transactions, transactional migrations and cached statements; see above. */
export class TwofoldSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    const { database } = config;
    const cached: SqliteDialectConfig = {
      ...config,
      database: typeof database === 'function' ? async () => cachingStatements(await database()) : cachingStatements(database),
    };
    super(cached);
    this.#config = cached;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
