/** Tests of phone number checks: Flask-Security-Too's examples, other regions, hostile and odd input. */

import { describe, expect, it } from 'vitest';
import { isValidPhoneNumber, normalizePhoneNumber } from './phone.js';

describe('normalizePhoneNumber', () => {
  it.each([
    ['+442083661177', undefined, '+442083661177'],
    ['650-555-1212', 'US', '+16505551212'],
    ['(650) 555-1212', 'US', '+16505551212'],
    ['+1 650 555 1212', 'GB', '+16505551212'],
    ['020 8366 1177', 'GB', '+442083661177'],
    ['030 901820', 'DE', '+4930901820'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['98765 43210', 'IN', '+919876543210'],
  ])('accepts %j (region %s) as %s', (input, defaultRegion, e164) => {
    expect(normalizePhoneNumber(input, { defaultRegion })).toBe(e164);
    expect(isValidPhoneNumber(input, { defaultRegion })).toBe(true);
  });

  it.each(['555-1212', '123456', '+999', 'abcdefgh', 'bad-number-%%%', '', '   ', '+', '0'])(
    'refuses Flask-Security-Too invalid example %j',
    (input) => {
      expect(normalizePhoneNumber(input, { defaultRegion: 'US' })).toBeNull();
      expect(isValidPhoneNumber(input, { defaultRegion: 'US' })).toBe(false);
    },
  );

  it('needs a region for a number without a country code', () => {
    expect(normalizePhoneNumber('650-555-1212')).toBeNull();
    expect(normalizePhoneNumber('650-555-1212', { defaultRegion: 'US' })).toBe('+16505551212');
  });

  it('reads a national number by its region: the same digits are valid in one and not another', () => {
    expect(normalizePhoneNumber('020 8366 1177', { defaultRegion: 'GB' })).toBe('+442083661177');
    expect(normalizePhoneNumber('020 8366 1177', { defaultRegion: 'US' })).toBeNull();
  });

  it('reads full-width and Arabic-Indic digits', () => {
    expect(normalizePhoneNumber('６５０-５５５-１２１２', { defaultRegion: 'US' })).toBe('+16505551212');
    expect(normalizePhoneNumber('٦٥٠٥٥٥١٢١٢', { defaultRegion: 'US' })).toBe('+16505551212');
    expect(normalizePhoneNumber('+４４２０８３６６１１７７')).toBe('+442083661177');
  });

  it('refuses a number with text around it, a tel: prefix or an extension', () => {
    expect(normalizePhoneNumber('call 650-555-1212 now', { defaultRegion: 'US' })).toBeNull();
    expect(normalizePhoneNumber('tel:+16505551212', { defaultRegion: 'US' })).toBeNull();
    expect(normalizePhoneNumber('650-555-1212 ext. 12', { defaultRegion: 'US' })).toBeNull();
    expect(normalizePhoneNumber('+16505551212;ext=1')).toBeNull();
  });

  it('refuses long strings quickly, whatever they hold', () => {
    const started = performance.now();
    expect(normalizePhoneNumber('1'.repeat(100_000), { defaultRegion: 'US' })).toBeNull();
    expect(normalizePhoneNumber(`+1 650 555 1212${' '.repeat(100)}`)).toBeNull();
    expect(normalizePhoneNumber('+'.repeat(10_000))).toBeNull();
    expect(normalizePhoneNumber('6'.repeat(20), { defaultRegion: 'US' })).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it.each([undefined, null, 16505551212, {}, ['+16505551212'], true, Symbol('x')])('gives null, never throws, for %s', (input) => {
    expect(normalizePhoneNumber(input, { defaultRegion: 'US' })).toBeNull();
    expect(isValidPhoneNumber(input)).toBe(false);
  });

  it('throws TypeError for a region it does not know: that is a configuration mistake', () => {
    expect(() => normalizePhoneNumber('650-555-1212', { defaultRegion: 'ZZ' })).toThrow(TypeError);
    expect(() => normalizePhoneNumber('650-555-1212', { defaultRegion: 'us' })).toThrow(/defaultRegion/);
  });
});
