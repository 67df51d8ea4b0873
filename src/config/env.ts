/** configFromEnv: the same options read from SECURITY_* environment variables. */
import { describe, fail, isPlainObject } from './checks.js';
import { closest } from './suggest.js';
import { ALIASES, isInertText, OPTION_NAMES, OPTIONS, REFUSED, type OptionKind, type RefusedEntry } from './table.js';
import type { TwofoldOptions } from './types.js';

/*
 * Variables under these prefixes are twofold's: an unknown one is a typo worth stopping for
 * (SECURITY_TWO_FACTOR_REQURED=true must not be ignored). Other SECURITY_* variables belong to the rest of an
 * application ported from Flask-Security-Too (SECURITY_PASSWORD_HASH, …) and are left alone.
 */
const OWN_PREFIXES = ['SECURITY_TWO_FACTOR', 'SECURITY_TOTP_', 'SECURITY_MULTI_FACTOR_', 'SECURITY_RECOVERY_CODES', 'SECURITY_SMS_', 'SECURITY_PHONE_', 'SECURITY_FRESHNESS'];

/**
 * Reads options from `SECURITY_*` variables, one per option (see `OPTIONS`): `true`/`false` for switches,
 * numbers of seconds for durations, JSON for objects, JSON arrays or comma-separated words for lists, and an
 * empty value or `null` for "none" where an option allows it. The seed's names (`SECURITY_RECOVERY_CODES`,
 * `SECURITY_RECOVERY_CODES_N`, `SECURITY_TWO_FACTOR_SMS_SERVICE`) are read too.
 *
 * Only the variables that are set appear in the result, so code can override them:
 * `resolveConfig({ ...configFromEnv(), totpIssuer: 'My App' })`. Values are checked for form here and for
 * meaning by `resolveConfig`.
 *
 * @param env - The environment; `process.env` by default.
 * @throws ConfigError naming the variable: a malformed value (bad JSON, `yes` for a switch, `5m` for seconds),
 *   an alias set differently from its option, an FST variable twofold refuses, or an unknown variable under
 *   one of twofold's prefixes (with "did you mean").
 *
 * @example
 * ```ts
 * configFromEnv({ SECURITY_TWO_FACTOR_REQUIRED: 'true', SECURITY_TOTP_SECRETS: '{"1":"…"}' });
 * // { twoFactorRequired: true, totpSecrets: { '1': '…' } }
 * ```
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): TwofoldOptions {
  const options: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const name of OPTION_NAMES) {
    const spec = OPTIONS[name];
    const raw = env[spec.env];
    if (raw === undefined) continue;
    options[name] = parse(spec.env, spec.kind, raw);
    from.set(name, spec.env);
  }
  for (const { option, env: variable } of Object.values(ALIASES)) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const value = parse(variable, OPTIONS[option].kind, raw);
    const other = from.get(option);
    if (other !== undefined && JSON.stringify(options[option]) !== JSON.stringify(value)) {
      fail(variable, `is the seed's name for ${other}, which is also set, to something else; set only ${other}`);
    }
    options[option] = value;
    from.set(option, variable);
  }
  checkUnknown(env);
  return options as TwofoldOptions;
}

function checkUnknown(env: Readonly<Record<string, string | undefined>>): void {
  const known = new Set<string>([...OPTION_NAMES.map((name) => OPTIONS[name].env), ...Object.values(ALIASES).map((alias) => alias.env)]);
  const refused = new Map<string, RefusedEntry>(Object.values(REFUSED).map((entry) => [entry.env, entry]));
  for (const variable of Object.keys(env)) {
    const raw = env[variable];
    if (known.has(variable) || raw === undefined) continue;
    const entry = refused.get(variable);
    if (entry !== undefined && isInertText(entry, raw)) continue;
    if (entry !== undefined) fail(variable, entry.fix);
    if (!OWN_PREFIXES.some((prefix) => variable.startsWith(prefix))) continue;
    const guess = closest(variable, [...known]);
    fail(variable, guess === null ? 'is not a twofold setting; unset it' : `is not a twofold setting; did you mean ${guess}?`);
  }
}

function parse(variable: string, kind: OptionKind, raw: string): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'boolean':
      if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      return fail(variable, `must be true or false; got ${describe(raw)}`);
    case 'seconds?':
      if (text === '' || text === 'null') return null;
      return parseNumber(variable, text, /^-?\d+(\.\d+)?$/, 'a number of seconds, e.g. 300');
    case 'seconds':
      return parseNumber(variable, text, /^-?\d+(\.\d+)?$/, 'a number of seconds, e.g. 300');
    case 'integer':
      return parseNumber(variable, text, /^-?\d+$/, 'a whole number, e.g. 10');
    case 'string':
      return raw;
    case 'string?':
      return text === '' || text === 'null' ? null : raw;
    case 'list':
      return parseList(variable, text);
    case 'object':
      return parseObject(variable, text);
  }
}

function parseNumber(variable: string, text: string, pattern: RegExp, example: string): number {
  if (!pattern.test(text)) fail(variable, `must be ${example}; got ${describe(text)}`);
  return Number(text);
}

function parseList(variable: string, text: string): string[] {
  if (!text.startsWith('[')) return text.split(',').map((word) => word.trim()).filter((word) => word !== '');
  const value = parseJson(variable, text);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    fail(variable, `must be a JSON array of strings such as ["authenticator","email"], or comma-separated words`);
  }
  return value as string[];
}

function parseObject(variable: string, text: string): Record<string, unknown> {
  const value = parseJson(variable, text);
  if (!isPlainObject(value)) fail(variable, `must be a JSON object such as {"1":"<secret>"}; got ${describe(value)}`);
  return value;
}

function parseJson(variable: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not the parser's message: it quotes the input, and the input may be a secret.
    return fail(variable, 'is not valid JSON; check the quotes (JSON needs "double quotes") and brackets');
  }
}
