/** TwoFactorDevicesForm: which remembered browser to forget (`revoke`: a device id or `all`); twofold's `/tf-devices`. */
import { ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { isBlank, readFormInput, readText } from './input.js';

/** A device id: the SHA-256 of the browser's token, in hex. */
export const DEVICE_ID_LENGTH = 64;

const DEVICE_ID = /^[0-9a-f]{64}$/;

/** What to forget: one device by id (lower-case hex), or all of the user's. */
export interface TwoFactorDevicesValue {
  readonly revoke: { readonly kind: 'one'; readonly id: string } | { readonly kind: 'all' };
}

/**
 * The form behind `/tf-devices`' "Forget" buttons. `revoke` is trimmed; missing or blank is `FIELD_REQUIRED`,
 * longer than a device id `FIELD_TOO_LONG`, anything but 64 hex digits or `all` `NOT_A_VALID_CHOICE`.
 * Whether the id is one of the user's is the view's question, not the form's.
 *
 * @example
 * ```ts
 * new TwoFactorDevicesForm().validate({ revoke: 'all' }); // { ok: true, value: { revoke: { kind: 'all' } } }
 * ```
 */
export class TwoFactorDevicesForm {
  /** `revoke` (hidden, one per button's form) and `submit`. */
  readonly fields: readonly FieldSpec<'revoke' | 'submit'>[] = Object.freeze([
    field({ name: 'revoke', kind: 'hidden', label: null, required: true, maxLength: DEVICE_ID_LENGTH }),
    field({ name: 'submit', kind: 'submit', label: 'LABEL_FORGET_DEVICE' }),
  ]);

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<TwoFactorDevicesValue, 'revoke'> {
    const errors = new ErrorCollector<'revoke'>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const raw = readText(input.get('revoke'), { maxLength: DEVICE_ID_LENGTH, trim: true });
    if (!raw.ok) return errors.failWith('revoke', raw.error);
    if (raw.value === null || isBlank(raw.value)) return errors.failWith('revoke', 'FIELD_REQUIRED');
    const value = raw.value.toLowerCase();
    if (value === 'all') return { ok: true, value: Object.freeze({ revoke: Object.freeze({ kind: 'all' as const }) }) };
    if (!DEVICE_ID.test(value)) return errors.failWith('revoke', 'NOT_A_VALID_CHOICE');
    return { ok: true, value: Object.freeze({ revoke: Object.freeze({ kind: 'one' as const, id: value }) }) };
  }
}
