// The message table: FST's wording, complete catalogues, and %(name)s interpolation.
import { describe, expect, it } from 'vitest';
import { CATALOGS, isMessageKey, MESSAGE_KEYS, messageCategory, messagePlaceholders, messageText, methodLabel, type Catalog, type MessageKey } from './messages.js';

describe('message table', () => {
  it('has the keys the brief and STYLE rule 8 name', () => {
    const required: MessageKey[] = [
      'TWO_FACTOR_INVALID_TOKEN',
      'TWO_FACTOR_METHOD_NOT_AVAILABLE',
      'PHONE_INVALID',
      'INVALID_RECOVERY_CODE',
      'TWO_FACTOR_PERMISSION_DENIED',
      'TWO_FACTOR_SETUP_EXPIRED',
      'FAILED_TO_SEND_CODE',
      'USE_CODE',
      'NO_RECOVERY_CODES_SETUP',
      'API_ERROR',
      'REAUTHENTICATION_REQUIRED',
      'ANONYMOUS_USER_REQUIRED',
      'TWO_FACTOR_LOGIN_SUCCESSFUL',
      'TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL',
      'TWO_FACTOR_DISABLED',
      'EMAIL_NOT_PROVIDED',
      'PASSWORD_NOT_PROVIDED',
      'INVALID_EMAIL_ADDRESS',
      'GENERIC_AUTHN_FAILED',
      'DISABLED_ACCOUNT',
      'NOT_A_VALID_CHOICE',
      'CSRF_TOKEN_MISSING',
      'FIELD_REQUIRED',
      'FIELD_TOO_LONG',
      'INVALID_CODE',
      'TOO_MANY_ATTEMPTS',
      'CODE_EXPIRES',
    ];
    for (const key of required) expect(MESSAGE_KEYS).toContain(key);
  });

  it("uses FST's wording and categories (docs/flask-security-reference.md §1.6)", () => {
    expect(messageText('TWO_FACTOR_INVALID_TOKEN')).toBe('Invalid code');
    expect(messageCategory('TWO_FACTOR_INVALID_TOKEN')).toBe('error');
    expect(messageText('TWO_FACTOR_LOGIN_SUCCESSFUL')).toBe('Your code has been confirmed');
    expect(messageCategory('TWO_FACTOR_LOGIN_SUCCESSFUL')).toBe('success');
    expect(messageText('TWO_FACTOR_PERMISSION_DENIED')).toBe('You currently do not have permissions to access this page');
    expect(messageText('TWO_FACTOR_METHOD_NOT_AVAILABLE')).toBe('Marked method is not valid');
    expect(messageText('PHONE_INVALID')).toBe('Phone number not valid e.g. missing country code');
    expect(messageText('INVALID_RECOVERY_CODE')).toBe('Recovery code invalid');
    expect(messageCategory('NO_RECOVERY_CODES_SETUP')).toBe('info');
    expect(messageText('ANONYMOUS_USER_REQUIRED')).toBe('You can only access this endpoint when not logged in.');
    expect(messageText('GENERIC_AUTHN_FAILED')).toBe('Authentication failed - identity or password/passcode invalid');
    expect(messageText('EMAIL_NOT_PROVIDED')).toBe('Email not provided');
    expect(messageText('NOT_A_VALID_CHOICE')).toBe('Not a valid choice.');
    expect(messageText('CSRF_TOKEN_MISSING')).toBe('The CSRF token is missing.');
    expect(messageText('FIELD_REQUIRED')).toBe('This field is required.');
  });

  it('gives labels no flash category', () => {
    expect(messageCategory('LABEL_CODE')).toBeNull();
    expect(messageText('LABEL_CODE')).toBe('Authentication Code');
    expect(messageCategory('TITLE_TF_SETUP')).toBeNull();
  });

  it("uses the wording of FST's templates for page texts (docs/flask-security-reference.md §2)", () => {
    expect(messageText('TF_SETUP_HEADLINE')).toBe('Two-factor authentication adds an extra layer of security to your account');
    expect(messageText('TF_SETUP_CURRENT_METHOD', { method: 'none' })).toBe('Currently setup two-factor method: none');
    expect(messageText('TF_SETUP_ENTER_CODE')).toBe('Enter code to complete setup');
    expect(messageText('TF_VALIDATE_PROMPT', { method: 'SMS' })).toBe('Please enter your authentication code generated via: SMS');
    expect(messageText('TF_RESCUE_EMAIL_SENT')).toBe('The code for authentication was sent to your email address');
    expect(messageText('TF_RESCUE_HELP_SENT')).toBe('An email was sent to us in order to reset your application account');
    expect(messageText('MF_RECOVERY_CODES_SAVE')).toBe('Be sure to copy these and store in a safe place. Each code can be used only once.');
    expect(messageText('MF_RECOVERY_CODES_REMAINING', { count: 3 })).toBe('You have 3 recovery codes left');
    expect(messageText('TITLE_TF_SELECT')).toBe('Select Two Factor Method');
    expect(messageText('TITLE_MF_RECOVERY')).toBe('Enter Recovery Code');
    expect(messageText('LABEL_LOGOUT')).toBe('Log out');
  });

  it('interpolates %(name)s placeholders', () => {
    expect(messageText('USE_CODE', { code: '012345' })).toBe('Use this code to sign in: 012345');
    expect(messageText('TWO_FACTOR_SETUP_EXPIRED', { within: '10 minutes' })).toBe('Setup must be completed within 10 minutes. Please start over.');
    expect(messageText('CODE_EXPIRES', { within: 5 })).toBe('The code expires in 5.');
  });

  it('keeps the SMS code as the last whitespace-separated token', () => {
    expect(messageText('USE_CODE', { code: '987654' }).split(/\s+/).at(-1)).toBe('987654');
  });

  it('ignores extra parameters and inserts values verbatim (escaping is the renderer’s job)', () => {
    expect(messageText('INVALID_CODE', { code: 'x' })).toBe('Invalid code');
    expect(messageText('USE_CODE', { code: '<b>%(code)s</b>' })).toBe('Use this code to sign in: <b>%(code)s</b>');
  });

  it('throws TypeError for a missing parameter, an unknown key or locale (caller mistakes)', () => {
    expect(() => messageText('USE_CODE')).toThrow(TypeError);
    expect(() => messageText('USE_CODE', { other: '1' })).toThrow(/%\(code\)s/);
    expect(() => messageText('NOPE' as MessageKey)).toThrow(TypeError);
    expect(() => messageText('INVALID_CODE', {}, 'de' as 'en')).toThrow(/Unknown locale/);
    expect(() => messageText('INVALID_CODE', {}, '__proto__' as 'en')).toThrow(/Unknown locale/);
    expect(() => messageText('toString' as MessageKey)).toThrow(TypeError);
  });

  it('lists placeholders', () => {
    expect(messagePlaceholders('TWO_FACTOR_SETUP_EXPIRED')).toEqual(['within']);
    expect(messagePlaceholders('INVALID_CODE')).toEqual([]);
  });

  it('narrows strings with isMessageKey', () => {
    expect(isMessageKey('API_ERROR')).toBe(true);
    expect(isMessageKey('__proto__')).toBe(false);
    expect(isMessageKey(1)).toBe(false);
  });

  it('has complete catalogues whose placeholders match English', () => {
    for (const [locale, catalog] of Object.entries(CATALOGS) as [keyof typeof CATALOGS, Catalog][]) {
      expect(Object.keys(catalog).sort()).toEqual([...MESSAGE_KEYS].sort());
      for (const key of MESSAGE_KEYS) {
        expect(catalog[key].trim(), `${locale}.${key}`).not.toBe('');
        expect(messagePlaceholders(key, locale).sort(), `${locale}.${key}`).toEqual(messagePlaceholders(key, 'en').sort());
      }
    }
  });

  it('rejects an incomplete catalogue at compile time', () => {
    // @ts-expect-error a catalogue must have every key
    const partial: Catalog = { TWO_FACTOR_INVALID_TOKEN: 'Code invalide' };
    expect(partial).toBeDefined();
  });

  it('freezes the catalogues', () => {
    expect(Object.isFrozen(CATALOGS)).toBe(true);
    expect(Object.isFrozen(CATALOGS.en)).toBe(true);
    expect(Object.isFrozen(CATALOGS.fr)).toBe(true);
  });
});

describe('French catalogue', () => {
  it('speaks French', () => {
    expect(messageText('TWO_FACTOR_INVALID_TOKEN', {}, 'fr')).toBe('Code invalide');
    expect(messageText('TITLE_LOGIN', {}, 'fr')).toBe('Connexion');
    expect(messageText('TWO_FACTOR_SETUP_EXPIRED', { within: '10 minutes' }, 'fr')).toBe(
      'La configuration doit être terminée en moins de 10 minutes. Veuillez recommencer.',
    );
    expect(messageText('MF_RECOVERY_CODES_REMAINING', { count: 7 }, 'fr')).toBe('Il vous reste 7 codes de récupération');
  });

  it('translates every text, apart from words French shares with English', () => {
    const shared: MessageKey[] = ['METHOD_SMS'];
    for (const key of MESSAGE_KEYS) {
      if (shared.includes(key)) continue;
      expect(messageText(key, { code: '1', within: '5', method: 'x', count: 2, email: 'a@b', remaining: 3, time: 't', address: 'a', agent: 'g', until: 'u', failures: 4, seconds: 7, minutes: 8, status: 500 }, 'fr'), key).not.toBe(
        messageText(key, { code: '1', within: '5', method: 'x', count: 2, email: 'a@b', remaining: 3, time: 't', address: 'a', agent: 'g', until: 'u', failures: 4, seconds: 7, minutes: 8, status: 500 }, 'en'),
      );
    }
  });

  it('keeps the SMS code as the last whitespace-separated token, in plain GSM characters', () => {
    const body = messageText('USE_CODE', { code: '987654' }, 'fr');
    expect(body.split(/\s+/).at(-1)).toBe('987654');
    expect(body).not.toMatch(/[\u00a0\u2019]/);
  });

  it('follows French typography: typographic apostrophes, a no-break space before ":" and "?"', () => {
    for (const key of MESSAGE_KEYS) {
      const text = CATALOGS.fr[key];
      expect(text, key).not.toContain("'");
      if (key === 'USE_CODE') continue;
      expect(text, key).not.toMatch(/[^\u00a0][:?](\s|$)/);
    }
  });
});

describe('methodLabel', () => {
  it('names the built-in methods, FST’s legacy `mail` as e-mail, and nothing else', () => {
    expect(methodLabel('authenticator')).toBe('METHOD_AUTHENTICATOR');
    expect(methodLabel('mail')).toBe('METHOD_EMAIL');
    expect(methodLabel('sms')).toBe('METHOD_SMS');
    for (const other of ['webauthn', 'constructor', '__proto__', 'toString', '']) expect(methodLabel(other)).toBeNull();
  });
});
