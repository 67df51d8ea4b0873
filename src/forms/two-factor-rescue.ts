/** TwoFactorRescueForm: what to do when the second factor is lost (`help_setup`); FST `/tf-rescue`. */
import type { MessageKey } from '../messages.js';
import { checkChoices, ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { readChoice, readFormInput } from './input.js';

const RESCUE_LABELS: Readonly<Record<string, MessageKey>> = {
  help: 'LABEL_RESCUE_HELP',
  email: 'LABEL_RESCUE_EMAIL',
  recovery_code: 'LABEL_RESCUE_RECOVERY_CODE',
};

/** Options for {@link TwoFactorRescueForm}. */
export interface TwoFactorRescueFormOptions<C extends string> {
  /**
   * The rescue options this user has, in display order (FST §2.4): always `help`; `email` when
   * `twoFactorRescueEmail` is on; `recovery_code` when recovery codes are on and the user has some.
   * Values from before FST 5.0 (`lost_device`, `no_mail_access`) are simply not choices.
   */
  readonly choices: readonly C[];
}

/** The chosen rescue option. */
export interface TwoFactorRescueValue<C extends string = string> {
  readonly helpSetup: C;
}

/**
 * Flask-Security-Too's `TwoFactorRescueForm`. A missing or unoffered value is a `help_setup` error
 * `NOT_A_VALID_CHOICE` (WTForms enforces this list in FST).
 *
 * @example
 * ```ts
 * const form = new TwoFactorRescueForm({ choices: ['help', 'recovery_code'] });
 * form.validate({ help_setup: 'recovery_code' }); // { ok: true, value: { helpSetup: 'recovery_code' } }
 * ```
 */
export class TwoFactorRescueForm<C extends string = string> {
  /** The choices this instance accepts. */
  readonly choices: readonly C[];
  /** `help_setup` and `submit`. */
  readonly fields: readonly FieldSpec<'help_setup' | 'submit'>[];

  /** @throws TypeError when `choices` is not a list of distinct non-empty strings. */
  constructor(options: TwoFactorRescueFormOptions<C>) {
    this.choices = checkChoices<C>('TwoFactorRescueForm', options.choices);
    this.fields = Object.freeze([
      field({
        name: 'help_setup',
        kind: 'radio',
        label: 'LABEL_RESCUE',
        required: true,
        choices: this.choices.map((value) => ({ value, label: RESCUE_LABELS[value] ?? null })),
      }),
      field({ name: 'submit', kind: 'submit', label: 'LABEL_SUBMIT' }),
    ]);
  }

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<TwoFactorRescueValue<C>, 'help_setup'> {
    const errors = new ErrorCollector<'help_setup'>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const choice = readChoice(input.get('help_setup'), this.choices, { invalid: 'NOT_A_VALID_CHOICE' });
    if (!choice.ok) return errors.failWith('help_setup', choice.error);
    return { ok: true, value: Object.freeze({ helpSetup: choice.value }) };
  }
}
