// Threat: timing. A verifier that compares codes with an early-exit `===`, or stops at the first matching
// step, lets an attacker learn how close a guess was or which step matched (checklist TOTP-09, D-7).
import * as nodeCrypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as compare from '../crypto/compare.js';
import { generateTotp, matchTotpStep } from './totp.js';
import { Totp } from './totp-class.js';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, createHmac: vi.fn(original.createHmac) };
});
vi.mock('../crypto/compare.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../crypto/compare.js')>();
  return { ...original, constantTimeEqualInt31: vi.fn(original.constantTimeEqualInt31) };
});

const key = Buffer.from('12345678901234567890', 'ascii');
const nowInSeconds = 1_111_111_109;
const step = Math.floor(nowInSeconds / 30);
const codeAt = (offset: number): string => generateTotp(key, { nowInSeconds: (step + offset) * 30 });

describe('every candidate step is computed and compared, match or not', () => {
  let codes: string[];
  beforeEach(() => {
    codes = [-1, 0, 1].map(codeAt);
    vi.mocked(nodeCrypto.createHmac).mockClear();
    vi.mocked(compare.constantTimeEqualInt31).mockClear();
  });

  it.each([
    ['the first step matches', 0],
    ['the middle step matches', 1],
    ['the last step matches', 2],
  ])('window 1, %s: three HMACs and three constant-time comparisons', (_label, index) => {
    expect(matchTotpStep(key, codes[index], { window: 1, nowInSeconds })).toBe(step - 1 + index);
    expect(nodeCrypto.createHmac).toHaveBeenCalledTimes(3);
    expect(compare.constantTimeEqualInt31).toHaveBeenCalledTimes(3);
  });

  it('a wrong code costs the same three HMACs and comparisons', () => {
    const totp = new Totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totp.verify('000000', 1, nowInSeconds)).toBe(codes.includes('000000'));
    expect(nodeCrypto.createHmac).toHaveBeenCalledTimes(3);
    expect(compare.constantTimeEqualInt31).toHaveBeenCalledTimes(3);
  });

  it('steps at or before afterStep are not candidates, so they are skipped', () => {
    expect(matchTotpStep(key, codes[2], { window: 1, nowInSeconds, afterStep: step })).toBe(step + 1);
    expect(nodeCrypto.createHmac).toHaveBeenCalledTimes(1);
  });

  it('a malformed token is refused before any HMAC is computed', () => {
    expect(matchTotpStep(key, '12345a', { window: 1, nowInSeconds })).toBeNull();
    expect(nodeCrypto.createHmac).not.toHaveBeenCalled();
  });
});
