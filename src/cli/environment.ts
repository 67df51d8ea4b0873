/**
 * The environment an application process reads, shared by the `twofold` command line and the demo: the
 * database URL, mail settings, `SECURITY_*` options, and the TOTP key ring — from `SECURITY_TOTP_SECRETS`, else
 * `SECRET_KEY`, else (development only) a key ring generated once and kept in the data folder.
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MAKE_SECRET } from '../config/checkers.js';
import { OPTIONS } from '../config/table.js';
import { configFromEnv } from '../config/env.js';
import type { CodeMethod, TwofoldConfig, TwofoldOptions } from '../config/types.js';
import { cryptoRandom } from '../crypto/random.js';
import { ConfigError } from '../errors.js';
import { checkTablePrefix, defaultTablePrefix } from '../store/kysely/table-prefix.js';

/** The variables this module reads, besides every `SECURITY_*` one. */
export type EnvironmentRecord = Readonly<Record<string, string | undefined>>;

/** The methods the demo and this command line serve when `SECURITY_TWO_FACTOR_ENABLED_METHODS` is not set. */
export const DEFAULT_SERVED_METHODS: readonly CodeMethod[] = Object.freeze(['email', 'authenticator', 'sms'] as const);

/** The methods a process started from this environment serves, and a line for each one it left out. */
export interface ServedMethods {
  readonly methods: NonNullable<TwofoldOptions['twoFactorEnabledMethods']>;
  readonly notices: readonly string[];
}

/**
 * Which second-factor methods an application started from `environment` serves: the ones
 * `SECURITY_TWO_FACTOR_ENABLED_METHODS` lists, else {@link DEFAULT_SERVED_METHODS} less, in production, what
 * would reach nobody: SMS with the dummy sender, e-mail without `SMTP_URL` (unless the caller brings its
 * own sender or mailer). Users whose stored factor is left out cannot log in with it (fail closed).
 */
export function servedMethodsOf(environment: Environment, own: { readonly mailer?: boolean; readonly smsSender?: boolean } = {}): ServedMethods {
  const given = environment.options.twoFactorEnabledMethods;
  if (given !== undefined) return { methods: given, notices: [] };
  let methods = [...DEFAULT_SERVED_METHODS];
  const notices: string[] = [];
  if (environment.production) {
    if ((environment.options.smsService ?? 'dummy').toLowerCase() === 'dummy' && own.smsSender !== true) {
      methods = methods.filter((method) => method !== 'sms');
      notices.push("SMS is off: NODE_ENV is production and SECURITY_SMS_SERVICE is 'dummy', which sends nothing.");
    }
    if (environment.smtpUrl === null && own.mailer !== true) {
      methods = methods.filter((method) => method !== 'email');
      notices.push('E-mail codes are off: NODE_ENV is production and SMTP_URL is not set.');
    }
  }
  return { methods, notices };
}

/** The demo's database, used when `DATABASE_URL` is not set by the demo and by `twofold --demo` only. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/demo.db';

/** The variable that sets the prefix of twofold's tables (default `twofold_`, see `openDatastore`). */
export const TABLE_PREFIX_VARIABLE = 'TWOFOLD_TABLE_PREFIX';

/** The development key ring's file in the data folder. */
export const SECRETS_FILE_NAME = 'secrets.json';

/** What a process reads from its environment. */
export interface Environment {
  /** `DATABASE_URL`, or the caller's default (the demo's {@link DEFAULT_DATABASE_URL}). */
  readonly databaseUrl: string;
  /** `TWOFOLD_TABLE_PREFIX`, or `twofold_`: the prefix of twofold's tables, indexes and constraints. */
  readonly tablePrefix: string;
  /** The folder of a SQLite file; `./data` for other databases. The development key ring is kept here. */
  readonly dataDirectory: string;
  /** `NODE_ENV` is `production`: nothing is generated, and a missing secret is an error. */
  readonly production: boolean;
  /** `SMTP_URL`; `null` when unset or empty (mail is then printed, in development). */
  readonly smtpUrl: string | null;
  /** `MAIL_FROM`, or null. */
  readonly mailFrom: string | null;
  /** The options the `SECURITY_*` variables set (see `configFromEnv`), without `totpSecrets` filled in. */
  readonly options: TwofoldOptions;
  /** The variables themselves, for {@link resolveTotpSecrets}. */
  readonly env: EnvironmentRecord;
}

/**
 * Reads the environment. `SECURITY_*` variables go through `configFromEnv`, so a malformed or misspelt one
 * stops here with a `ConfigError` naming it.
 *
 * @param options.defaultDatabaseUrl The database when `DATABASE_URL` is not set; without it (the command line
 *   in an application) `DATABASE_URL` is required, so twofold never quietly makes a database of its own.
 * @throws ConfigError for a bad `SECURITY_*` variable or `TWOFOLD_TABLE_PREFIX`; key `DATABASE_URL` when it is
 *   needed and not set.
 */
export function readEnvironment(env: EnvironmentRecord = process.env, options: { readonly defaultDatabaseUrl?: string } = {}): Environment {
  const databaseUrl = nonEmpty(env.DATABASE_URL) ?? options.defaultDatabaseUrl;
  if (databaseUrl === undefined) {
    throw new ConfigError(
      'DATABASE_URL',
      "is not set. Point it at the application's database: DATABASE_URL=postgres://user:pass@host:5432/db (or mysql://…, sqlite:/path/app.db).",
    );
  }
  const tablePrefix = checkTablePrefix(nonEmpty(env[TABLE_PREFIX_VARIABLE]) ?? defaultTablePrefix, TABLE_PREFIX_VARIABLE);
  return {
    databaseUrl,
    tablePrefix,
    dataDirectory: dataDirectoryOf(databaseUrl),
    production: env.NODE_ENV === 'production',
    smtpUrl: nonEmpty(env.SMTP_URL),
    mailFrom: nonEmpty(env.MAIL_FROM),
    options: configFromEnv(env),
    env,
  };
}

/** Where a SQLite database file lives, or `./data`; resolved against the working directory. */
export function dataDirectoryOf(databaseUrl: string): string {
  const match = /^sqlite:(.*)$/i.exec(databaseUrl);
  const path = match?.[1];
  if (path === undefined || path === '' || path === ':memory:' || path.startsWith('//')) return resolve('data');
  return dirname(resolve(path));
}

/** Where the key ring came from, for the start-up notice. */
export type SecretsSource = 'SECURITY_TOTP_SECRETS' | 'SECRET_KEY' | 'generated' | 'kept';

/** The key ring to use, and where it came from. */
export interface ResolvedSecrets extends Pick<TwofoldConfig, 'totpSecrets'> {
  readonly source: SecretsSource;
  /** The development key ring's file, when that is the source. */
  readonly file: string | null;
}

/**
 * The TOTP key ring: `SECURITY_TOTP_SECRETS` when set; else `SECRET_KEY` as tag `1`; else, in development, the
 * key ring kept in `<data folder>/secrets.json`, generated (32 random bytes, file mode 0600) the first time.
 *
 * @throws ConfigError when `NODE_ENV` is `production` and neither variable is set, when `SECRET_KEY` is shorter
 *   than 32 bytes or not random-looking, or when the kept file is unreadable.
 */
export function resolveTotpSecrets(environment: Environment): ResolvedSecrets {
  const fromOptions = environment.options.totpSecrets;
  if (fromOptions !== undefined) return { totpSecrets: fromOptions, source: 'SECURITY_TOTP_SECRETS', file: null };
  const secretKey = nonEmpty(environment.env.SECRET_KEY);
  if (secretKey !== null) {
    // The same checks as totpSecrets (length, randomness), with errors naming SECRET_KEY.
    return { totpSecrets: OPTIONS.totpSecrets.check({ '1': secretKey }, 'SECRET_KEY'), source: 'SECRET_KEY', file: null };
  }
  if (environment.production) {
    throw new ConfigError(
      'SECURITY_TOTP_SECRETS',
      `is not set, and NODE_ENV is production, where no secret is generated. Set SECURITY_TOTP_SECRETS='{"1":"<secret>"}' (or SECRET_KEY). ${MAKE_SECRET}`,
    );
  }
  return developmentSecrets(join(environment.dataDirectory, SECRETS_FILE_NAME));
}

/** Reads the kept development key ring, or writes a new one; never overwrites an existing file. */
function developmentSecrets(file: string): ResolvedSecrets {
  const kept = readSecretsFile(file);
  if (kept !== null) return { totpSecrets: kept, source: 'kept', file };
  const totpSecrets = { '1': cryptoRandom.bytes(32).toString('base64url') };
  const text = `${JSON.stringify({ note: 'Development key ring of the twofold demo; never use it in production.', totpSecrets }, null, 2)}\n`;
  const draft = `${file}.${process.pid}.tmp`;
  try {
    // The folder also holds the SQLite file: this user's only, like the database opening it would make it.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
    // A link appears whole or not at all, and fails if another process (the CLI, a second demo) was first:
    // then theirs wins and is read below.
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unreadable(file);
    const theirs = readSecretsFile(file);
    if (theirs === null) throw unreadable(file);
    return { totpSecrets: theirs, source: 'kept', file };
  } finally {
    rmSync(draft, { force: true });
  }
  return { totpSecrets, source: 'generated', file };
}

function readSecretsFile(file: string): Record<string, string> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unreadable(file);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unreadable(file);
  }
  const secrets = (parsed as { totpSecrets?: unknown } | null)?.totpSecrets;
  if (typeof secrets !== 'object' || secrets === null || Object.values(secrets).some((value) => typeof value !== 'string')) {
    throw unreadable(file);
  }
  // Others on the machine must not read it; tighten a file someone copied in with looser rights.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return secrets as Record<string, string>;
}

function unreadable(file: string): ConfigError {
  // Not the parser's or the file system's message: the first could quote the file, which holds a secret.
  return new ConfigError(
    'totpSecrets',
    `the development key ring ${file} cannot be read or written, or is not {"totpSecrets": {"1": "<secret>"}}; fix it, or set SECURITY_TOTP_SECRETS`,
  );
}

/** The notice a process prints about a key ring it did not get from `SECURITY_TOTP_SECRETS`; null otherwise. */
export function secretsNotice(secrets: ResolvedSecrets): string | null {
  switch (secrets.source) {
    case 'SECURITY_TOTP_SECRETS':
      return null;
    case 'SECRET_KEY':
      return 'SECURITY_TOTP_SECRETS is not set: the key ring is SECRET_KEY, as tag "1".';
    case 'generated':
      return `WARNING: SECURITY_TOTP_SECRETS is not set: generated a development key ring in ${secrets.file} (mode 0600). Keep the file; production needs SECURITY_TOTP_SECRETS.`;
    case 'kept':
      return `WARNING: SECURITY_TOTP_SECRETS is not set: using the development key ring kept in ${secrets.file}. Production needs SECURITY_TOTP_SECRETS.`;
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
