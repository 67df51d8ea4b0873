/** What a recovery code looks like: 15 Crockford base32 characters in three groups, 75 bits from the CSPRNG. */
import type { Random } from '../crypto/random.js';

// Crockford's alphabet leaves out I, L, O and U, so a code read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 5;
const LENGTH = GROUPS * GROUP_LENGTH;

/** Bits of entropy in one code: 15 characters × 5 bits (NIST SP 800-63B-4 §4.2.1.1 asks for at least 64). */
export const RECOVERY_CODE_BITS = LENGTH * Math.log2(ALPHABET.length);

/** A new code, e.g. `7K2QD-M9XRB-04TZH`. Each character is drawn without modulo bias. */
export function generateRecoveryCode(random: Random): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) {
    if (i > 0 && i % GROUP_LENGTH === 0) code += '-';
    code += ALPHABET[random.int(ALPHABET.length)];
  }
  return code;
}

/**
 * The canonical form of what a user typed: case, spaces and dashes ignored, and the letters Crockford
 * reads as digits (O → 0, I and L → 1) mapped. `null` when it cannot be a code at all.
 */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== LENGTH) return null;
  for (const char of compact) if (!ALPHABET.includes(char)) return null;
  return compact;
}
