/** TwoFactorVerifyCodeForm: the code from an authenticator app, an e-mail or an SMS (`code`); FST `/tf-validate`. */
import { ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { isBlank, readCode, readFormInput } from './input.js';

/**
 * The longest code accepted, in characters. Real codes are 6 or 8 digits; the margin lets a pasted code with
 * spaces through to the verifier, which decides, while a megabyte of input stops here.
 */
export const CODE_MAX_LENGTH = 64;

/** A submitted code, not yet checked. */
export interface TwoFactorVerifyCodeValue {
  /** Trimmed; a JSON integer arrives as its decimal digits (the verifier zero-pads it). */
  readonly code: string;
}

/** The field's attributes for browsers and password managers (checklist WEB-05); no `pattern`, so pasting works. */
const CODE_ATTRIBUTES = { autocomplete: 'one-time-code', inputmode: 'numeric' } as const;

/**
 * Flask-Security-Too's `TwoFactorVerifyCodeForm`. A missing or blank code is `FIELD_REQUIRED`; whether the
 * code is right is for the verifier.
 *
 * @example
 * ```ts
 * new TwoFactorVerifyCodeForm().validate({ code: ' 123456 ' }); // { ok: true, value: { code: '123456' } }
 * new TwoFactorVerifyCodeForm().validate({ code: 12345 }); // { ok: true, value: { code: '12345' } }
 * ```
 */
export class TwoFactorVerifyCodeForm {
  /** `code` and `submit`. */
  readonly fields: readonly FieldSpec<'code' | 'submit'>[] = Object.freeze([
    field({ name: 'code', kind: 'text', label: 'LABEL_CODE', required: true, maxLength: CODE_MAX_LENGTH, attributes: CODE_ATTRIBUTES }),
    field({ name: 'submit', kind: 'submit', label: 'LABEL_SUBMIT_CODE' }),
  ]);

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<TwoFactorVerifyCodeValue, 'code'> {
    const errors = new ErrorCollector<'code'>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const code = readCode(input.get('code'), CODE_MAX_LENGTH);
    if (!code.ok) return errors.failWith('code', code.error);
    if (code.value === null || isBlank(code.value)) return errors.failWith('code', 'FIELD_REQUIRED');
    return { ok: true, value: Object.freeze({ code: code.value }) };
  }
}
