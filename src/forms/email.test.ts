// The e-mail address check used by LoginForm and twoFactorRescueMail.
import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_LENGTH, isEmailAddress } from './email.js';

describe('isEmailAddress', () => {
  it('accepts ordinary and internationalised addresses, and localhost', () => {
    for (const value of ['ada@example.com', 'a.b+tag@sub.example.co.uk', 'no-reply@localhost', 'josé@bücher.de', "o'brien@example.com"]) {
      expect(isEmailAddress(value), value).toBe(true);
    }
  });
  it('refuses malformed addresses', () => {
    const bad = ['', 'ada', '@example.com', 'ada@', 'ada@@example.com', 'a da@example.com', 'ada@exa mple.com', 'ada@-example.com',
      'ada@example-.com', 'ada@example..com', '.ada@example.com', 'ada.@example.com', 'a..da@example.com', 'ada@example.com\n',
      '"ada"@example.com', 'ada@[127.0.0.1]', `${'a'.repeat(65)}@example.com`, `a@${'b'.repeat(EMAIL_MAX_LENGTH)}.com`];
    for (const value of bad) expect(isEmailAddress(value), JSON.stringify(value)).toBe(false);
  });
  it('refuses non-strings', () => {
    for (const value of [null, 1, ['a@b.c'], { a: 1 }]) expect(isEmailAddress(value)).toBe(false);
  });
});
