/** resolveConfig: options in, a complete frozen configuration out, or a ConfigError that names the key and the fix. */
import { SmsSenderFactory } from '../delivery/sms.js';
import { describe, fail, isPlainObject } from './checks.js';
import { MAKE_SECRET } from './checkers.js';
import type { Checker } from './option.js';
import { closest, optionNameOf } from './suggest.js';
import { ALIASES, isDerivedDefault, isInertValue, OPTION_NAMES, OPTIONS, REFUSED } from './table.js';
import type { TwofoldConfig, TwofoldOptions } from './types.js';
import { MAX_WINDOW_IN_STEPS } from '../otp/totp.js';
import { publishedSecretTags } from './published-secrets.js';

/** What `resolveConfig` needs besides the options. */
export interface ResolveContext {
  /** Whether an SMS sender is registered under a name; `SmsSenderFactory.has` by default. */
  readonly isSmsService?: (name: string) => boolean;
}

/**
 * Turns options into the complete configuration: defaults filled in, every value checked, aliases resolved,
 * then frozen. Start-up code calls it once; `new Security(options, …)` does.
 *
 * @param options - Any subset of the options (see `OPTIONS`), e.g. `{ ...configFromEnv(), totpIssuer: 'My App' }`.
 * @param context - What to check `smsService` against; the process-wide `SmsSenderFactory` by default.
 * @throws ConfigError (`CONFIG_INVALID`) naming the option and the fix: an unknown option (with "did you mean"),
 *   a wrong type, a missing `totpSecrets` or `totpIssuer`, a secret under 32 bytes, `totpDigits` 4, `totpPeriod`
 *   0 or 300, `totpAlgorithm` MD5, an unregistered `smsService`, a negative duration, an authenticator window
 *   more than one time step without `allowLongAuthenticatorValidity`, an empty or unknown method list, a URL not starting
 *   with '/', a `twoFactorRescueMail` that is not an address, an FST key twofold refuses, a key from twofold's README in
 *   `totpSecrets` while `NODE_ENV` is `production`.
 * @throws TypeError when `options` is not an object.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ totpSecrets: { '1': process.env.TOTP_SECRET! }, totpIssuer: 'My App' });
 * config.twoFactorAuthenticatorValidity; // 30
 * ```
 */
export function resolveConfig(options: TwofoldOptions = {}, context: ResolveContext = {}): TwofoldConfig {
  if (!isPlainObject(options)) throw new TypeError('resolveConfig: options must be an object such as { totpSecrets, totpIssuer }');
  const given = collectGiven(options);
  const config: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) {
    const value = given.has(name) ? given.get(name) : OPTIONS[name].default;
    if (!given.has(name) && isDerivedDefault(value)) continue; // filled in by checkTogether
    config[name] = (OPTIONS[name].check as Checker<unknown>)(value, name);
  }
  checkTogether(config as Writable<TwofoldConfig>, context);
  return freezeConfig(config) as unknown as TwofoldConfig;
}


type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The options that were given, by canonical name; throws for unknown, refused or conflicting keys. */
function collectGiven(options: Readonly<Record<string, unknown>>): Map<keyof TwofoldConfig, unknown> {
  const given = new Map<keyof TwofoldConfig, unknown>();
  const keys = Object.keys(options);
  for (const key of keys) {
    if (Object.hasOwn(OPTIONS, key)) {
      if (options[key] !== undefined) given.set(key as keyof TwofoldConfig, options[key]);
    } else if (Object.hasOwn(REFUSED, key)) {
      const entry = REFUSED[key as keyof typeof REFUSED];
      if (options[key] !== undefined && !isInertValue(entry, options[key])) fail(key, entry.fix);
    } else if (!Object.hasOwn(ALIASES, key)) {
      failUnknown(key);
    }
  }
  for (const key of keys) {
    if (!Object.hasOwn(ALIASES, key) || options[key] === undefined) continue;
    const { option } = ALIASES[key as keyof typeof ALIASES];
    if (given.has(option) && !sameValue(given.get(option), options[key])) {
      fail(key, `is the seed's name for '${option}', which is also set, to something else; set only '${option}'`);
    }
    given.set(option, options[key]);
  }
  return given;
}

function failUnknown(key: string): never {
  const named = optionNameOf(key);
  if (key.startsWith('SECURITY_') && (Object.hasOwn(OPTIONS, named) || Object.hasOwn(ALIASES, named))) {
    fail(key, `is the environment variable's name; in code the option is '${named}'`);
  }
  const guess = closest(key, [...OPTION_NAMES, ...Object.keys(ALIASES)]);
  fail(key, guess === null ? 'unknown option; remove it, or see OPTIONS in src/config/table.ts for the names' : `unknown option; did you mean '${guess}'?`);
}

/** The rules that involve more than one option, and the derived defaults. */
function checkTogether(config: Writable<TwofoldConfig>, context: ResolveContext): void {
  if ((config.twoFactor || config.multiFactorRecoveryCodes) && Object.keys(config.totpSecrets).length === 0) {
    fail(
      'totpSecrets',
      `is missing; twofold encrypts TOTP secrets with it. Set totpSecrets: { '1': '<secret>' } ` +
        `(environment: SECURITY_TOTP_SECRETS='{"1":"<secret>"}'). ${MAKE_SECRET}`,
    );
  }
  const published = publishedSecretTags(config.totpSecrets);
  if (published.length > 0 && process.env.NODE_ENV === 'production') {
    fail(
      'totpSecrets',
      `secret "${published[0]}" is the example key from twofold's README, which anyone can read, and NODE_ENV is production. ` +
        `Set your own: totpSecrets: { '1': process.env.TOTP_SECRET } with TOTP_SECRET set, and no fallback. ${MAKE_SECRET}`,
    );
  }
  if (config.twoFactor && config.totpIssuer === '') {
    fail('totpIssuer', "is missing; set it to your application's name, e.g. totpIssuer: 'My App' (authenticator apps show it)");
  }
  if (config.twoFactor && config.twoFactorEnabledMethods.length === 0) {
    fail('twoFactorEnabledMethods', "is empty; list at least one of 'authenticator', 'email', 'sms', or set twoFactor: false");
  }
  // The window is counted in whole time steps either side of now (RFC 6238 §5.2: one step of network delay).
  const windowInSteps = Math.floor(config.twoFactorAuthenticatorValidity / config.totpPeriod);
  if (windowInSteps > 1 && !config.allowLongAuthenticatorValidity) {
    fail(
      'twoFactorAuthenticatorValidity',
      `is ${config.twoFactorAuthenticatorValidity} s, ${windowInSteps} steps of ${config.totpPeriod} s either side of now: every extra step is ` +
        `another valid code to guess (checklist TOTP-06 allows one). Use ${config.totpPeriod}, or set allowLongAuthenticatorValidity: true`,
    );
  }
  if (windowInSteps > MAX_WINDOW_IN_STEPS) {
    fail(
      'twoFactorAuthenticatorValidity',
      `is ${windowInSteps} steps of ${config.totpPeriod} s either side of now; at most ${MAX_WINDOW_IN_STEPS} are possible. Use at most ${MAX_WINDOW_IN_STEPS * config.totpPeriod}`,
    );
  }
  if (config.twoFactorValidityCookie.sameSite === 'None' && !config.twoFactorValidityCookie.secure) {
    fail('twoFactorValidityCookie', "has sameSite 'None' without secure: true, which browsers refuse; set secure: true or sameSite 'Strict'");
  }
  const isSmsService = context.isSmsService ?? ((name: string) => SmsSenderFactory.has(name));
  if (!isSmsService(config.smsService)) {
    fail('smsService', `${describe(config.smsService)} is not a registered SMS sender; use 'dummy' or 'twilio', or register yours first with SmsSenderFactory.register(name, create)`);
  }
  if (config.twoFactorLockoutMax < config.twoFactorLockoutBase) {
    fail('twoFactorLockoutMax', `is ${config.twoFactorLockoutMax} s, shorter than twoFactorLockoutBase (${config.twoFactorLockoutBase} s); use at least ${config.twoFactorLockoutBase}`);
  }
  checkUrlsDistinct(config);
  config.twoFactorPostSetupView ??= config.urlPrefix + config.twoFactorSetupUrl;
  config.twoFactorErrorView ??= config.urlPrefix + config.loginUrl;
}

const ROUTES = [
  'loginUrl',
  'logoutUrl',
  'verifyUrl',
  'twoFactorSetupUrl',
  'twoFactorTokenValidationUrl',
  'twoFactorRescueUrl',
  'twoFactorSelectUrl',
  'twoFactorDevicesUrl',
  'multiFactorRecoveryCodesUrl',
  'multiFactorRecoveryUrl',
] as const satisfies readonly (keyof TwofoldConfig)[];

function checkUrlsDistinct(config: TwofoldConfig): void {
  const seen = new Map<string, string>();
  for (const name of ROUTES) {
    const other = seen.get(config[name]);
    if (other !== undefined) fail(name, `is '${config[name]}', the same as ${other}; give each page its own path`);
    seen.set(config[name], name);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/** Freezes the configuration and the arrays and objects it made; objects nested inside an application's value stay the application's. */
function freezeConfig(config: Record<string, unknown>): Record<string, unknown> {
  for (const value of Object.values(config)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  return Object.freeze(config);
}
