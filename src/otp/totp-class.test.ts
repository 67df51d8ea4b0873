// The Totp class: the seed's API over the TOTP functions, its secret handling (checklist ENR-01) and option checks.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../clock.js';
import { cryptoRandom, type Random } from '../crypto/random.js';
import { decodeBase32, encodeBase32NoPadding } from './base32.js';
import type { OtpAlgorithm } from './hotp.js';
import { Totp, type TotpOptions } from './totp-class.js';

interface Rfc6238Vectors {
  seeds: Record<OtpAlgorithm, { base32: string }>;
  vectors: Array<{ unixTimeInSeconds: number } & Record<OtpAlgorithm, string>>;
}
const rfc6238 = JSON.parse(readFileSync(new URL('../../test/vectors/rfc6238.json', import.meta.url), 'utf8')) as Rfc6238Vectors;
const SHA1_SECRET = rfc6238.seeds.SHA1.base32;

describe('Totp on the RFC 6238 vectors', () => {
  for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
    it(`${algorithm}: generatePassword(timestamp) and verify(code, 0, timestamp)`, () => {
      const totp = new Totp(rfc6238.seeds[algorithm].base32, { algorithm, digits: 8 });
      for (const vector of rfc6238.vectors) {
        expect(totp.generatePassword(vector.unixTimeInSeconds)).toBe(vector[algorithm]);
        expect(totp.verify(vector[algorithm], 0, vector.unixTimeInSeconds)).toBe(true);
        expect(totp.match(vector[algorithm], 0, vector.unixTimeInSeconds)).toBe(Math.floor(vector.unixTimeInSeconds / 30));
      }
    });
  }
});

describe('Totp uses the injected clock', () => {
  it('generates and verifies for the clock’s time when no timestamp is given', () => {
    const clock = fixedClock(59);
    const totp = new Totp(SHA1_SECRET, { clock });
    expect(totp.generatePassword()).toBe('287082');
    expect(totp.verify('287082')).toBe(true);
    clock.advance(30);
    expect(totp.verify('287082')).toBe(false);
    expect(totp.verify('287082', 1)).toBe(true);
    expect(totp.match('287082', 1)).toBe(1);
    clock.advance(30);
    expect(totp.verify('287082', 1)).toBe(false);
  });

  it('prefers an explicit timestamp (seconds) over the clock', () => {
    const totp = new Totp(SHA1_SECRET, { clock: fixedClock(1_000_000_000) });
    expect(totp.generatePassword(59)).toBe('287082');
    expect(totp.verify('287082', 0, 59)).toBe(true);
  });
});

describe('Totp window and replay protection', () => {
  const timestamp = 1_111_111_109;
  const step = Math.floor(timestamp / 30);
  const totp = new Totp(SHA1_SECRET, { clock: fixedClock(timestamp) });
  const codeAt = (offset: number): string => totp.generatePassword((step + offset) * 30);

  it('window 1 accepts T-1, T, T+1 and refuses T±2', () => {
    expect([-2, -1, 0, 1, 2].map((offset) => totp.verify(codeAt(offset), 1))).toEqual([false, true, true, true, false]);
    expect([-2, -1, 0, 1, 2].map((offset) => totp.match(codeAt(offset), 1, timestamp))).toEqual([null, step - 1, step, step + 1, null]);
  });

  it('matchAfter refuses every step ≤ lastUsedStep and accepts later ones', () => {
    expect(totp.matchAfter(codeAt(0), { window: 1, lastUsedStep: null })).toBe(step);
    expect(totp.matchAfter(codeAt(0), { window: 1, lastUsedStep: step })).toBeNull();
    expect(totp.matchAfter(codeAt(-1), { window: 1, lastUsedStep: step })).toBeNull();
    expect(totp.matchAfter(codeAt(1), { window: 1, lastUsedStep: step })).toBe(step + 1);
    expect(totp.matchAfter(codeAt(0), { window: 1, timestamp: timestamp + 30, lastUsedStep: step - 1 })).toBe(step);
  });

  it('matchAfter and verify reject caller mistakes with a TypeError', () => {
    expect(() => totp.matchAfter(codeAt(0), { lastUsedStep: 1.5 })).toThrow(TypeError);
    expect(() => totp.matchAfter(codeAt(0), { lastUsedStep: undefined as unknown as null })).toThrow(TypeError);
    expect(() => totp.verify(codeAt(0), -1)).toThrow(TypeError);
    expect(() => totp.verify(codeAt(0), 0, Number.NaN)).toThrow(TypeError);
  });

  it.each<unknown>([123456, undefined, null, ['123456'], { $ne: 1 }, '１２３４５６', '12345a', '9'.repeat(10_240), ''])(
    'returns false / null for the token %s',
    (token) => {
      expect(totp.verify(token, 1)).toBe(false);
      expect(totp.match(token, 1)).toBeNull();
      expect(totp.matchAfter(token, { window: 1, lastUsedStep: null })).toBeNull();
    },
  );
});

describe('Totp secrets', () => {
  it('normalises what it is given to upper-case Base32 without padding', () => {
    const totp = new Totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq');
    expect(totp.secrets).toBe(SHA1_SECRET);
    expect(new Totp(`${SHA1_SECRET}======`).secrets).toBe(SHA1_SECRET);
  });

  it('can be replaced, and the new key is used', () => {
    const totp = new Totp(undefined, { clock: fixedClock(59) });
    totp.secrets = SHA1_SECRET;
    expect(totp.secrets).toBe(SHA1_SECRET);
    expect(totp.generatePassword()).toBe('287082');
  });

  it('refuses a secret shorter than 16 bytes with a TypeError naming the minimum', () => {
    expect(() => new Totp('JBSWY3DPEHPK3PXP')).toThrow(/at least 16 bytes/);
    const totp = new Totp(SHA1_SECRET);
    expect(() => {
      totp.secrets = encodeBase32NoPadding(new Uint8Array(15));
    }).toThrow(TypeError);
    expect(totp.secrets).toBe(SHA1_SECRET);
    expect(() => new Totp('')).toThrow(TypeError);
  });

  it('refuses a secret that is not Base32 with a TypeError', () => {
    expect(() => new Totp(`${SHA1_SECRET}1`)).toThrow(/Base32/);
    expect(() => new Totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!')).toThrow(TypeError);
    expect(() => new Totp(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('new secrets (checklist ENR-01)', () => {
  it('1000 generated secrets decode to ≥ 20 bytes, are unique and use only the Base32 alphabet', () => {
    const secrets = new Set<string>();
    for (let index = 0; index < 1000; index++) {
      const secret = new Totp().secrets;
      expect(secret).toMatch(/^[A-Z2-7]+$/);
      expect(decodeBase32(secret).length).toBeGreaterThanOrEqual(20);
      secrets.add(secret);
    }
    expect(secrets.size).toBe(1000);
  });

  it.each([
    ['SHA1', 20],
    ['SHA256', 32],
    ['SHA512', 64],
  ] as const)('draws %s secrets (%i bytes) from the injected Random', (algorithm, byteCount) => {
    const bytes = vi.fn((count: number) => Buffer.alloc(count, 0xab));
    const random: Random = { bytes, int: () => 0 };
    const totp = new Totp(undefined, { algorithm, random });
    expect(bytes).toHaveBeenCalledTimes(1);
    expect(bytes).toHaveBeenCalledWith(byteCount);
    expect(totp.secrets).toBe(encodeBase32NoPadding(Buffer.alloc(byteCount, 0xab)));
  });

  it('uses node:crypto by default', () => {
    const spy = vi.spyOn(cryptoRandom, 'bytes');
    new Totp();
    expect(spy).toHaveBeenCalledWith(20);
    spy.mockRestore();
  });

  it('does not draw randomness when a secret is given', () => {
    const bytes = vi.fn((count: number) => Buffer.alloc(count));
    new Totp(SHA1_SECRET, { random: { bytes, int: () => 0 } });
    expect(bytes).not.toHaveBeenCalled();
  });
});

describe('Totp options (checklist TOTP-12)', () => {
  it('defaults to SHA1, 6 digits, 30 seconds', () => {
    const totp = new Totp();
    expect([totp.algorithm, totp.digits, totp.period]).toEqual(['SHA1', 6, 30]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['digits 4', { digits: 4 }],
    ['digits 7', { digits: 7 }],
    ['digits "6"', { digits: '6' }],
    ['period 300', { period: 300 }],
    ['period 121', { period: 121 }],
    ['period 9', { period: 9 }],
    ['period 0', { period: 0 }],
    ['period 30.5', { period: 30.5 }],
    ['algorithm MD5', { algorithm: 'MD5' }],
    ['algorithm sha1', { algorithm: 'sha1' }],
  ])('%s throws a TypeError', (_label, options) => {
    expect(() => new Totp(SHA1_SECRET, options as TotpOptions)).toThrow(TypeError);
  });

  it.each([10, 30, 60, 120])('accepts a period of %i seconds', (period) => {
    expect(new Totp(SHA1_SECRET, { period }).period).toBe(period);
  });
});
