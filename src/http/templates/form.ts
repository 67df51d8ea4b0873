/** Form pieces every page shares: the POST form with its CSRF field, labelled inputs, radio groups, errors. */
import type { FormErrors } from '../../forms/field.js';
import { CODE_MAX_LENGTH } from '../../forms/two-factor-verify-code.js';
import type { MessageKey } from '../../messages.js';
import type { PageChoice, PageContext } from '../pages.js';
import { attributes, html, type AttributeValue, type Html } from './html.js';

/** What the form pieces need from a page's context. */
export type FormContext = Pick<PageContext, 't' | 'csrfToken'>;

/** A field's errors, or an empty list. Reads own keys only, so a field named `constructor` stays harmless. */
export function errorsFor(errors: FormErrors<string>, name: string): readonly MessageKey[] {
  return (Object.hasOwn(errors, name) ? errors[name] : undefined) ?? [];
}

/** The errors of one field, as a list whose id the field's `aria-describedby` names. */
function fieldErrors(context: FormContext, id: string, keys: readonly MessageKey[]): Html | null {
  if (keys.length === 0) return null;
  return html`<ul class="tf-field-errors" id="${id}-errors">${keys.map((key) => html`<li>${context.t(key)}</li>`)}</ul>`;
}

/** The `aria-*` attributes tying a control to its hint and its errors. */
function described(id: string, hasHint: boolean, keys: readonly MessageKey[]): Record<string, AttributeValue> {
  const ids = [hasHint && `${id}-hint`, keys.length > 0 && `${id}-errors`].filter((part): part is string => part !== false);
  return { 'aria-describedby': ids.length > 0 ? ids.join(' ') : null, 'aria-invalid': keys.length > 0 ? 'true' : null };
}

/**
 * Errors that belong to no field the form shows: the form-level ones (`''`) and any on a field the page does
 * not render (`csrf_token`, a button), so no error is ever dropped. One `role="alert"` block, or nothing.
 */
export function formAlert(context: FormContext, errors: FormErrors<string>, shownFields: readonly string[]): Html | null {
  const keys = new Set<MessageKey>();
  for (const name of Object.keys(errors)) {
    if (!shownFields.includes(name)) for (const key of errorsFor(errors, name)) keys.add(key);
  }
  if (keys.size === 0) return null;
  return html`<div class="tf-alert" role="alert"><ul>${[...keys].map((key) => html`<li>${context.t(key)}</li>`)}</ul></div>`;
}

/** A POST form: `method="post"`, the escaped action, the hidden `csrf_token`, its form-level errors, `body`. */
export function postForm(
  context: FormContext,
  form: { readonly action: string; readonly name: string; readonly errors: FormErrors<string>; readonly shownFields: readonly string[]; readonly body: Html },
): Html {
  return html`<form class="tf-form" method="post" action="${form.action}" name="${form.name}">
<input type="hidden" name="csrf_token" value="${context.csrfToken}">
${formAlert(context, form.errors, form.shownFields)}${form.body}
</form>`;
}

/** Options for {@link inputField}. */
export interface InputOptions {
  /** The element id; unique on the page (two forms may both have a `code`). */
  readonly id: string;
  /** The wire name. */
  readonly name: string;
  readonly type: 'text' | 'email' | 'password' | 'tel';
  readonly label: MessageKey;
  readonly value?: string | null;
  readonly errors?: readonly MessageKey[];
  /** A translated hint under the label, read out with the field. */
  readonly hint?: string | null;
  /** `autocomplete`, `inputmode`, `maxlength`, `required`, … */
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A labelled input with its hint and errors (label, hint, errors, input: the order screen readers expect). */
export function inputField(context: FormContext, field: InputOptions): Html {
  const keys = field.errors ?? [];
  const hint = field.hint ?? null;
  const controlAttributes = attributes({
    type: field.type,
    id: field.id,
    name: field.name,
    value: field.value ?? null,
    ...field.attributes,
    ...described(field.id, hint !== null, keys),
  });
  return html`<div class="tf-field${keys.length > 0 ? ' tf-field-invalid' : ''}">
<label for="${field.id}">${context.t(field.label)}</label>
${hint !== null && html`<p class="tf-hint" id="${field.id}-hint">${hint}</p>`}
${fieldErrors(context, field.id, keys)}
<input${controlAttributes}>
</div>`;
}

/** A labelled checkbox; checked it sends `name=y`, as a WTForms BooleanField does. */
export function checkboxField(
  context: FormContext,
  field: { readonly id: string; readonly name: string; readonly label: MessageKey; readonly checked: boolean; readonly errors?: readonly MessageKey[] },
): Html {
  const keys = field.errors ?? [];
  const controlAttributes = attributes({ type: 'checkbox', id: field.id, name: field.name, value: 'y', checked: field.checked, ...described(field.id, false, keys) });
  return html`<div class="tf-check${keys.length > 0 ? ' tf-field-invalid' : ''}">
${fieldErrors(context, field.id, keys)}
<input${controlAttributes}>
<label for="${field.id}">${context.t(field.label)}</label>
</div>`;
}

/** The text of a choice: its label translated, or its raw value (escaped when printed) when it has none. */
export function choiceText(context: Pick<PageContext, 't'>, choice: PageChoice): string {
  return choice.label === null ? choice.value : context.t(choice.label);
}

/** Options for {@link radioGroup}. */
export interface RadioGroupOptions {
  /** Prefix of the element ids: the group's errors are `<prefix>-errors`, the n-th choice `<prefix>-<n>`. */
  readonly id: string;
  readonly name: string;
  readonly legend: MessageKey;
  readonly choices: readonly PageChoice[];
  readonly selected: string | null;
  readonly errors?: readonly MessageKey[];
}

/**
 * A `<fieldset>` with a `<legend>` and one labelled radio per choice. Ids are numbered, not made from the
 * values, which may come from a custom plugin. Every radio carries the group's error state.
 */
export function radioGroup(context: FormContext, group: RadioGroupOptions): Html {
  const keys = group.errors ?? [];
  const options = group.choices.map((choice, index) => {
    const id = `${group.id}-${index}`;
    const controlAttributes = attributes({
      type: 'radio',
      id,
      name: group.name,
      value: choice.value,
      checked: choice.value === group.selected,
      required: true,
      ...described(group.id, false, keys),
    });
    return html`<li><input${controlAttributes}> <label for="${id}">${choiceText(context, choice)}</label></li>`;
  });
  return html`<fieldset class="tf-choices${keys.length > 0 ? ' tf-field-invalid' : ''}">
<legend>${context.t(group.legend)}</legend>
${fieldErrors(context, group.id, keys)}
<ul class="tf-options">${options}</ul>
</fieldset>`;
}

/** A hidden input. */
export function hiddenInput(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** A submit button with a translated label; `name` (and `value`) when the server reads which button it was. */
export function submitButton(label: string, button: { readonly name?: string; readonly value?: string; readonly secondary?: boolean } = {}): Html {
  const controlAttributes = attributes({
    type: 'submit',
    class: button.secondary === true ? 'tf-button tf-button-secondary' : 'tf-button',
    name: button.name,
    value: button.value ?? (button.name === undefined ? undefined : 'y'),
  });
  return html`<div class="tf-actions"><button${controlAttributes}>${label}</button></div>`;
}

/**
 * The `code` field for a TOTP, e-mail or SMS code: numeric keyboard, one-time-code autofill, digits and spaces
 * only (checklist WEB-05). Recovery codes are letters too and use their own field (see `mf-recovery.ts`).
 */
export function codeField(
  context: FormContext,
  field: { readonly id: string; readonly errors?: readonly MessageKey[]; readonly hint?: string | null; readonly autofocus?: boolean },
): Html {
  return inputField(context, {
    id: field.id,
    name: 'code',
    type: 'text',
    label: 'LABEL_CODE',
    errors: field.errors ?? [],
    hint: field.hint ?? null,
    attributes: {
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      pattern: '[0-9 ]*',
      maxlength: CODE_MAX_LENGTH,
      required: true,
      spellcheck: 'false',
      autofocus: field.autofocus === true,
    },
  });
}
