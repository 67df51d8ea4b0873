// TOTP functions (RFC 6238): the Appendix B vectors, the accept window at a fixed time, replay refusal, bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OtpAlgorithm, OtpDigits } from './hotp.js';
import { generateTotp, matchTotpStep, totpStepAt, verifyTotp } from './totp.js';

interface Rfc6238Vectors {
  periodInSeconds: number;
  digits: 8;
  seeds: Record<OtpAlgorithm, { ascii: string; base32: string }>;
  vectors: Array<{ unixTimeInSeconds: number; stepHex: string } & Record<OtpAlgorithm, string>>;
}
const rfc6238 = JSON.parse(readFileSync(new URL('../../test/vectors/rfc6238.json', import.meta.url), 'utf8')) as Rfc6238Vectors;
const ALGORITHMS: OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const cases = rfc6238.vectors.flatMap((vector) =>
  ALGORITHMS.map((algorithm) => ({ algorithm, nowInSeconds: vector.unixTimeInSeconds, stepHex: vector.stepHex, code: vector[algorithm] })),
);
const keyFor = (algorithm: OtpAlgorithm): Buffer => Buffer.from(rfc6238.seeds[algorithm].ascii, 'ascii');

describe('RFC 6238 Appendix B (checklist TOTP-01, TOTP-03)', () => {
  it('has all 18 vectors', () => expect(cases).toHaveLength(18));

  it.each(cases)('$algorithm at t=$nowInSeconds gives $code', ({ algorithm, nowInSeconds, stepHex, code }) => {
    expect(totpStepAt(nowInSeconds, 30)).toBe(Number.parseInt(stepHex, 16));
    expect(generateTotp(keyFor(algorithm), { algorithm, digits: 8, nowInSeconds })).toBe(code);
    // A 6-digit code is the last six digits of the 8-digit one.
    expect(generateTotp(keyFor(algorithm), { algorithm, digits: 6, nowInSeconds })).toBe(code.slice(2));
    expect(matchTotpStep(keyFor(algorithm), code, { algorithm, digits: 8, nowInSeconds })).toBe(Number.parseInt(stepHex, 16));
  });

  it('has 20-, 32- and 64-byte seeds', () => {
    expect(ALGORITHMS.map((algorithm) => keyFor(algorithm).length)).toEqual([20, 32, 64]);
  });
});

describe('the accept window at a fixed time (checklist TOTP-06)', () => {
  const key = keyFor('SHA1');
  const nowInSeconds = 1_111_111_109;
  const step = totpStepAt(nowInSeconds, 30);
  const codeAt = (offset: number): string => generateTotp(key, { nowInSeconds: (step + offset) * 30 });

  it('accepts T-1, T and T+1 with window 1 and returns the matched step', () => {
    for (const offset of [-1, 0, 1]) {
      expect(matchTotpStep(key, codeAt(offset), { window: 1, nowInSeconds })).toBe(step + offset);
      expect(verifyTotp(key, codeAt(offset), { window: 1, nowInSeconds })).toBe(true);
    }
  });

  it('refuses T-2 and T+2 with window 1', () => {
    for (const offset of [-2, 2]) {
      expect(matchTotpStep(key, codeAt(offset), { window: 1, nowInSeconds })).toBeNull();
      expect(verifyTotp(key, codeAt(offset), { window: 1, nowInSeconds })).toBe(false);
    }
  });

  it('accepts only T with window 0 (the default)', () => {
    expect(matchTotpStep(key, codeAt(0), { nowInSeconds })).toBe(step);
    expect(matchTotpStep(key, codeAt(-1), { nowInSeconds })).toBeNull();
    expect(matchTotpStep(key, codeAt(1), { nowInSeconds })).toBeNull();
  });

  it('moves to the next step exactly at a period boundary, fractions of a second kept', () => {
    const start = step * 30;
    expect(matchTotpStep(key, codeAt(0), { nowInSeconds: start })).toBe(step);
    expect(matchTotpStep(key, codeAt(0), { nowInSeconds: start + 29.999 })).toBe(step);
    expect(matchTotpStep(key, codeAt(0), { nowInSeconds: start + 30 })).toBeNull();
    expect(matchTotpStep(key, codeAt(0), { nowInSeconds: start - 0.001 })).toBeNull();
  });

  it('honours a different period', () => {
    const code = generateTotp(key, { periodInSeconds: 60, nowInSeconds });
    expect(matchTotpStep(key, code, { periodInSeconds: 60, nowInSeconds })).toBe(totpStepAt(nowInSeconds, 60));
    expect(matchTotpStep(key, code, { periodInSeconds: 60, nowInSeconds: nowInSeconds + 60 })).toBeNull();
  });

  it('does not go below step 0', () => {
    const early = generateTotp(key, { nowInSeconds: 0 });
    expect(matchTotpStep(key, early, { window: 2, nowInSeconds: 10 })).toBe(0);
  });
});

describe('afterStep: replay protection (checklist TOTP-04)', () => {
  const key = keyFor('SHA1');
  const nowInSeconds = 1_234_567_890;
  const step = totpStepAt(nowInSeconds, 30);
  const codeAt = (offset: number): string => generateTotp(key, { nowInSeconds: (step + offset) * 30 });

  it('refuses the step just used, and every step before it', () => {
    expect(matchTotpStep(key, codeAt(0), { window: 1, nowInSeconds, afterStep: step })).toBeNull();
    expect(matchTotpStep(key, codeAt(-1), { window: 1, nowInSeconds, afterStep: step })).toBeNull();
    expect(matchTotpStep(key, codeAt(-1), { window: 1, nowInSeconds, afterStep: step - 1 })).toBeNull();
  });

  it('still accepts steps after it', () => {
    expect(matchTotpStep(key, codeAt(1), { window: 1, nowInSeconds, afterStep: step })).toBe(step + 1);
    expect(matchTotpStep(key, codeAt(0), { window: 1, nowInSeconds, afterStep: step - 1 })).toBe(step);
    expect(matchTotpStep(key, codeAt(0), { window: 1, nowInSeconds, afterStep: null })).toBe(step);
  });

  it('a used code followed by the previous step’s code: both refused once the later step is stored', () => {
    const used = matchTotpStep(key, codeAt(0), { window: 1, nowInSeconds });
    expect(used).toBe(step);
    expect(matchTotpStep(key, codeAt(0), { window: 1, nowInSeconds, afterStep: used })).toBeNull();
    expect(matchTotpStep(key, codeAt(-1), { window: 1, nowInSeconds, afterStep: used })).toBeNull();
  });
});

describe('untrusted tokens give null, never an exception (checklist TOTP-10)', () => {
  const key = keyFor('SHA1');
  const nowInSeconds = 59;
  const code = generateTotp(key, { nowInSeconds });

  it('accepts the code with spaces', () => {
    expect(matchTotpStep(key, `${code.slice(0, 3)} ${code.slice(3)}`, { nowInSeconds })).toBe(1);
  });

  it.each<unknown>([Number(code), undefined, null, [code], { $ne: 1 }, '', '１２３４５６', '12345a', `${code}0`, code.slice(1), '1'.repeat(10_240), true, Symbol('x')])(
    'refuses %s',
    (token) => {
      expect(matchTotpStep(key, token, { window: 1, nowInSeconds })).toBeNull();
      expect(verifyTotp(key, token, { window: 1, nowInSeconds })).toBe(false);
    },
  );
});

describe('caller mistakes throw a TypeError', () => {
  const key = keyFor('SHA1');
  it.each<[string, Record<string, unknown>]>([
    ['digits 4', { digits: 4 }],
    ['digits 7', { digits: 7 }],
    ['period 300', { periodInSeconds: 300 }],
    ['period 5', { periodInSeconds: 5 }],
    ['period 30.5', { periodInSeconds: 30.5 }],
    ['algorithm MD5', { algorithm: 'MD5' }],
    ['window -1', { window: -1 }],
    ['window 1.5', { window: 1.5 }],
    ['window 11', { window: 11 }],
    ['window "1"', { window: '1' }],
    ['nowInSeconds NaN', { nowInSeconds: Number.NaN }],
    ['nowInSeconds -1', { nowInSeconds: -1 }],
    ['nowInSeconds missing', { nowInSeconds: undefined }],
    ['afterStep 1.5', { afterStep: 1.5 }],
  ])('%s', (_label, override) => {
    const options = { nowInSeconds: 59, ...override } as { nowInSeconds: number; digits?: OtpDigits };
    expect(() => matchTotpStep(key, '123456', options)).toThrow(TypeError);
    if (!('window' in override) && !('afterStep' in override)) expect(() => generateTotp(key, options)).toThrow(TypeError);
  });
});
