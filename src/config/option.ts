/** One option's row: its SECURITY_* name, how the environment spells it, its default, and the checker its type comes from. */

/** How a value is read from an environment variable (see `configFromEnv`). */
export type OptionKind =
  | 'boolean' //       `true` / `false`
  | 'seconds' //       a number of seconds
  | 'seconds?' //      a number of seconds, or `null`
  | 'integer' //       a whole number
  | 'string' //        the text as it is
  | 'string?' //       the text, or `null` for an empty value or `null`
  | 'list' //          a JSON array of strings, or comma-separated words
  | 'object'; //       a JSON object

/** A default computed from other options, described for docs and the CLI. */
export interface DerivedDefault {
  readonly derivedFrom: string;
}

/** Checks one given value (or the default) and gives it back in resolved form; throws a ConfigError naming `key` and the fix. */
export type Checker<T> = (value: unknown, key: string) => T;

/** One option's row. `T` is the option's resolved type, the one its checker returns. */
export interface OptionSpec<T> {
  /** Its environment variable: `SECURITY_` + the option name in SCREAMING_SNAKE_CASE (FST's key). */
  readonly env: `SECURITY_${string}`;
  readonly kind: OptionKind;
  /** `null` where twofold can have no default: the option is required (see `summary`). */
  readonly default: T | DerivedDefault;
  /** One line for docs and `twofold config`. */
  readonly summary: string;
  /** The value's type and format; rules that involve several options are in `resolveConfig`. */
  readonly check: Checker<T>;
}

/**
 * Declares one option. Its type is what `check` returns, and the default must be of that type, so a row is
 * the one place an option is declared: `TwofoldConfig` is read off the table.
 *
 * @example
 * ```ts
 * import { checkBoolean } from './checks.js';
 * const row = option({ env: 'SECURITY_TWO_FACTOR', kind: 'boolean', default: true, summary: 'Turns 2FA on.', check: (v, k) => checkBoolean(k, v) });
 * // row: OptionSpec<boolean>
 * ```
 */
export function option<T>(spec: {
  readonly env: `SECURITY_${string}`;
  readonly kind: OptionKind;
  readonly default: NoInfer<T> | DerivedDefault;
  readonly summary: string;
  readonly check: Checker<T>;
}): OptionSpec<T> {
  return spec;
}

/** The resolved type of an option row. */
export type ValueOf<Spec> = Spec extends OptionSpec<infer T> ? T : never;

/** Whether a default is computed from other options. */
export function isDerivedDefault(value: unknown): value is DerivedDefault {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'derivedFrom');
}
