/** The checkers longer than a line, for the option table: each value's type and format, with a ConfigError naming the option and the fix. */
import { isSupportedCountry } from 'libphonenumber-js/max';
import { isEmailAddress } from '../forms/email.js';
import { CODE_METHODS, LEGACY_METHOD_NAMES, type CodeMethod } from '../factors/code/methods.js';
import { OTP_ALGORITHMS, type OtpAlgorithm, type OtpDigits } from '../otp/hotp.js';
import { checkBoolean, checkList, checkPath, checkSeconds, checkString, describe, fail, isPlainObject } from './checks.js';
import type { Checker } from './option.js';
import { API_AUTH_METHODS, type ApiAuthMethod, type Seconds, type TwoFactorRequiredPredicate, type ValidityCookieOptions } from './types.js';

/** How to make a TOTP secret; quoted by every secret-related error. */
export const MAKE_SECRET = `Make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;
const SECRET_MIN_BYTES = 32; // 256 bits: the AES-256 key the key ring derives from it deserves no less.
const TAG = /^[A-Za-z0-9_-]{1,32}$/; // as crypto/keyring.ts
const CODE_MAX_LIFETIME = 600; // NIST SP 800-63B §5.1.3.2: an out-of-band code lives at most 10 minutes (checklist OOB-02)

/** A lifetime of an e-mailed or texted code. */
export const checkCodeLifetime: Checker<Seconds> = (value, key) =>
  checkSeconds(key, value, { min: 1, max: CODE_MAX_LIFETIME, maxFix: `must be at most ${CODE_MAX_LIFETIME} seconds (NIST SP 800-63B §5.1.3.2: 10 minutes); got ${describe(value)}` });

/** `check`, or `null`. */
export const nullable =
  <T>(check: Checker<T>): Checker<T | null> =>
  (value, key) => (value === null ? null : check(value, key));

/** `twoFactorRequired`: a switch, or a function deciding per user. */
export function checkRequired(value: unknown, key: string): boolean | TwoFactorRequiredPredicate {
  if (typeof value === 'function') return value as TwoFactorRequiredPredicate;
  return typeof value === 'boolean' ? value : fail(key, `must be true, false or a function (user) => boolean; got ${describe(value)}`);
}

/** `twoFactorEnabledMethods`: code methods, FST's legacy names read as the method they now are. */
export function checkCodeMethods(value: unknown, key: string): readonly CodeMethod[] {
  return checkList(key, value, CODE_METHODS, LEGACY_METHOD_NAMES);
}

/** `twoFactorRescueMail`: the administrator's address. */
export function checkMailAddress(value: unknown, key: string): string {
  return isEmailAddress(value) ? value : fail(key, `must be an e-mail address such as 'admin@example.com'; got ${describe(value)}`);
}

/** `totpIssuer`: the name an authenticator app shows, trimmed. */
export function checkIssuer(value: unknown, key: string): string {
  if (typeof value === 'string' && !value.includes(':')) return value.trim();
  return fail(key, `must be your application's name without ':' (the otpauth label separator), e.g. 'My App'; got ${describe(value)}`);
}

/** `smsServiceConfig`: the SMS sender's settings, copied. */
export function checkSmsServiceConfig(value: unknown, key: string): Readonly<Record<string, unknown>> {
  return isPlainObject(value) ? { ...value } : fail(key, `must be an object such as {"ACCOUNT_SID": "AC…", "AUTH_TOKEN": "…", "PHONE_NUMBER": "+1…"}; got ${describe(value)}`);
}

/** `phoneRegionDefault`: an ISO 3166-1 region libphonenumber knows. */
export function checkRegion(value: unknown, key: string): string {
  return typeof value === 'string' && isSupportedCountry(value) ? value : fail(key, `must be an upper-case ISO 3166-1 region such as 'US' or 'GB'; got ${describe(value)}`);
}

/** `freshness`: seconds, never negative (FST's "negative means always fresh" is refused). */
export function checkFreshness(value: unknown, key: string): Seconds {
  if (typeof value === 'number' && value < 0) {
    fail(
      key,
      `must not be negative; FST's "negative means always fresh" is not supported, since sensitive pages must ask for a recent login (checklist FLOW-08). Give the seconds a login stays fresh, e.g. 600`,
    );
  }
  return checkSeconds(key, value);
}

/** `twoFactorLoginWithin`: from 30 seconds to 10 minutes. */
export function checkLoginWithin(value: unknown, key: string): Seconds {
  return checkSeconds(key, value, { min: 30, max: 600, maxFix: `must be at most 600 seconds: a login waiting longer for its second factor is abandoned (NIST SP 800-63B §5.1.3.2)` });
}

/** `apiEnabledMethods`: `session` and `token`, at least one; `basic` is refused. */
export function checkApiMethods(value: unknown, key: string): readonly ApiAuthMethod[] {
  if (Array.isArray(value) && value.includes('basic')) {
    fail(key, "lists 'basic', which twofold refuses: HTTP Basic would let a password alone in, past the second factor (checklist FLOW-04). Use 'session' and 'token'");
  }
  const methods = checkList(key, value, API_AUTH_METHODS);
  return methods.length > 0 ? methods : fail(key, `is empty; list at least one of 'session', 'token'`);
}

/** `urlPrefix`: `''` or a path without a trailing `/`. */
export function checkUrlPrefix(value: unknown, key: string): string {
  if (value === '' || (typeof value === 'string' && /^\/(?!\/)[^\s?#\\]*[^/\s?#\\]$/.test(value))) return value;
  return fail(key, `must be '' or a path such as '/auth' (leading '/', no trailing '/'); got ${describe(value)}`);
}

/** `totpDigits`: 6 or 8. */
export function checkDigits(value: unknown, key: string): OtpDigits {
  return value === 6 || value === 8 ? value : fail(key, `must be 6 or 8 (RFC 4226 §5.3 asks for at least 6; authenticator apps show 6 or 8); got ${describe(value)}`);
}

/** `totpPeriod`: whole seconds from 15 to 120. */
export function checkPeriod(value: unknown, key: string): Seconds {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 15 && value <= 120) return value;
  return fail(key, `must be a whole number of seconds from 15 to 120 (use 30, RFC 6238 §5.2; NIST SP 800-63B §5.1.4.1 caps it at 2 minutes); got ${describe(value)}`);
}

/** `totpSecrets`: tagged application secrets, each at least 32 bytes and not obviously made up. */
export function checkSecrets(value: unknown, key: string): Readonly<Record<string, string>> {
  if (!isPlainObject(value)) fail(key, `must be an object of tagged secrets such as {"1": "<secret>"}; got ${describe(value)}. ${MAKE_SECRET}`);
  for (const [tag, secret] of Object.entries(value)) {
    if (!TAG.test(tag)) fail(key, `tag ${JSON.stringify(tag)} must be 1-32 letters, digits, '_' or '-', e.g. "1"`);
    // Never echo a secret: the message names the tag and the length only.
    if (typeof secret !== 'string') fail(key, `secret "${tag}" must be a string; got ${Array.isArray(secret) ? 'an array' : typeof secret}`);
    const bytes = Buffer.byteLength(secret, 'utf8');
    if (bytes < SECRET_MIN_BYTES) fail(key, `secret "${tag}" is ${bytes} bytes; each must be at least ${SECRET_MIN_BYTES}. ${MAKE_SECRET}`);
    if (new Set(secret).size < 8) fail(key, `secret "${tag}" does not look random (fewer than 8 different characters). ${MAKE_SECRET}`);
  }
  return { ...(value as Record<string, string>) };
}

/** `totpAlgorithm`: SHA1, SHA256 or SHA512, spelt in any case, with or without a dash. */
export function checkAlgorithm(value: unknown, key: string): OtpAlgorithm {
  const name = typeof value === 'string' ? value.toUpperCase().replace('-', '') : value;
  if (OTP_ALGORITHMS.includes(name as OtpAlgorithm)) return name as OtpAlgorithm;
  return fail(key, `must be 'SHA1', 'SHA256' or 'SHA512' (RFC 6238 §1.2; MD5 is not allowed); got ${describe(value)}. Use 'SHA1': every authenticator app supports it`);
}

const COOKIE_KEYS: Readonly<Record<string, keyof ValidityCookieOptions>> = {
  httpOnly: 'httpOnly',
  httponly: 'httpOnly', // FST spells set_cookie's keyword arguments in lower case
  secure: 'secure',
  sameSite: 'sameSite',
  samesite: 'sameSite',
  path: 'path',
  domain: 'domain',
};

/** `twoFactorValidityCookie`: attributes merged over `defaults`, FST's lower-case spellings accepted. */
export function checkCookie(value: unknown, key: string, defaults: ValidityCookieOptions): ValidityCookieOptions {
  if (!isPlainObject(value)) fail(key, `must be an object such as { secure: true, sameSite: 'Strict' }; got ${describe(value)}`);
  const cookie: Record<string, unknown> = { ...defaults };
  for (const [name, item] of Object.entries(value)) {
    const attribute = Object.hasOwn(COOKIE_KEYS, name) ? COOKIE_KEYS[name] : undefined;
    if (attribute === undefined) fail(key, `has unknown attribute '${name}'; allowed: httpOnly, secure, sameSite, path, domain`);
    cookie[attribute] = item;
  }
  const sameSite = typeof cookie.sameSite === 'string' ? cookie.sameSite.toLowerCase() : cookie.sameSite;
  const sameSites = { strict: 'Strict', lax: 'Lax', none: 'None' } as const;
  if (typeof sameSite !== 'string' || !Object.hasOwn(sameSites, sameSite)) fail(key, `sameSite must be 'Strict', 'Lax' or 'None'; got ${describe(cookie.sameSite)}`);
  return {
    httpOnly: checkBoolean(`${key}.httpOnly`, cookie.httpOnly),
    secure: checkBoolean(`${key}.secure`, cookie.secure),
    sameSite: sameSites[sameSite as keyof typeof sameSites],
    path: checkPath(`${key}.path`, cookie.path),
    domain: cookie.domain === null ? null : checkString(`${key}.domain`, cookie.domain),
  };
}

