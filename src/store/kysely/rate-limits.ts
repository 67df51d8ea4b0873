/** Rate-limit counters in `rate_limits`: all-or-nothing hits on several counters at once, under row locks. */
import type { Kysely, Transaction } from 'kysely';
import type { RateLimitBucket, RateLimitResult } from '../datastore.js';
import { inWriteTransaction, type DialectKind } from './dialect.js';
import type { TwofoldDb } from './tables.js';

/** `rate_limits.key` is `varchar(100)`. */
const KEY_MAX_LENGTH = 100;

/** Counts one hit on every bucket, or on none when one is full (see `Datastore.hitRateLimits`). */
export function hitRateLimits(db: Kysely<TwofoldDb>, kind: DialectKind, buckets: readonly RateLimitBucket[], nowInSeconds: number): Promise<RateLimitResult> {
  if (buckets.length === 0) return Promise.resolve({ allowed: true });
  return inWriteTransaction(db, kind, (trx) => hitRateLimitsIn(trx, kind, buckets, nowInSeconds));
}

/**
 * The same inside a transaction the caller holds (the second-factor claim counts its challenge here). The
 * rows are made first if missing, then locked in key order, so two requests on the same keys queue instead
 * of both reading "empty", and requests on overlapping keys cannot deadlock.
 */
export async function hitRateLimitsIn(
  trx: Transaction<TwofoldDb>,
  kind: DialectKind,
  buckets: readonly RateLimitBucket[],
  nowInSeconds: number,
): Promise<RateLimitResult> {
  const sorted = checkedBuckets(buckets);
  const keys = sorted.map((bucket) => bucket.key);
  const empty = keys.map((key) => ({ key, hits: 0, expires_at: 0 }));
  // MySQL/InnoDB: INSERT IGNORE would take a shared lock on an existing row, and two requests holding it
  // would deadlock on the FOR UPDATE below; a no-op ON DUPLICATE KEY UPDATE takes the exclusive lock at once.
  if (kind === 'mysql') await trx.insertInto('rate_limits').values(empty).onDuplicateKeyUpdate({ hits: (eb) => eb.ref('hits') }).execute();
  else await trx.insertInto('rate_limits').values(empty).onConflict((conflict) => conflict.column('key').doNothing()).execute();
  let query = trx.selectFrom('rate_limits').select(['key', 'hits', 'expires_at']).where('key', 'in', keys).orderBy('key');
  // SQLite holds its one write lock already (BEGIN IMMEDIATE, or the INSERT above).
  if (kind !== 'sqlite') query = query.forUpdate();
  const rows = new Map((await query.execute()).map((row) => [row.key, row]));
  // A row whose window ended counts as empty; the hit below starts a new window.
  const counters = sorted.map((bucket) => {
    const row = rows.get(bucket.key);
    return { bucket, live: row !== undefined && row.expires_at > nowInSeconds ? row : null };
  });

  let refusal: { key: string; retryAfterInSeconds: number } | null = null;
  for (const { bucket, live } of counters) {
    if (live === null || live.hits < bucket.limit) continue;
    const retryAfterInSeconds = live.expires_at - nowInSeconds;
    if (refusal === null || retryAfterInSeconds > refusal.retryAfterInSeconds) refusal = { key: bucket.key, retryAfterInSeconds };
  }
  if (refusal !== null) return { allowed: false, ...refusal };
  for (const { bucket, live } of counters) {
    const set = live !== null ? { hits: live.hits + 1 } : { hits: 1, expires_at: nowInSeconds + bucket.windowInSeconds };
    await trx.updateTable('rate_limits').set(set).where('key', '=', bucket.key).execute();
  }
  return { allowed: true };
}

/** Deletes counters whose window ended before `nowInSeconds`; returns how many went. */
export async function deleteExpiredRateLimits(db: Kysely<TwofoldDb>, nowInSeconds: number): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('expires_at', '<=', nowInSeconds).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** @throws TypeError naming the field of a malformed bucket; the buckets sorted by key, each key once. */
function checkedBuckets(buckets: readonly RateLimitBucket[]): RateLimitBucket[] {
  const byKey = new Map<string, RateLimitBucket>();
  for (const bucket of buckets) {
    if (typeof bucket.key !== 'string' || bucket.key.length === 0 || bucket.key.length > KEY_MAX_LENGTH) {
      throw new TypeError(`A rate-limit key must be 1 to ${KEY_MAX_LENGTH} characters`);
    }
    for (const name of ['limit', 'windowInSeconds'] as const) {
      if (!Number.isSafeInteger(bucket[name]) || bucket[name] < 1) throw new TypeError(`Rate limit '${bucket.key}': '${name}' must be a positive whole number, got ${String(bucket[name])}`);
    }
    if (byKey.has(bucket.key)) throw new TypeError(`Rate limit '${bucket.key}' is given twice`);
    byKey.set(bucket.key, bucket);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
