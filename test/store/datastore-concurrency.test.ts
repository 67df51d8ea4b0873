/**
 * Threat: a code (or a login state held in a session) replayed by many requests at once — one attacker, or one
 * app running as several processes — must still be single-use. Each single-use check is one guarded UPDATE or
 * DELETE, so on every database exactly the allowed number of racers may win, whether they share a pool or
 * come through separate datastores.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Datastore } from '../../src/store/datastore.js';
import { describeEachDatabase, newTestUser } from '../support/databases.js';

const now = 1_767_225_600;
const racers = 50;

/** Starts `count` calls at once and returns their answers. */
function race<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
}

function countTrue(answers: readonly boolean[]): number {
  return answers.filter(Boolean).length;
}

async function aUser(datastore: Datastore): Promise<string> {
  const user = newTestUser();
  await datastore.createUser(user);
  return user.id;
}

describeEachDatabase('races', (database) => {
  if (database.kind !== 'sqlite') {
    it('runs queries on several connections at once, so the races below are real', async () => {
      // Ten sleeping queries at once: a pool that serialised them would show one connection id.
      const query =
        database.kind === 'postgres'
          ? sql<{ connection: unknown }>`select pg_backend_pid() as connection, pg_sleep(0.2)`
          : sql<{ connection: unknown }>`select connection_id() as connection, sleep(0.2)`;
      const startedAt = Date.now();
      const answers = await race(10, () => query.execute(database.datastore.db));
      const connections = new Set(answers.map((answer) => answer.rows[0]?.connection));
      expect(connections.size).toBeGreaterThanOrEqual(5);
      expect(Date.now() - startedAt).toBeLessThan(1_500);
    });
  }

  for (const via of ['one datastore', 'two datastores'] as const) {
    describe(`through ${via}`, () => {
      // Two datastores are two pools, as two processes would have; racers alternate between them.
      let datastores: readonly [Datastore, Datastore];
      beforeAll(async () => {
        datastores = via === 'one datastore' ? [database.datastore, database.datastore] : [database.datastore, await database.openAnother()];
      });
      const through = (index: number): Datastore => datastores[index % 2]!;

      it(`lets exactly one of ${racers} consume the same recovery code`, async () => {
        const userId = await aUser(database.datastore);
        await database.datastore.replaceRecoveryCodes(userId, [{ id: `${userId}-r`, codeHash: 'h' }], now);

        const answers = await race(racers, (i) => through(i).consumeRecoveryCode(userId, `${userId}-r`, now + i));
        expect(countTrue(answers)).toBe(1);
        expect(await database.datastore.countUnusedRecoveryCodes(userId)).toBe(0);
      });

      it(`lets exactly one of ${racers} use the same TOTP step`, async () => {
        const userId = await aUser(database.datastore);
        await database.datastore.advanceTotpStep(userId, 1_000, null);

        const answers = await race(racers, (i) => through(i).advanceTotpStep(userId, 1_001, null));
        expect(countTrue(answers)).toBe(1);
        expect((await database.datastore.findUserById(userId))?.tfTotpLastStep).toBe(1_001);
      });

      it(`counts exactly 5 of ${racers} attempts against a code allowing 5`, async () => {
        const userId = await aUser(database.datastore);
        await database.datastore.putOneTimeCode({ id: `${userId}-o`, userId, purpose: 'login', codeHash: 'h', expiresAtInSeconds: now + 300, createdAtInSeconds: now });

        const answers = await race(racers, (i) => through(i).countOneTimeCodeAttempt(`${userId}-o`, 5, now));
        expect(countTrue(answers)).toBe(5);
        expect((await database.datastore.findOneTimeCode(userId, 'login'))?.attempts).toBe(5);
      });

      it(`lets exactly one of ${racers} consume the same one-time code`, async () => {
        const userId = await aUser(database.datastore);
        await database.datastore.putOneTimeCode({ id: `${userId}-o`, userId, purpose: 'login', codeHash: 'h', expiresAtInSeconds: now + 300, createdAtInSeconds: now });

        const answers = await race(racers, (i) => through(i).consumeOneTimeCode(`${userId}-o`, now));
        expect(countTrue(answers)).toBe(1);
      });

      it(`lets exactly one of ${racers} delete the same session (a login state is used up once)`, async () => {
        const idHash = `race-${Math.random().toString(36).slice(2)}`;
        await database.datastore.createSession({ idHash, kind: 'browser', userId: null, fsUniquifier: null, data: '{}', authenticatedAtInSeconds: null, createdAtInSeconds: now, lastSeenAtInSeconds: now, expiresAtInSeconds: now + 300 });

        const answers = await race(racers, (i) => through(i).deleteSession(idHash));
        expect(countTrue(answers)).toBe(1);
        expect(await database.datastore.findSession(idHash, now)).toBeNull();
      });

      // Two SQLite connections in ONE process cannot interleave transactions: better-sqlite3 waits for the
      // write lock synchronously, blocking the very event loop that would release it. Separate processes
      // (the real case) are covered by the migration test below.
      if (!(via === 'two datastores' && database.kind === 'sqlite')) {
        it('keeps one live code when 20 codes are put for one user and purpose at once', async () => {
          const userId = await aUser(database.datastore);

          await race(20, (i) =>
            through(i).putOneTimeCode({ id: `${userId}-${i}`, userId, purpose: 'login', codeHash: `h${i}`, expiresAtInSeconds: now + 300, createdAtInSeconds: now }),
          );
          const rows = await database.datastore.db.selectFrom('one_time_codes').select('id').where('user_id', '=', userId).execute();
          expect(rows).toHaveLength(1);
        });

        it('keeps one whole set when 10 sets of recovery codes replace each other at once', async () => {
          const userId = await aUser(database.datastore);

          await race(10, (i) =>
            through(i).replaceRecoveryCodes(userId, [0, 1, 2].map((j) => ({ id: `${userId}-${i}-${j}`, codeHash: `set${i}` })), now),
          );
          const codes = await database.datastore.listUnusedRecoveryCodes(userId);
          expect(codes).toHaveLength(3);
          expect(new Set(codes.map((code) => code.codeHash)).size).toBe(1);
        });

        it('puts codes for 30 different users at once without a deadlock', async () => {
          const userIds = await Promise.all(Array.from({ length: 30 }, () => aUser(database.datastore)));

          await race(30, (i) =>
            through(i).putOneTimeCode({ id: `${userIds[i]}-o`, userId: userIds[i]!, purpose: 'login', codeHash: 'h', expiresAtInSeconds: now + 300, createdAtInSeconds: now }),
          );
          const rows = await database.datastore.db.selectFrom('one_time_codes').select('id').where('user_id', 'in', userIds).execute();
          expect(rows).toHaveLength(30);
        });
      }
    });
  }
});

describeEachDatabase(
  'migrate from four processes at once',
  (database) => {
    it('succeeds in each, and the schema is made once', async () => {
      const processes = await Promise.all([1, 2, 3, 4].map(() => startMigrationProcess(database.url)));
      // All four have loaded and connected; release them together so their migrations overlap.
      const outcomes = await Promise.all(processes.map((go) => go()));

      expect(outcomes).toEqual(['migrated', 'migrated', 'migrated', 'migrated']);
      const { rows } = await sql<{ name: string }>`select name from twofold_migration order by name`.execute(database.datastore.db);
      expect(rows).toEqual([{ name: '2026_11_28_create_tf_tables' }, { name: '2026_11_29_create_session_tables' }, { name: '2026_11_30_add_second_factor_failures' }, { name: '2026_12_01_create_rate_limits' }, { name: '2026_12_02_add_factor_times' }]);
      expect(await database.datastore.createUser(newTestUser())).not.toBeNull();
    });
  },
  { migrate: false },
);

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const datastoreModule = new URL('../../src/store/kysely/index.ts', import.meta.url).href;

/** The child: opens a datastore, says `ready`, and migrates when a line arrives on stdin. */
const childScript = `
  const [modulePath, url] = process.argv.slice(1);
  const { openDatastore } = await import(modulePath);
  const datastore = await openDatastore(url);
  process.stdout.write('ready\\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.destroy();
  try { await datastore.migrate(); process.stdout.write('migrated\\n'); } finally { await datastore.close(); }
`;

/**
 * Starts a Node process that will run `openDatastore(url).migrate()`; resolves once it is ready, with a
 * function that lets it go and resolves to its last line of output (`migrated`, or the error it printed).
 */
function startMigrationProcess(url: string): Promise<() => Promise<string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript, datastoreModule, url], { cwd: repositoryRoot, timeout: 30_000 });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.once('close', () => resolve(output.trim().split('\n').at(-1) ?? '')));
  return new Promise((resolve, reject) => {
    const ready = (): void => {
      if (!output.includes('ready')) return;
      child.stdout.off('data', ready);
      resolve(() => {
        child.stdin.write('go\n');
        return exited;
      });
    };
    child.stdout.on('data', ready);
    void exited.then((last) => reject(new Error(`the migration process ended before it was ready: ${last}`)));
  });
}
