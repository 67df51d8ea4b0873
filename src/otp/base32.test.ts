// Base32 (RFC 4648): the §10 vectors, forgiving input, rejected input, and random bytes against otpauth.
import { randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32NoPadding } from './base32.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const bytesOf = (ascii: string): Uint8Array => new Uint8Array(Buffer.from(ascii, 'latin1'));

// RFC 4648 §10, with the padding the RFC shows.
const RFC4648_VECTORS: Array<[string, string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('encodeBase32NoPadding', () => {
  it.each(RFC4648_VECTORS)('encodes %j as the RFC 4648 §10 vector without padding', (plain, encoded) => {
    expect(encodeBase32NoPadding(bytesOf(plain))).toBe(encoded.replace(/=+$/, ''));
  });

  it('matches otpauth on 500 random inputs of 0 to 80 bytes', () => {
    for (let round = 0; round < 500; round++) {
      const bytes = new Uint8Array(randomBytes(round % 81));
      const reference = new Secret({ buffer: bytes.slice().buffer }).base32;
      expect(encodeBase32NoPadding(bytes)).toBe(reference);
    }
  });
});

describe('decodeBase32', () => {
  it.each(RFC4648_VECTORS)('decodes %j from the padded and the unpadded RFC 4648 §10 vector', (plain, encoded) => {
    expect(text(decodeBase32(encoded))).toBe(plain);
    expect(text(decodeBase32(encoded.replace(/=+$/, '')))).toBe(plain);
  });

  it('ignores case and spaces', () => {
    expect(text(decodeBase32('mzxw 6ytb oi'))).toBe('foobar');
    expect(text(decodeBase32(' MzXw6YtBoI====== '))).toBe('foobar');
  });

  it('decodes what otpauth encodes, and what it decodes, on 500 random inputs', () => {
    for (let round = 0; round < 500; round++) {
      const bytes = new Uint8Array(randomBytes(1 + (round % 80)));
      const encoded = new Secret({ buffer: bytes.slice().buffer }).base32;
      expect(decodeBase32(encoded)).toEqual(bytes);
      expect(decodeBase32(encoded)).toEqual(new Uint8Array(Secret.fromBase32(encoded).buffer));
      expect(decodeBase32(encodeBase32NoPadding(bytes))).toEqual(bytes);
    }
  });

  it.each(['MZXW6YT1', 'MZXW6YT0', 'MZXW6YT8', 'MZXW-6YTB', 'MZXW6YTB!', 'MZXW\t6YTB', 'MZXW6YTBÖ', 'ＭZXW6YTB', 'MZ=XW6YTB'])(
    'throws a TypeError on the bad character in %j',
    (input) => {
      expect(() => decodeBase32(input)).toThrow(TypeError);
      expect(() => decodeBase32(input)).toThrow(/invalid character/);
    },
  );

  it.each(['M', 'MZX', 'MZXW6Y', 'MZXW6YTBO', 'MZXW6YTBOI=A'])('throws a TypeError on the impossible length or padding of %j', (input) => {
    expect(() => decodeBase32(input)).toThrow(TypeError);
  });

  it('throws a TypeError on a non-string at runtime', () => {
    expect(() => decodeBase32(123 as unknown as string)).toThrow(TypeError);
    expect(() => decodeBase32(undefined as unknown as string)).toThrow(TypeError);
  });
});
