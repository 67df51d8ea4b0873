/**
 * The shapes of twofold's options, read off the option table: what an application passes in, and the complete
 * configuration it gets back.
 */
import type { CodeMethod, LegacyMethodName } from '../factors/code/methods.js';
import type { User } from '../user.js';
import type { ValueOf } from './option.js';
import type { ALIASES, REFUSED } from './aliases.js';
import type { OPTIONS } from './table.js';

export type { CodeMethod } from '../factors/code/methods.js';

/** A duration in seconds. Every duration option uses this one unit (STYLE rule 3). */
export type Seconds = number;

/** How an API client may authenticate (FST `API_ENABLED_METHODS`). */
export const API_AUTH_METHODS = ['session', 'token'] as const;

/** One of {@link API_AUTH_METHODS}. */
export type ApiAuthMethod = (typeof API_AUTH_METHODS)[number];

/** Decides per user whether 2FA is required; may consult the database. */
export type TwoFactorRequiredPredicate = (user: User) => boolean | Promise<boolean>;

/** Attributes of the "remember this device" cookie (FST `TWO_FACTOR_VALIDITY_COOKIE`). */
export interface ValidityCookieOptions {
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: 'Strict' | 'Lax' | 'None';
  readonly path: string;
  readonly domain: string | null;
}

/**
 * The complete, validated configuration {@link resolveConfig} returns, frozen: one field per row of `OPTIONS`
 * (`config/table.ts`), of the type the row's checker returns. Each option maps mechanically from a
 * Flask-Security-Too key: `SECURITY_TWO_FACTOR_REQUIRED` ↔ `twoFactorRequired`. Defaults, units, sources and
 * `SECURITY_*` names are in the table.
 */
export type TwofoldConfig = { readonly [K in keyof typeof OPTIONS]: ValueOf<(typeof OPTIONS)[K]> };

/** Options whose input shape is looser than the resolved value. */
interface InputShapes {
  /** FST's legacy names `mail` and `google_authenticator` are read as `email` and `authenticator`. */
  readonly twoFactorEnabledMethods: readonly (CodeMethod | LegacyMethodName)[];
  /** Merged over the default, so `{ secure: false }` keeps `httpOnly` and `sameSite`. */
  readonly twoFactorValidityCookie: Readonly<Partial<ValidityCookieOptions>>;
}

/** The seed's key names, accepted as aliases of the option each row of `ALIASES` names (docs/design.md §2). Setting an alias and its option differently is an error. */
export type AliasOptions = { readonly [A in keyof typeof ALIASES]?: TwofoldConfig[(typeof ALIASES)[A]['option']] };

/**
 * FST keys twofold does not implement, typed as the one value each accepts: FST's default, which asks for
 * nothing twofold lacks. Any other value is a ConfigError (see `REFUSED` in `config/aliases.ts`).
 */
export type InertOptions = {
  readonly [K in keyof typeof REFUSED as (typeof REFUSED)[K] extends { readonly inert: unknown } ? K : never]?: (typeof REFUSED)[K] extends { readonly inert: infer V } ? V : never;
};

/** What an application passes to `resolveConfig` / `new Security(…)`: any subset of the options, plus aliases. */
export type TwofoldOptions = {
  readonly [K in keyof TwofoldConfig]?: K extends keyof InputShapes ? InputShapes[K] : TwofoldConfig[K];
} & AliasOptions &
  InertOptions;
