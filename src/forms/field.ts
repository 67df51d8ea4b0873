/** What every form shares: field descriptions, the validation result, and the error collector. */
import type { MessageKey } from '../messages.js';

/** A field's kind; also the `type` of its HTML `<input>` (`radio` is one input per choice). */
export type FieldKind = 'text' | 'email' | 'password' | 'tel' | 'radio' | 'checkbox' | 'hidden' | 'submit';

/** One choice of a radio field: the value on the wire and its label, `null` when twofold has no label for it. */
export interface Choice<V extends string = string> {
  readonly value: V;
  readonly label: MessageKey | null;
}

/**
 * A field as a renderer sees it. `name` is the wire name (form field and JSON key), as in Flask-Security-Too.
 * `maxLength` is in UTF-16 code units, the unit of HTML's `maxlength`.
 */
export interface FieldSpec<N extends string = string> {
  readonly name: N;
  readonly kind: FieldKind;
  readonly label: MessageKey | null;
  readonly required: boolean;
  readonly maxLength: number | null;
  /** For radio fields: the choices this form instance accepts, in display order. */
  readonly choices: readonly Choice[] | null;
  /** Extra HTML attributes, e.g. `{ autocomplete: 'one-time-code', inputmode: 'numeric' }`. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Field errors by wire name; form-level errors under `''` (FST's `field_errors[""]`). Only fields with errors
 * appear. Every entry is a bare message key whose text takes no parameters, so it renders without context.
 */
export type FormErrors<N extends string> = { readonly [K in N | '']?: readonly MessageKey[] };

/** The outcome of `validate`: the typed value, or the errors. Never thrown. */
export type FormResult<T, N extends string> = { readonly ok: true; readonly value: T } | FormFailure<N>;

/** Builds a {@link FieldSpec}, filling the members a field does not use. */
export function field<N extends string>(spec: { name: N; kind: FieldKind; label: MessageKey | null } & Partial<Omit<FieldSpec<N>, 'name' | 'kind' | 'label'>>): FieldSpec<N> {
  return Object.freeze({
    required: false,
    maxLength: null,
    choices: null,
    ...spec,
    attributes: Object.freeze({ ...spec.attributes }),
  });
}

/** A failed validation: field errors by wire name. */
export type FormFailure<N extends string> = { readonly ok: false; readonly errors: FormErrors<N> };

/** Collects errors while a form validates, then gives the failure. */
export class ErrorCollector<N extends string> {
  readonly #errors = new Map<N | '', MessageKey[]>();

  /** Records `key` against the field `name` (`''` for the whole form); a key is recorded once per field. */
  add(name: N | '', key: MessageKey): void {
    const list = this.#errors.get(name);
    if (list === undefined) this.#errors.set(name, [key]);
    else if (!list.includes(key)) list.push(key);
  }

  /** Whether no error was recorded. */
  get empty(): boolean {
    return this.#errors.size === 0;
  }

  /** The failure holding every recorded error. */
  failure(): FormFailure<N> {
    const errors: { [K in N | '']?: readonly MessageKey[] } = {};
    // Keys are our own field names, never input, so this object cannot be polluted.
    for (const [name, keys] of this.#errors) errors[name] = Object.freeze([...keys]);
    return { ok: false, errors: Object.freeze(errors) };
  }

  /** Records one error and gives the failure; for input that cannot be read at all. */
  failWith(name: N | '', key: MessageKey): FormFailure<N> {
    this.add(name, key);
    return this.failure();
  }
}

/** Checks a choice list handed to a form's constructor. @throws TypeError on a caller mistake. */
export function checkChoices<C extends string>(formName: string, choices: unknown): readonly C[] {
  if (!Array.isArray(choices) || choices.some((choice) => typeof choice !== 'string' || choice === '')) {
    throw new TypeError(`${formName}: option 'choices' must be an array of non-empty strings`);
  }
  if (new Set(choices).size !== choices.length) throw new TypeError(`${formName}: option 'choices' lists a value twice`);
  return Object.freeze([...(choices as C[])]);
}
