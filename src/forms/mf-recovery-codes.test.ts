// MfRecoveryCodesForm: two buttons whose presence matters (docs/flask-security-reference.md §2.6).
import { describe, expect, it } from 'vitest';
import { MfRecoveryCodesForm } from './mf-recovery-codes.js';

const form = new MfRecoveryCodesForm();

describe('MfRecoveryCodesForm', () => {
  it('has only the two buttons', () => {
    expect(form.fields.map((f) => [f.name, f.kind, f.label])).toEqual([
      ['show_codes', 'submit', 'LABEL_SHOW_RECOVERY_CODES'],
      ['generate_new_codes', 'submit', 'LABEL_GENERATE_RECOVERY_CODES'],
    ]);
  });

  it('reports which button was sent', () => {
    expect(form.validate({})).toEqual({ ok: true, value: { showCodes: false, generateNewCodes: false } });
    expect(form.validate(undefined)).toEqual({ ok: true, value: { showCodes: false, generateNewCodes: false } });
    expect(form.validate(new URLSearchParams('show_codes='))).toEqual({ ok: true, value: { showCodes: true, generateNewCodes: false } });
    expect(form.validate({ generate_new_codes: 'Generate New Recovery Codes' })).toEqual({ ok: true, value: { showCodes: false, generateNewCodes: true } });
    expect(form.validate({ generate_new_codes: true, show_codes: false })).toEqual({ ok: true, value: { showCodes: false, generateNewCodes: true } });
  });

  it('refuses a button value of the wrong type', () => {
    expect(form.validate({ show_codes: { x: 1 }, generate_new_codes: [1] })).toEqual({
      ok: false,
      errors: { show_codes: ['API_ERROR'], generate_new_codes: ['API_ERROR'] },
    });
  });
});
