/** Checks for single option values; each throws a ConfigError that names the option and says the fix. */
import { ConfigError } from '../errors.js';
import type { Seconds } from './types.js';

/** Throws the {@link ConfigError} for `key`. */
export function fail(key: string, message: string): never {
  throw new ConfigError(key, message);
}

/** A short, safe description of a value for an error message; never the contents of an object. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** Whether `value` is an object literal (or `JSON.parse` output): not an array, not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A boolean. */
export function checkBoolean(key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(key, `must be true or false; got ${describe(value)}`);
  return value;
}

/** A duration in seconds within `[min, max]`; `maxFix` explains a value above `max`. */
export function checkSeconds(key: string, value: unknown, limits: { min?: number; max?: number; maxFix?: string } = {}): Seconds {
  const min = limits.min ?? 0;
  // Whole seconds: times are stored as whole seconds, and a fraction here would only be rounded away later.
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(key, `must be a whole number of seconds; got ${describe(value)}`);
  if (value < min) {
    fail(key, min === 0 ? `must not be negative; got ${value}. Give a number of seconds, 0 or more` : `must be at least ${min} seconds; got ${value}`);
  }
  if (limits.max !== undefined && value > limits.max) fail(key, limits.maxFix ?? `must be at most ${limits.max} seconds; got ${value}`);
  return value;
}

/** A whole number within `[min, max]`. */
export function checkInteger(key: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(key, `must be a whole number from ${min} to ${max}; got ${describe(value)}`);
  }
  return value;
}

/** A string with something in it besides white space. */
export function checkString(key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(key, `must be a non-empty string; got ${describe(value)}`);
  return value;
}

/** A route this library serves: `/something`, no host, query or fragment. */
export function checkPath(key: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\/(?!\/)[^\s?#\\]*$/.test(value)) {
    fail(key, `must be a path starting with '/' (no host, query or spaces), such as '/tf-setup'; got ${describe(value)}`);
  }
  return value;
}

/** A redirect target: a path as in {@link checkPath} (a query allowed), or an absolute http(s) URL for an SPA. */
export function checkView(key: string, value: unknown): string {
  const isPath = typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value);
  if (!isPath && !(typeof value === 'string' && isHttpUrl(value))) {
    fail(key, `must be a path starting with '/', such as '/profile', or an absolute https:// URL; got ${describe(value)}`);
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** An HTTP token (RFC 9110 §5.6.2): what a cookie or header name may contain. */
export function checkToken(key: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)) {
    fail(key, `must be a ${what} name made of letters, digits and !#$%&'*+.^_\`|~-; got ${describe(value)}`);
  }
  return value;
}

/** A list of distinct strings from `allowed` (after `aliases`); an empty list is allowed here. */
export function checkList<T extends string>(
  key: string,
  value: unknown,
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T[] {
  if (!Array.isArray(value)) fail(key, `must be a list such as ${JSON.stringify(allowed)}; got ${describe(value)}`);
  const result: T[] = [];
  for (const item of value as unknown[]) {
    const name = typeof item === 'string' && Object.hasOwn(aliases, item) ? aliases[item] : item;
    if (typeof name !== 'string' || !allowed.includes(name as T)) {
      fail(key, `${describe(item)} is not one of ${allowed.map((a) => `'${a}'`).join(', ')}; remove it or fix the spelling`);
    }
    if (result.includes(name as T)) fail(key, `lists '${name}' twice; list each once`);
    result.push(name as T);
  }
  return result;
}
