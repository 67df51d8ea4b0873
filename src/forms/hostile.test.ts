// Threat: a client sends whatever it likes as a body; no form may throw (a 500) or pollute a prototype.
import { describe, expect, it } from 'vitest';
import { messagePlaceholders, type MessageKey } from '../messages.js';
import {
  LoginForm,
  MfRecoveryCodesForm,
  MfRecoveryForm,
  TwoFactorDevicesForm,
  TwoFactorRescueForm,
  TwoFactorSelectForm,
  TwoFactorSetupForm,
  TwoFactorVerifyCodeForm,
  VerifyForm,
} from './index.js';

const forms = {
  TwoFactorSetupForm: new TwoFactorSetupForm({ choices: ['disable', 'email', 'authenticator', 'sms'], validatePhone: (s) => (s.startsWith('+') ? s : null) }),
  TwoFactorVerifyCodeForm: new TwoFactorVerifyCodeForm(),
  TwoFactorRescueForm: new TwoFactorRescueForm({ choices: ['help', 'email', 'recovery_code'] }),
  TwoFactorSelectForm: new TwoFactorSelectForm({ choices: ['authenticator', 'sms'] }),
  MfRecoveryCodesForm: new MfRecoveryCodesForm(),
  TwoFactorDevicesForm: new TwoFactorDevicesForm(),
  MfRecoveryForm: new MfRecoveryForm(),
  LoginForm: new LoginForm(),
  VerifyForm: new VerifyForm(),
};

function deeplyNested(depth: number): unknown {
  let value: unknown = '123456';
  for (let i = 0; i < depth; i += 1) value = { code: value, setup: [value] };
  return value;
}

const FIELDS = ['setup', 'phone', 'code', 'help_setup', 'which', 'show_codes', 'generate_new_codes', 'email', 'password', 'remember', 'next', 'revoke'];
const everyField = (value: unknown): Record<string, unknown> => Object.fromEntries(FIELDS.map((name) => [name, value]));

const bodies: [string, unknown][] = [
  ['a string', 'code=123456'],
  ['a number', 42],
  ['a boolean', true],
  ['an array', ['123456']],
  ['an array of objects', [{ code: '123456' }]],
  ['a Map', new Map([['code', '123456']])],
  ['a Date', new Date(0)],
  ['a function', () => ({ code: '1' })],
  ['a deeply nested object', deeplyNested(10_000)],
  ['a __proto__ key', JSON.parse('{"__proto__": {"code": "123456", "isAdmin": true}, "constructor": {"prototype": {"x": 1}}}')],
  ['every field an array', everyField(['a', 'b'])],
  ['every field an object', everyField({ $ne: null })],
  ['every field a number', everyField(1e308)],
  ['every field NaN', everyField(Number.NaN)],
  ['every field a boolean', everyField(false)],
  ['every field huge', everyField('9'.repeat(1_000_000))],
  ['every field a lone surrogate', everyField('\uD83D')],
  ['every field a NUL', everyField('\u0000')],
  ['repeated form fields', new URLSearchParams(FIELDS.map((name) => `${name}=a&${name}=b`).join('&'))],
  ['a proxy that throws', new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } })],
];

describe('hostile bodies', () => {
  for (const [formName, form] of Object.entries(forms)) {
    for (const [label, body] of bodies) {
      it(`${formName} answers ${label} without throwing`, () => {
        const result = form.validate(body);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          const keys = Object.values(result.errors).flat() as MessageKey[];
          expect(keys.length).toBeGreaterThan(0);
          // A form error renders without parameters (forms/field.ts).
          for (const key of keys) expect(messagePlaceholders(key)).toEqual([]);
        }
      });
    }
  }

  it('never pollutes Object.prototype', () => {
    for (const form of Object.values(forms)) for (const [, body] of bodies) form.validate(body);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(({} as Record<string, unknown>)['code']).toBeUndefined();
  });

  it('refuses a body that is not a form with a form-level API_ERROR', () => {
    for (const form of Object.values(forms)) expect(form.validate('code=1')).toEqual({ ok: false, errors: { '': ['API_ERROR'] } });
  });

  it('freezes results', () => {
    const result = forms.TwoFactorVerifyCodeForm.validate({ code: 1 });
    expect(Object.isFrozen(result.ok ? result.value : result.errors)).toBe(true);
    const failed = forms.TwoFactorVerifyCodeForm.validate({});
    expect(!failed.ok && Object.isFrozen(failed.errors.code)).toBe(true);
  });
});
