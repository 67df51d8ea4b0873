// Reading untrusted input: every shape of body, every field type, and no exceptions.
import { describe, expect, it } from 'vitest';
import { isBlank, readBoolean, readChoice, readCode, readFormInput, readText } from './input.js';

describe('readFormInput', () => {
  it('treats no body as every field absent', () => {
    expect(readFormInput(undefined)?.get('code')).toBeUndefined();
    expect(readFormInput(null)?.get('code')).toBeUndefined();
  });

  it('reads own data properties of plain and null-prototype objects', () => {
    expect(readFormInput({ code: '1' })?.get('code')).toBe('1');
    const bare = Object.assign(Object.create(null) as object, { code: '2' });
    expect(readFormInput(bare)?.get('code')).toBe('2');
  });

  it('does not read inherited properties, getters, or __proto__ as a field', () => {
    const parsed: unknown = JSON.parse('{"__proto__": {"code": "123456"}}');
    expect(readFormInput(parsed)?.get('code')).toBeUndefined();
    let ran = false;
    const withGetter = Object.defineProperty({}, 'code', { enumerable: true, get: () => ((ran = true), '1') });
    expect(readFormInput(withGetter)?.get('code')).toBeUndefined();
    expect(ran).toBe(false);
    expect(readFormInput({})?.get('toString')).toBeUndefined();
    expect(({} as Record<string, unknown>)['code']).toBeUndefined(); // nothing polluted
  });

  it('reads URLSearchParams and FormData; a repeated field becomes an array', () => {
    expect(readFormInput(new URLSearchParams('code=1'))?.get('code')).toBe('1');
    expect(readFormInput(new URLSearchParams('code=1&code=2'))?.get('code')).toEqual(['1', '2']);
    expect(readFormInput(new URLSearchParams(''))?.get('code')).toBeUndefined();
    const form = new FormData();
    form.append('code', '3');
    expect(readFormInput(form)?.get('code')).toBe('3');
  });

  it('refuses bodies that are not forms', () => {
    for (const data of ['code=1', 42, true, [], [{ code: '1' }], new Date(), new Map([['code', '1']]), () => 1, Symbol('x'), 10n]) {
      expect(readFormInput(data)).toBeNull();
    }
  });

  it('refuses hostile proxies instead of throwing', () => {
    const throwing = new Proxy({}, { getPrototypeOf: () => { throw new Error('boom'); } });
    expect(readFormInput(throwing)).toBeNull();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(readFormInput(proxy)).toBeNull();
    const sneaky = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error('boom'); } });
    expect(readFormInput(sneaky)?.get('code')).toBeUndefined();
  });
});

describe('readText', () => {
  const rules = { maxLength: 5, trim: true };
  it('gives null for absent or JSON null, the string otherwise', () => {
    expect(readText(undefined, rules)).toEqual({ ok: true, value: null });
    expect(readText(null, rules)).toEqual({ ok: true, value: null });
    expect(readText(' ab ', rules)).toEqual({ ok: true, value: 'ab' });
    expect(readText(' ab ', { maxLength: 5, trim: false })).toEqual({ ok: true, value: ' ab ' });
  });
  it('refuses other types and unpaired surrogates with API_ERROR', () => {
    for (const raw of [1, true, [], ['a'], {}, { $ne: 1 }, '\uD800', 'a\uDC00']) {
      expect(readText(raw, rules)).toEqual({ ok: false, error: 'API_ERROR' });
    }
    expect(readText('😀', rules).ok).toBe(true);
  });
  it('refuses over-long values with FIELD_TOO_LONG, after trimming', () => {
    expect(readText('abcdef', rules)).toEqual({ ok: false, error: 'FIELD_TOO_LONG' });
    expect(readText('  abcde  ', rules)).toEqual({ ok: true, value: 'abcde' });
    expect(readText('x'.repeat(1_000_000), rules)).toEqual({ ok: false, error: 'FIELD_TOO_LONG' });
  });
});

describe('readCode', () => {
  it('accepts strings and non-negative safe integers', () => {
    expect(readCode('123456', 64)).toEqual({ ok: true, value: '123456' });
    expect(readCode(123456, 64)).toEqual({ ok: true, value: '123456' });
    expect(readCode(0, 64)).toEqual({ ok: true, value: '0' });
  });
  it('refuses negative, fractional, huge and non-finite numbers', () => {
    for (const raw of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(readCode(raw, 64)).toEqual({ ok: false, error: 'API_ERROR' });
    }
  });
});

describe('readBoolean', () => {
  it('reads booleans, 1/0 and the usual words in any case', () => {
    for (const raw of [true, 1, 'true', 'TRUE', 'on', 'y', 'yes', '1', 't', ' On ']) expect(readBoolean(raw)).toEqual({ ok: true, value: true });
    for (const raw of [false, 0, 'false', 'off', 'n', 'no', '0', '', 'F']) expect(readBoolean(raw)).toEqual({ ok: true, value: false });
    expect(readBoolean(undefined)).toEqual({ ok: true, value: null });
    expect(readBoolean(null)).toEqual({ ok: true, value: null });
  });
  it('refuses anything else', () => {
    for (const raw of ['maybe', 2, -1, [], {}, ['on'], 'x'.repeat(100)]) expect(readBoolean(raw)).toEqual({ ok: false, error: 'API_ERROR' });
  });
});

describe('readChoice', () => {
  const choices = ['help', 'email'] as const;
  it('accepts a listed value, trimmed', () => {
    expect(readChoice(' help ', choices, { invalid: 'NOT_A_VALID_CHOICE' })).toEqual({ ok: true, value: 'help' });
  });
  it('maps aliases to a listed value', () => {
    expect(readChoice('mail', choices, { invalid: 'NOT_A_VALID_CHOICE', aliases: { mail: 'email' } })).toEqual({ ok: true, value: 'email' });
    expect(readChoice('__proto__', choices, { invalid: 'NOT_A_VALID_CHOICE', aliases: { mail: 'email' } })).toEqual({ ok: false, error: 'NOT_A_VALID_CHOICE' });
  });
  it('gives the invalid key for absent, empty or unknown values, API_ERROR for other types', () => {
    for (const raw of [undefined, null, '', 'lost_device', 'HELP']) {
      expect(readChoice(raw, choices, { invalid: 'NOT_A_VALID_CHOICE' })).toEqual({ ok: false, error: 'NOT_A_VALID_CHOICE' });
    }
    for (const raw of [1, ['help'], { help: true }, true]) expect(readChoice(raw, choices, { invalid: 'NOT_A_VALID_CHOICE' })).toEqual({ ok: false, error: 'API_ERROR' });
  });
});

describe('isBlank', () => {
  it('is true for null, empty and white space', () => {
    expect([null, '', '  \t\n'].map(isBlank)).toEqual([true, true, true]);
    expect(isBlank(' a ')).toBe(false);
  });
});
