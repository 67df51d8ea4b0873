/** LoginForm: the first factor (`email`, `password`, `remember`, `next`); FST `/login`. */
import { EMAIL_MAX_LENGTH, isEmailAddress } from './email.js';
import { ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { isBlank, readBoolean, readFormInput, readText } from './input.js';
import { NEXT_MAX_LENGTH } from './next.js';

/**
 * The longest password accepted, in characters. NIST SP 800-63B §5.1.1.2 asks for at least 64; the cap only
 * bounds the work a hostile request can cause (bcrypt reads 72 bytes, argon2 and PBKDF2 hash a long
 * password once up front), while a password manager's longest output stays well inside it.
 */
export const PASSWORD_MAX_LENGTH = 4096;

/** Options for {@link LoginForm}. */
export interface LoginFormOptions {
  /** `remember` when the body does not carry it (FST's `DEFAULT_REMEMBER_ME` for JSON logins); `false` by default. */
  readonly defaultRemember?: boolean;
}

/** A login request whose fields are well formed; the password is not checked yet. */
export interface LoginValue {
  /** Trimmed; `Security.findUserByEmail` lower-cases it. */
  readonly email: string;
  /** As typed: passwords are never trimmed. */
  readonly password: string;
  readonly remember: boolean;
  /** Where to go after login, `null` when not given. Not yet checked: see {@link isSafeRedirectPath}. */
  readonly next: string | null;
}

/** The wire names of the fields that can carry errors. */
export type LoginField = 'email' | 'password' | 'remember' | 'next';

/**
 * Flask-Security-Too's `LoginForm`. Missing e-mail is `EMAIL_NOT_PROVIDED`, a malformed one
 * `INVALID_EMAIL_ADDRESS`, a missing or blank password `PASSWORD_NOT_PROVIDED`. Whether the account exists
 * and the password is right is the login flow's business, and it answers `GENERIC_AUTHN_FAILED` either way.
 *
 * @example
 * ```ts
 * new LoginForm().validate({ email: 'ada@example.com', password: 'correct horse', remember: 'y' });
 * // { ok: true, value: { email: 'ada@example.com', password: 'correct horse', remember: true, next: null } }
 * ```
 */
export class LoginForm {
  /** `email`, `password`, `remember`, `next` (hidden) and `submit`. */
  readonly fields: readonly FieldSpec<LoginField | 'submit'>[] = Object.freeze([
    field({ name: 'email', kind: 'email', label: 'LABEL_EMAIL', required: true, maxLength: EMAIL_MAX_LENGTH, attributes: { autocomplete: 'email' } }),
    field({
      name: 'password',
      kind: 'password',
      label: 'LABEL_PASSWORD',
      required: true,
      maxLength: PASSWORD_MAX_LENGTH,
      attributes: { autocomplete: 'current-password' },
    }),
    field({ name: 'remember', kind: 'checkbox', label: 'LABEL_REMEMBER_ME' }),
    field({ name: 'next', kind: 'hidden', label: null, maxLength: NEXT_MAX_LENGTH }),
    field({ name: 'submit', kind: 'submit', label: 'LABEL_LOGIN' }),
  ]);
  readonly #defaultRemember: boolean;

  /** @throws TypeError when `defaultRemember` is given and is not a boolean. */
  constructor(options: LoginFormOptions = {}) {
    if (options.defaultRemember !== undefined && typeof options.defaultRemember !== 'boolean') {
      throw new TypeError("LoginForm: option 'defaultRemember' must be a boolean");
    }
    this.#defaultRemember = options.defaultRemember ?? false;
  }

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<LoginValue, LoginField> {
    const errors = new ErrorCollector<LoginField>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');

    const email = readText(input.get('email'), { maxLength: EMAIL_MAX_LENGTH, trim: true });
    if (!email.ok) errors.add('email', email.error);
    else if (isBlank(email.value)) errors.add('email', 'EMAIL_NOT_PROVIDED');
    else if (!isEmailAddress(email.value)) errors.add('email', 'INVALID_EMAIL_ADDRESS');

    const password = readText(input.get('password'), { maxLength: PASSWORD_MAX_LENGTH, trim: false });
    if (!password.ok) errors.add('password', password.error);
    else if (isBlank(password.value)) errors.add('password', 'PASSWORD_NOT_PROVIDED');

    const remember = readBoolean(input.get('remember'));
    if (!remember.ok) errors.add('remember', remember.error);

    const next = readText(input.get('next'), { maxLength: NEXT_MAX_LENGTH, trim: false });
    if (!next.ok) errors.add('next', next.error);

    if (!email.ok || !password.ok || !remember.ok || !next.ok || !errors.empty) return errors.failure();
    return {
      ok: true,
      value: Object.freeze({
        email: email.value ?? '',
        password: password.value ?? '',
        remember: remember.value ?? this.#defaultRemember,
        next: next.value === null || next.value === '' ? null : next.value,
      }),
    };
  }
}
