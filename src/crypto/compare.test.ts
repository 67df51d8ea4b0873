// Constant-time comparison helpers: correct answers for every length and type, no exceptions.
import { describe, expect, it } from 'vitest';
import { constantTimeEqualInt31, timingSafeEqualStrings } from './compare.js';

describe('timingSafeEqualStrings', () => {
  it('is true only for identical strings', () => {
    expect(timingSafeEqualStrings('abc', 'abc')).toBe(true);
    expect(timingSafeEqualStrings('', '')).toBe(true);
    expect(timingSafeEqualStrings('日本', '日本')).toBe(true);
    expect(timingSafeEqualStrings('abc', 'abd')).toBe(false);
    expect(timingSafeEqualStrings('abc', 'ABC')).toBe(false);
  });

  it('returns false instead of throwing on different lengths', () => {
    expect(timingSafeEqualStrings('abc', 'abcd')).toBe(false);
    expect(timingSafeEqualStrings('', 'a')).toBe(false);
    expect(timingSafeEqualStrings('a'.repeat(10_000), 'a')).toBe(false);
  });

  it('returns false for non-strings passed at runtime', () => {
    expect(timingSafeEqualStrings(1 as unknown as string, '1')).toBe(false);
    expect(timingSafeEqualStrings(undefined as unknown as string, undefined as unknown as string)).toBe(false);
    expect(timingSafeEqualStrings(['a'] as unknown as string, 'a')).toBe(false);
  });
});

describe('constantTimeEqualInt31', () => {
  it('is 1 for equal and 0 for different values across the 31-bit range', () => {
    const samples = [0, 1, 2, 9, 10, 999_999, 1_000_000, 99_999_999, 2 ** 30, 2 ** 31 - 1];
    for (const a of samples) {
      for (const b of samples) expect(constantTimeEqualInt31(a, b)).toBe(a === b ? 1 : 0);
    }
  });

  it('agrees with === on random pairs, including pairs a single bit apart', () => {
    for (let round = 0; round < 10_000; round++) {
      const a = Math.floor(Math.random() * 2 ** 31);
      const b = round % 2 === 0 ? a ^ (1 << round % 31) : Math.floor(Math.random() * 2 ** 31);
      expect(constantTimeEqualInt31(a, b)).toBe(a === b ? 1 : 0);
    }
  });
});
