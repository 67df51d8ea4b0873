/** Reading untrusted form input: any value in, a typed value or a message key out, never an exception. */
import type { MessageKey } from '../messages.js';

/** A parsed field value, or the message key that says what is wrong with it. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: MessageKey };

/** A form body's fields by wire name. `get` gives `undefined` for an absent field. */
export interface FormInput {
  get(name: string): unknown;
}

const EMPTY: FormInput = { get: () => undefined };

/**
 * Reads a request body as form input, or `null` when it cannot be one (a string, a number, an array, a class
 * instance). Accepted: `undefined`/`null` (no body: every field absent), a plain object as `JSON.parse` or
 * `querystring` makes it (also with a `null` prototype), `URLSearchParams` and `FormData`.
 *
 * Only own data properties are read, so a `__proto__` key is just an unknown field and a getter is never run;
 * a repeated form field becomes an array, which the field parsers refuse.
 */
export function readFormInput(data: unknown): FormInput | null {
  try {
    if (data === undefined || data === null) return EMPTY;
    if (data instanceof URLSearchParams || data instanceof FormData) return fromSearchParams(data);
    if (typeof data !== 'object' || Array.isArray(data)) return null;
    const proto: unknown = Object.getPrototypeOf(data);
    if (proto !== Object.prototype && proto !== null) return null;
    return { get: (name) => ownDataProperty(data, name) };
  } catch {
    // A Proxy whose traps throw (or a revoked one) is not a form body.
    return null;
  }
}

function fromSearchParams(params: URLSearchParams | FormData): FormInput {
  return {
    get(name) {
      const values: unknown[] = params.getAll(name);
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    },
  };
}

/** The own data property `name` of `object`; `undefined` for an accessor or when reading it throws. */
function ownDataProperty(object: object, name: string): unknown {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(object, name);
    return descriptor !== undefined && 'value' in descriptor ? (descriptor.value as unknown) : undefined;
  } catch {
    return undefined;
  }
}

// An unpaired UTF-16 surrogate cannot be encoded as UTF-8, so such a string would fail later in a database
// driver or a mailer instead of here.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A text field: `null` when absent (or JSON `null`), else the string, trimmed when `trim` is set.
 * Anything but a string is `API_ERROR`; longer than `maxLength` is `FIELD_TOO_LONG`.
 */
export function readText(raw: unknown, rules: { readonly maxLength: number; readonly trim: boolean }): Parsed<string | null> {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (typeof raw !== 'string' || LONE_SURROGATE.test(raw)) return { ok: false, error: 'API_ERROR' };
  const value = rules.trim ? raw.trim() : raw;
  if (value.length > rules.maxLength) return { ok: false, error: 'FIELD_TOO_LONG' };
  return { ok: true, value };
}

/**
 * A code field: a string (trimmed) or a non-negative integer, which becomes its decimal digits — FST accepts
 * JSON numbers; the verifier zero-pads and decides whether the code is right. `null` when absent.
 */
export function readCode(raw: unknown, maxLength: number): Parsed<string | null> {
  if (typeof raw === 'number') {
    return Number.isSafeInteger(raw) && raw >= 0 ? { ok: true, value: String(raw) } : { ok: false, error: 'API_ERROR' };
  }
  return readText(raw, { maxLength, trim: true });
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0', '']);

/**
 * A checkbox: `null` when absent; `true`/`false`, `1`/`0`, or a word browsers and clients send
 * (`on`, `y`, `yes`, `true`, `1` / `off`, `n`, `no`, `false`, `0`, empty), in any case. Anything else is
 * `API_ERROR` — stricter than WTForms' BooleanField, which takes any unknown string as true.
 */
export function readBoolean(raw: unknown): Parsed<boolean | null> {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (raw === 1 || raw === 0) return { ok: true, value: raw === 1 };
  if (typeof raw === 'string' && raw.length <= 8) {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  }
  return { ok: false, error: 'API_ERROR' };
}

/**
 * A radio field: the chosen value, which must be one of `choices` (after `aliases` map a legacy value to its
 * current one). Absent, empty or unknown is `invalid`; a value that is not a string is `API_ERROR`.
 */
export function readChoice<C extends string>(
  raw: unknown,
  choices: readonly C[],
  rules: { readonly invalid: MessageKey; readonly aliases?: Readonly<Record<string, C>> },
): Parsed<C> {
  if (raw === undefined || raw === null) return { ok: false, error: rules.invalid };
  if (typeof raw !== 'string') return { ok: false, error: 'API_ERROR' };
  const value = raw.trim();
  const aliased = rules.aliases !== undefined && Object.hasOwn(rules.aliases, value) ? rules.aliases[value] : undefined;
  const chosen = choices.find((choice) => choice === (aliased ?? value));
  return chosen === undefined ? { ok: false, error: rules.invalid } : { ok: true, value: chosen };
}

/** Whether a text is absent or only white space — WTForms' `DataRequired` test. */
export function isBlank(value: string | null): boolean {
  return value === null || value.trim() === '';
}
