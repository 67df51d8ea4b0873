/** Opens a KyselyDatastore from a database URL: a SQLite file or memory, PostgreSQL, or MySQL/MariaDB. */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import type { Pool as MysqlPool } from 'mysql2';
import type pg from 'pg';
import { TwofoldError } from '../../errors.js';
import { loadDriver } from './drivers.js';
import { KyselyDatastore } from './datastore.js';
import { TwofoldSqliteDialect } from './sqlite-dialect.js';
import { checkTablePrefix, defaultTablePrefix } from './table-prefix.js';
import type { TwofoldDb } from './tables.js';

/** How long a SQLite writer waits for another connection's write lock before giving up (SQLITE_BUSY). */
const sqliteBusyTimeoutInMilliseconds = 5_000;

const acceptedForms = 'sqlite:<path>, sqlite::memory:, postgres://… (or postgresql://…), mysql://… (or mariadb://…)';

/**
 * Opens a datastore; call `migrate()` before first use, and `close()` at the end.
 *
 * - `sqlite:<path>` (relative to the working directory, or absolute; the parent folder is created) and
 *   `sqlite::memory:` use better-sqlite3 with WAL, `busy_timeout` and `foreign_keys=ON`;
 * - `postgres://user:pass@host:5432/db` (or `postgresql://`) uses a pg pool of 10 connections;
 * - `mysql://user:pass@host:3306/db` (or `mariadb://`) uses a mysql2 pool of 10 connections.
 *
 * Each driver is an optional peer dependency of twofold, loaded only for its own scheme: install
 * `better-sqlite3`, `pg` or `mysql2` beside twofold for the database you use.
 *
 * Nothing connects until the first query, so a wrong host or password shows up at `migrate()`.
 *
 * twofold's tables are `twofold_users`, `twofold_sessions`, … (and `twofold_migration`), so they sit beside an
 * application's own `users` and `sessions` in one database; `tablePrefix` chooses another prefix.
 *
 * @param databaseUrl Where the database is; credentials in it are never repeated in an error.
 * @param options.tablePrefix Default `'twofold_'`: a lower-case letter, then at most 19 of `a-z`, `0-9`, `_`.
 * @throws TwofoldError `DATABASE_URL_INVALID` for an unknown scheme or a URL that does not parse;
 *   `DATABASE_DRIVER_MISSING` when the scheme's driver package is not installed (the message names it);
 *   ConfigError `CONFIG_INVALID` for a bad `tablePrefix`.
 * @example
 * ```ts
 * const datastore = await openDatastore('sqlite:./data/twofold.db');
 * await datastore.migrate();
 * ```
 */
export async function openDatastore(databaseUrl: string, options: { tablePrefix?: string } = {}): Promise<KyselyDatastore> {
  // Checked before anything is opened, so a bad prefix leaves no pool or file behind.
  const tablePrefix = checkTablePrefix(options.tablePrefix ?? defaultTablePrefix);
  const scheme = /^([a-z][a-z0-9+.-]{0,15}):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const database = await openSqlite(databaseUrl.slice('sqlite:'.length));
      return new KyselyDatastore(new Kysely<TwofoldDb>({ dialect: new TwofoldSqliteDialect({ database }) }), 'sqlite', { tablePrefix });
    }
    case 'postgres':
    case 'postgresql':
      return new KyselyDatastore(new Kysely<TwofoldDb>({ dialect: new PostgresDialect({ pool: await postgresPool(databaseUrl) }) }), 'postgres', { tablePrefix });
    case 'mysql':
    case 'mariadb':
      return new KyselyDatastore(new Kysely<TwofoldDb>({ dialect: new MysqlDialect({ pool: await mysqlPool(databaseUrl) }) }), 'mysql', { tablePrefix });
    default:
      throw invalidUrl(describeScheme(databaseUrl));
  }
}

/** Opens a SQLite file (creating its folder) or a private in-memory database, with twofold's pragmas. */
async function openSqlite(path: string): Promise<BetterSqlite3.Database> {
  // `sqlite://x.db` would silently mean `/x.db`; ask for an explicit path instead of guessing.
  if (path === '' || path.startsWith('//')) throw invalidUrl('write sqlite:./relative.db, sqlite:/absolute.db or sqlite::memory:');
  const { default: Database } = await loadDriver('better-sqlite3', 'sqlite:…', () => import('better-sqlite3'));
  if (path !== ':memory:') createPrivately(resolve(path));
  const database = new Database(path);
  // Set first, so that switching to WAL while another process holds the file waits instead of failing.
  database.pragma(`busy_timeout = ${sqliteBusyTimeoutInMilliseconds}`);
  // WAL lets readers go on while one process writes; in memory it stays `memory`, which is fine.
  database.pragma('journal_mode = WAL');
  // SQLite enforces foreign keys (ON DELETE CASCADE) only when asked, per connection.
  database.pragma('foreign_keys = ON');
  return database;
}

/**
 * Creates the database file, and any folder on its way, readable by this user only (0600, folders 0700): it
 * holds password hashes and encrypted TOTP secrets, and sits beside the 0600 development key ring. SQLite
 * gives its `-wal` and `-shm` files the database file's mode, so they follow. A file or folder that already
 * exists is left as it is: its rights are its owner's choice (and a folder such as /tmp must stay shared).
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** How long opening a PostgreSQL or MySQL connection may take. */
const CONNECT_TIMEOUT_IN_MILLISECONDS = 5_000;
/** How long one PostgreSQL query may wait for its answer; twofold's queries take milliseconds. */
const POSTGRES_QUERY_TIMEOUT_IN_MILLISECONDS = 10_000;

/**
 * A pg pool whose `int8` (`bigint`, and `count(*)`) arrive as JS numbers; pg returns them as strings by
 * default. The parser is this pool's own, so the host's other pg pools keep pg's global behaviour.
 */
async function postgresPool(url: string): Promise<pg.Pool> {
  assertParses(url);
  const { default: pg } = await loadDriver('pg', 'postgres://…', () => import('pg'));
  const pool = new pg.Pool({
    connectionString: url,
    types: { getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) },
    // A database that stops answering (a partition, a hung server) fails the request with a 503 after
    // these, instead of holding it, and its connection, forever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_IN_MILLISECONDS,
    query_timeout: POSTGRES_QUERY_TIMEOUT_IN_MILLISECONDS,
  });
  // An idle client that loses its connection (server restart) is dropped by the pool, which then emits
  // 'error'; unheard, that event would crash the process. The next query simply opens a new connection.
  pool.on('error', () => {});
  // A client checked out by a request has no pool listener: its 'error' (connection lost mid-request) must
  // be heard too. The request's own query fails with the same error, and the pool drops the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Parses an `int8` as a number, refusing one a double cannot hold exactly. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is beyond JavaScript's safe integer range`);
  return value;
}

/**
 * A mysql2 pool. `supportBigNumbers` returns `bigint` columns and `count(*)` as JS numbers (a string only
 * past 2^53, never a silently rounded number). mysql2's default CLIENT_FOUND_ROWS flag is kept: an UPDATE
 * then reports the rows it matched, as PostgreSQL and SQLite do, so a compare-and-swap writing the value
 * already there still counts as a success. Parameters in the URL's query (e.g. `?ssl=…`) reach mysql2.
 */
async function mysqlPool(url: string): Promise<MysqlPool> {
  assertParses(url);
  const { createPool } = await loadDriver('mysql2', 'mysql://…', () => import('mysql2'));
  return createPool({ uri: url, supportBigNumbers: true, bigNumberStrings: false, connectionLimit: 10, connectTimeout: CONNECT_TIMEOUT_IN_MILLISECONDS });
}

/** Throws `DATABASE_URL_INVALID` for a URL that does not parse, without the URL (it may hold a password). */
function assertParses(url: string): void {
  if (!URL.canParse(url)) throw invalidUrl('it does not parse as a URL (are special characters in the password percent-encoded?)');
}

/**
 * Names the unknown scheme only when it is clearly one (`redis://…`): in `admin:pw@host` the part before
 * the colon is a user name, and it stays out of the message like the rest of the credentials.
 */
function describeScheme(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]{0,15}):\/\//i.exec(url)?.[1];
  return scheme === undefined ? 'it does not start with a known scheme' : `its scheme '${scheme.toLowerCase()}:' is not one of them`;
}

function invalidUrl(why: string): TwofoldError {
  return new TwofoldError('DATABASE_URL_INVALID', `The database URL must be one of ${acceptedForms}; ${why}.`);
}
