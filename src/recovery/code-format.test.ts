/** Recovery code shape: enough entropy, readable alphabet, forgiving input. */
import { describe, expect, it } from 'vitest';
import { cryptoRandom, type Random } from '../crypto/random.js';
import { generateRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_BITS } from './code-format.js';

describe('recovery code format', () => {
  it('carries at least 64 bits (REC-01)', () => {
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(64);
  });

  it('is three groups of five Crockford characters, drawn from the injected CSPRNG', () => {
    let calls = 0;
    const spy: Random = { bytes: (n) => cryptoRandom.bytes(n), int: (max) => (calls++, cryptoRandom.int(max)) };
    const code = generateRecoveryCode(spy);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(calls).toBe(15);
  });

  it('does not repeat over many draws and uses the whole alphabet', () => {
    const codes = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateRecoveryCode(cryptoRandom);
      codes.add(code);
      for (const c of code.replace(/-/g, '')) seen.add(c);
    }
    expect(codes.size).toBe(2000);
    expect(seen.size).toBe(32);
  });

  it('normalises case, spaces, dashes and look-alike letters', () => {
    expect(normalizeRecoveryCode('7k2qd-m9xrb-04tzh')).toBe('7K2QDM9XRB04TZH');
    expect(normalizeRecoveryCode(' 7K2QD M9XRB 04TZH ')).toBe('7K2QDM9XRB04TZH');
    expect(normalizeRecoveryCode('7K2QDM9XRBO4TZH')).toBe('7K2QDM9XRB04TZH');
    expect(normalizeRecoveryCode('iLiLi-00000-00000')).toBe('111110000000000');
  });

  it('refuses what cannot be a code, without throwing', () => {
    for (const bad of ['', '7K2QD-M9XRB', '7K2QD-M9XRB-04TZH-0', 'UUUUU-UUUUU-UUUUU', '7K2QD_M9XRB_04TZH', 'x'.repeat(10_000), 123, null, undefined, ['7K2QD-M9XRB-04TZH'], { code: 'x' }]) {
      expect(normalizeRecoveryCode(bad)).toBeNull();
    }
  });
});
