/** MfRecoveryCodesForm: show or regenerate recovery codes (two buttons, `show_codes` and `generate_new_codes`). */
import { ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { readFormInput } from './input.js';

/** Which button was pressed. */
export interface MfRecoveryCodesValue {
  /** `show_codes` was sent (FST reads it from the query string of a GET). */
  readonly showCodes: boolean;
  /** `generate_new_codes` was sent (the POST button). */
  readonly generateNewCodes: boolean;
}

type Button = 'show_codes' | 'generate_new_codes';

/**
 * Flask-Security-Too's `MfRecoveryCodesForm` (docs/flask-security-reference.md §2.6): no input fields, only two
 * submit buttons whose presence matters. A button's value may be any string (browsers send its label) or a
 * boolean; anything else is `API_ERROR`.
 *
 * @example
 * ```ts
 * new MfRecoveryCodesForm().validate(new URLSearchParams('show_codes=')); // { ok: true, value: { showCodes: true, generateNewCodes: false } }
 * ```
 */
export class MfRecoveryCodesForm {
  /** The two buttons. */
  readonly fields: readonly FieldSpec<Button>[] = Object.freeze([
    field({ name: 'show_codes', kind: 'submit', label: 'LABEL_SHOW_RECOVERY_CODES' }),
    field({ name: 'generate_new_codes', kind: 'submit', label: 'LABEL_GENERATE_RECOVERY_CODES' }),
  ]);

  /** Checks a submitted body or query; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<MfRecoveryCodesValue, Button> {
    const errors = new ErrorCollector<Button>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const pressed = (name: Button): boolean => {
      const raw = input.get(name);
      if (raw === undefined || raw === null || raw === false) return false;
      if (raw === true || typeof raw === 'string') return true;
      errors.add(name, 'API_ERROR');
      return false;
    };
    const showCodes = pressed('show_codes');
    const generateNewCodes = pressed('generate_new_codes');
    if (!errors.empty) return errors.failure();
    return { ok: true, value: Object.freeze({ showCodes, generateNewCodes }) };
  }
}
