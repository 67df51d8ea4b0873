/** TwoFactorSelectForm: which of several set-up second factors to use now (`which`); FST `/tf-select`. */
import { methodLabel } from '../messages.js';
import { checkChoices, ErrorCollector, field, type FieldSpec, type FormResult } from './field.js';
import { readChoice, readFormInput } from './input.js';

/** Options for {@link TwoFactorSelectForm}. */
export interface TwoFactorSelectFormOptions<C extends string> {
  /** The methods this user has set up, across plugins (`security.getTfMethods(user)`), e.g. `['sms', 'webauthn']`. */
  readonly choices: readonly C[];
}

/** The chosen method. */
export interface TwoFactorSelectValue<C extends string = string> {
  readonly which: C;
}

/**
 * Flask-Security-Too's `TwoFactorSelectForm`. A missing or unoffered method is a `which` error
 * `NOT_A_VALID_CHOICE`. A method twofold has no label for (a custom plugin's) gets `label: null`; show its value.
 *
 * @example
 * ```ts
 * new TwoFactorSelectForm({ choices: ['sms', 'webauthn'] }).validate({ which: 'sms' }); // { ok: true, value: { which: 'sms' } }
 * ```
 */
export class TwoFactorSelectForm<C extends string = string> {
  /** The choices this instance accepts. */
  readonly choices: readonly C[];
  /** `which` and `submit`. */
  readonly fields: readonly FieldSpec<'which' | 'submit'>[];

  /** @throws TypeError when `choices` is not a list of distinct non-empty strings. */
  constructor(options: TwoFactorSelectFormOptions<C>) {
    this.choices = checkChoices<C>('TwoFactorSelectForm', options.choices);
    this.fields = Object.freeze([
      field({
        name: 'which',
        kind: 'radio',
        label: 'LABEL_SELECT_METHODS',
        required: true,
        choices: this.choices.map((value) => ({ value, label: methodLabel(value) })),
      }),
      field({ name: 'submit', kind: 'submit', label: 'LABEL_SELECT' }),
    ]);
  }

  /** Checks a submitted body; never throws, whatever `data` is. */
  validate(data: unknown): FormResult<TwoFactorSelectValue<C>, 'which'> {
    const errors = new ErrorCollector<'which'>();
    const input = readFormInput(data);
    if (input === null) return errors.failWith('', 'API_ERROR');
    const choice = readChoice(input.get('which'), this.choices, { invalid: 'NOT_A_VALID_CHOICE' });
    if (!choice.ok) return errors.failWith('which', choice.error);
    return { ok: true, value: Object.freeze({ which: choice.value }) };
  }
}
