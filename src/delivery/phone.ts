/** Phone numbers: check what a user typed and turn it into the E.164 form twofold stores and texts. */

import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/** Options for {@link normalizePhoneNumber} and {@link isValidPhoneNumber}. */
export interface PhoneNumberOptions {
  /**
   * ISO 3166-1 alpha-2 region (upper case, e.g. `'US'`, `'GB'`) used for numbers typed without a `+` country code.
   * Without it only international numbers (`+44 20 8366 1177`) are accepted. Maps from `SECURITY_PHONE_REGION_DEFAULT`.
   */
  readonly defaultRegion?: string;
}

/*
 * Anything longer cannot be a phone number a person typed (E.164 allows 15 digits; formatting roughly doubles
 * that). The cap bounds the parser's work on hostile input before libphonenumber-js applies its own limit.
 */
const MAX_INPUT_LENGTH = 64;

/**
 * Turns a phone number as typed into its E.164 form, or `null` when it is not a valid number.
 *
 * Validation uses the full libphonenumber metadata (the same rules as Google's libphonenumber, which
 * Flask-Security-Too uses through `phonenumbers`), so a number of the right length in an unassigned range is
 * refused. It is stricter than Flask-Security-Too in two ways: the whole input must be the number (no
 * surrounding text, no `tel:` prefix), and a number with an extension is refused, because an SMS cannot reach
 * an extension and dropping it silently would store a different number than the user typed.
 * Non-ASCII digits (full-width, Arabic-Indic) are read as digits. Never throws for bad `input`: anything that
 * is not a string gives `null`.
 *
 * @param input - The number as the user typed it; any value is accepted.
 * @param options - `defaultRegion` for numbers without a `+` country code.
 * @returns The number in E.164 form (`'+16505551212'`), or `null`.
 * @throws TypeError when `options.defaultRegion` is not a region libphonenumber-js knows (a configuration mistake).
 *
 * @example
 * ```ts
 * normalizePhoneNumber('650-555-1212', { defaultRegion: 'US' }); // '+16505551212'
 * normalizePhoneNumber('+442083661177'); // '+442083661177'
 * normalizePhoneNumber('555-1212', { defaultRegion: 'US' }); // null
 * ```
 */
export function normalizePhoneNumber(input: unknown, options: PhoneNumberOptions = {}): string | null {
  const defaultCountry = checkRegion(options.defaultRegion);
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  // extract: false — the whole input must be the number, so 'call 650-555-1212' is not quietly accepted.
  const parsed = parsePhoneNumberFromString(input, { defaultCountry, extract: false });
  if (parsed === undefined || parsed.ext !== undefined || !parsed.isValid()) return null;
  return parsed.number;
}

/**
 * Says whether {@link normalizePhoneNumber} accepts `input`; the check behind the `PHONE_INVALID` message.
 *
 * @param input - The number as the user typed it; any value is accepted.
 * @param options - `defaultRegion` for numbers without a `+` country code.
 * @returns `true` when the number is valid.
 * @throws TypeError when `options.defaultRegion` is not a known region.
 *
 * @example
 * ```ts
 * isValidPhoneNumber('+442083661177'); // true
 * isValidPhoneNumber('123456', { defaultRegion: 'US' }); // false
 * ```
 */
export function isValidPhoneNumber(input: unknown, options: PhoneNumberOptions = {}): boolean {
  return normalizePhoneNumber(input, options) !== null;
}

function checkRegion(region: string | undefined): CountryCode | undefined {
  if (region === undefined) return undefined;
  if (typeof region !== 'string' || !isSupportedCountry(region)) {
    throw new TypeError(
      `Option 'defaultRegion' must be an upper-case ISO 3166-1 alpha-2 region such as 'US' or 'GB'; got ${JSON.stringify(region)}`,
    );
  }
  return region;
}
