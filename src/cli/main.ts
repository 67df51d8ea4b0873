/** The `twofold` command line: parses the arguments, runs one command, and answers with an exit status. */
import { parseArgs } from 'node:util';
import { nowInWholeSeconds, systemClock } from '../clock.js';
import { cryptoRandom } from '../crypto/random.js';
import { OPTIONS as OPTION_TABLE } from '../config/table.js';
import { createMailer } from '../delivery/mail.js';
import { ConfigError, describeFailure, TwofoldError } from '../errors.js';
import { eventUser } from '../events.js';
import { noticeText } from '../notices.js';
import type { StoredUser } from '../store/datastore.js';
import { openDatastore } from '../store/kysely/connect.js';
import type { KyselyDatastore } from '../store/kysely/datastore.js';
import { DEFAULT_DATABASE_URL, readEnvironment, resolveTotpSecrets, secretsNotice, servedMethodsOf, type Environment, type EnvironmentRecord } from './environment.js';
import { formatKeyRotation, rotateKeys } from './keys.js';
import {
  createUserWithPassword,
  deactivateUser,
  formatUserList,
  formatUserSummary,
  listUsers,
  PASSWORD_MIN_LENGTH,
  resetUserAccess,
  setUserPassword,
  summarizeUser,
  type UserCommandFailure,
} from './users.js';
import { normalizeEmail } from '../users.js';

/** Exit statuses: done, failed (a duplicate address, an unknown user, a database error), wrong usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The usage text, printed for `--help` and after a usage error. */
export const USAGE = `Usage: twofold <command> [options]

Commands:
  users create EMAIL --password PW      Create a user; the password is hashed with argon2id
  users create EMAIL --password-stdin   The same, reading the password from the first line of standard input
  users reset-access EMAIL              New fs_uniquifier; second factor, recovery codes and trusted devices
                                        removed; every session and API token ended
  users show EMAIL [--json]             Second-factor state: method, phone (masked), recovery codes left,
                                        trusted devices; never a secret
  users list [--json]                   Every user: e-mail, active, second factor, created
  users deactivate EMAIL                Mark the user inactive: trusted devices removed, every session and
                                        API token ended
  users set-password EMAIL --password-stdin
                                        New password (argon2id) from the first line of standard input
  db migrate                            Create or update twofold's tables
  db purge                              Delete expired sessions and rate-limit counters (run it daily)
  keys rotate                           Re-encrypt every TOTP secret under the newest key in SECURITY_TOTP_SECRETS

Options:
  -h, --help                            Show this text
  --demo                                Without DATABASE_URL, use the demo's sqlite:./data/demo.db (npm run
                                        twofold in twofold's repository passes it)

Environment:
  DATABASE_URL   required: postgres://…, mysql://…, sqlite:/path/app.db (the application's database)
  TWOFOLD_TABLE_PREFIX
                 the prefix of twofold's tables, as the application's openDatastore uses it (default twofold_)
  SECURITY_*     twofold's options, e.g. SECURITY_TOTP_SECRETS='{"1":"<old secret>","2":"<new secret>"}'
  SECRET_KEY     the key ring's only secret (tag "1") when SECURITY_TOTP_SECRETS is not set
  NODE_ENV       production: no development key ring is generated or used

Exit status: 0 done, 1 failed, 2 usage error.
`;

/** Where the command line reads and writes; tests pass their own. */
export interface CliIo {
  readonly env: EnvironmentRecord;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Read for `--password-stdin`: `process.stdin`, or any (async) iterable of chunks. */
  readonly stdin: AsyncIterable<string | Buffer> | Iterable<string | Buffer>;
}

const OPTIONS = {
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Parsed = {
  readonly positionals: readonly string[];
  readonly values: { password?: string; 'password-stdin'?: boolean; json?: boolean; demo?: boolean; help?: boolean };
};

/** A command: its words, how many arguments follow them, the options it takes, and what it does. */
interface Command {
  readonly words: readonly [string, string];
  readonly argument: 'EMAIL' | null;
  readonly options: readonly (keyof typeof OPTIONS)[];
  run(context: CommandContext): Promise<number>;
}

interface CommandContext {
  readonly io: CliIo;
  readonly parsed: Parsed;
  readonly environment: Environment;
  readonly email: string;
}

class UsageError extends Error {}

/**
 * Runs one command and returns its exit status. Never prints a password, a secret or a code: errors show
 * their message (twofold's never carry one), and `users show` leaves secrets out.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['users', 'show', 'ada@example.com'], {
 *   env: process.env,
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 *   stdin: process.stdin,
 * });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: Parsed;
  let command: Command;
  try {
    parsed = parse(argv);
    if (parsed.values.help === true) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    command = findCommand(parsed);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`twofold: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const environment = readCliEnvironment(io.env, parsed);
    if (environment === null) {
      io.stderr(`twofold: DATABASE_URL is not set. Set it to the application's database (postgres://…, mysql://…, sqlite:/path/app.db); twofold makes no database of its own.\n`);
      return EXIT.usage;
    }
    return await command.run({ io, parsed, environment, email: parsed.positionals[2] ?? '' });
  } catch (error) {
    io.stderr(`twofold: ${describeError(error)}\n`);
    return EXIT.failed;
  }
}

/**
 * The environment; `null` when `DATABASE_URL` is not set. Only `--demo` (this repository's `npm run twofold`)
 * falls back to the demo's database: in an application a missing variable must not create a stray SQLite file
 * and report an empty user table as the truth.
 */
function readCliEnvironment(env: EnvironmentRecord, parsed: Parsed): Environment | null {
  try {
    return readEnvironment(env, parsed.values.demo === true ? { defaultDatabaseUrl: DEFAULT_DATABASE_URL } : {});
  } catch (error) {
    if (error instanceof ConfigError && error.key === 'DATABASE_URL') return null;
    throw error;
  }
}

function parse(argv: readonly string[]): Parsed {
  try {
    const { positionals, values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    return { positionals, values };
  } catch (error) {
    // node's message names the option, never its value.
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0] ?? 'bad arguments' : 'bad arguments');
  }
}

function findCommand(parsed: Parsed): Command {
  const [group, action] = parsed.positionals;
  if (group === undefined) throw new UsageError('no command given');
  const command = COMMANDS.find((candidate) => candidate.words[0] === group && candidate.words[1] === action);
  if (command === undefined) {
    const known = COMMANDS.some((candidate) => candidate.words[0] === group);
    throw new UsageError(known ? `unknown command '${group} ${action ?? ''}'`.replace(/ '$/, "'") : `unknown command '${group}'`);
  }
  const expected = command.argument === null ? 2 : 3;
  const name = command.words.join(' ');
  if (parsed.positionals.length < expected) throw new UsageError(`'${name}' needs ${command.argument ?? 'no argument'}`);
  if (parsed.positionals.length > expected) throw new UsageError(`'${name}' takes ${command.argument === null ? 'no argument' : `one ${command.argument}`}; too many arguments`);
  for (const option of Object.keys(parsed.values) as (keyof typeof OPTIONS)[]) {
    if (option !== 'help' && option !== 'demo' && !command.options.includes(option)) throw new UsageError(`'${name}' does not take --${option}`);
  }
  if (name === 'users create' && (parsed.values.password === undefined) === (parsed.values['password-stdin'] !== true)) {
    throw new UsageError("'users create' needs exactly one of --password PW and --password-stdin");
  }
  // Never on the command line, where the shell's history and `ps` would keep it.
  if (name === 'users set-password' && parsed.values['password-stdin'] !== true) throw new UsageError("'users set-password' needs --password-stdin");
  return command;
}

const COMMANDS: readonly Command[] = [
  {
    words: ['users', 'create'],
    argument: 'EMAIL',
    options: ['password', 'password-stdin'],
    run: (context) =>
      withUsers(context, async (deps) => {
        const password = context.parsed.values.password ?? (await firstLine(context.io.stdin));
        const result = await createUserWithPassword(deps, { email: context.email, password });
        if (!result.ok) return fail(context, result.code);
        context.io.stdout(`Created ${result.user.email} (id ${result.user.id}); no second factor yet.\n`);
        return EXIT.ok;
      }),
  },
  {
    words: ['users', 'reset-access'],
    argument: 'EMAIL',
    options: [],
    run: (context) =>
      withUsers(context, async (deps) => {
        const result = await resetUserAccess(deps, context.email);
        if (!result.ok) return fail(context, result.code);
        context.io.stdout(
          `Reset access for ${result.user.email}: new fs_uniquifier; second factor, recovery codes and trusted devices removed; every session and API token ended.\n`,
        );
        // The user hears of it on their own address (checklist MGT-05): a reset they did not ask for is an attack.
        context.io.stdout(`${await noticeOfReset(context, result.user, nowInWholeSeconds(deps.clock))}\n`);
        return EXIT.ok;
      }),
  },
  {
    words: ['users', 'show'],
    argument: 'EMAIL',
    options: ['json'],
    run: (context) =>
      withUsers(context, async (deps) => {
        // Aliases as resolveConfig reads them, so a legacy `mail` still counts as `email`.
        const legacy: Readonly<Record<string, string>> = { mail: 'email', google_authenticator: 'authenticator' };
        const served = servedMethodsOf(context.environment).methods.map((method) => legacy[method] ?? method);
        const result = await summarizeUser(deps, context.email, served);
        if (!result.ok) return fail(context, result.code);
        context.io.stdout(context.parsed.values.json === true ? `${JSON.stringify(result.summary, null, 2)}\n` : formatUserSummary(result.summary));
        return EXIT.ok;
      }),
  },
  {
    words: ['users', 'list'],
    argument: null,
    options: ['json'],
    run: (context) =>
      withDatastore(context.environment, async (datastore) => {
        const entries = await listUsers(datastore);
        context.io.stdout(context.parsed.values.json === true ? `${JSON.stringify(entries, null, 2)}\n` : formatUserList(entries));
        return EXIT.ok;
      }),
  },
  {
    words: ['users', 'deactivate'],
    argument: 'EMAIL',
    options: [],
    run: (context) =>
      withUsers(context, async (deps) => {
        const result = await deactivateUser(deps, context.email);
        if (!result.ok) return fail(context, result.code);
        context.io.stdout(`Deactivated ${result.user.email}: trusted devices removed, ${result.sessionsEnded} sessions and API tokens ended.\n`);
        return EXIT.ok;
      }),
  },
  {
    words: ['users', 'set-password'],
    argument: 'EMAIL',
    options: ['password-stdin'],
    run: (context) =>
      withUsers(context, async (deps) => {
        const result = await setUserPassword(deps, { email: context.email, password: await firstLine(context.io.stdin) });
        if (!result.ok) return fail(context, result.code);
        context.io.stdout(`Set a new password for ${result.user.email}.\n`);
        return EXIT.ok;
      }),
  },
  {
    words: ['db', 'migrate'],
    argument: null,
    options: [],
    run: (context) =>
      withDatastore(context.environment, async (datastore) => {
        await datastore.migrate();
        context.io.stdout(`twofold's tables are up to date (${redactUrl(context.environment.databaseUrl)}).\n`);
        return EXIT.ok;
      }),
  },
  {
    words: ['db', 'purge'],
    argument: null,
    options: [],
    run: (context) =>
      withDatastore(context.environment, async (datastore) => {
        // Expired rows are already ignored; this only keeps the tables from growing (sessions, and a counter
        // per client address and destination ever seen).
        const now = nowInWholeSeconds(systemClock);
        const sessions = await datastore.deleteExpiredSessions(now);
        const counters = await datastore.deleteExpiredRateLimits(now);
        context.io.stdout(`Deleted ${sessions} expired sessions and ${counters} expired rate-limit counters.\n`);
        return EXIT.ok;
      }),
  },
  {
    words: ['keys', 'rotate'],
    argument: null,
    options: [],
    run: async (context) => {
      const secrets = resolveTotpSecrets(context.environment);
      const notice = secretsNotice(secrets);
      if (notice !== null) context.io.stderr(`twofold: ${notice}\n`);
      return withDatastore(context.environment, async (datastore) => {
        const rotation = await rotateKeys(datastore, { ...context.environment.options, totpSecrets: secrets.totpSecrets });
        context.io.stdout(formatKeyRotation(rotation));
        return EXIT.ok;
      });
    },
  },
];

const FAILURES: Record<UserCommandFailure, (email: string) => string> = {
  EMAIL_INVALID: (email) => `'${email}' is not an e-mail address`,
  EMAIL_TAKEN: (email) => `a user with the e-mail address ${email} exists already`,
  PASSWORD_TOO_SHORT: () => `the password must have at least ${PASSWORD_MIN_LENGTH} characters`,
  PASSWORD_TOO_LONG: () => 'the password is too long',
  USER_UNKNOWN: (email) => `no user has the e-mail address ${email}`,
};

function fail(context: CommandContext, code: UserCommandFailure): number {
  context.io.stderr(`twofold: ${FAILURES[code](normalizeEmail(context.email))}\n`);
  return EXIT.failed;
}

async function withDatastore(environment: Environment, run: (datastore: KyselyDatastore) => Promise<number>): Promise<number> {
  const datastore = await openDatastore(environment.databaseUrl, { tablePrefix: environment.tablePrefix });
  try {
    return await run(datastore);
  } finally {
    await datastore.close();
  }
}

function withUsers(context: CommandContext, run: (deps: { datastore: KyselyDatastore; random: typeof cryptoRandom; clock: typeof systemClock }) => Promise<number>): Promise<number> {
  return withDatastore(context.environment, (datastore) => run({ datastore, random: cryptoRandom, clock: systemClock }));
}

/** The From of the reset notice when `MAIL_FROM` is not set. */
const DEFAULT_MAIL_FROM = 'twofold <no-reply@localhost>';

/**
 * Mails the user a notice of the reset when `SMTP_URL` is set, and says what happened; a failed send does
 * not undo the reset, it is reported so the administrator can tell the user another way.
 */
async function noticeOfReset(context: CommandContext, user: StoredUser, nowInSeconds: number): Promise<string> {
  const { smtpUrl, mailFrom, options } = context.environment;
  if (smtpUrl === null) return `No SMTP_URL: ${user.email} was not notified; tell them another way.`;
  const mailer = createMailer({ smtpUrl, from: mailFrom ?? DEFAULT_MAIL_FROM });
  const subject = options.emailSubjectTwoFactorNotice ?? String(OPTION_TABLE.emailSubjectTwoFactorNotice.default);
  const notice = { user: eventUser(user), key: 'NOTICE_ACCESS_RESET' } as const;
  try {
    await mailer.send({ to: user.email, subject, text: noticeText(notice, nowInSeconds) });
    return `Notice mailed to ${user.email}.`;
  } catch (error) {
    return `The notice to ${user.email} could not be mailed (${describeFailure(error)}); tell them another way.`;
  }
}

/** The first line of standard input, without its line break. */
async function firstLine(stdin: CliIo['stdin']): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** An error's message: twofold's name the fix and carry no secret; a missing table gets a hint. */
function describeError(error: unknown): string {
  if (error instanceof TwofoldError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/no such table|relation "[^"]*" does not exist|table '[^']*' doesn't exist/i.test(message)) {
    return `twofold's tables are missing (${message}); run \`twofold db migrate\` first`;
  }
  return error instanceof Error ? `${error.name}: ${message}` : message;
}

/** The database URL without its password, for messages. */
function redactUrl(url: string): string {
  if (!/^[a-z]+:\/\//i.test(url) || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
