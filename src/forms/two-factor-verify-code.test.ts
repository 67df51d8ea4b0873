// TwoFactorVerifyCodeForm: a code as string or integer, trimmed, capped; rightness is the verifier's.
import { describe, expect, it } from 'vitest';
import { CODE_MAX_LENGTH, TwoFactorVerifyCodeForm } from './two-factor-verify-code.js';

const form = new TwoFactorVerifyCodeForm();

describe('TwoFactorVerifyCodeForm', () => {
  it('describes the code field for browsers and password managers', () => {
    expect(form.fields.map((f) => f.name)).toEqual(['code', 'submit']);
    expect(form.fields[0]).toMatchObject({
      kind: 'text',
      label: 'LABEL_CODE',
      required: true,
      maxLength: CODE_MAX_LENGTH,
      attributes: { autocomplete: 'one-time-code', inputmode: 'numeric' },
    });
    expect(form.fields[1]).toMatchObject({ kind: 'submit', label: 'LABEL_SUBMIT_CODE' });
  });

  it('accepts a code string, trimmed, without judging it', () => {
    expect(form.validate({ code: ' 123456 ' })).toEqual({ ok: true, value: { code: '123456' } });
    expect(form.validate({ code: '12 34 56' })).toEqual({ ok: true, value: { code: '12 34 56' } });
    expect(form.validate({ code: 'abc' })).toEqual({ ok: true, value: { code: 'abc' } });
    expect(form.validate(new URLSearchParams('code=000123'))).toEqual({ ok: true, value: { code: '000123' } });
  });

  it('accepts a non-negative integer as its digits (FST accepts ints)', () => {
    expect(form.validate({ code: 123 })).toEqual({ ok: true, value: { code: '123' } });
  });

  it('refuses a missing or blank code with FIELD_REQUIRED', () => {
    for (const data of [{}, { code: '' }, { code: '   ' }, { code: null }, undefined, null]) {
      expect(form.validate(data)).toEqual({ ok: false, errors: { code: ['FIELD_REQUIRED'] } });
    }
  });

  it('refuses wrong types with API_ERROR and long codes with FIELD_TOO_LONG', () => {
    for (const code of [-1, 1.5, true, ['123456'], { $ne: 1 }]) expect(form.validate({ code })).toEqual({ ok: false, errors: { code: ['API_ERROR'] } });
    expect(form.validate({ code: '1'.repeat(CODE_MAX_LENGTH + 1) })).toEqual({ ok: false, errors: { code: ['FIELD_TOO_LONG'] } });
    expect(form.validate({ code: '1'.repeat(CODE_MAX_LENGTH) }).ok).toBe(true);
  });
});
