// The option table: one row per option, SECURITY_* names derived mechanically, defaults that resolve.
import { describe, expect, it } from 'vitest';
import { envNameOf, optionNameOf } from './suggest.js';
import { ALIASES, isDerivedDefault, OPTION_NAMES, OPTIONS, REFUSED } from './table.js';

describe('OPTIONS', () => {
  it('maps every option to its SECURITY_* name mechanically', () => {
    for (const name of OPTION_NAMES) {
      expect(OPTIONS[name].env, name).toBe(envNameOf(name));
      expect(optionNameOf(OPTIONS[name].env)).toBe(name);
    }
    for (const [alias, { env }] of Object.entries(ALIASES)) expect(env).toBe(envNameOf(alias));
    for (const [key, { env }] of Object.entries(REFUSED)) expect(env).toBe(envNameOf(key));
  });

  it('has the keys the seed and docs/flask-security-reference.md §1 name', () => {
    const fst = [
      'SECURITY_TWO_FACTOR', 'SECURITY_TWO_FACTOR_REQUIRED', 'SECURITY_TWO_FACTOR_ENABLED_METHODS', 'SECURITY_TWO_FACTOR_AUTHENTICATOR_VALIDITY',
      'SECURITY_TWO_FACTOR_MAIL_VALIDITY', 'SECURITY_TWO_FACTOR_SMS_VALIDITY', 'SECURITY_TWO_FACTOR_ALWAYS_VALIDATE', 'SECURITY_TWO_FACTOR_LOGIN_VALIDITY',
      'SECURITY_TWO_FACTOR_VALIDITY_COOKIE_NAME', 'SECURITY_TWO_FACTOR_VALIDITY_COOKIE', 'SECURITY_TWO_FACTOR_VALIDITY_SALT', 'SECURITY_TWO_FACTOR_SETUP_SALT',
      'SECURITY_TWO_FACTOR_SETUP_WITHIN', 'SECURITY_TWO_FACTOR_RESCUE_EMAIL', 'SECURITY_TWO_FACTOR_RESCUE_MAIL', 'SECURITY_TWO_FACTOR_POST_SETUP_VIEW',
      'SECURITY_TWO_FACTOR_ERROR_VIEW', 'SECURITY_TWO_FACTOR_SETUP_URL', 'SECURITY_TWO_FACTOR_TOKEN_VALIDATION_URL', 'SECURITY_TWO_FACTOR_RESCUE_URL',
      'SECURITY_TWO_FACTOR_SELECT_URL', 'SECURITY_TWO_FACTOR_SETUP_TEMPLATE', 'SECURITY_TWO_FACTOR_VERIFY_CODE_TEMPLATE', 'SECURITY_TWO_FACTOR_SELECT_TEMPLATE',
      'SECURITY_TWO_FACTOR_EMAIL_TEMPLATE', 'SECURITY_TWO_FACTOR_RESCUE_EMAIL_TEMPLATE', 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR', 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR_RESCUE',
      'SECURITY_TOTP_SECRETS', 'SECURITY_TOTP_ISSUER', 'SECURITY_SMS_SERVICE', 'SECURITY_SMS_SERVICE_CONFIG', 'SECURITY_PHONE_REGION_DEFAULT',
      'SECURITY_MULTI_FACTOR_RECOVERY_CODES', 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_N', 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_URL',
      'SECURITY_MULTI_FACTOR_RECOVERY_CODES_TEMPLATE', 'SECURITY_MULTI_FACTOR_RECOVERY_URL', 'SECURITY_MULTI_FACTOR_RECOVERY_TEMPLATE',
      'SECURITY_MULTI_FACTOR_RECOVERY_CODE_TTL', 'SECURITY_FRESHNESS', 'SECURITY_FRESHNESS_GRACE_PERIOD', 'SECURITY_API_ENABLED_METHODS',
      'SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS', 'SECURITY_CSRF_COOKIE_NAME', 'SECURITY_CSRF_HEADER', 'SECURITY_DEFAULT_REMEMBER_ME',
      'SECURITY_WAN_ALLOW_AS_MULTI_FACTOR', 'SECURITY_REDIRECT_BEHAVIOR', 'SECURITY_LOGIN_ERROR_VIEW',
    ];
    const known = new Set<string>([...OPTION_NAMES.map((name) => OPTIONS[name].env), ...Object.values(REFUSED).map((r) => r.env)]);
    for (const env of fst) expect(known.has(env), env).toBe(true);
    const seed = ['SECURITY_RECOVERY_CODES', 'SECURITY_RECOVERY_CODES_N', 'SECURITY_TWO_FACTOR_SMS_SERVICE'];
    for (const env of seed) expect(Object.values(ALIASES).map((a) => a.env)).toContain(env);
  });

  it('gives every row a summary and a default or a derivation', () => {
    for (const name of OPTION_NAMES) {
      expect(OPTIONS[name].summary.length, name).toBeGreaterThan(5);
      expect(OPTIONS[name].default, name).not.toBeUndefined();
    }
    expect(isDerivedDefault(OPTIONS.twoFactorPostSetupView.default)).toBe(true);
    expect(isDerivedDefault(OPTIONS.twoFactorValidityCookie.default)).toBe(false);
  });

  it('is frozen and has no alias that shadows an option', () => {
    expect(Object.isFrozen(OPTIONS)).toBe(true);
    for (const alias of Object.keys(ALIASES)) expect(OPTION_NAMES).not.toContain(alias);
    for (const refused of Object.keys(REFUSED)) expect(OPTION_NAMES).not.toContain(refused);
  });
});
