/** normalizeEmail: one address, one stored form, however it was typed. */
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './users.js';

const NFC = '\u00C9VA@example.com'; // É as one code point
const NFD = 'E\u0301VA@example.com'; // E followed by a combining acute accent

describe('normalizeEmail', () => {
  it('gives NFC and NFD spellings of one address the same form', () => {
    expect(NFC).not.toBe(NFD);
    expect(normalizeEmail(NFC)).toBe('\u00E9va@example.com');
    expect(normalizeEmail(NFD)).toBe(normalizeEmail(NFC));
  });

  it('folds compatibility forms (full-width letters) and case, and trims', () => {
    expect(normalizeEmail(' \uFF21da@Example.COM ')).toBe('ada@example.com');
  });
});
