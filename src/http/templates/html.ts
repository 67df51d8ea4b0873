/** HTML building: a tagged template that escapes every interpolated value, and `raw()` for trusted markup. */

/**
 * Markup that is safe to insert as it is. Only {@link html} and {@link raw} make one; the private field means
 * a look-alike object from a model (`{ markup: '<script>' }`) is still escaped.
 */
export class Html {
  readonly #markup: string;

  private constructor(markup: string) {
    this.#markup = markup;
  }

  /** @internal Used by {@link raw} and {@link html}; not for templates. */
  static fromTrusted(markup: string): Html {
    return new Html(markup);
  }

  /** The markup. */
  toString(): string {
    return this.#markup;
  }
}

/**
 * What a template may interpolate. Strings and numbers are escaped; `Html` is inserted as it is; arrays are
 * joined; `null`, `undefined` and `false` print nothing, so `${cond && html`…`}` works.
 */
export type HtmlValue = string | number | Html | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an HTML text node or a quoted attribute value (`&`, `<`, `>`, `"`, `'`).
 *
 * @example
 * ```ts
 * escapeHtml(`<a href="x">'&'</a>`); // '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  // A boolean `true`, an object or a function is a template mistake, not data to print.
  throw new TypeError(`html: cannot interpolate a ${typeof value}; pass a string, a number, Html or an array`);
}

/**
 * Builds markup from a template literal, escaping every interpolated value except {@link Html}. Write
 * attribute values in double quotes: `<input value="${value}">`.
 *
 * @throws TypeError when a value is `true`, an object or a function (a template mistake).
 * @example
 * ```ts
 * html`<p class="note">${userText}</p>`.toString(); // userText escaped
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return Html.fromTrusted(markup);
}

/**
 * Marks trusted markup (the QR code's `<svg>` from the `qrcode` package) to be inserted without escaping.
 * Never pass it text that came from a request or a user record.
 *
 * @example
 * ```ts
 * html`<div role="img" aria-label="${label}">${raw(qrSvg)}</div>`;
 * ```
 */
export function raw(markup: string): Html {
  if (typeof markup !== 'string') throw new TypeError('raw: markup must be a string');
  return Html.fromTrusted(markup);
}

/** An attribute's value: a string or number is printed, `true` prints the bare name, `false`/`null`/`undefined` drop it. */
export type AttributeValue = string | number | boolean | null | undefined;

const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Renders attributes, each with a leading space: `attributes({ required: true, maxlength: 64 })` gives
 * ` required maxlength="64"`. Names come from code, never from input, and must be lower-case words.
 *
 * @throws TypeError on a name that is not a lower-case attribute name.
 */
export function attributes(values: Readonly<Record<string, AttributeValue>>): Html {
  let markup = '';
  for (const [name, value] of Object.entries(values)) {
    if (!ATTRIBUTE_NAME.test(name)) throw new TypeError(`attributes: ${JSON.stringify(name)} is not an attribute name`);
    if (value === false || value === null || value === undefined) continue;
    markup += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return Html.fromTrusted(markup);
}
