/** twofold's options: types, the option table with defaults and SECURITY_* names, resolveConfig and configFromEnv. */
export { configFromEnv } from './config/env.js';
export { resolveConfig, type ResolveContext } from './config/resolve.js';
export { envNameOf, optionNameOf } from './config/suggest.js';
export {
  ALIASES,
  OPTION_NAMES,
  OPTIONS,
  REFUSED,
  type Checker,
  type DerivedDefault,
  type OptionName,
  type OptionKind,
  type OptionSpec,
  type OptionTable,
} from './config/table.js';
export { option, type ValueOf } from './config/option.js';
export type {
  AliasOptions,
  ApiAuthMethod,
  CodeMethod,
  Seconds,
  InertOptions,
  TwoFactorRequiredPredicate,
  TwofoldConfig,
  TwofoldOptions,
  ValidityCookieOptions,
} from './config/types.js';
