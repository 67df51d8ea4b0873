/** The `otpauth://totp/…` Key URI that authenticator apps read from an enrolment QR code. */
import { assertOtpAlgorithm, assertOtpDigits, type OtpAlgorithm, type OtpDigits } from './hotp.js';

/** What goes into a TOTP Key URI. */
export interface TotpUriOptions {
  /** The secret, Base32 without padding (as `Totp.secrets` gives it). */
  secret: string;
  /** The user's account name as the app should show it, e.g. an e-mail address. */
  accountName: string;
  /** The service name (STRONGLY RECOMMENDED by the Key URI format); omitted when empty. */
  issuer?: string | undefined;
  /** Default `'SHA1'`. */
  algorithm?: OtpAlgorithm;
  /** Default 6. */
  digits?: OtpDigits;
  /** Default 30. */
  periodInSeconds?: number;
}

const BASE32_NO_PADDING = /^[A-Z2-7]+$/;

/**
 * Builds `otpauth://totp/<Issuer>:<Account>?secret=…&issuer=<Issuer>&algorithm=…&digits=…&period=…`
 * (Google Authenticator Key URI format, checklist ENR-04). Label parts and values are percent-encoded,
 * so spaces, `@`, `&`, `#`, `:` in the account and non-ASCII text survive.
 *
 * The format forbids a colon inside either label part, and parsers (otpauth, Google Authenticator) split
 * the label at its first `:` or `%3A`, so no encoding lets an issuer containing `:` sit in the label.
 * Such an issuer is carried by the `issuer` parameter alone, which current apps prefer anyway, and the
 * label starts with an empty prefix (`:<Account>`) so that a `:` in the account is not read as a separator.
 * The same empty prefix is used when there is no issuer and the account contains `:`.
 *
 * @param options - see {@link TotpUriOptions}.
 * @returns the URI, ASCII only.
 * @throws TypeError when the secret is not unpadded upper-case Base32, the account name is empty, or a
 *   parameter is out of range.
 * @example
 * ```ts
 * buildTotpUri({ secret: 'JBSWY3DPEHPK3PXP', accountName: 'john.doe@email.com', issuer: 'ACME Co' });
 * // 'otpauth://totp/ACME%20Co:john.doe%40email.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function buildTotpUri(options: TotpUriOptions): string {
  const { secret, accountName, issuer = '', algorithm = 'SHA1', digits = 6, periodInSeconds = 30 } = options;
  if (typeof secret !== 'string' || !BASE32_NO_PADDING.test(secret)) {
    throw new TypeError('secret must be upper-case Base32 without padding');
  }
  if (typeof accountName !== 'string' || accountName === '') throw new TypeError('accountName must be a non-empty string');
  if (typeof issuer !== 'string') throw new TypeError('issuer must be a string');
  assertOtpAlgorithm(algorithm);
  assertOtpDigits(digits);
  if (!Number.isInteger(periodInSeconds) || periodInSeconds <= 0) {
    throw new TypeError(`periodInSeconds must be a positive integer, got ${String(periodInSeconds)}`);
  }
  const account = encodeURIComponent(accountName);
  const issuerFitsLabel = issuer !== '' && !issuer.includes(':');
  let label: string;
  if (issuerFitsLabel) label = `${encodeURIComponent(issuer)}:${account}`;
  else label = accountName.includes(':') ? `:${account}` : account;
  const issuerParameter = issuer === '' ? '' : `&issuer=${encodeURIComponent(issuer)}`;
  return `otpauth://totp/${label}?secret=${secret}${issuerParameter}&algorithm=${algorithm}&digits=${digits}&period=${periodInSeconds}`;
}
