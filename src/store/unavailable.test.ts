/** Tests of isStoreUnavailable on errors the real drivers raise, and of the default failure log line. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mariadbAdminUrl, postgresAdminUrl } from '../../test/support/databases.js';
import { skipUnlessAvailable } from '../../test/support/external.js';
import { makeSecurity } from '../../test/support/security.js';
import { startTcpProxy, type TcpProxy } from '../../test/support/tcp-proxy.js';
import { TwofoldError } from '../errors.js';
import { openDatastore } from './kysely/connect.js';
import type { KyselyDatastore } from './kysely/datastore.js';
import { describeFailure } from '../errors.js';
import { isStoreUnavailable } from './unavailable.js';

/** The rejection of `work`; fails the test when it resolves. */
async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Why the server of `kind` cannot be used, or null. */
async function unreachable(kind: 'postgres' | 'mariadb'): Promise<string | null> {
  try {
    if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2_000 });
      await client.connect();
      await client.end();
    } else {
      const connection = await mysql.createConnection({ uri: mariadbAdminUrl, connectTimeout: 2_000 });
      await connection.end();
    }
    return null;
  } catch (error) {
    return `${kind} did not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}

const [postgresReason, mariadbReason] = await Promise.all([unreachable('postgres'), unreachable('mariadb')]);
const skipPostgres = skipUnlessAvailable('DATABASES', postgresReason === null, postgresReason ?? '');
const skipMariadb = skipUnlessAvailable('DATABASES', mariadbReason === null, mariadbReason ?? '');

describe('isStoreUnavailable: the database cannot be reached', () => {
  it('a pg connection refused on a closed port', async () => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres` });
    const error = await rejectionOf(client.connect());
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it('a mysql2 connection refused on a closed port', async () => {
    const error = await rejectionOf(mysql.createConnection({ uri: `mysql://root@127.0.0.1:${await closedPort()}` }));
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isStoreUnavailable(error)).toBe(true);
  });

  it('a query of the datastore itself while its PostgreSQL port is closed', async () => {
    const datastore = await openDatastore(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`);
    try {
      expect(isStoreUnavailable(await rejectionOf(datastore.findUserById('u1')))).toBe(true);
    } finally {
      await datastore.close();
    }
  });

  it('SQLITE_BUSY: another connection holds the write lock and busy_timeout is 0', () => {
    const folder = mkdtempSync(join(tmpdir(), 'twofold-unavailable-'));
    const holder = new Database(join(folder, 'busy.db'));
    const waiter = new Database(join(folder, 'busy.db'));
    try {
      waiter.pragma('busy_timeout = 0');
      holder.exec('create table t (id integer primary key); begin immediate; insert into t values (1)');
      let error: unknown;
      try {
        waiter.exec('begin immediate');
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(isStoreUnavailable(error)).toBe(true);
    } finally {
      holder.close();
      waiter.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('an error that wraps one of them as its cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isStoreUnavailable(new Error('lookup failed', { cause: refused }))).toBe(true);
    expect(isStoreUnavailable(new AggregateError([new TypeError('x'), refused], 'all failed'))).toBe(true);
  });
});

describe.skipIf(skipPostgres)('isStoreUnavailable on PostgreSQL errors', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    const target = new URL(postgresAdminUrl);
    proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
  });
  afterAll(() => proxy.close());

  function throughProxy(): pg.Client {
    const url = new URL(postgresAdminUrl);
    url.host = `127.0.0.1:${proxy.port}`;
    const client = new pg.Client({ connectionString: url.toString() });
    client.on('error', () => {}); // the cut also arrives as an 'error' event; the query's rejection is what is tested
    return client;
  }

  it('a query the cut interrupts, the next query on that client, and a new connection while cut', async () => {
    await proxy.restore();
    const client = throughProxy();
    await client.connect();
    const running = rejectionOf(client.query('select pg_sleep(5)'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await proxy.cut();
    const interrupted = await running;
    expect(interrupted).toMatchObject({ message: 'Connection terminated unexpectedly' });
    expect(isStoreUnavailable(interrupted)).toBe(true);
    expect(isStoreUnavailable(await rejectionOf(client.query('select 1')))).toBe(true);
    const refused = await rejectionOf(throughProxy().connect());
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isStoreUnavailable(refused)).toBe(true);
    await proxy.restore();
  });

  it('not: a unique violation (23505), a syntax error (42601), a division by zero (22012)', async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl });
    await client.connect();
    try {
      await client.query('create temporary table failures_unique (id int primary key)');
      await client.query('insert into failures_unique values (1)');
      const duplicate = await rejectionOf(client.query('insert into failures_unique values (1)'));
      expect(duplicate).toMatchObject({ code: '23505' });
      expect(isStoreUnavailable(duplicate)).toBe(false);
      const syntax = await rejectionOf(client.query('selec 1'));
      expect(syntax).toMatchObject({ code: '42601' });
      expect(isStoreUnavailable(syntax)).toBe(false);
      const division = await rejectionOf(client.query('select 1 / 0'));
      expect(division).toMatchObject({ code: '22012' });
      expect(isStoreUnavailable(division)).toBe(false);
    } finally {
      await client.end();
    }
  });
});

describe.skipIf(skipMariadb)('isStoreUnavailable on MariaDB errors', () => {
  it('a connection the server drops (PROTOCOL_CONNECTION_LOST), but not a duplicate key (ER_DUP_ENTRY)', async () => {
    const target = new URL(mariadbAdminUrl);
    const proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 3306) });
    const url = new URL(mariadbAdminUrl);
    url.host = `127.0.0.1:${proxy.port}`;
    const connection = await mysql.createConnection({ uri: url.toString() });
    connection.on('error', () => {});
    // A temporary table needs a current database: a fresh one, dropped below.
    const name = `twofold_test_${randomBytes(6).toString('hex')}`;
    try {
      await connection.query(`create database ${name}`);
      await connection.query(`create temporary table ${name}.t (id int primary key)`);
      await connection.query(`insert into ${name}.t values (1)`);
      const duplicate = await rejectionOf(connection.query(`insert into ${name}.t values (1)`));
      expect(duplicate).toMatchObject({ code: 'ER_DUP_ENTRY' });
      expect(isStoreUnavailable(duplicate)).toBe(false);
      const syntax = await rejectionOf(connection.query('selec 1'));
      expect(syntax).toMatchObject({ code: 'ER_PARSE_ERROR' });
      expect(isStoreUnavailable(syntax)).toBe(false);
      await proxy.cut();
      const lost = await rejectionOf(connection.query('select 1'));
      expect(lost).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' });
      expect(isStoreUnavailable(lost)).toBe(true);
    } finally {
      await proxy.close();
      connection.destroy();
      const admin = await mysql.createConnection({ uri: mariadbAdminUrl });
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    }
  });
});

describe.skipIf(skipMariadb)('isStoreUnavailable on a MariaDB datastore', () => {
  it('a statement of a transaction whose connection dropped under it ("closed state", no code)', async () => {
    const target = new URL(mariadbAdminUrl);
    const proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 3306) });
    const url = new URL(mariadbAdminUrl);
    url.host = `127.0.0.1:${proxy.port}`;
    url.pathname = '/mysql';
    const datastore = await openDatastore(url.toString());
    try {
      const error = await rejectionOf(
        datastore.db.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          await proxy.cut();
          await new Promise((resolve) => setTimeout(resolve, 50)); // mysql2 sees the end before the next statement
          await sql`select 1`.execute(trx);
        }),
      );
      expect(error).toMatchObject({ message: "Can't add new command when connection is in closed state" });
      expect(isStoreUnavailable(error)).toBe(true);
    } finally {
      await proxy.close();
      await datastore.close();
    }
  });
});

describe('isStoreUnavailable: ordinary errors', () => {
  it('not: a TypeError, a RangeError, a string, null, a SQLite constraint violation', () => {
    expect(isStoreUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isStoreUnavailable(new RangeError('int8 value 9007199254740993 is beyond range'))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
    expect(isStoreUnavailable(null)).toBe(false);
    const database = new Database(':memory:');
    database.exec('create table t (id integer primary key)');
    database.exec('insert into t values (1)');
    let error: unknown;
    try {
      database.exec('insert into t values (1)');
    } catch (caught) {
      error = caught;
    }
    database.close();
    expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(isStoreUnavailable(error)).toBe(false);
  });

  it('not: a failed mail or SMS whose cause is a refused connection (the mail server is down, not the database)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' });
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(isStoreUnavailable(new TwofoldError('MAIL_SEND_FAILED', 'Mail not sent', { cause: socket }))).toBe(false);
    expect(isStoreUnavailable(new TwofoldError('MAIL_SEND_FAILED', 'Mail not sent', { cause: refused }))).toBe(false);
    const fetchFailed = new TypeError('fetch failed', { cause: socket });
    expect(isStoreUnavailable(new TwofoldError('SMS_SEND_FAILED', 'SMS not sent', { cause: fetchFailed }))).toBe(false);
  });
});

describe('the default onError line', () => {
  let datastore: KyselyDatastore;
  beforeAll(async () => {
    datastore = await openDatastore('sqlite::memory:');
  });
  afterAll(() => datastore.close());

  function logged(error: unknown, kind: 'store-unavailable' | 'internal'): string {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      makeSecurity(datastore).security.reportError(error, kind);
      expect(spy).toHaveBeenCalledTimes(1);
      return spy.mock.calls.map((call) => call.map(String).join(' ')).join('\n');
    } finally {
      spy.mockRestore();
    }
  }

  it('names the kind, the error class and its code, and the stack frames, never the message', () => {
    const error = Object.assign(new Error('duplicate key: password=hunter2-fake-secret'), { code: '23505' });
    const line = logged(error, 'internal');
    expect(line).toMatch(/^twofold: request failed \(internal\): Error 23505\n\s+at /);
    expect(line).toContain('unavailable.test.ts');
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('duplicate key');
    expect(logged(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432 secret'), { code: 'ECONNREFUSED' }), 'store-unavailable')).not.toContain('secret');
  });

  it('a thrown non-Error is named by its type only', () => {
    expect(logged('token=hunter2-fake-secret', 'internal')).toBe('twofold: request failed (internal): string');
  });

  it('a message that itself holds lines looking like stack frames is not logged', () => {
    const line = logged(new Error('bad input "x\n    at hunter2-fake-secret"'), 'internal');
    expect(line).not.toContain('hunter2');
  });

  it('describeFailure gives kind and code only', () => {
    expect(describeFailure(Object.assign(new TypeError('secret'), { code: 'ERR_X' }))).toBe('TypeError ERR_X');
    expect(describeFailure(new RangeError('secret'))).toBe('RangeError');
    expect(describeFailure(42)).toBe('number');
  });
});
