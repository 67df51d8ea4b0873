/** TwoFactorSetupForm: choose, change or disable the second factor (`setup`, `phone`); FST view `/tf-setup`. */
import type { MessageKey } from '../messages.js';
import { checkChoices, ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { isBlank, readChoice, readFormInput, readText } from './input.js';

/** The longest phone number accepted as typed, in characters; E.164 has at most 15 digits plus formatting. */
export const PHONE_MAX_LENGTH = 64;

const SETUP_LABELS: Readonly<Record<string, MessageKey>> = {
  disable: 'LABEL_SETUP_DISABLE',
  email: 'LABEL_SETUP_EMAIL',
  authenticator: 'LABEL_SETUP_AUTHENTICATOR',
  sms: 'LABEL_SETUP_SMS',
};

/** The wire names of the fields that can carry errors. */
export type TwoFactorSetupField = 'setup' | 'phone';

/** Options for {@link TwoFactorSetupForm}. */
export interface TwoFactorSetupFormOptions<C extends string> {
  /**
   * The values this user may choose now, in display order: the enabled methods, with `disable` first when
   * 2FA is not required and the user has a method (FST §2.1), e.g. `['disable', 'authenticator', 'email']`.
   */
  readonly choices: readonly C[];
  /**
   * Checks a phone number as typed and gives its E.164 form, or `null` when it is not valid; for example
   * `(s) => normalizePhoneNumber(s, { defaultRegion: config.phoneRegionDefault })` from `delivery/phone.ts`.
   * Without it the trimmed text is passed on unchecked.
   */
  readonly validatePhone?: (phone: string) => string | null;
}

/** A valid setup request. */
export interface TwoFactorSetupValue<C extends string = string> {
  /** The chosen value; the legacy `mail` arrives as `email`. */
  readonly setup: C;
  /** For `sms` only: the number in E.164 form (as typed, trimmed, without `validatePhone`); otherwise `null`. */
  readonly phone: string | null;
}

/**
 * Flask-Security-Too's `TwoFactorSetupForm`. A missing or unoffered `setup` is a `setup` error
 * `TWO_FACTOR_METHOD_NOT_AVAILABLE`; `sms` with an empty or invalid phone is a `phone` error `PHONE_INVALID`.
 *
 * @example
 * ```ts
 * import { normalizePhoneNumber } from '../delivery/phone.js';
 * const form = new TwoFactorSetupForm({
 *   choices: ['disable', 'authenticator', 'sms'],
 *   validatePhone: (phone) => normalizePhoneNumber(phone, { defaultRegion: 'US' }),
 * });
 * const result = form.validate({ setup: 'sms', phone: '650-555-1212' });
 * if (result.ok) result.value; // { setup: 'sms', phone: '+16505551212' }
 * ```
 */
export class TwoFactorSetupForm<C extends string = string> {
  /** The choices this instance accepts. */
  readonly choices: readonly C[];
  /** `setup`, `phone` (only when `sms` is a choice) and `submit`. */
  readonly fields: readonly FieldSpec<TwoFactorSetupField | 'submit'>[];
  readonly #validatePhone: ((phone: string) => string | null) | null;
  readonly #aliases: Readonly<Record<string, C>>;

  /** @throws TypeError when `choices` is not a list of distinct non-empty strings, or `validatePhone` is not a function. */
  constructor(options: TwoFactorSetupFormOptions<C>) {
    this.choices = checkChoices<C>('TwoFactorSetupForm', options.choices);
    if (options.validatePhone !== undefined && typeof options.validatePhone !== 'function') {
      throw new TypeError("TwoFactorSetupForm: option 'validatePhone' must be a function (phone) => string | null");
    }
    this.#validatePhone = options.validatePhone ?? null;
    // FST accepts the pre-5.0 name `mail` wherever `email` is offered.
    this.#aliases = this.choices.includes('email' as C) ? { mail: 'email' as C } : {};
    const setup = field({
      name: 'setup',
      kind: 'radio',
      label: 'LABEL_AVAILABLE_METHODS',
      required: true,
      choices: this.choices.map((value) => ({ value, label: SETUP_LABELS[value] ?? null })),
    });
    const phone = field({
      name: 'phone',
      kind: 'tel',
      label: 'LABEL_PHONE',
      maxLength: PHONE_MAX_LENGTH,
      attributes: { autocomplete: 'tel' },
    });
    const submit = field({ name: 'submit', kind: 'submit', label: 'LABEL_SUBMIT' });
    this.fields = Object.freeze(this.choices.includes('sms' as C) ? [setup, phone, submit] : [setup, submit]);
  }

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<TwoFactorSetupValue<C>, TwoFactorSetupField> {
    const errors = new ErrorCollector<TwoFactorSetupField>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');

    const setup = readChoice(input.get('setup'), this.choices, { invalid: 'TWO_FACTOR_METHOD_NOT_AVAILABLE', aliases: this.#aliases });
    if (!setup.ok) errors.add('setup', setup.error);
    const typed = readText(input.get('phone'), { maxLength: PHONE_MAX_LENGTH, trim: true });
    if (!typed.ok) errors.add('phone', typed.error);

    let phone: string | null = null;
    if (setup.ok && setup.value === 'sms' && typed.ok) {
      phone = typed.value === null || isBlank(typed.value) ? null : this.#checkPhone(typed.value);
      if (phone === null) errors.add('phone', 'PHONE_INVALID');
    }
    if (!setup.ok || !errors.empty) return errors.failure();
    return { ok: true, value: Object.freeze({ setup: setup.value, phone }) };
  }

  #checkPhone(typed: string): string | null {
    if (this.#validatePhone === null) return typed;
    try {
      const normalized = this.#validatePhone(typed);
      return typeof normalized === 'string' && normalized !== '' ? normalized : null;
    } catch {
      // The contract is "E.164 or null"; a checker that throws on odd input must not turn it into a 500.
      return null;
    }
  }
}
