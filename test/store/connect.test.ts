/** openDatastore: which URLs it takes, what it refuses (without leaking a password), and how it sets up each driver. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TwofoldError } from '../../src/errors.js';
import { openDatastore } from '../../src/store/kysely/index.js';
import { describeEachDatabase, newTestUser } from '../support/databases.js';

/** The error `openDatastore(url)` rejects with. */
async function refusal(url: string): Promise<TwofoldError> {
  const error: unknown = await openDatastore(url).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TwofoldError);
  return error as TwofoldError;
}

describe('openDatastore refuses', () => {
  it.each([
    ['an unknown scheme', 'redis://admin:s3cret-pw@db.example:6379/0'],
    ['a URL without a scheme', 'admin:s3cret-pw@db.example/twofold'],
    ['a bare path', './data/twofold.db'],
    ['sqlite: without a path', 'sqlite:'],
    ['sqlite:// (ambiguous: would mean the root folder)', 'sqlite://s3cret-pw.db'],
    ['a PostgreSQL URL that does not parse', 'postgres://admin:s3cret-pw@[not-a-host/twofold'],
    ['a MySQL URL that does not parse', 'mysql://admin:s3cret-pw@db.example:99999/twofold'],
  ])('%s with DATABASE_URL_INVALID, naming the accepted forms and not the password', async (_, url) => {
    const error = await refusal(url);
    expect(error.code).toBe('DATABASE_URL_INVALID');
    expect(error.message).toContain('sqlite:<path>');
    expect(error.message).toContain('postgres://');
    expect(error.message).toContain('mysql://');
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.message).not.toContain('admin');
    expect(error.cause).toBeUndefined();
  });
});

describe('openDatastore on SQLite', () => {
  const folder = mkdtempSync(join(tmpdir(), 'twofold-connect-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('creates the parent folder and sets WAL, busy_timeout and foreign keys', async () => {
    const path = join(folder, 'nested', 'deeper', 'twofold.db');
    const datastore = await openDatastore(`sqlite:${path}`);
    try {
      expect(datastore.kind).toBe('sqlite');
      expect(existsSync(path)).toBe(true);
      const pragma = async (name: string): Promise<unknown> => Object.values((await sql.raw(`pragma ${name}`).execute(datastore.db)).rows[0] ?? {})[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
    } finally {
      await datastore.close();
    }
  });

  it('opens a private database for sqlite::memory:', async () => {
    const first = await openDatastore('sqlite::memory:');
    const second = await openDatastore('sqlite::memory:');
    try {
      await first.migrate();
      await second.migrate();
      await first.createUser(newTestUser({ email: 'only-in-first@example.test' }));
      expect(await second.findUserByEmail('only-in-first@example.test')).toBeNull();
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describeEachDatabase(
  'openDatastore on PostgreSQL',
  (database) => {
    it('accepts postgresql:// as well', async () => {
      const datastore = await openDatastore(database.url.replace(/^postgres:/, 'postgresql:'));
      try {
        expect(datastore.kind).toBe('postgres');
        expect((await sql<{ one: unknown }>`select 1::int8 as one`.execute(datastore.db)).rows).toEqual([{ one: 1 }]);
      } finally {
        await datastore.close();
      }
    });

    it('parses int8 as numbers in its own pool only, leaving pg’s global parser alone', async () => {
      await sql`select 1`.execute(database.datastore.db);
      expect(pg.types.getTypeParser(pg.types.builtins.INT8)('5')).toBe('5');
    });
  },
  { kinds: ['postgres'] },
);

describeEachDatabase(
  'openDatastore on MariaDB',
  (database) => {
    it('accepts mariadb:// as well', async () => {
      const datastore = await openDatastore(database.url.replace(/^mysql:/, 'mariadb:'));
      try {
        expect(datastore.kind).toBe('mysql');
        expect((await sql<{ one: unknown }>`select cast(1 as signed) as one`.execute(datastore.db)).rows).toEqual([{ one: 1 }]);
      } finally {
        await datastore.close();
      }
    });
  },
  { kinds: ['mariadb'] },
);
