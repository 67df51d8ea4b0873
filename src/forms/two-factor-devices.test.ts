// TwoFactorDevicesForm: `revoke` is a 64-hex device id or `all`, nothing else, and never a long string.
import { describe, expect, it } from 'vitest';
import { DEVICE_ID_LENGTH, TwoFactorDevicesForm } from './two-factor-devices.js';

const form = new TwoFactorDevicesForm();
const ID = 'ab'.repeat(32);

describe('TwoFactorDevicesForm', () => {
  it('has a hidden revoke field capped at a device id, and the button', () => {
    expect(form.fields.map((f) => [f.name, f.kind, f.label, f.maxLength])).toEqual([
      ['revoke', 'hidden', null, DEVICE_ID_LENGTH],
      ['submit', 'submit', 'LABEL_FORGET_DEVICE', null],
    ]);
  });

  it('reads one device id (trimmed, any case) or all', () => {
    expect(form.validate({ revoke: ID })).toEqual({ ok: true, value: { revoke: { kind: 'one', id: ID } } });
    expect(form.validate(new URLSearchParams(`revoke=${ID.toUpperCase()}`))).toEqual({ ok: true, value: { revoke: { kind: 'one', id: ID } } });
    expect(form.validate({ revoke: ` ${ID}\n` })).toEqual({ ok: true, value: { revoke: { kind: 'one', id: ID } } });
    expect(form.validate({ revoke: 'all' })).toEqual({ ok: true, value: { revoke: { kind: 'all' } } });
    expect(form.validate({ revoke: 'ALL' })).toEqual({ ok: true, value: { revoke: { kind: 'all' } } });
  });

  it('requires revoke', () => {
    for (const body of [{}, { revoke: '' }, { revoke: '   ' }, { revoke: null }, undefined]) {
      expect(form.validate(body), JSON.stringify(body)).toEqual({ ok: false, errors: { revoke: ['FIELD_REQUIRED'] } });
    }
  });

  it('refuses anything that is not an id or all', () => {
    for (const revoke of [ID.slice(1), `${ID.slice(1)}g`, 'every', '*', '1', `${ID.slice(2)}%0`, '../all', 'all\u0000']) {
      expect(form.validate({ revoke }), revoke).toEqual({ ok: false, errors: { revoke: ['NOT_A_VALID_CHOICE'] } });
    }
  });

  it('refuses a longer string before looking at it, and other types', () => {
    expect(form.validate({ revoke: `${ID}0` })).toEqual({ ok: false, errors: { revoke: ['FIELD_TOO_LONG'] } });
    expect(form.validate({ revoke: 'a'.repeat(1_000_000) })).toEqual({ ok: false, errors: { revoke: ['FIELD_TOO_LONG'] } });
    for (const revoke of [1, true, [ID], { id: ID }, ['all']]) expect(form.validate({ revoke })).toEqual({ ok: false, errors: { revoke: ['API_ERROR'] } });
    expect(form.validate(new URLSearchParams(`revoke=all&revoke=${ID}`))).toEqual({ ok: false, errors: { revoke: ['API_ERROR'] } });
  });
});
