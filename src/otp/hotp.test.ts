// HOTP (RFC 4226): the Appendix D vectors, the §5.4 truncation example, parameter checks and token parsing.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dynamicTruncate, generateHotp, parseOtpToken, type OtpAlgorithm, type OtpDigits } from './hotp.js';

interface Rfc4226Vectors {
  secretAscii: string;
  digits: 6;
  vectors: Array<{ counter: number; hmacHex: string; truncatedHex: string; truncated: number; hotp: string }>;
}
const rfc4226 = JSON.parse(readFileSync(new URL('../../test/vectors/rfc4226.json', import.meta.url), 'utf8')) as Rfc4226Vectors;
const key = Buffer.from(rfc4226.secretAscii, 'ascii');

describe('RFC 4226 Appendix D', () => {
  it('has all ten vectors', () => expect(rfc4226.vectors).toHaveLength(10));

  it.each(rfc4226.vectors)('counter $counter: HMAC, truncation and code match', ({ counter, hmacHex, truncatedHex, truncated, hotp }) => {
    const counterBytes = Buffer.alloc(8);
    counterBytes.writeUInt32BE(counter, 4);
    expect(createHmac('sha1', key).update(counterBytes).digest('hex')).toBe(hmacHex);
    expect(dynamicTruncate(Buffer.from(hmacHex, 'hex'))).toBe(truncated);
    expect(truncated).toBe(Number.parseInt(truncatedHex, 16));
    expect(generateHotp(key, counter)).toBe(hotp);
    expect(generateHotp(new Uint8Array(key), counter, { algorithm: 'SHA1', digits: 6 })).toBe(hotp);
  });
});

describe('dynamic truncation (checklist TOTP-02)', () => {
  it('follows the RFC 4226 §5.4 worked example: offset 10 → 0x50ef7f19 → 872921', () => {
    const digest = Buffer.from('1f8698690e02ca16618550ef7f19da8e945b555a', 'hex');
    expect(dynamicTruncate(digest)).toBe(0x50ef7f19);
    expect(0x50ef7f19 % 1_000_000).toBe(872921);
  });

  it('clears the top bit and reads the offset from the last byte of longer digests', () => {
    const digest = Buffer.alloc(64, 0xff);
    digest[63] = 0xf3; // offset 3
    digest.writeUInt32BE(0x80000001, 3);
    expect(dynamicTruncate(digest)).toBe(1);
  });

  it('pads a short value with leading zeros', () => {
    // RFC 6238 vector T=0x23523EC (SHA1) is 07081804: the leading zero must survive.
    const counter = 0x23523ec;
    expect(generateHotp(key, counter, { digits: 8 })).toBe('07081804');
  });
});

describe('generateHotp parameters', () => {
  it('supports a counter beyond 2^32', () => {
    const code = generateHotp(key, 2 ** 40 + 5);
    const counterBytes = Buffer.alloc(8);
    counterBytes.writeBigUInt64BE(2n ** 40n + 5n);
    const expected = dynamicTruncate(createHmac('sha1', key).update(counterBytes).digest()) % 1_000_000;
    expect(code).toBe(String(expected).padStart(6, '0'));
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53, '1'])('rejects the counter %j with a TypeError', (counter) => {
    expect(() => generateHotp(key, counter as number)).toThrow(TypeError);
  });

  it.each(['MD5', 'sha1', ''])('rejects the algorithm %j with a TypeError', (algorithm) => {
    expect(() => generateHotp(key, 0, { algorithm: algorithm as OtpAlgorithm })).toThrow(/algorithm/);
  });

  it.each([4, 5, 7, 9, '6'])('rejects %j digits with a TypeError', (digits) => {
    expect(() => generateHotp(key, 0, { digits: digits as OtpDigits })).toThrow(/digits/);
  });
});

describe('parseOtpToken (checklist TOTP-10)', () => {
  it('reads exactly `digits` ASCII digits, spaces removed', () => {
    expect(parseOtpToken('123456', 6)).toBe(123456);
    expect(parseOtpToken('000042', 6)).toBe(42);
    expect(parseOtpToken(' 123 456 ', 6)).toBe(123456);
    expect(parseOtpToken('1234 5678', 8)).toBe(12345678);
  });

  const tenKilobytes = '1'.repeat(10_240);
  it.each<[string, unknown]>([
    ['empty', ''],
    ['spaces only', '      '],
    ['too short', '12345'],
    ['too long', '1234567'],
    ['a letter', '12345a'],
    ['full-width digits', '１２３４５６'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['a sign', '+12345'],
    ['a minus', '-12345'],
    ['a dot', '12345.'],
    ['an exponent', '1e5000'],
    ['a tab', '123\t456'],
    ['a newline', '123\n456'],
    ['a percent', '%'],
    ['10 kB of digits', tenKilobytes],
    ['10 kB of spaces around a code', `${' '.repeat(10_240)}123456`],
    ['a number', 123456],
    ['undefined', undefined],
    ['null', null],
    ['an array', ['123456']],
    ['an object', { $ne: 1 }],
    ['a String object', new String('123456')],
    ['a boolean', true],
  ])('gives -1 for %s', (_label, token) => {
    expect(parseOtpToken(token, 6)).toBe(-1);
  });
});
