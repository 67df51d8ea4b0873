/** The `twofold` command line: parses the arguments, runs one command, and answers with an exit status. */
import { parseArgs } from 'node:util';
import { ConfigError, TwofoldError } from '../errors.js';
import { COMMANDS, EXIT, OPTIONS, type CliIo, type Command, type Parsed } from './commands.js';
import { DEFAULT_DATABASE_URL, readEnvironment, type Environment, type EnvironmentRecord } from './environment.js';

export { EXIT, type CliIo } from './commands.js';

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

/** An error's message: twofold's name the fix and carry no secret; a missing table gets a hint. */
function describeError(error: unknown): string {
  if (error instanceof TwofoldError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/no such table|relation "[^"]*" does not exist|table '[^']*' doesn't exist/i.test(message)) {
    return `twofold's tables are missing (${message}); run \`twofold db migrate\` first`;
  }
  return error instanceof Error ? `${error.name}: ${message}` : message;
}
