/**
 * Tests that need something outside npm (a database server, oathtool, Chromium) ask here whether it must be
 * there. Locally a missing tool skips its tests with a printed reason; `.ci/run` sets TWOFOLD_REQUIRE_ALL=1
 * (or a single TWOFOLD_REQUIRE_<WHAT>=1), which turns the skip into a failure.
 */

/** The external things a test may need. */
export type External = 'DATABASES' | 'OATHTOOL' | 'CHROMIUM';

/** True when the environment says this external thing must be present. */
export function isRequired(what: External): boolean {
  return process.env.TWOFOLD_REQUIRE_ALL === '1' || process.env[`TWOFOLD_REQUIRE_${what}`] === '1';
}

/**
 * Decides whether to skip: returns `true` (skip) after printing why, when the thing is missing and not
 * required; throws when it is missing and required; returns `false` when it is there.
 */
export function skipUnlessAvailable(what: External, available: boolean, reason: string): boolean {
  if (available) return false;
  if (isRequired(what)) {
    throw new Error(`${what} is required here (TWOFOLD_REQUIRE_ALL or TWOFOLD_REQUIRE_${what} is set) but ${reason}`);
  }
  console.warn(`[twofold tests] SKIPPED (${what}): ${reason}. Set TWOFOLD_REQUIRE_${what}=1 to make this a failure.`);
  return true;
}
