/** MfRecoveryForm: a recovery code instead of the second factor (`code`); FST `/mf-recovery`. */
import { ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { isBlank, readFormInput, readText } from './input.js';
import { CODE_MAX_LENGTH } from './two-factor-verify-code.js';

/** A submitted recovery code, not yet checked. */
export interface MfRecoveryValue {
  /** Trimmed; whether it matches is for `MfRecoveryCodesUtil.verifyCode`. */
  readonly code: string;
}

/**
 * Flask-Security-Too's `MfRecoveryForm`. The code must be a string (FST §2.7); missing or blank is
 * `FIELD_REQUIRED`.
 *
 * @example
 * ```ts
 * new MfRecoveryForm().validate({ code: 'abcd-ef01-2345' }); // { ok: true, value: { code: 'abcd-ef01-2345' } }
 * ```
 */
export class MfRecoveryForm {
  /** `code` and `submit`. */
  readonly fields: readonly FieldSpec<'code' | 'submit'>[] = Object.freeze([
    field({
      name: 'code',
      kind: 'text',
      label: 'LABEL_RECOVERY_CODE',
      required: true,
      maxLength: CODE_MAX_LENGTH,
      attributes: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' },
    }),
    field({ name: 'submit', kind: 'submit', label: 'LABEL_SUBMIT_CODE' }),
  ]);

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<MfRecoveryValue, 'code'> {
    const errors = new ErrorCollector<'code'>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const code = readText(input.get('code'), { maxLength: CODE_MAX_LENGTH, trim: true });
    if (!code.ok) return errors.failWith('code', code.error);
    if (code.value === null || isBlank(code.value)) return errors.failWith('code', 'FIELD_REQUIRED');
    return { ok: true, value: Object.freeze({ code: code.value }) };
  }
}
