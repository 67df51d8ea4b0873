/** Constant-time comparisons, so that how long a check takes says nothing about a secret (checklist TOTP-09). */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings (hashes, tokens) in time that depends on neither their content nor their lengths.
 *
 * Both sides are hashed with SHA-256 first: `timingSafeEqual` needs equal lengths, and comparing digests
 * keeps a length mismatch from showing up as an early return.
 *
 * @param a - one string; a non-string at runtime never matches.
 * @param b - the other string.
 * @returns `true` when the two strings are identical.
 * @example
 * ```ts
 * timingSafeEqualStrings(storedHash, computedHash);
 * ```
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}

/**
 * Compares two non-negative integers below 2^31 (OTP values) without a data-dependent branch.
 *
 * An OTP of at most 8 digits fits in 31 bits, so codes are compared as numbers: no strings are built
 * on the verification hot path, and the result can feed a branch-free select (see `matchTotpStep`).
 *
 * @param a - an integer in [0, 2^31).
 * @param b - an integer in [0, 2^31).
 * @returns `1` when equal, `0` otherwise.
 * @example
 * ```ts
 * const mask = -constantTimeEqualInt31(expected, given); // -1 (all bits set) on a match, else 0
 * ```
 */
export function constantTimeEqualInt31(a: number, b: number): 0 | 1 {
  const difference = (a ^ b) | 0;
  // For 0 ≤ d < 2^31, (d | -d) has its sign bit set exactly when d ≠ 0.
  return (((difference | -difference) >>> 31) ^ 1) as 0 | 1;
}
