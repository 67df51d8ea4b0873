// TwoFactorSelectForm: one of the user's set-up methods (FST §2.5).
import { describe, expect, it } from 'vitest';
import { TwoFactorSelectForm } from './two-factor-select.js';

const form = new TwoFactorSelectForm({ choices: ['sms', 'authenticator', 'webauthn'] });

describe('TwoFactorSelectForm', () => {
  it('labels known methods and leaves others to the renderer', () => {
    expect(form.fields.map((f) => f.name)).toEqual(['which', 'submit']);
    expect(form.fields[0]?.choices).toEqual([
      { value: 'sms', label: 'METHOD_SMS' },
      { value: 'authenticator', label: 'METHOD_AUTHENTICATOR' },
      { value: 'webauthn', label: null },
    ]);
    expect(form.fields[1]).toMatchObject({ kind: 'submit', label: 'LABEL_SELECT' });
  });

  it('accepts a set-up method', () => {
    expect(form.validate({ which: 'webauthn' })).toEqual({ ok: true, value: { which: 'webauthn' } });
  });

  it('refuses other values', () => {
    for (const data of [{}, { which: 'email' }, { which: '' }]) expect(form.validate(data)).toEqual({ ok: false, errors: { which: ['NOT_A_VALID_CHOICE'] } });
    expect(form.validate({ which: 3 })).toEqual({ ok: false, errors: { which: ['API_ERROR'] } });
  });
});
