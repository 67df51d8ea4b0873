/** Every text twofold shows a person: stable keys, English wording (FST's where FST has one), flash categories, locales. */

/** How a message is flashed on an HTML page; Flask-Security-Too's three categories. */
export type FlashCategory = 'error' | 'success' | 'info';

/**
 * The English catalogue and the definition of every key. `category` is `null` for texts that are never
 * flashed (field labels and choice labels); it does not depend on the language, so it lives only here.
 *
 * Wording is Flask-Security-Too's (`flask_security/core.py` `_default_messages`, WTForms and Flask-WTF for
 * their validator texts, `forms.py` for labels) where FST has the text; reference/flask-security-two-factor.md
 * §1.6 wins where the two differ. Keys marked "twofold" are our own.
 * Placeholders are Python-style `%(name)s`, as in FST, so translations can be shared.
 */
const ENGLISH = {
  // Two-factor flow (reference §1.6).
  TWO_FACTOR_INVALID_TOKEN: { text: 'Invalid code', category: 'error' },
  TWO_FACTOR_LOGIN_SUCCESSFUL: { text: 'Your code has been confirmed', category: 'success' },
  TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL: { text: 'You successfully changed your two-factor method.', category: 'success' },
  TWO_FACTOR_PERMISSION_DENIED: { text: 'You currently do not have permissions to access this page', category: 'error' },
  TWO_FACTOR_METHOD_NOT_AVAILABLE: { text: 'Marked method is not valid', category: 'error' },
  TWO_FACTOR_DISABLED: { text: 'You successfully disabled two-factor authorization.', category: 'success' },
  TWO_FACTOR_SETUP_EXPIRED: { text: 'Setup must be completed within %(within)s. Please start over.', category: 'error' },
  PHONE_INVALID: { text: 'Phone number not valid e.g. missing country code', category: 'error' },
  FAILED_TO_SEND_CODE: { text: 'Failed to send code. Please try again later', category: 'error' },
  CODE_HAS_BEEN_SENT: { text: 'Code has been sent.', category: 'info' },
  // The SMS body: no trailing full stop, so the code is the last whitespace-separated token (reference §1.6).
  USE_CODE: { text: 'Use this code to sign in: %(code)s', category: 'info' },
  // twofold: the second line of the code e-mail.
  CODE_EXPIRES: { text: 'The code expires in %(within)s.', category: 'info' },
  INVALID_CODE: { text: 'Invalid code', category: 'error' },
  INVALID_RECOVERY_CODE: { text: 'Recovery code invalid', category: 'error' },
  NO_RECOVERY_CODES_SETUP: { text: 'No recovery codes generated yet', category: 'info' },
  // twofold: the per-challenge and per-account attempt caps (checklist RL-01).
  TOO_MANY_ATTEMPTS: { text: 'Too many failed attempts. Please try again later.', category: 'error' },

  // Access and state.
  API_ERROR: { text: 'Input not appropriate for requested API', category: 'error' },
  REAUTHENTICATION_REQUIRED: { text: 'You must reauthenticate to access this endpoint', category: 'error' },
  REAUTHENTICATION_SUCCESSFUL: { text: 'Reauthentication successful', category: 'info' },
  ANONYMOUS_USER_REQUIRED: { text: 'You can only access this endpoint when not logged in.', category: 'error' },
  UNAUTHORIZED: { text: 'You do not have permission to view this resource.', category: 'error' },
  UNAUTHENTICATED: { text: 'You must sign in to view this resource.', category: 'error' },
  LOGIN: { text: 'Please log in to access this page.', category: 'info' },
  REFRESH: { text: 'Please reauthenticate to access this page.', category: 'info' },
  INVALID_REDIRECT: { text: 'Redirections outside the domain are forbidden', category: 'error' },

  // Login and password (FST). There is deliberately no USER_DOES_NOT_EXIST: a failed login says
  // GENERIC_AUTHN_FAILED whatever went wrong, so it cannot tell who has an account (checklist ENUM-01).
  GENERIC_AUTHN_FAILED: { text: 'Authentication failed - identity or password/passcode invalid', category: 'error' },
  EMAIL_NOT_PROVIDED: { text: 'Email not provided', category: 'error' },
  INVALID_EMAIL_ADDRESS: { text: 'Invalid email address', category: 'error' },
  PASSWORD_NOT_PROVIDED: { text: 'Password not provided', category: 'error' },
  INVALID_PASSWORD: { text: 'Invalid password', category: 'error' },
  DISABLED_ACCOUNT: { text: 'Account is disabled.', category: 'error' },

  // Generic field validation: WTForms' and Flask-WTF's texts.
  FIELD_REQUIRED: { text: 'This field is required.', category: 'error' },
  NOT_A_VALID_CHOICE: { text: 'Not a valid choice.', category: 'error' },
  // twofold: WTForms says "Field cannot be longer than %(max)d characters."; ours takes no parameter, so a
  // form error is always a bare key (see forms/field.ts).
  FIELD_TOO_LONG: { text: 'Field is too long.', category: 'error' },
  CSRF_TOKEN_MISSING: { text: 'The CSRF token is missing.', category: 'error' },
  CSRF_TOKEN_INVALID: { text: 'The CSRF token is invalid.', category: 'error' },

  // Field labels (FST forms.py `_default_field_labels` and the forms' own texts).
  LABEL_EMAIL: { text: 'Email Address', category: null },
  LABEL_PASSWORD: { text: 'Password', category: null },
  LABEL_REMEMBER_ME: { text: 'Remember Me', category: null },
  LABEL_LOGIN: { text: 'Login', category: null },
  LABEL_VERIFY_PASSWORD: { text: 'Verify Password', category: null },
  LABEL_PHONE: { text: 'Phone Number', category: null },
  LABEL_CODE: { text: 'Authentication Code', category: null },
  LABEL_RECOVERY_CODE: { text: 'Recovery Code', category: null },
  LABEL_SUBMIT: { text: 'Submit', category: null },
  LABEL_SUBMIT_CODE: { text: 'Submit Code', category: null },
  LABEL_AVAILABLE_METHODS: { text: 'Available Methods', category: null },
  LABEL_SETUP_DISABLE: { text: 'Disable two-factor authentication', category: null },
  LABEL_SETUP_EMAIL: { text: 'Set up using email', category: null },
  LABEL_SETUP_AUTHENTICATOR: { text: 'Set up using an authenticator app (e.g. google, lastpass, authy)', category: null },
  LABEL_SETUP_SMS: { text: 'Set up using SMS', category: null },
  LABEL_RESCUE: { text: 'Trouble Accessing Your Account?/Lost Mobile Device?', category: null },
  LABEL_RESCUE_HELP: { text: 'Contact Administrator', category: null },
  LABEL_RESCUE_EMAIL: { text: 'Send code via email', category: null },
  LABEL_RESCUE_RECOVERY_CODE: { text: 'Use previously downloaded recovery code', category: null },
  LABEL_SELECT_METHODS: { text: 'Available Second Factor Methods:', category: null },
  LABEL_SELECT: { text: 'Select', category: null },
  LABEL_SHOW_RECOVERY_CODES: { text: 'Show Recovery Codes', category: null },
  LABEL_GENERATE_RECOVERY_CODES: { text: 'Generate New Recovery Codes', category: null },
  // Method names as shown in sentences (FST `_setup_methods_xlate`).
  METHOD_AUTHENTICATOR: { text: 'authenticator', category: null },
  METHOD_EMAIL: { text: 'email', category: null },
  METHOD_SMS: { text: 'SMS', category: null },
  METHOD_NONE: { text: 'none', category: null },
} as const satisfies Readonly<Record<string, { readonly text: string; readonly category: FlashCategory | null }>>;

/** A stable message key, e.g. `'TWO_FACTOR_INVALID_TOKEN'`. Error codes in twofold are message keys (STYLE rule 8). */
export type MessageKey = keyof typeof ENGLISH;

/** The languages twofold speaks. A new one is a new member here and a new {@link Catalog} in {@link CATALOGS}. */
export type Locale = 'en';

/** One language's texts: every key, no extra ones. The compiler rejects a catalogue that misses a key. */
export type Catalog = { readonly [K in MessageKey]: string };

/** Values substituted for `%(name)s` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Every key, in the catalogue's order. */
export const MESSAGE_KEYS: readonly MessageKey[] = Object.freeze(Object.keys(ENGLISH) as MessageKey[]);

const english: Catalog = Object.freeze(
  Object.fromEntries(MESSAGE_KEYS.map((key) => [key, ENGLISH[key].text])) as Record<MessageKey, string>,
);

/** The catalogues by locale. A French catalogue is `fr: { TWO_FACTOR_INVALID_TOKEN: 'Code invalide', … }`. */
export const CATALOGS: { readonly [L in Locale]: Catalog } = Object.freeze({ en: english });

const PLACEHOLDER = /%\(([A-Za-z_][A-Za-z0-9_]*)\)s/g;

/**
 * A message's text in a language, with `%(name)s` placeholders filled from `params`.
 *
 * Values are inserted as they are: escaping for HTML is the renderer's job.
 *
 * @param key - The message key.
 * @param params - A value for every placeholder the text has (`within` for `TWO_FACTOR_SETUP_EXPIRED`,
 *   `code` for `USE_CODE`); extra values are ignored.
 * @param locale - The language; English by default.
 * @throws TypeError when `key` or `locale` is unknown, or a placeholder has no value — a caller mistake.
 *
 * @example
 * ```ts
 * messageText('USE_CODE', { code: '123456' }); // 'Use this code to sign in: 123456'
 * messageText('TWO_FACTOR_INVALID_TOKEN'); // 'Invalid code'
 * ```
 */
export function messageText(key: MessageKey, params: MessageParams = {}, locale: Locale = 'en'): string {
  const catalog: Catalog | undefined = Object.hasOwn(CATALOGS, locale) ? CATALOGS[locale] : undefined;
  if (catalog === undefined) throw new TypeError(`Unknown locale ${JSON.stringify(locale)}; known: ${Object.keys(CATALOGS).join(', ')}`);
  if (!isMessageKey(key)) throw new TypeError(`Unknown message key ${JSON.stringify(key)}`);
  return catalog[key].replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) throw new TypeError(`Message ${key} needs a value for %(${name})s`);
    return String(value);
  });
}

/** How a message is flashed, or `null` for a label that is never flashed. */
export function messageCategory(key: MessageKey): FlashCategory | null {
  return ENGLISH[key].category;
}

/** The placeholder names a text uses, e.g. `['within']` for `TWO_FACTOR_SETUP_EXPIRED`. */
export function messagePlaceholders(key: MessageKey, locale: Locale = 'en'): string[] {
  return [...CATALOGS[locale][key].matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

/** Whether `value` is a message key; for narrowing a string read from elsewhere. */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(ENGLISH, value);
}
