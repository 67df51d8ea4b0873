// LoginForm: e-mail, password, remember and next, each checked for form only.
import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_LENGTH } from './email.js';
import { LoginForm, PASSWORD_MAX_LENGTH } from './login.js';
import { NEXT_MAX_LENGTH } from './next.js';

const form = new LoginForm();
const good = { email: ' ada@example.com ', password: ' pw with spaces ' };

describe('LoginForm', () => {
  it('describes its fields with autocomplete hints', () => {
    expect(form.fields.map((f) => [f.name, f.kind])).toEqual([
      ['email', 'email'],
      ['password', 'password'],
      ['remember', 'checkbox'],
      ['next', 'hidden'],
      ['submit', 'submit'],
    ]);
    expect(form.fields[0]?.attributes).toEqual({ autocomplete: 'email' });
    expect(form.fields[1]?.attributes).toEqual({ autocomplete: 'current-password' });
  });

  it('accepts good data; trims the e-mail, never the password', () => {
    expect(form.validate(good)).toEqual({ ok: true, value: { email: 'ada@example.com', password: ' pw with spaces ', remember: false, next: null } });
  });

  it('reads remember like a checkbox, defaulting to the constructor option', () => {
    expect(form.validate({ ...good, remember: 'y' })).toMatchObject({ ok: true, value: { remember: true } });
    expect(form.validate({ ...good, remember: true })).toMatchObject({ ok: true, value: { remember: true } });
    expect(form.validate({ ...good, remember: 'off' })).toMatchObject({ ok: true, value: { remember: false } });
    expect(new LoginForm({ defaultRemember: true }).validate(good)).toMatchObject({ ok: true, value: { remember: true } });
    expect(new LoginForm({ defaultRemember: true }).validate({ ...good, remember: false })).toMatchObject({ ok: true, value: { remember: false } });
    expect(form.validate({ ...good, remember: 'maybe' })).toEqual({ ok: false, errors: { remember: ['API_ERROR'] } });
  });

  it('passes next through unchecked (the HTTP layer checks it), empty as null', () => {
    expect(form.validate({ ...good, next: '/admin' })).toMatchObject({ ok: true, value: { next: '/admin' } });
    expect(form.validate({ ...good, next: '' })).toMatchObject({ ok: true, value: { next: null } });
    expect(form.validate({ ...good, next: 'https://evil.example' })).toMatchObject({ ok: true, value: { next: 'https://evil.example' } });
    expect(form.validate({ ...good, next: `/${'a'.repeat(NEXT_MAX_LENGTH)}` })).toEqual({ ok: false, errors: { next: ['FIELD_TOO_LONG'] } });
    expect(form.validate({ ...good, next: ['/a'] })).toEqual({ ok: false, errors: { next: ['API_ERROR'] } });
  });

  it('reports a missing or malformed e-mail', () => {
    expect(form.validate({ password: 'pw' })).toEqual({ ok: false, errors: { email: ['EMAIL_NOT_PROVIDED'] } });
    expect(form.validate({ email: '  ', password: 'pw' })).toEqual({ ok: false, errors: { email: ['EMAIL_NOT_PROVIDED'] } });
    expect(form.validate({ email: 'ada', password: 'pw' })).toEqual({ ok: false, errors: { email: ['INVALID_EMAIL_ADDRESS'] } });
    expect(form.validate({ email: `${'a'.repeat(EMAIL_MAX_LENGTH)}@x.io`, password: 'pw' })).toEqual({ ok: false, errors: { email: ['FIELD_TOO_LONG'] } });
    expect(form.validate({ email: { $gt: '' }, password: 'pw' })).toEqual({ ok: false, errors: { email: ['API_ERROR'] } });
  });

  it('reports a missing, blank, wrong-typed or over-long password', () => {
    expect(form.validate({ email: 'ada@example.com' })).toEqual({ ok: false, errors: { password: ['PASSWORD_NOT_PROVIDED'] } });
    expect(form.validate({ email: 'ada@example.com', password: '   ' })).toEqual({ ok: false, errors: { password: ['PASSWORD_NOT_PROVIDED'] } });
    expect(form.validate({ email: 'ada@example.com', password: 12345678 })).toEqual({ ok: false, errors: { password: ['API_ERROR'] } });
    expect(form.validate({ email: 'ada@example.com', password: 'p'.repeat(PASSWORD_MAX_LENGTH + 1) })).toEqual({ ok: false, errors: { password: ['FIELD_TOO_LONG'] } });
    expect(form.validate({ email: 'ada@example.com', password: 'p'.repeat(PASSWORD_MAX_LENGTH) }).ok).toBe(true);
  });

  it('reports every field at once', () => {
    expect(form.validate({ remember: 7, next: 1 })).toEqual({
      ok: false,
      errors: { email: ['EMAIL_NOT_PROVIDED'], password: ['PASSWORD_NOT_PROVIDED'], remember: ['API_ERROR'], next: ['API_ERROR'] },
    });
  });

  it('checks its constructor options', () => {
    expect(() => new LoginForm({ defaultRemember: 'yes' as unknown as boolean })).toThrow(TypeError);
  });
});
