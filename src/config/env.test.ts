// configFromEnv: SECURITY_* variables parsed by kind; a malformed one is a ConfigError naming the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { configFromEnv } from './env.js';
import { resolveConfig } from './resolve.js';

function envError(env: Record<string, string>): ConfigError {
  try {
    configFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const SECRET = 'q8N0b1lC3kV7xYzT5wR2mP9sJ4hG6fD1aE0uI8oK7nM';

describe('configFromEnv', () => {
  it('returns only what is set', () => {
    expect(configFromEnv({})).toEqual({});
    expect(configFromEnv({ PATH: '/bin', SECURITY_PASSWORD_HASH: 'argon2' })).toEqual({});
  });

  it('parses each kind', () => {
    const options = configFromEnv({
      SECURITY_TWO_FACTOR_REQUIRED: 'TRUE',
      SECURITY_TWO_FACTOR_ALWAYS_VALIDATE: 'false',
      SECURITY_TWO_FACTOR_MAIL_VALIDITY: '240',
      SECURITY_TWO_FACTOR_LOGIN_VALIDITY: ' 86400 ',
      SECURITY_MULTI_FACTOR_RECOVERY_CODES_N: '12',
      SECURITY_TOTP_ISSUER: 'My App',
      SECURITY_CSRF_COOKIE_NAME: '',
      SECURITY_TWO_FACTOR_ENABLED_METHODS: '["authenticator","sms"]',
      SECURITY_API_ENABLED_METHODS: 'session, token',
      SECURITY_TOTP_SECRETS: `{"1":"${SECRET}"}`,
    });
    expect(options).toEqual({
      twoFactorRequired: true,
      twoFactorAlwaysValidate: false,
      twoFactorMailValidity: 240,
      twoFactorLoginValidity: 86400,
      multiFactorRecoveryCodesN: 12,
      totpIssuer: 'My App',
      csrfCookieName: null,
      twoFactorEnabledMethods: ['authenticator', 'sms'],
      apiEnabledMethods: ['session', 'token'],
      totpSecrets: { '1': SECRET },
    });
  });

  it('feeds resolveConfig', () => {
    const config = resolveConfig({ ...configFromEnv({ SECURITY_TOTP_SECRETS: `{"1":"${SECRET}"}`, SECURITY_TOTP_ISSUER: 'Env App' }), twoFactorRequired: true });
    expect(config.totpIssuer).toBe('Env App');
    expect(config.twoFactorRequired).toBe(true);
  });

  it("reads the seed's names as aliases", () => {
    expect(configFromEnv({ SECURITY_RECOVERY_CODES: 'false', SECURITY_RECOVERY_CODES_N: '8', SECURITY_TWO_FACTOR_SMS_SERVICE: 'Twilio' })).toEqual({
      multiFactorRecoveryCodes: false,
      multiFactorRecoveryCodesN: 8,
      smsService: 'Twilio',
    });
    expect(configFromEnv({ SECURITY_RECOVERY_CODES_N: '8', SECURITY_MULTI_FACTOR_RECOVERY_CODES_N: '8' })).toEqual({ multiFactorRecoveryCodesN: 8 });
  });

  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['yes for a boolean', { SECURITY_TWO_FACTOR_REQUIRED: 'yes' }, 'SECURITY_TWO_FACTOR_REQUIRED', /true or false; got "yes"/],
    ['1 for a boolean', { SECURITY_TWO_FACTOR: '1' }, 'SECURITY_TWO_FACTOR', /true or false/],
    ['5m for seconds', { SECURITY_TWO_FACTOR_MAIL_VALIDITY: '5m' }, 'SECURITY_TWO_FACTOR_MAIL_VALIDITY', /number of seconds, e\.g\. 300/],
    ['an empty number', { SECURITY_FRESHNESS: '' }, 'SECURITY_FRESHNESS', /number of seconds/],
    ['a fraction for an integer', { SECURITY_TOTP_DIGITS: '6.5' }, 'SECURITY_TOTP_DIGITS', /whole number/],
    ['bad JSON', { SECURITY_TOTP_SECRETS: "{'1': 'abc'}" }, 'SECURITY_TOTP_SECRETS', /not valid JSON.*double quotes/],
    ['a JSON array for an object', { SECURITY_SMS_SERVICE_CONFIG: '[1]' }, 'SECURITY_SMS_SERVICE_CONFIG', /JSON object/],
    ['bad JSON list', { SECURITY_TWO_FACTOR_ENABLED_METHODS: '["email",' }, 'SECURITY_TWO_FACTOR_ENABLED_METHODS', /not valid JSON/],
    ['a JSON list of numbers', { SECURITY_TWO_FACTOR_ENABLED_METHODS: '[1,2]' }, 'SECURITY_TWO_FACTOR_ENABLED_METHODS', /array of strings/],
    ['a conflicting alias', { SECURITY_RECOVERY_CODES_N: '5', SECURITY_MULTI_FACTOR_RECOVERY_CODES_N: '8' }, 'SECURITY_RECOVERY_CODES_N', /set only SECURITY_MULTI_FACTOR_RECOVERY_CODES_N/],
    ['a typo under our prefix', { SECURITY_TWO_FACTOR_REQURED: 'true' }, 'SECURITY_TWO_FACTOR_REQURED', /did you mean SECURITY_TWO_FACTOR_REQUIRED\?/],
    ['an unknown variable under our prefix', { SECURITY_TOTP_WHATEVER_THIS_IS: '1' }, 'SECURITY_TOTP_WHATEVER_THIS_IS', /not a twofold setting/],
    ['a refused FST variable', { SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS: '["k"]' }, 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS', /one-way hashes/],
    ['a removed FST variable', { SECURITY_TWO_FACTOR_GOOGLE_AUTH_VALIDITY: '0' }, 'SECURITY_TWO_FACTOR_GOOGLE_AUTH_VALIDITY', /twoFactorAuthenticatorValidity/],
    ['SPA redirects', { SECURITY_REDIRECT_BEHAVIOR: 'spa' }, 'SECURITY_REDIRECT_BEHAVIOR', /not implemented/],
    ['an SPA error view', { SECURITY_LOGIN_ERROR_VIEW: '/error' }, 'SECURITY_LOGIN_ERROR_VIEW', /redirectBehavior 'spa'/],
    ['passkeys as multi-factor off', { SECURITY_WAN_ALLOW_AS_MULTI_FACTOR: 'false' }, 'SECURITY_WAN_ALLOW_AS_MULTI_FACTOR', /WebAuthn plugin/],
    ['a validity salt', { SECURITY_TWO_FACTOR_VALIDITY_SALT: 'pepper' }, 'SECURITY_TWO_FACTOR_VALIDITY_SALT', /no salt to set/],
    ['a set-up salt', { SECURITY_TWO_FACTOR_SETUP_SALT: 'pepper' }, 'SECURITY_TWO_FACTOR_SETUP_SALT', /no salt to set/],
  ];

  it("ignores the refused variables set to FST's defaults, which change nothing", () => {
    const fstDefaults = {
      SECURITY_REDIRECT_BEHAVIOR: '',
      SECURITY_LOGIN_ERROR_VIEW: 'null',
      SECURITY_WAN_ALLOW_AS_MULTI_FACTOR: 'True',
      SECURITY_TWO_FACTOR_VALIDITY_SALT: 'tf-validity-salt',
      SECURITY_TWO_FACTOR_SETUP_SALT: 'tf-setup-salt',
    };
    expect(configFromEnv({ ...fstDefaults, SECURITY_TOTP_ISSUER: 'My App' })).toEqual({ totpIssuer: 'My App' });
  });
  for (const [name, env, key, fix] of cases) {
    it(`${name} → ${key}`, () => {
      const error = envError(env);
      expect(error.key).toBe(key);
      expect(error.message).toMatch(fix);
    });
  }

  it('never quotes a secret from bad JSON', () => {
    const secret = 'hunter2-hunter2-hunter2-hunter2-hunter2';
    expect(envError({ SECURITY_TOTP_SECRETS: `{"1": ${secret}}` }).message).not.toContain(secret);
  });

  it('reads process.env by default', () => {
    const saved = process.env.SECURITY_TOTP_ISSUER;
    process.env.SECURITY_TOTP_ISSUER = 'From Process';
    try {
      expect(configFromEnv().totpIssuer).toBe('From Process');
    } finally {
      if (saved === undefined) delete process.env.SECURITY_TOTP_ISSUER;
      else process.env.SECURITY_TOTP_ISSUER = saved;
    }
  });
});
