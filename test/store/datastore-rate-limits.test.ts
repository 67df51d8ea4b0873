/** The Datastore contract for rate-limit counters (send limits, per-challenge caps), on every database. */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { RateLimitBucket } from '../../src/store/datastore.js';
import { describeEachDatabase } from '../support/databases.js';

const now = 1_767_225_600;
const bucket = (limit: number, windowInSeconds = 60): RateLimitBucket => ({ key: `test:${randomBytes(8).toString('hex')}`, limit, windowInSeconds });

describeEachDatabase('rate limits', (database) => {
  it('allows `limit` hits in a window that starts at the first hit, then refuses with the seconds left, then starts again', async () => {
    const counter = bucket(3, 60);
    for (let i = 0; i < 3; i++) expect(await database.datastore.hitRateLimits([counter], now + i)).toEqual({ allowed: true });
    expect(await database.datastore.hitRateLimits([counter], now + 10)).toEqual({ allowed: false, key: counter.key, retryAfterInSeconds: 50 });
    expect(await database.datastore.hitRateLimits([counter], now + 59)).toEqual({ allowed: false, key: counter.key, retryAfterInSeconds: 1 });
    expect(await database.datastore.hitRateLimits([counter], now + 60)).toEqual({ allowed: true });
  });

  it('is all or nothing: a full counter refuses the hit and the others are not counted', async () => {
    const roomy = bucket(2);
    const full = bucket(1);
    expect(await database.datastore.hitRateLimits([full], now)).toEqual({ allowed: true });
    for (let i = 0; i < 3; i++) expect((await database.datastore.hitRateLimits([roomy, full], now)).allowed).toBe(false);
    // None of the three refused hits used up `roomy`.
    expect(await database.datastore.hitRateLimits([roomy], now)).toEqual({ allowed: true });
    expect(await database.datastore.hitRateLimits([roomy], now)).toEqual({ allowed: true });
    expect((await database.datastore.hitRateLimits([roomy], now)).allowed).toBe(false);
  });

  it('names the counter that waits longest when several are full', async () => {
    const short = bucket(1, 10);
    const long = bucket(1, 100);
    await database.datastore.hitRateLimits([short, long], now);
    expect(await database.datastore.hitRateLimits([short, long], now + 5)).toEqual({ allowed: false, key: long.key, retryAfterInSeconds: 95 });
  });

  it('refuses malformed buckets with a TypeError and writes nothing', async () => {
    const good = bucket(1);
    for (const bad of [{ ...good, key: '' }, { ...good, key: 'k'.repeat(101) }, { ...good, limit: 0 }, { ...good, windowInSeconds: 1.5 }]) {
      await expect(database.datastore.hitRateLimits([bad], now)).rejects.toThrow(TypeError);
    }
    await expect(database.datastore.hitRateLimits([good, good], now)).rejects.toThrow(/given twice/);
    expect(await database.datastore.hitRateLimits([good], now)).toEqual({ allowed: true });
  });

  it('purges only counters whose window is over', async () => {
    const ended = bucket(5, 10);
    const live = bucket(5, 1000);
    await database.datastore.hitRateLimits([ended, live], now);
    expect(await database.datastore.deleteExpiredRateLimits(now + 10)).toBeGreaterThanOrEqual(1);
    const keys = (await database.datastore.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key);
    expect(keys).toContain(live.key);
    expect(keys).not.toContain(ended.key);
  });

  // Two datastores are two pools, as two processes would have. Not on SQLite: two connections in one process
  // block each other's event loop there (see datastore-concurrency.test.ts).
  for (const via of database.kind === 'sqlite' ? (['one datastore'] as const) : (['one datastore', 'two datastores'] as const)) {
    it(`counts exactly 5 of 50 concurrent hits on two shared counters with limit 5, through ${via}`, async () => {
      const other = via === 'one datastore' ? database.datastore : await database.openAnother();
      const shared = [bucket(5, 600), bucket(50, 600)];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? database.datastore : other).hitRateLimits(shared, now)),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(5);
      // The roomy counter was hit only by the 5 that were allowed.
      const rows = await database.datastore.db.selectFrom('rate_limits').select(['key', 'hits']).where('key', 'in', shared.map((b) => b.key)).execute();
      expect(Object.fromEntries(rows.map((row) => [row.key, row.hits]))).toEqual({ [shared[0]!.key]: 5, [shared[1]!.key]: 5 });
    });
  }
});
