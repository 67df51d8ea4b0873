/** RFC 4648 Base32: encoding TOTP secrets for authenticator apps and decoding what users paste back. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Character code → 5-bit value, -1 for anything outside the alphabet. Lower case maps like upper case
// because people retype secrets by hand (RFC 4648 §6 alphabet is upper case only).
const VALUE_BY_CHAR_CODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let value = 0; value < ALPHABET.length; value++) {
    const upper = ALPHABET.charCodeAt(value);
    table[upper] = value;
    if (upper >= 65 && upper <= 90) table[upper + 32] = value;
  }
  return table;
})();

const SPACE = 32;
const PAD = 61; // '='

/**
 * Encodes bytes as upper-case RFC 4648 Base32 without `=` padding, the form the Key URI format asks for.
 *
 * @param bytes - the bytes to encode.
 * @returns the Base32 text, 8 characters per 5 bytes, the last group left unpadded.
 * @example
 * ```ts
 * encodeBase32NoPadding(new TextEncoder().encode('foobar')); // 'MZXW6YTBOI'
 * ```
 */
export function encodeBase32NoPadding(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bitCount = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff; // at most 12 bits are ever pending
    bitCount += 8;
    while (bitCount >= 5) {
      bitCount -= 5;
      text += ALPHABET[(buffer >>> bitCount) & 31];
    }
  }
  if (bitCount > 0) text += ALPHABET[(buffer << (5 - bitCount)) & 31];
  return text;
}

/**
 * Decodes RFC 4648 Base32, forgiving what people do when they copy a secret by hand: any case, spaces
 * anywhere, and `=` padding at the end (with or without it).
 *
 * @param text - Base32 text.
 * @returns the decoded bytes. Leftover bits of a last partial group are dropped, as RFC 4648 §6 implies.
 * @throws TypeError when `text` is not a string, holds a character outside the alphabet (or `=` before
 *   the end), or has a length no encoder can produce (1, 3 or 6 characters in the last group of 8).
 * @example
 * ```ts
 * decodeBase32('mzxw 6ytb oi======'); // the bytes of 'foobar'
 * ```
 */
export function decodeBase32(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('Base32 text must be a string');
  const values = new Uint8Array(text.length);
  let valueCount = 0;
  let paddingStarted = false;
  for (let index = 0; index < text.length; index++) {
    const charCode = text.charCodeAt(index);
    if (charCode === SPACE) continue;
    if (charCode === PAD) {
      paddingStarted = true;
      continue;
    }
    const value = charCode < 128 ? (VALUE_BY_CHAR_CODE[charCode] ?? -1) : -1;
    if (value < 0 || paddingStarted) {
      throw new TypeError(`Base32 text has an invalid character at position ${index}`);
    }
    values[valueCount++] = value;
  }
  // RFC 4648 §6: a final group carries 8, 16, 24, 32 or 40 bits, i.e. 2, 4, 5 or 7 characters (or 0).
  const remainder = valueCount % 8;
  if (remainder === 1 || remainder === 3 || remainder === 6) {
    throw new TypeError(`Base32 text has an impossible length (${valueCount} characters)`);
  }
  const bytes = new Uint8Array(Math.floor((valueCount * 5) / 8));
  let buffer = 0;
  let bitCount = 0;
  let byteCount = 0;
  for (let index = 0; index < valueCount; index++) {
    buffer = ((buffer << 5) | (values[index] ?? 0)) & 0xfff;
    bitCount += 5;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[byteCount++] = (buffer >>> bitCount) & 0xff;
    }
  }
  return bytes;
}
