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
