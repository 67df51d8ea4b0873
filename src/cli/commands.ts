/** The `twofold` commands: what each one takes and does, and the exit statuses they answer with. */
import { nowInWholeSeconds, systemClock } from '../clock.js';
import { cryptoRandom } from '../crypto/random.js';
import { OPTIONS as OPTION_TABLE } from '../config/table.js';
import { createMailer } from '../delivery/mail.js';
import { describeFailure } from '../errors.js';
import { eventUser } from '../events.js';
import { noticeText } from '../notices.js';
import type { StoredUser } from '../store/datastore.js';
import { openDatastore } from '../store/kysely/connect.js';
import type { KyselyDatastore } from '../store/kysely/datastore.js';
import { resolveTotpSecrets, secretsNotice, servedMethodsOf, type Environment, type EnvironmentRecord } from './environment.js';
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

/** Where the command line reads and writes; tests pass their own. */
export interface CliIo {
  readonly env: EnvironmentRecord;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Read for `--password-stdin`: `process.stdin`, or any (async) iterable of chunks. */
  readonly stdin: AsyncIterable<string | Buffer> | Iterable<string | Buffer>;
}

/** Every option any command takes, for `parseArgs`. */
export const OPTIONS = {
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed command line. */
export type Parsed = {
  readonly positionals: readonly string[];
  readonly values: { password?: string; 'password-stdin'?: boolean; json?: boolean; demo?: boolean; help?: boolean };
};

/** A command: its words, how many arguments follow them, the options it takes, and what it does. */
export interface Command {
  readonly words: readonly [string, string];
  readonly argument: 'EMAIL' | null;
  readonly options: readonly (keyof typeof OPTIONS)[];
  run(context: CommandContext): Promise<number>;
}

/** What a command runs with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly parsed: Parsed;
  readonly environment: Environment;
  readonly email: string;
}


/** Every command. */
export const COMMANDS: readonly Command[] = [
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

/** The database URL without its password, for messages. */
export function redactUrl(url: string): string {
  if (!/^[a-z]+:\/\//i.test(url) || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
