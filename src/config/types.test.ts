// The option types are read off the table: each option's type is what its row's checker returns.
import { describe, expectTypeOf, it } from 'vitest';
import type { CodeMethod } from '../factors/code/methods.js';
import type { OtpAlgorithm } from '../otp/hotp.js';
import { option, type OptionSpec } from './option.js';
import { checkBoolean } from './checks.js';
import type { ApiAuthMethod, Seconds, TwoFactorRequiredPredicate, TwofoldConfig, TwofoldOptions, ValidityCookieOptions } from './types.js';

describe('TwofoldConfig', () => {
  it('takes each option type from its checker', () => {
    expectTypeOf<TwofoldConfig['twoFactorEnabledMethods']>().toEqualTypeOf<readonly CodeMethod[]>();
    expectTypeOf<TwofoldConfig['apiEnabledMethods']>().toEqualTypeOf<readonly ApiAuthMethod[]>();
    expectTypeOf<TwofoldConfig['totpAlgorithm']>().toEqualTypeOf<OtpAlgorithm>();
    expectTypeOf<TwofoldConfig['totpDigits']>().toEqualTypeOf<6 | 8>();
    expectTypeOf<TwofoldConfig['twoFactorMailValidity']>().toEqualTypeOf<Seconds>();
    expectTypeOf<TwofoldConfig['twoFactorRequired']>().toEqualTypeOf<boolean | TwoFactorRequiredPredicate>();
    expectTypeOf<TwofoldConfig['csrfCookieName']>().toEqualTypeOf<string | null>();
    expectTypeOf<TwofoldConfig['twoFactorValidityCookie']>().toEqualTypeOf<ValidityCookieOptions>();
    expectTypeOf<TwofoldConfig['totpSecrets']>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });

  it('accepts the looser input forms, the aliases and the inert values of refused keys as options', () => {
    expectTypeOf<{ twoFactorEnabledMethods: ['mail', 'google_authenticator'] }>().toMatchTypeOf<TwofoldOptions>();
    expectTypeOf<{ twoFactorValidityCookie: { secure: false } }>().toMatchTypeOf<TwofoldOptions>();
    expectTypeOf<{ recoveryCodesN: number; twoFactorValiditySalt: 'tf-validity-salt'; redirectBehavior: null }>().toMatchTypeOf<TwofoldOptions>();
    expectTypeOf<{ twoFactorValiditySalt: 'my-salt' }>().not.toMatchTypeOf<TwofoldOptions>();
    expectTypeOf<{ twoFactorEnabledMethods: ['webauthn'] }>().not.toMatchTypeOf<TwofoldOptions>();
  });

  it('types a row by its checker, and holds the default to that type', () => {
    const row = option({ env: 'SECURITY_EXAMPLE', kind: 'boolean', default: true, summary: 'An example.', check: (v, k) => checkBoolean(k, v) });
    expectTypeOf(row).toEqualTypeOf<OptionSpec<boolean>>();
    // @ts-expect-error: the default must be what the checker returns
    option({ env: 'SECURITY_EXAMPLE', kind: 'boolean', default: 'yes', summary: 'An example.', check: (v, k) => checkBoolean(k, v) });
  });
});
