// TwoFactorSetupForm: method choice, the `mail` alias, and the phone rules for `sms` (FST §2.1).
import { describe, expect, it } from 'vitest';
import { PHONE_MAX_LENGTH, TwoFactorSetupForm } from './two-factor-setup.js';

const validatePhone = (phone: string): string | null => (phone === '650-555-1212' ? '+16505551212' : null);
const form = new TwoFactorSetupForm({ choices: ['disable', 'email', 'authenticator', 'sms'], validatePhone });

describe('TwoFactorSetupForm', () => {
  it('describes its fields with wire names, labels and hints', () => {
    expect(form.fields.map((f) => f.name)).toEqual(['setup', 'phone', 'submit']);
    const [setup, phone] = form.fields;
    expect(setup?.kind).toBe('radio');
    expect(setup?.choices).toEqual([
      { value: 'disable', label: 'LABEL_SETUP_DISABLE' },
      { value: 'email', label: 'LABEL_SETUP_EMAIL' },
      { value: 'authenticator', label: 'LABEL_SETUP_AUTHENTICATOR' },
      { value: 'sms', label: 'LABEL_SETUP_SMS' },
    ]);
    expect(phone).toMatchObject({ kind: 'tel', label: 'LABEL_PHONE', maxLength: PHONE_MAX_LENGTH, attributes: { autocomplete: 'tel' } });
    expect(Object.isFrozen(form.fields)).toBe(true);
  });

  it('leaves the phone field out when sms is not a choice', () => {
    expect(new TwoFactorSetupForm({ choices: ['authenticator'] }).fields.map((f) => f.name)).toEqual(['setup', 'submit']);
  });

  it('accepts each offered method', () => {
    expect(form.validate({ setup: 'authenticator' })).toEqual({ ok: true, value: { setup: 'authenticator', phone: null } });
    expect(form.validate({ setup: 'email', phone: '' })).toEqual({ ok: true, value: { setup: 'email', phone: null } });
    expect(form.validate({ setup: 'disable' })).toEqual({ ok: true, value: { setup: 'disable', phone: null } });
  });

  it('reads the legacy mail as email when email is offered', () => {
    expect(form.validate({ setup: 'mail' })).toEqual({ ok: true, value: { setup: 'email', phone: null } });
    const noEmail = new TwoFactorSetupForm({ choices: ['authenticator'] });
    expect(noEmail.validate({ setup: 'mail' })).toEqual({ ok: false, errors: { setup: ['TWO_FACTOR_METHOD_NOT_AVAILABLE'] } });
  });

  it('refuses a missing or unoffered method with TWO_FACTOR_METHOD_NOT_AVAILABLE', () => {
    for (const data of [{}, { setup: '' }, { setup: 'webauthn' }, { setup: 'google_authenticator' }, { setup: 'Disable' }]) {
      expect(form.validate(data)).toEqual({ ok: false, errors: { setup: ['TWO_FACTOR_METHOD_NOT_AVAILABLE'] } });
    }
    const required = new TwoFactorSetupForm({ choices: ['email', 'authenticator'] });
    expect(required.validate({ setup: 'disable' })).toEqual({ ok: false, errors: { setup: ['TWO_FACTOR_METHOD_NOT_AVAILABLE'] } });
  });

  it('returns the normalized phone for sms', () => {
    expect(form.validate({ setup: 'sms', phone: ' 650-555-1212 ' })).toEqual({ ok: true, value: { setup: 'sms', phone: '+16505551212' } });
  });

  it('refuses sms with an empty or invalid phone with PHONE_INVALID', () => {
    for (const phone of [undefined, null, '', '   ', '555-1212']) {
      expect(form.validate({ setup: 'sms', phone })).toEqual({ ok: false, errors: { phone: ['PHONE_INVALID'] } });
    }
  });

  it('passes the trimmed phone through when no validatePhone is given', () => {
    const plain = new TwoFactorSetupForm({ choices: ['sms'] });
    expect(plain.validate({ setup: 'sms', phone: ' 555 ' })).toEqual({ ok: true, value: { setup: 'sms', phone: '555' } });
    expect(plain.validate({ setup: 'sms' })).toEqual({ ok: false, errors: { phone: ['PHONE_INVALID'] } });
  });

  it('treats a throwing or odd validatePhone as "invalid"', () => {
    const throwing = new TwoFactorSetupForm({ choices: ['sms'], validatePhone: () => { throw new Error('parse'); } });
    expect(throwing.validate({ setup: 'sms', phone: '1' })).toEqual({ ok: false, errors: { phone: ['PHONE_INVALID'] } });
    const empty = new TwoFactorSetupForm({ choices: ['sms'], validatePhone: () => '' });
    expect(empty.validate({ setup: 'sms', phone: '1' })).toEqual({ ok: false, errors: { phone: ['PHONE_INVALID'] } });
  });

  it('refuses a wrong-typed or over-long phone even when sms is not chosen', () => {
    expect(form.validate({ setup: 'email', phone: ['1'] })).toEqual({ ok: false, errors: { phone: ['API_ERROR'] } });
    expect(form.validate({ setup: 'sms', phone: '1'.repeat(PHONE_MAX_LENGTH + 1) })).toEqual({ ok: false, errors: { phone: ['FIELD_TOO_LONG'] } });
  });

  it('reports errors on both fields at once', () => {
    expect(form.validate({ setup: 'nope', phone: 5 })).toEqual({ ok: false, errors: { setup: ['TWO_FACTOR_METHOD_NOT_AVAILABLE'], phone: ['API_ERROR'] } });
  });

  it('refuses a wrong-typed setup with API_ERROR', () => {
    expect(form.validate({ setup: ['sms'] })).toEqual({ ok: false, errors: { setup: ['API_ERROR'] } });
  });

  it('types setup by its choices', () => {
    const typed = new TwoFactorSetupForm({ choices: ['disable', 'authenticator'] });
    const result = typed.validate({ setup: 'authenticator' });
    if (result.ok) {
      const setup: 'disable' | 'authenticator' = result.value.setup;
      expect(setup).toBe('authenticator');
    }
  });

  it('refuses bad constructor options with TypeError', () => {
    expect(() => new TwoFactorSetupForm({ choices: 'sms' as unknown as string[] })).toThrow(TypeError);
    expect(() => new TwoFactorSetupForm({ choices: ['sms', 'sms'] })).toThrow(/twice/);
    expect(() => new TwoFactorSetupForm({ choices: [''] })).toThrow(TypeError);
    expect(() => new TwoFactorSetupForm({ choices: ['sms'], validatePhone: 'x' as unknown as () => null })).toThrow(/validatePhone/);
  });
});
