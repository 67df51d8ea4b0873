/** One checker per option: its type and format, with a ConfigError naming the option and the fix. */
import { isSupportedCountry } from 'libphonenumber-js/max';
import { isEmailAddress } from '../forms/email.js';
import {
  checkBoolean,
  checkInteger,
  checkList,
  checkPath,
  checkSeconds,
  checkString,
  checkToken,
  checkView,
  describe,
  fail,
  isPlainObject,
} from './checks.js';
import { OPTIONS } from './table.js';
import type { CodeMethod, TotpAlgorithm, TwofoldConfig, TwoFactorRequiredPredicate, ValidityCookieOptions } from './types.js';

/** Checks one value and gives it back in resolved form. */
export type Checker<T> = (value: unknown, key: string) => T;

const CODE_METHODS: readonly CodeMethod[] = ['authenticator', 'email', 'sms'];
/** How to make a TOTP secret; quoted by every secret-related error. */
export const MAKE_SECRET = `Make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;
const SECRET_MIN_BYTES = 32; // 256 bits: the AES-256 key the key ring derives from it deserves no less.
const TAG = /^[A-Za-z0-9_-]{1,32}$/; // as crypto/keyring.ts
const CODE_MAX_LIFETIME = 600; // NIST SP 800-63B §5.1.3.2: an out-of-band code lives at most 10 minutes (checklist OOB-02)

const codeLifetime: Checker<number> = (value, key) =>
  checkSeconds(key, value, { min: 1, max: CODE_MAX_LIFETIME, maxFix: `must be at most ${CODE_MAX_LIFETIME} seconds (NIST SP 800-63B §5.1.3.2: 10 minutes); got ${describe(value)}` });
const nullable = <T>(check: Checker<T>): Checker<T | null> => (value, key) => (value === null ? null : check(value, key));

/** One checker per option: the value's type and format. Rules that involve several options are in {@link checkTogether}. */
export const CHECKERS: { readonly [K in keyof TwofoldConfig]: Checker<TwofoldConfig[K]> } = {
  twoFactor: (v, k) => checkBoolean(k, v),
  twoFactorRequired: (v, k) =>
    typeof v === 'function' ? (v as TwoFactorRequiredPredicate) : typeof v === 'boolean' ? v : fail(k, `must be true, false or a function (user) => boolean; got ${describe(v)}`),
  twoFactorEnabledMethods: (v, k) => checkList(k, v, CODE_METHODS, { mail: 'email', google_authenticator: 'authenticator' }),
  twoFactorAuthenticatorValidity: (v, k) => checkSeconds(k, v),
  twoFactorMailValidity: codeLifetime,
  twoFactorSmsValidity: codeLifetime,
  twoFactorAlwaysValidate: (v, k) => checkBoolean(k, v),
  twoFactorLoginValidity: (v, k) => checkSeconds(k, v),
  twoFactorValidityCookieName: (v, k) => checkToken(k, v, 'cookie'),
  twoFactorValidityCookie: checkCookie,
  twoFactorSetupWithin: (v, k) => checkSeconds(k, v, { min: 1 }),
  twoFactorRescueEmail: (v, k) => checkBoolean(k, v),
  twoFactorRescueMail: (v, k) => (isEmailAddress(v) ? v : fail(k, `must be an e-mail address such as 'admin@example.com'; got ${describe(v)}`)),
  twoFactorPostSetupView: (v, k) => checkView(k, v),
  twoFactorErrorView: (v, k) => checkView(k, v),
  twoFactorSetupUrl: (v, k) => checkPath(k, v),
  twoFactorTokenValidationUrl: (v, k) => checkPath(k, v),
  twoFactorRescueUrl: (v, k) => checkPath(k, v),
  twoFactorSelectUrl: (v, k) => checkPath(k, v),
  twoFactorDevicesUrl: (v, k) => checkPath(k, v),
  twoFactorSetupTemplate: (v, k) => checkString(k, v),
  twoFactorVerifyCodeTemplate: (v, k) => checkString(k, v),
  twoFactorSelectTemplate: (v, k) => checkString(k, v),
  twoFactorEmailTemplate: (v, k) => checkString(k, v),
  twoFactorRescueEmailTemplate: (v, k) => checkString(k, v),
  emailSubjectTwoFactor: (v, k) => checkString(k, v),
  emailSubjectTwoFactorRescue: (v, k) => checkString(k, v),
  totpSecrets: checkSecrets,
  totpIssuer: (v, k) =>
    typeof v === 'string' && !v.includes(':') ? v.trim() : fail(k, `must be your application's name without ':' (the otpauth label separator), e.g. 'My App'; got ${describe(v)}`),
  smsService: (v, k) => checkString(k, v).trim(),
  smsServiceConfig: (v, k) =>
    isPlainObject(v) ? { ...v } : fail(k, `must be an object such as {"ACCOUNT_SID": "AC…", "AUTH_TOKEN": "…", "PHONE_NUMBER": "+1…"}; got ${describe(v)}`),
  phoneRegionDefault: (v, k) =>
    typeof v === 'string' && isSupportedCountry(v) ? v : fail(k, `must be an upper-case ISO 3166-1 region such as 'US' or 'GB'; got ${describe(v)}`),
  multiFactorRecoveryCodes: (v, k) => checkBoolean(k, v),
  multiFactorRecoveryCodesN: (v, k) => checkInteger(k, v, 1, 100),
  multiFactorRecoveryCodesUrl: (v, k) => checkPath(k, v),
  multiFactorRecoveryCodesTemplate: (v, k) => checkString(k, v),
  multiFactorRecoveryUrl: (v, k) => checkPath(k, v),
  multiFactorRecoveryTemplate: (v, k) => checkString(k, v),
  freshness: (v, k) =>
    typeof v === 'number' && v < 0
      ? fail(k, `must not be negative; FST's "negative means always fresh" is not supported, since sensitive pages must ask for a recent login (checklist FLOW-08). Give the seconds a login stays fresh, e.g. 600`)
      : checkSeconds(k, v),
  freshnessGracePeriod: (v, k) => checkSeconds(k, v),
  sessionLifetime: (v, k) => checkSeconds(k, v, { min: 60 }),
  sessionIdleTimeout: (v, k) => checkSeconds(k, v, { min: 60 }),
  twoFactorLoginWithin: (v, k) => checkSeconds(k, v, { min: 30, max: 600, maxFix: `must be at most 600 seconds: a login waiting longer for its second factor is abandoned (NIST SP 800-63B §5.1.3.2)` }),
  apiEnabledMethods: (v, k) => {
    if (Array.isArray(v) && v.includes('basic')) {
      fail(k, "lists 'basic', which twofold refuses: HTTP Basic would let a password alone in, past the second factor (checklist FLOW-04). Use 'session' and 'token'");
    }
    const methods = checkList(k, v, ['session', 'token'] as const);
    return methods.length > 0 ? methods : fail(k, `is empty; list at least one of 'session', 'token'`);
  },
  csrfIgnoreUnauthEndpoints: (v, k) => checkBoolean(k, v),
  csrfCookieName: nullable((v, k) => checkToken(k, v, 'cookie')),
  csrfHeader: (v, k) => checkToken(k, v, 'header'),
  defaultRememberMe: (v, k) => checkBoolean(k, v),
  loginUrl: (v, k) => checkPath(k, v),
  logoutUrl: (v, k) => checkPath(k, v),
  verifyUrl: (v, k) => checkPath(k, v),
  postLoginView: (v, k) => checkView(k, v),
  postLogoutView: (v, k) => checkView(k, v),
  urlPrefix: (v, k) =>
    v === '' || (typeof v === 'string' && /^\/(?!\/)[^\s?#\\]*[^/\s?#\\]$/.test(v)) ? v : fail(k, `must be '' or a path such as '/auth' (leading '/', no trailing '/'); got ${describe(v)}`),
  totpAlgorithm: checkAlgorithm,
  totpDigits: (v, k) => (v === 6 || v === 8 ? v : fail(k, `must be 6 or 8 (RFC 4226 §5.3 asks for at least 6; authenticator apps show 6 or 8); got ${describe(v)}`)),
  totpPeriod: (v, k) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 15 && v <= 120
      ? v
      : fail(k, `must be a whole number of seconds from 15 to 120 (use 30, RFC 6238 §5.2; NIST SP 800-63B §5.1.4.1 caps it at 2 minutes); got ${describe(v)}`),
  twoFactorMaxCodeAttempts: (v, k) => checkInteger(k, v, 1, 100),
  // NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account.
  twoFactorMaxFailedAttempts: (v, k) => checkInteger(k, v, 1, 100),
  twoFactorLockoutBase: (v, k) => checkSeconds(k, v, { min: 1 }),
  twoFactorLockoutMax: (v, k) => checkSeconds(k, v, { min: 1 }),
  twoFactorChangeEndsOtherSessions: (v, k) => checkBoolean(k, v),
  allowInsecureHttp: (v, k) => checkBoolean(k, v),
  freshnessRequiresSecondFactor: (v, k) => checkBoolean(k, v),
  twoFactorSendCooldown: (v, k) => checkSeconds(k, v, { min: 1 }),
  twoFactorSendWindow: (v, k) => checkSeconds(k, v, { min: 1 }),
  twoFactorMaxSendsPerAccount: (v, k) => checkInteger(k, v, 1, 1000),
  twoFactorMaxSendsPerDestination: (v, k) => checkInteger(k, v, 1, 1000),
  twoFactorMaxSendsPerAddress: (v, k) => checkInteger(k, v, 1, 10_000),
  twoFactorMaxSetupSendsPerAccountDestination: (v, k) => checkInteger(k, v, 1, 100),
  twoFactorMaxSetupSendsPerDestination: (v, k) => checkInteger(k, v, 1, 1000),
  sendTwoFactorNoticeEmail: (v, k) => checkBoolean(k, v),
  emailSubjectTwoFactorNotice: (v, k) => checkString(k, v),
  allowLongAuthenticatorValidity: (v, k) => checkBoolean(k, v),
};

function checkSecrets(value: unknown, key: string): Readonly<Record<string, string>> {
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

function checkAlgorithm(value: unknown, key: string): TotpAlgorithm {
  const name = typeof value === 'string' ? value.toUpperCase().replace('-', '') : value;
  if (name === 'SHA1' || name === 'SHA256' || name === 'SHA512') return name;
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

function checkCookie(value: unknown, key: string): ValidityCookieOptions {
  if (!isPlainObject(value)) fail(key, `must be an object such as { secure: true, sameSite: 'Strict' }; got ${describe(value)}`);
  const cookie: Record<string, unknown> = { ...(OPTIONS.twoFactorValidityCookie.default as ValidityCookieOptions) };
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

