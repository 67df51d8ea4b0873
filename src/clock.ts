/** The one place twofold reads the time; everything else takes a Clock so tests can fix it. */

/** A source of the current time. */
export interface Clock {
  /** Seconds since the Unix epoch, with the fraction kept. */
  nowInSeconds(): number;
}

/** The real clock. */
export const systemClock: Clock = {
  nowInSeconds: () => Date.now() / 1000,
};

/**
 * The clock's reading in whole seconds, rounded down: the unit of every stored time, expiry and rate-limit
 * window. The datastore refuses a fraction (`wholeNumber` in `store/kysely/rows.ts`), so a time taken with
 * `clock.nowInSeconds()` where this was meant fails loudly under a test clock set between two seconds.
 *
 * @example
 * ```ts
 * await datastore.consumeRecoveryCode(user.id, codeId, nowInWholeSeconds(clock));
 * ```
 */
export function nowInWholeSeconds(clock: Clock): number {
  return Math.floor(clock.nowInSeconds());
}

/** A clock that says what it is told; for tests and benchmarks. */
export function fixedClock(nowInSeconds: number): Clock & { set(seconds: number): void; advance(seconds: number): void } {
  let now = nowInSeconds;
  return {
    nowInSeconds: () => now,
    set: (seconds) => {
      now = seconds;
    },
    advance: (seconds) => {
      now += seconds;
    },
  };
}
