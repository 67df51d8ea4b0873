/** HOTP (RFC 4226): one-time values from a key and a counter, plus the parameter and token checks TOTP shares. */
import { createHmac, type KeyObject } from 'node:crypto';

/** The HMAC hash functions RFC 6238 §1.2 allows (and the Key URI format names). */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** How many decimal digits a code has; RFC 4226 §5.3 asks for at least 6, and apps show 6 or 8. */
export type OtpDigits = 6 | 8;

/** An HMAC key: raw secret bytes, or a `KeyObject` made once with `createSecretKey` to save work per use. */
export type OtpKey = Uint8Array | KeyObject;

/** Every accepted {@link OtpAlgorithm}, in the order of their digest size. */
export const OTP_ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

/** node:crypto's name for each algorithm. */
export const NODE_HASH_NAME: Readonly<Record<OtpAlgorithm, string>> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

// Scratch space for the 8-byte counter; HMAC `update` copies it before returning, so one buffer serves all calls.
const counterBytes = Buffer.alloc(8);
const TWO_TO_32 = 2 ** 32;
const SPACE = 32;
const DIGIT_ZERO = 48;
// A code with spaces ("123 456") is short; anything much longer is garbage or an attack (checklist TOTP-10).
const MAX_TOKEN_LENGTH = 64;

/**
 * Throws unless `value` is one of {@link OTP_ALGORITHMS}.
 *
 * @throws TypeError naming the bad value.
 * @example
 * ```ts
 * assertOtpAlgorithm(options.algorithm);
 * ```
 */
export function assertOtpAlgorithm(value: unknown): asserts value is OtpAlgorithm {
  if (!OTP_ALGORITHMS.includes(value as OtpAlgorithm)) {
    throw new TypeError(`algorithm must be one of ${OTP_ALGORITHMS.join(', ')}, got ${String(value)}`);
  }
}

/**
 * Throws unless `value` is 6 or 8.
 *
 * @throws TypeError naming the bad value.
 * @example
 * ```ts
 * assertOtpDigits(options.digits);
 * ```
 */
export function assertOtpDigits(value: unknown): asserts value is OtpDigits {
  if (value !== 6 && value !== 8) throw new TypeError(`digits must be 6 or 8, got ${String(value)}`);
}

/**
 * The numeric HOTP value for one counter: HMAC, dynamic truncation, modulo (RFC 4226 §5.3). The hot path
 * of verification, so it takes node's hash name and the modulus ready-made and returns a number.
 *
 * @internal
 * @param key - the HMAC key.
 * @param counter - an integer in [0, 2^53); written as 8 big-endian bytes.
 * @param nodeHashName - `'sha1'`, `'sha256'` or `'sha512'`.
 * @param modulus - 10^digits.
 * @returns the code as an integer in [0, modulus).
 */
export function computeHotpValue(key: OtpKey, counter: number, nodeHashName: string, modulus: number): number {
  // RFC 6238 §4.2: the counter is 64 bits wide, so steps past 2^32 (and the year 2038) still work.
  // Plain byte stores: `writeUInt32BE` re-validates its arguments, which costs ~2% of a verification.
  const high = Math.floor(counter / TWO_TO_32);
  const low = counter >>> 0;
  counterBytes[0] = high >>> 24;
  counterBytes[1] = high >>> 16;
  counterBytes[2] = high >>> 8;
  counterBytes[3] = high;
  counterBytes[4] = low >>> 24;
  counterBytes[5] = low >>> 16;
  counterBytes[6] = low >>> 8;
  counterBytes[7] = low;
  return dynamicTruncate(createHmac(nodeHashName, key).update(counterBytes).digest()) % modulus;
}

/**
 * RFC 4226 §5.3 dynamic truncation: 31 bits read from an offset the digest itself chooses.
 *
 * @internal
 * @param digest - an HMAC output of 20, 32 or 64 bytes.
 * @returns an integer in [0, 2^31), before the modulo that makes it a code.
 */
export function dynamicTruncate(digest: Uint8Array): number {
  // The offset comes from the low 4 bits of the LAST byte, which works for every digest size
  // (RFC 6238 §1.2); the top bit is cleared so signed and unsigned readers agree.
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  // Offset ≤ 15 and digests ≥ 20 bytes, so all four bytes exist.
  return (((digest[offset]! & 0x7f) << 24) | (digest[offset + 1]! << 16) | (digest[offset + 2]! << 8) | digest[offset + 3]!) >>> 0;
}

/**
 * Reads a user's code as a number, or `-1` when it is not one. Spaces are dropped; what is left must be
 * exactly `digits` ASCII digits. Any other type, full-width digits, letters or oversize input give `-1`,
 * never an exception (checklist TOTP-10). Builds no strings, as it runs on every verification.
 *
 * @internal
 * @param token - untrusted input, typically straight from a form or JSON body.
 * @param digits - the expected number of digits.
 * @returns the code's value in [0, 10^digits), or -1.
 */
export function parseOtpToken(token: unknown, digits: number): number {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return -1;
  let value = 0;
  let digitCount = 0;
  for (let index = 0; index < token.length; index++) {
    const charCode = token.charCodeAt(index);
    if (charCode === SPACE) continue;
    const digit = charCode - DIGIT_ZERO;
    if (digit < 0 || digit > 9 || ++digitCount > digits) return -1;
    value = value * 10 + digit;
  }
  return digitCount === digits ? value : -1;
}

/**
 * Generates the HOTP code for one counter value (RFC 4226).
 *
 * @param key - the shared secret's bytes (or a `KeyObject` of them).
 * @param counter - a non-negative integer below 2^53.
 * @param options - `algorithm` (default `'SHA1'`) and `digits` (default 6).
 * @returns the code, left-padded with zeros to `digits` characters.
 * @throws TypeError on a bad counter, algorithm or digit count.
 * @example
 * ```ts
 * generateHotp(new TextEncoder().encode('12345678901234567890'), 0); // '755224'
 * ```
 */
export function generateHotp(
  key: OtpKey,
  counter: number,
  options: { algorithm?: OtpAlgorithm; digits?: OtpDigits } = {},
): string {
  const { algorithm = 'SHA1', digits = 6 } = options;
  assertOtpAlgorithm(algorithm);
  assertOtpDigits(digits);
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new TypeError(`counter must be a non-negative safe integer, got ${String(counter)}`);
  }
  return String(computeHotpValue(key, counter, NODE_HASH_NAME[algorithm], 10 ** digits)).padStart(digits, '0');
}
