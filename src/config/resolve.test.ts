// resolveConfig: the defaults docs/design.md §2 chose, and a ConfigError that names the key and the fix for each mistake.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { resolveConfig } from './resolve.js';
import type { TwofoldOptions } from './types.js';

const SECRET = 'q8N0b1lC3kV7xYzT5wR2mP9sJ4hG6fD1aE0uI8oK7nM'; // 43 characters, as randomBytes(32).toString('base64url')
const base = { totpSecrets: { '1': SECRET }, totpIssuer: 'Twofold Test' } as const;

function configError(options: unknown, context = {}): ConfigError {
  try {
    resolveConfig(options as TwofoldOptions, context);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig defaults', () => {
  const config = resolveConfig(base);

  it('is strict where security is decided (docs/design.md §2)', () => {
    expect(config.twoFactor).toBe(true);
    expect(config.twoFactorRequired).toBe(false);
    expect(config.multiFactorRecoveryCodes).toBe(true);
    expect(config.multiFactorRecoveryCodesN).toBe(10);
    expect(config.twoFactorAuthenticatorValidity).toBe(30);
    expect(config.twoFactorAlwaysValidate).toBe(true);
    expect(config.twoFactorMailValidity).toBe(300);
    expect(config.twoFactorSmsValidity).toBe(120);
    expect(config.twoFactorEnabledMethods).toEqual(['authenticator']);
    expect(config.twoFactorRescueEmail).toBe(false);
    expect(config.twoFactorSetupWithin).toBe(600);
  });

  it("keeps FST's other defaults and twofold's own", () => {
    expect(config.smsService).toBe('dummy');
    expect(config.phoneRegionDefault).toBe('US');
    // Stricter than FST's 24 h and 1 h: sensitive pages ask for a login or /verify within 10 minutes.
    expect(config.freshness).toBe(600);
    expect(config.freshnessGracePeriod).toBe(300);
    expect(config.twoFactorLoginValidity).toBe(30 * 24 * 3600);
    expect(config.twoFactorValidityCookie).toEqual({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: null });
    expect(config.twoFactorSetupUrl).toBe('/tf-setup');
    expect(config.multiFactorRecoveryCodesUrl).toBe('/mf-recovery-codes');
    expect(config.totpAlgorithm).toBe('SHA1');
    expect(config.totpDigits).toBe(6);
    expect(config.totpPeriod).toBe(30);
    expect(config.twoFactorMaxCodeAttempts).toBe(5);
    expect(config.twoFactorMaxFailedAttempts).toBe(10);
    expect(config.twoFactorLockoutBase).toBe(30);
    expect(config.twoFactorLockoutMax).toBe(3600);
    expect(config.urlPrefix).toBe('');
    expect(config.smsServiceConfig).toEqual({ ACCOUNT_SID: null, AUTH_TOKEN: null, PHONE_NUMBER: null });
  });

  it('derives the post-setup and error views from the prefix and URLs', () => {
    expect(config.twoFactorPostSetupView).toBe('/tf-setup');
    expect(config.twoFactorErrorView).toBe('/login');
    const prefixed = resolveConfig({ ...base, urlPrefix: '/auth', loginUrl: '/sign-in' });
    expect(prefixed.twoFactorPostSetupView).toBe('/auth/tf-setup');
    expect(prefixed.twoFactorErrorView).toBe('/auth/sign-in');
    expect(resolveConfig({ ...base, twoFactorPostSetupView: '/account' }).twoFactorPostSetupView).toBe('/account');
  });

  it('is complete and frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.twoFactorEnabledMethods)).toBe(true);
    expect(Object.isFrozen(config.totpSecrets)).toBe(true);
    expect(Object.values(config).every((value) => value !== undefined)).toBe(true);
  });

  it('does not freeze or keep the caller’s objects', () => {
    const secrets = { '1': SECRET };
    const methods: ('authenticator' | 'sms')[] = ['authenticator'];
    const resolved = resolveConfig({ totpSecrets: secrets, totpIssuer: 'X', twoFactorEnabledMethods: methods });
    expect(Object.isFrozen(secrets)).toBe(false);
    methods.push('sms');
    expect(resolved.twoFactorEnabledMethods).toEqual(['authenticator']);
  });

  it('treats undefined as "not given"', () => {
    expect(resolveConfig({ ...base, twoFactorRequired: undefined }).twoFactorRequired).toBe(false);
  });
});

describe('resolveConfig options', () => {
  it('accepts a predicate for twoFactorRequired', () => {
    const predicate = () => true;
    expect(resolveConfig({ ...base, twoFactorRequired: predicate }).twoFactorRequired).toBe(predicate);
  });

  it('normalizes legacy method names and algorithm spellings', () => {
    expect(resolveConfig({ ...base, twoFactorEnabledMethods: ['mail', 'google_authenticator', 'sms'] }).twoFactorEnabledMethods).toEqual(['email', 'authenticator', 'sms']);
    expect(resolveConfig({ ...base, totpAlgorithm: 'sha-256' as 'SHA256' }).totpAlgorithm).toBe('SHA256');
  });

  it('merges cookie attributes over the default, FST spellings included', () => {
    const config = resolveConfig({ ...base, twoFactorValidityCookie: { secure: false, samesite: 'lax' } as never });
    expect(config.twoFactorValidityCookie).toEqual({ httpOnly: true, secure: false, sameSite: 'Lax', path: '/', domain: null });
  });

  it('accepts the seed aliases', () => {
    const config = resolveConfig({ totpSecrets: base.totpSecrets, recoveryCodes: false, recoveryCodesN: 12, twoFactorSmsService: 'Twilio', twoFactorUriServiceName: 'Seed App' });
    expect(config.multiFactorRecoveryCodes).toBe(false);
    expect(config.multiFactorRecoveryCodesN).toBe(12);
    expect(config.smsService).toBe('Twilio');
    expect(config.totpIssuer).toBe('Seed App');
    expect(resolveConfig({ ...base, recoveryCodesN: 8, multiFactorRecoveryCodesN: 8 }).multiFactorRecoveryCodesN).toBe(8);
  });

  it('needs no secrets when neither 2FA nor recovery codes are on', () => {
    const config = resolveConfig({ twoFactor: false, multiFactorRecoveryCodes: false });
    expect(config.totpSecrets).toEqual({});
    expect(config.totpIssuer).toBe('');
  });

  it('checks smsService against the given registry', () => {
    expect(resolveConfig({ ...base, smsService: 'acme' }, { isSmsService: (name) => name === 'acme' }).smsService).toBe('acme');
  });

  it('allows a long authenticator window only with the explicit override', () => {
    expect(resolveConfig({ ...base, twoFactorAuthenticatorValidity: 300, allowLongAuthenticatorValidity: true }).twoFactorAuthenticatorValidity).toBe(300);
    expect(resolveConfig({ ...base, twoFactorAuthenticatorValidity: 59 }).twoFactorAuthenticatorValidity).toBe(59);
    expect(() => resolveConfig({ ...base, twoFactorAuthenticatorValidity: 60 })).toThrow(/2 steps of 30 s/);
    expect(() => resolveConfig({ ...base, totpPeriod: 15, twoFactorAuthenticatorValidity: 30 })).toThrow(/allowLongAuthenticatorValidity/);
    expect(() => resolveConfig({ ...base, twoFactorAuthenticatorValidity: 600, allowLongAuthenticatorValidity: true })).toThrow(/at most 10/);
    expect(() => resolveConfig({ ...base, twoFactorMailValidity: 90.5 })).toThrow(/whole number of seconds/);
  });
});

describe('resolveConfig errors', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['missing totpSecrets', { totpIssuer: 'X' }, 'totpSecrets', /randomBytes\(32\)/],
    ['empty totpSecrets', { ...base, totpSecrets: {} }, 'totpSecrets', /SECURITY_TOTP_SECRETS/],
    ['recovery codes alone still need secrets', { twoFactor: false, totpSecrets: {} }, 'totpSecrets', /node -e/],
    ['a short secret', { ...base, totpSecrets: { '1': 'secret-key-here' } }, 'totpSecrets', /15 bytes.*at least 32.*node -e/],
    ['a placeholder secret', { ...base, totpSecrets: { '1': 'x'.repeat(40) } }, 'totpSecrets', /does not look random/],
    ['a bad tag', { ...base, totpSecrets: { 'a b': SECRET } }, 'totpSecrets', /tag "a b" must be 1-32 letters/],
    ['a non-string secret', { ...base, totpSecrets: { '1': 12345 } }, 'totpSecrets', /must be a string; got number/],
    ['secrets as a string', { ...base, totpSecrets: SECRET }, 'totpSecrets', /object of tagged secrets/],
    ['missing issuer', { totpSecrets: base.totpSecrets }, 'totpIssuer', /application's name/],
    ['issuer with a colon', { ...base, totpIssuer: 'A:B' }, 'totpIssuer', /without ':'/],
    ['totpDigits 4', { ...base, totpDigits: 4 }, 'totpDigits', /must be 6 or 8/],
    ['totpPeriod 300', { ...base, totpPeriod: 300 }, 'totpPeriod', /15 to 120 \(use 30/],
    ['totpPeriod 0', { ...base, totpPeriod: 0 }, 'totpPeriod', /use 30/],
    ['totpAlgorithm MD5', { ...base, totpAlgorithm: 'MD5' }, 'totpAlgorithm', /'SHA1', 'SHA256' or 'SHA512'.*Use 'SHA1'/],
    ['an unknown SMS service', { ...base, smsService: 'carrier-pigeon' }, 'smsService', /register yours first with SmsSenderFactory.register/],
    ['a negative mail validity', { ...base, twoFactorMailValidity: -1 }, 'twoFactorMailValidity', /at least 1 seconds/],
    ['a mail validity over 10 minutes', { ...base, twoFactorMailValidity: 601 }, 'twoFactorMailValidity', /at most 600 seconds/],
    ['a negative SMS validity', { ...base, twoFactorSmsValidity: -5 }, 'twoFactorSmsValidity', /at least 1/],
    ['a negative login validity', { ...base, twoFactorLoginValidity: -60 }, 'twoFactorLoginValidity', /must not be negative.*0 or more/],
    ['a negative authenticator validity', { ...base, twoFactorAuthenticatorValidity: -30 }, 'twoFactorAuthenticatorValidity', /not be negative/],
    ['a long authenticator window', { ...base, twoFactorAuthenticatorValidity: 121 }, 'twoFactorAuthenticatorValidity', /Use 30, or set allowLongAuthenticatorValidity: true/],
    ['a negative freshness', { ...base, freshness: -1 }, 'freshness', /e\.g\. 600/],
    ['seconds as a string', { ...base, twoFactorSetupWithin: '30 minutes' }, 'twoFactorSetupWithin', /number of seconds/],
    ['an empty method list', { ...base, twoFactorEnabledMethods: [] }, 'twoFactorEnabledMethods', /list at least one of 'authenticator', 'email', 'sms', or set twoFactor: false/],
    ['an unknown method', { ...base, twoFactorEnabledMethods: ['authenticator', 'webauthn'] }, 'twoFactorEnabledMethods', /"webauthn" is not one of/],
    ['a method twice', { ...base, twoFactorEnabledMethods: ['email', 'mail'] }, 'twoFactorEnabledMethods', /twice/],
    ['methods as a string', { ...base, twoFactorEnabledMethods: 'email' }, 'twoFactorEnabledMethods', /must be a list/],
    ['a URL without /', { ...base, twoFactorSetupUrl: 'tf-setup' }, 'twoFactorSetupUrl', /starting with '\/'/],
    ['a protocol-relative URL', { ...base, twoFactorRescueUrl: '//evil.example' }, 'twoFactorRescueUrl', /starting with '\/'/],
    ['two pages on one path', { ...base, twoFactorRescueUrl: '/tf-setup' }, 'twoFactorRescueUrl', /same as twoFactorSetupUrl/],
    ['a prefix with a trailing slash', { ...base, urlPrefix: '/auth/' }, 'urlPrefix', /no trailing/],
    ['a view that is neither path nor URL', { ...base, postLoginView: 'home' }, 'postLoginView', /https:\/\//],
    ['a rescue mail that is not an address', { ...base, twoFactorRescueMail: 'admin' }, 'twoFactorRescueMail', /e-mail address such as/],
    ['a boolean given as a string', { ...base, twoFactorRequired: 'yes' }, 'twoFactorRequired', /true, false or a function/],
    ['recovery codes N 0', { ...base, multiFactorRecoveryCodesN: 0 }, 'multiFactorRecoveryCodesN', /from 1 to 100/],
    ['attempts 1000', { ...base, twoFactorMaxCodeAttempts: 1000 }, 'twoFactorMaxCodeAttempts', /from 1 to 100/],
    ['account failures above NIST\'s 100', { ...base, twoFactorMaxFailedAttempts: 101 }, 'twoFactorMaxFailedAttempts', /from 1 to 100/],
    ['account failures 0', { ...base, twoFactorMaxFailedAttempts: 0 }, 'twoFactorMaxFailedAttempts', /from 1 to 100/],
    ['a lockout base of 0', { ...base, twoFactorLockoutBase: 0 }, 'twoFactorLockoutBase', /at least 1 seconds/],
    ['a lockout max below the base', { ...base, twoFactorLockoutBase: 60, twoFactorLockoutMax: 30 }, 'twoFactorLockoutMax', /shorter than twoFactorLockoutBase/],
    ['an unknown region', { ...base, phoneRegionDefault: 'XX' }, 'phoneRegionDefault', /'US' or 'GB'/],
    ['a cookie name with a space', { ...base, twoFactorValidityCookieName: 'tf validity' }, 'twoFactorValidityCookieName', /cookie name/],
    ['SameSite None without Secure', { ...base, twoFactorValidityCookie: { sameSite: 'None', secure: false } }, 'twoFactorValidityCookie', /set secure: true/],
    ['an unknown cookie attribute', { ...base, twoFactorValidityCookie: { maxAge: 1 } }, 'twoFactorValidityCookie', /allowed: httpOnly/],
    ['a bad API method', { ...base, apiEnabledMethods: ['session', 'cookie'] }, 'apiEnabledMethods', /not one of/],
    ["redirectBehavior 'spa', which is not implemented", { ...base, redirectBehavior: 'spa' }, 'redirectBehavior', /not implemented.*Remove this option/],
    ['a loginErrorView', { ...base, loginErrorView: '/spa/error' }, 'loginErrorView', /redirectBehavior 'spa'.*Remove this option/],
    ['wanAllowAsMultiFactor false, for a plugin that does not exist', { ...base, wanAllowAsMultiFactor: false }, 'wanAllowAsMultiFactor', /WebAuthn plugin.*remove this option/],
    ['a validity salt', { ...base, twoFactorValiditySalt: 'my-salt' }, 'twoFactorValiditySalt', /hashes in the database.*remove this option/],
    ['a set-up salt', { ...base, twoFactorSetupSalt: 'my-salt' }, 'twoFactorSetupSalt', /no salt to set; remove this option/],
    ['a typo', { ...base, twoFactorRequierd: true }, 'twoFactorRequierd', /did you mean 'twoFactorRequired'\?/],
    ['a typo in an alias', { ...base, recoveryCodez: true }, 'recoveryCodez', /did you mean 'recoveryCodes'\?/],
    ['an environment name in code', { ...base, SECURITY_TWO_FACTOR_REQUIRED: true }, 'SECURITY_TWO_FACTOR_REQUIRED', /the option is 'twoFactorRequired'/],
    ['nonsense', { ...base, zzzzzzzzzzzz: 1 }, 'zzzzzzzzzzzz', /remove it/],
    ['a refused FST key', { ...base, multiFactorRecoveryCodesKeys: ['k'] }, 'multiFactorRecoveryCodesKeys', /one-way hashes.*remove this option/],
    ['a removed FST key', { ...base, twoFactorSecret: 'x' }, 'twoFactorSecret', /use totpSecrets/],
    ['conflicting alias', { ...base, recoveryCodesN: 5, multiFactorRecoveryCodesN: 8 }, 'recoveryCodesN', /set only 'multiFactorRecoveryCodesN'/],
  ];

  for (const [name, options, key, fix] of cases) {
    it(`${name} → ${key}`, () => {
      const error = configError(options);
      expect(error.key).toBe(key);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message.startsWith(`${key}: `)).toBe(true);
      expect(error.message).toMatch(fix);
    });
  }

  it("accepts FST's defaults of the refused keys, which change nothing, so an FST configuration still loads", () => {
    const carried = { ...base, twoFactorValiditySalt: 'tf-validity-salt', twoFactorSetupSalt: 'tf-setup-salt', wanAllowAsMultiFactor: true, redirectBehavior: null, loginErrorView: null } as const;
    const config = resolveConfig(carried);
    for (const key of ['twoFactorValiditySalt', 'twoFactorSetupSalt', 'wanAllowAsMultiFactor', 'redirectBehavior', 'loginErrorView']) expect(config).not.toHaveProperty(key);
    expect(resolveConfig(base).twoFactor).toBe(true);
  });

  it('never echoes a secret', () => {
    for (const secret of ['short-secret', 'x'.repeat(40)]) {
      expect(configError({ ...base, totpSecrets: { '1': secret } }).message).not.toContain(secret);
    }
  });

  it('refuses options that are not an object with TypeError', () => {
    for (const options of [null, 'x', [], 1]) expect(() => resolveConfig(options as TwofoldOptions)).toThrow(TypeError);
  });
});
