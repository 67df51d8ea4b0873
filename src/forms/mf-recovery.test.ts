// MfRecoveryForm: a recovery code string, trimmed, capped.
import { describe, expect, it } from 'vitest';
import { MfRecoveryForm } from './mf-recovery.js';
import { CODE_MAX_LENGTH } from './two-factor-verify-code.js';

const form = new MfRecoveryForm();

describe('MfRecoveryForm', () => {
  it('describes its fields', () => {
    expect(form.fields.map((f) => f.name)).toEqual(['code', 'submit']);
    expect(form.fields[0]).toMatchObject({ label: 'LABEL_RECOVERY_CODE', required: true, attributes: { autocomplete: 'off' } });
  });

  it('accepts a code, trimmed', () => {
    expect(form.validate({ code: ' abcd-ef01-2345\n' })).toEqual({ ok: true, value: { code: 'abcd-ef01-2345' } });
  });

  it('refuses missing, blank, wrong-typed and over-long codes', () => {
    expect(form.validate({})).toEqual({ ok: false, errors: { code: ['FIELD_REQUIRED'] } });
    expect(form.validate({ code: ' ' })).toEqual({ ok: false, errors: { code: ['FIELD_REQUIRED'] } });
    expect(form.validate({ code: 1234 })).toEqual({ ok: false, errors: { code: ['API_ERROR'] } });
    expect(form.validate({ code: ['abcd-ef01-2345'] })).toEqual({ ok: false, errors: { code: ['API_ERROR'] } });
    expect(form.validate({ code: 'a'.repeat(CODE_MAX_LENGTH + 1) })).toEqual({ ok: false, errors: { code: ['FIELD_TOO_LONG'] } });
  });
});
