/** Fresh, isolated test databases: one per describe block and database kind, migrated, and dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { NewUser } from '../../src/store/datastore.js';
import { openDatastore, type KyselyDatastore } from '../../src/store/kysely/index.js';
import { skipUnlessAvailable } from './external.js';

/** Every database twofold supports; SQLite needs no server. */
export const databaseKinds = ['sqlite', 'postgres', 'mariadb'] as const;

/** One of {@link databaseKinds}. */
export type DatabaseKind = (typeof databaseKinds)[number];

/** Admin URL of the PostgreSQL server tests create their databases on. */
export const postgresAdminUrl = process.env.TWOFOLD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Admin URL of the MariaDB (or MySQL) server tests create their databases on. */
export const mariadbAdminUrl = process.env.TWOFOLD_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

/** How long a probe waits for a server before the kind is skipped. */
const probeTimeoutInMilliseconds = 2_000;

/** What a test gets: a fresh database of one kind, and a migrated datastore on it. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** The fresh database's URL, to open more connections to it the way another process would. */
  readonly url: string;
  /** A datastore on the fresh database; migrated unless the block asked for `{ migrate: false }`. */
  readonly datastore: KyselyDatastore;
  /** Opens another datastore (its own pool) on the same database; the harness closes it after the block. */
  openAnother(): Promise<KyselyDatastore>;
}

/** Options of {@link describeEachDatabase}. */
export interface DescribeEachDatabaseOptions {
  /** The kinds to run on; all of {@link databaseKinds} by default. */
  readonly kinds?: readonly DatabaseKind[];
  /** Run `migrate()` before the tests (default `true`); `false` leaves the database empty. */
  readonly migrate?: boolean;
}

/**
 * Declares `body` once per database kind, as `describe('<title> [<kind>]')`. Before the block's tests a fresh
 * database is made (SQLite: a file in a new temp folder; PostgreSQL and MariaDB: `twofold_test_<random>`)
 * and a datastore opened on it; after them every datastore is closed and the database dropped. A server
 * that does not answer skips its kind with a printed reason, or fails the file when TWOFOLD_REQUIRE_DATABASES=1
 * (see `external.ts`). `body` runs at collection time: read the handle's fields inside tests and hooks only.
 *
 * @example
 * ```ts
 * describeEachDatabase('recovery codes', (database) => {
 *   it('counts unused codes', async () => {
 *     const user = await database.datastore.createUser(newTestUser());
 *     expect(await database.datastore.countUnusedRecoveryCodes(user!.id)).toBe(0);
 *   });
 * });
 * ```
 */
export function describeEachDatabase(title: string, body: (database: TestDatabase) => void, options: DescribeEachDatabaseOptions = {}): void {
  for (const kind of options.kinds ?? databaseKinds) {
    const name = `${title} [${kind}]`;
    if (shouldSkip(kind)) {
      describe.skip(name, () => body(new FreshDatabase(kind)));
      continue;
    }
    describe(name, () => {
      const database = new FreshDatabase(kind);
      beforeAll(() => database.create(options.migrate ?? true));
      afterAll(() => database.drop());
      body(database);
    });
  }
}

/** A new user with random id, e-mail and uniquifier; `overrides` fix any field. */
export function newTestUser(overrides: Partial<NewUser> = {}): NewUser {
  const id = randomBytes(12).toString('base64url');
  return {
    id,
    email: `${id.toLowerCase()}@example.test`,
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$test',
    fsUniquifier: randomBytes(16).toString('hex'),
    active: true,
    createdAtInSeconds: 1_767_225_600,
    ...overrides,
  };
}

/** The lifecycle behind one {@link TestDatabase}. */
class FreshDatabase implements TestDatabase {
  readonly kind: DatabaseKind;
  #url: string | undefined;
  #datastore: KyselyDatastore | undefined;
  #drop: (() => Promise<void>) | undefined;
  readonly #opened: KyselyDatastore[] = [];

  constructor(kind: DatabaseKind) {
    this.kind = kind;
  }

  get url(): string {
    if (this.#url === undefined) throw new Error('the test database exists only inside tests and hooks');
    return this.#url;
  }

  get datastore(): KyselyDatastore {
    if (this.#datastore === undefined) throw new Error('the test database exists only inside tests and hooks');
    return this.#datastore;
  }

  async openAnother(): Promise<KyselyDatastore> {
    const datastore = await openDatastore(this.url);
    this.#opened.push(datastore);
    return datastore;
  }

  async create(migrate: boolean): Promise<void> {
    const { url, drop } = await createDatabase(this.kind);
    this.#url = url;
    this.#drop = drop;
    this.#datastore = await this.openAnother();
    if (migrate) await this.#datastore.migrate();
  }

  /** Closes every datastore, then drops the database, even when creating it failed half-way. */
  async drop(): Promise<void> {
    const closing = await Promise.allSettled(this.#opened.splice(0).map((datastore) => datastore.close()));
    await this.#drop?.();
    const failed = closing.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}

/** Makes an empty database of `kind`; returns its URL and how to remove it. */
async function createDatabase(kind: DatabaseKind): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `twofold_test_${randomBytes(6).toString('hex')}`;
  switch (kind) {
    case 'sqlite': {
      const folder = mkdtempSync(join(tmpdir(), 'twofold-test-'));
      // The folder holds the database and its -wal and -shm files; removing it removes all three.
      return { url: `sqlite:${join(folder, `${name}.db`)}`, drop: async () => rmSync(folder, { recursive: true, force: true }) };
    }
    case 'postgres':
      await onPostgres((client) => client.query(`create database ${name}`));
      return {
        url: withDatabaseName(postgresAdminUrl, name),
        // FORCE (PostgreSQL 13+) ends connections a failed test left open, so the drop never hangs.
        drop: () => onPostgres((client) => client.query(`drop database if exists ${name} with (force)`)),
      };
    case 'mariadb':
      await onMariadb((connection) => connection.query(`create database ${name}`));
      return {
        url: withDatabaseName(mariadbAdminUrl, name),
        drop: () => onMariadb((connection) => connection.query(`drop database if exists ${name}`)),
      };
  }
}

/** The admin URL pointing at database `name` instead. */
function withDatabaseName(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onPostgres(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: probeTimeoutInMilliseconds });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function onMariadb(work: (connection: mysql.Connection) => Promise<unknown>): Promise<void> {
  const connection = await mysql.createConnection({ uri: mariadbAdminUrl, connectTimeout: probeTimeoutInMilliseconds });
  try {
    await work(connection);
  } finally {
    await connection.end();
  }
}

/** Why a kind cannot run here, or `null` when its server answered. */
async function probe(kind: DatabaseKind): Promise<string | null> {
  const where = kind === 'postgres' ? hostOf(postgresAdminUrl) : hostOf(mariadbAdminUrl);
  try {
    if (kind === 'postgres') await onPostgres((client) => client.query('select 1'));
    if (kind === 'mariadb') await onMariadb((connection) => connection.query('select 1'));
    return null;
  } catch (error) {
    const reason = error instanceof Error ? (error.message || error.constructor.name) : String(error);
    const variable = kind === 'postgres' ? 'TWOFOLD_TEST_POSTGRES_URL' : 'TWOFOLD_TEST_MARIADB_URL';
    return `${kind} at ${where} did not answer (${reason}); start it or set ${variable}`;
  }
}

/** Host and port only: an admin URL may carry a password, which must not reach the test log. */
function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : 'an unparsable URL';
}

// Once per test file (Vitest evaluates this module once per file): both servers in parallel, quickly.
const [postgresUnavailable, mariadbUnavailable] = await Promise.all([probe('postgres'), probe('mariadb')]);
const unavailable: Record<DatabaseKind, string | null> = { sqlite: null, postgres: postgresUnavailable, mariadb: mariadbUnavailable };
const decided = new Map<DatabaseKind, boolean>();

/** Whether to skip `kind`, deciding (and printing, or throwing when required) once per file. */
function shouldSkip(kind: DatabaseKind): boolean {
  let skip = decided.get(kind);
  if (skip === undefined) {
    const reason = unavailable[kind];
    skip = skipUnlessAvailable('DATABASES', reason === null, reason ?? '');
    decided.set(kind, skip);
  }
  return skip;
}
