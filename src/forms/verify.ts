/** VerifyForm: re-authentication with the password before a sensitive change (`password`); FST `/verify`. */
import { ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { isBlank, readFormInput, readText } from './input.js';
import { PASSWORD_MAX_LENGTH } from './login.js';

/** A re-authentication request; the password is not checked yet. */
export interface VerifyValue {
  /** As typed: passwords are never trimmed. */
  readonly password: string;
}

/**
 * Flask-Security-Too's `VerifyForm`. A missing or blank password is `PASSWORD_NOT_PROVIDED`; a wrong one is
 * the view's `INVALID_PASSWORD` (the user is already known, so saying so reveals nothing).
 *
 * @example
 * ```ts
 * new VerifyForm().validate({ password: 'correct horse' }); // { ok: true, value: { password: 'correct horse' } }
 * ```
 */
export class VerifyForm {
  /** `password` and `submit`. */
  readonly fields: readonly FieldSpec<'password' | 'submit'>[] = Object.freeze([
    field({
      name: 'password',
      kind: 'password',
      label: 'LABEL_PASSWORD',
      required: true,
      maxLength: PASSWORD_MAX_LENGTH,
      attributes: { autocomplete: 'current-password' },
    }),
    field({ name: 'submit', kind: 'submit', label: 'LABEL_VERIFY_PASSWORD' }),
  ]);

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<VerifyValue, 'password'> {
    const errors = new ErrorCollector<'password'>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const password = readText(input.get('password'), { maxLength: PASSWORD_MAX_LENGTH, trim: false });
    if (!password.ok) return errors.failWith('password', password.error);
    if (password.value === null || isBlank(password.value)) return errors.failWith('password', 'PASSWORD_NOT_PROVIDED');
    return { ok: true, value: Object.freeze({ password: password.value }) };
  }
}
