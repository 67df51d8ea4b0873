// VerifyForm: the password for re-authentication.
import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH } from './login.js';
import { VerifyForm } from './verify.js';

const form = new VerifyForm();

describe('VerifyForm', () => {
  it('describes its fields', () => {
    expect(form.fields.map((f) => f.name)).toEqual(['password', 'submit']);
    expect(form.fields[0]).toMatchObject({ kind: 'password', attributes: { autocomplete: 'current-password' } });
    expect(form.fields[1]).toMatchObject({ label: 'LABEL_VERIFY_PASSWORD' });
  });

  it('accepts a password as typed', () => {
    expect(form.validate({ password: ' secret ' })).toEqual({ ok: true, value: { password: ' secret ' } });
  });

  it('refuses missing, blank, wrong-typed and over-long passwords', () => {
    expect(form.validate({})).toEqual({ ok: false, errors: { password: ['PASSWORD_NOT_PROVIDED'] } });
    expect(form.validate({ password: '\t' })).toEqual({ ok: false, errors: { password: ['PASSWORD_NOT_PROVIDED'] } });
    expect(form.validate({ password: ['a'] })).toEqual({ ok: false, errors: { password: ['API_ERROR'] } });
    expect(form.validate({ password: 'a'.repeat(PASSWORD_MAX_LENGTH + 1) })).toEqual({ ok: false, errors: { password: ['FIELD_TOO_LONG'] } });
  });
});
