// "Did you mean": closest names, and the mechanical option ↔ SECURITY_* mapping.
import { describe, expect, it } from 'vitest';
import { closest, envNameOf, optionNameOf } from './suggest.js';

describe('closest', () => {
  it('finds near misses in any case', () => {
    expect(closest('twoFactorRequierd', ['twoFactor', 'twoFactorRequired'])).toBe('twoFactorRequired');
    expect(closest('TWOFACTORREQUIRED', ['twoFactorRequired'])).toBe('twoFactorRequired');
    expect(closest('totpSecret', ['totpSecrets', 'totpIssuer'])).toBe('totpSecrets');
  });
  it('gives null when nothing is close', () => {
    expect(closest('zzzzzz', ['twoFactor'])).toBeNull();
    expect(closest('', ['a-long-option-name'])).toBeNull();
  });
});

describe('names', () => {
  it('maps options and environment names both ways', () => {
    expect(envNameOf('twoFactorRequired')).toBe('SECURITY_TWO_FACTOR_REQUIRED');
    expect(envNameOf('multiFactorRecoveryCodesN')).toBe('SECURITY_MULTI_FACTOR_RECOVERY_CODES_N');
    expect(optionNameOf('SECURITY_TOTP_SECRETS')).toBe('totpSecrets');
    expect(optionNameOf('SECURITY_MULTI_FACTOR_RECOVERY_CODE_TTL')).toBe('multiFactorRecoveryCodeTtl');
  });
});
