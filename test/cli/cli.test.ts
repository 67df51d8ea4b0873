/**
 * The `twofold` command line as a process, against a SQLite file: every command, its exit status, and that
 * nothing it prints is a password, a secret or a code. Most runs use the package's bin (`bin/twofold.js` →
 * `dist/cli.js`, compiled here), which starts three times faster than tsx; the first runs go through tsx from
 * source, as `npm run twofold` does.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { Totp } from '../../src/otp/totp-class.js';
import { verifyPassword } from '../../src/passwords.js';
import { Security } from '../../src/security.js';
import { startSmtpServer } from '../support/smtp.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';

const root = resolve(import.meta.dirname, '../..');
const KEY_1 = 'cli-test-key-one-0123456789-abcdefghijklmnopqrstuv';
const KEY_2 = 'cli-test-key-two-9876543210-zyxwvutsrqponmlkjihgfedc';
const PASSWORD = 'a long and secret passphrase';

let directory: string;
let databaseUrl: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to start the CLI: the package's bin (compiled in `beforeAll`), or the source through tsx. */
let binCommand: readonly string[];
const SOURCE_COMMAND = ['--import', 'tsx', 'src/cli.ts'] as const;

/** Runs the CLI with only the given variables besides PATH, `DATABASE_URL` and a one-key ring. */
function twofold(args: readonly string[], options: { env?: Record<string, string>; stdin?: string; fromSource?: boolean; cwd?: string } = {}): Promise<Run> {
  const command = options.fromSource === true ? SOURCE_COMMAND : binCommand;
  const env = { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, SECURITY_TOTP_SECRETS: JSON.stringify({ '1': KEY_1 }), ...options.env };
  return new Promise((done) => {
    const child = execFile(process.execPath, [...command, ...args], { cwd: options.cwd ?? root, env }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

/**
 * The package's layout in `directory`: bin/twofold.js, package.json, node_modules, and dist/ with src/ compiled
 * file by file as `npm run build` emits it (the type check is `npm run typecheck`'s job).
 */
function buildPackage(directory: string): string {
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || /\.test(-support)?\.ts$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    const target = join(directory, 'dist', relative(join(root, 'src'), file)).replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  mkdirSync(join(directory, 'bin'));
  copyFileSync(join(root, 'bin', 'twofold.js'), join(directory, 'bin', 'twofold.js'));
  copyFileSync(join(root, 'package.json'), join(directory, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(directory, 'node_modules'), 'dir');
  return join(directory, 'bin', 'twofold.js');
}

/** Opens the CLI's database in this process, to arrange and inspect what the commands act on. */
async function withDatastore<T>(use: (datastore: KyselyDatastore, security: Security) => Promise<T>): Promise<T> {
  const datastore = await openDatastore(databaseUrl);
  try {
    const security = new Security({ totpSecrets: { '1': KEY_1 }, totpIssuer: 'cli test', twoFactorEnabledMethods: ['authenticator', 'sms'] }, datastore);
    return await use(datastore, security);
  } finally {
    await datastore.close();
  }
}

/** Nothing secret in what the CLI printed. */
function expectNoSecrets(run: Run, secrets: readonly string[]): void {
  for (const secret of [PASSWORD, KEY_1, KEY_2, ...secrets]) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'twofold-cli-'));
  databaseUrl = `sqlite:${join(directory, 'cli.db')}`;
  binCommand = [buildPackage(join(directory, 'package'))];
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('twofold (command line)', { timeout: 60_000 }, () => {
  it('creates the tables with db migrate (from source, as npm run twofold), and again without harm (from the bin)', async () => {
    const first = await twofold(['db', 'migrate'], { fromSource: true });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain("twofold's tables are up to date");
    expect((await twofold(['db', 'migrate'])).code).toBe(0);
    const tables = await withDatastore(async (datastore) => datastore.findUserByEmail('nobody@example.test'));
    expect(tables).toBeNull();
  });

  it('creates a user with an argon2id hash, and refuses the same address again with exit 1', async () => {
    const created = await twofold(['users', 'create', 'Ada@Example.test', '--password', PASSWORD]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created ada@example.test');
    expectNoSecrets(created, []);
    const stored = await withDatastore((datastore) => datastore.findUserByEmail('ada@example.test'));
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);

    const [again, fromStdin, short] = await Promise.all([
      twofold(['users', 'create', 'ada@example.test', '--password', 'another password']),
      twofold(['users', 'create', 'bob@example.test', '--password-stdin'], { stdin: `${PASSWORD}\n` }),
      twofold(['users', 'create', 'carol@example.test', '--password', 'short']),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ada@example.test exists already');
    expectNoSecrets(again, ['another password']);

    expect(fromStdin.code).toBe(0);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 8 characters');
    expect(short.stderr).not.toContain('short\n');
  });

  it('shows the second-factor state without the secret, the hash, the phone number or the recovery codes', async () => {
    const arranged = await withDatastore(async (datastore, security) => {
      const ada = await security.findUserByEmail('ada@example.test');
      if (ada === null) throw new Error('ada is missing');
      const started = await security.codePlugin.setupTf(ada, { method: 'authenticator' });
      if (!started.ok || started.authenticator === undefined) throw new Error('set-up failed');
      expect(await security.codePlugin.verifyToken(ada, new Totp(started.authenticator.b32key).generatePassword(), { pending: started.pending })).toBe(true);
      const codes = await security.recoveryCodes.generateCodes(ada);
      await security.recoveryCodes.verifyCode(ada, codes[0] as string);
      const now = Math.floor(Date.now() / 1000);
      await datastore.createTrustedDevice({ idHash: 'd'.repeat(64), userId: ada.id, userAgent: 'test', createdAtInSeconds: now, lastUsedAtInSeconds: now, expiresAtInSeconds: now + 3600 });
      const bob = await datastore.findUserByEmail('bob@example.test');
      await datastore.setTwoFactor(bob?.id ?? '', { method: 'sms', totpSecretEncrypted: null, phoneNumber: '+16505550123', lastStep: null });
      const stored = await datastore.findUserByEmail('ada@example.test');
      return { b32key: started.authenticator.b32key, codes, encrypted: stored?.tfTotpSecretEncrypted ?? '', hash: stored?.passwordHash ?? '' };
    });

    const [shown, json, unknown] = await Promise.all([
      twofold(['users', 'show', 'ada@example.test']),
      twofold(['users', 'show', 'bob@example.test', '--json']),
      twofold(['users', 'show', 'nobody@example.test']),
    ]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/second factor:\s+authenticator/);
    expect(shown.stdout).toMatch(/recovery codes left:\s+9/);
    expect(shown.stdout).toMatch(/trusted devices:\s+1/);
    expectNoSecrets(shown, [arranged.b32key, arranged.encrypted, arranged.hash, ...arranged.codes]);

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ email: 'bob@example.test', tfPrimaryMethod: 'sms', tfPhoneNumberMasked: '+16*******23', recoveryCodesLeft: 0, trustedDevices: 0 });
    expect(json.stdout).not.toContain('6505550123');
    expect(JSON.parse(json.stdout)).toMatchObject({ tfMethodServed: true });

    // Fail closed, and said so: in production the dummy SMS sender serves nobody, so bob's texted codes are
    // not served; his login stops after the password, and `users show` says what to do.
    const unserved = await twofold(['users', 'show', 'bob@example.test'], { env: { NODE_ENV: 'production' } });
    expect(unserved.code).toBe(0);
    expect(unserved.stdout).toMatch(/second factor:\s+sms \(NOT SERVED: .*recovery code.*users reset-access\)/);
    const listed = await twofold(['users', 'show', 'bob@example.test'], { env: { SECURITY_TWO_FACTOR_ENABLED_METHODS: 'authenticator' } });
    expect(listed.stdout).toContain('NOT SERVED');

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no user has the e-mail address nobody@example.test');
  });

  it('re-encrypts every TOTP secret under the newest key with keys rotate, and prints the counts', async () => {
    const ring = JSON.stringify({ '1': KEY_1, '2': KEY_2 });
    const rotated = await twofold(['keys', 'rotate'], { env: { SECURITY_TOTP_SECRETS: ring } });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('Re-encrypted: 1\n');
    expect(rotated.stdout).toContain('Already under "2": 0\n');
    expect(rotated.stdout).toContain('Skipped (changed while rotating): 0\n');
    expect(rotated.stdout).toContain('the older tags can be removed');
    expectNoSecrets(rotated, []);
    const stored = await withDatastore((datastore) => datastore.findUserByEmail('ada@example.test'));
    expect(stored?.tfTotpSecretEncrypted).toMatch(/^tf1:2:/);

    const [again, weak] = await Promise.all([
      twofold(['keys', 'rotate'], { env: { SECURITY_TOTP_SECRETS: ring } }),
      twofold(['keys', 'rotate'], { env: { SECURITY_TOTP_SECRETS: JSON.stringify({ '1': KEY_1, '2': 'too short' }) } }),
    ]);
    expect(again.stdout).toContain('Re-encrypted: 0\n');
    expect(again.stdout).toContain('Already under "2": 1\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('totpSecrets');
    expectNoSecrets(weak, ['too short']);
  });

  it('resets access: new uniquifier, no second factor, no recovery codes, no sessions', async () => {
    const before = await withDatastore(async (datastore) => {
      const ada = await datastore.findUserByEmail('ada@example.test');
      const now = Math.floor(Date.now() / 1000);
      const session = { idHash: 's'.repeat(64), kind: 'browser' as const, userId: ada?.id ?? null, fsUniquifier: ada?.fsUniquifier ?? null, data: '{}', authenticatedAtInSeconds: now };
      await datastore.createSession({ ...session, createdAtInSeconds: now, lastSeenAtInSeconds: now, expiresAtInSeconds: now + 3600 });
      return ada;
    });
    const reset = await twofold(['users', 'reset-access', 'ada@example.test']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('Reset access for ada@example.test');
    await withDatastore(async (datastore) => {
      const after = await datastore.findUserByEmail('ada@example.test');
      expect(after?.fsUniquifier).not.toBe(before?.fsUniquifier);
      expect(after).toMatchObject({ tfPrimaryMethod: null, tfTotpSecretEncrypted: null, passwordHash: before?.passwordHash });
      expect(await datastore.countUnusedRecoveryCodes(after?.id ?? '')).toBe(0);
      expect(await datastore.findSession('s'.repeat(64), Math.floor(Date.now() / 1000))).toBeNull();
    });
    const [shown, unknown] = await Promise.all([twofold(['users', 'show', 'ada@example.test']), twofold(['users', 'reset-access', 'nobody@example.test'])]);
    expect(shown.stdout).toMatch(/second factor:\s+none/);
    expect(unknown.code).toBe(1);
  });

  it('mails the user a notice of a reset when SMTP_URL is set, with no secret in it, and says so (MGT-05)', async () => {
    const smtp = await startSmtpServer();
    try {
      expect((await twofold(['users', 'create', 'grace@example.test', '--password', PASSWORD])).code).toBe(0);
      const quiet = await twofold(['users', 'reset-access', 'grace@example.test']);
      expect(quiet.stdout).toContain('No SMTP_URL: grace@example.test was not notified; tell them another way.');
      const reset = await twofold(['users', 'reset-access', 'grace@example.test'], { env: { SMTP_URL: smtp.url, MAIL_FROM: 'Admin <admin@example.test>' } });
      expect(reset.code).toBe(0);
      expect(reset.stdout).toContain('Notice mailed to grace@example.test.');
      const mail = await smtp.waitForMail((message) => message.to === 'grace@example.test');
      expect(mail.subject).toBe('Security notice: two-factor authentication');
      expect(mail.text).toMatch(/^An administrator reset your account’s access: .* You will set up a second factor at your next login\.\n\nWhen: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\)\n/);
      expect(mail.text).not.toContain(PASSWORD);
      // An SMTP server that is gone: the reset stands, and the administrator is told to reach the user.
      const down = await twofold(['users', 'reset-access', 'grace@example.test'], { env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(/The notice to grace@example\.test could not be mailed \(TwofoldError MAIL_SEND_FAILED\); tell them another way\./);
    } finally {
      await smtp.close();
    }
  });

  it('db purge deletes expired sessions and rate-limit counters, and keeps live ones', async () => {
    const now = Math.floor(Date.now() / 1000);
    await withDatastore(async (datastore) => {
      const session = (idHash: string, expiresAtInSeconds: number) =>
        datastore.createSession({ idHash, kind: 'browser', userId: null, fsUniquifier: null, data: '{}', authenticatedAtInSeconds: null, createdAtInSeconds: now - 7200, lastSeenAtInSeconds: now - 7200, expiresAtInSeconds });
      await session('e'.repeat(64), now - 60);
      await session('l'.repeat(64), now + 3600);
      await datastore.hitRateLimits([{ key: 'purge:old', limit: 5, windowInSeconds: 1 }], now - 60);
      await datastore.hitRateLimits([{ key: 'purge:live', limit: 5, windowInSeconds: 3600 }], now);
    });
    const purged = await twofold(['db', 'purge']);
    expect(purged).toMatchObject({ code: 0, stdout: 'Deleted 1 expired sessions and 1 expired rate-limit counters.\n' });
    await withDatastore(async (datastore) => {
      const keys = (await datastore.db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key);
      expect(keys).toContain('purge:live');
      expect(keys).not.toContain('purge:old');
      const sessions = (await datastore.db.selectFrom('sessions').select('id_hash').execute()).map((row) => row.id_hash);
      expect(sessions).toContain('l'.repeat(64));
      expect(sessions).not.toContain('e'.repeat(64));
    });
  });

  it('lists users, deactivates one (sessions ended) and sets a password from standard input only', async () => {
    expect((await twofold(['users', 'create', 'dave@example.test', '--password', PASSWORD])).code).toBe(0);
    await withDatastore(async (datastore) => {
      const dave = await datastore.findUserByEmail('dave@example.test');
      const now = Math.floor(Date.now() / 1000);
      await datastore.createSession({ idHash: 'v'.repeat(64), kind: 'browser', userId: dave?.id ?? '', fsUniquifier: dave?.fsUniquifier ?? '', data: '{}', authenticatedAtInSeconds: now, createdAtInSeconds: now, lastSeenAtInSeconds: now, expiresAtInSeconds: now + 3600 });
    });
    const [listed, json] = await Promise.all([twofold(['users', 'list']), twofold(['users', 'list', '--json'])]);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout.split('\n')[0]).toMatch(/^EMAIL +ACTIVE +SECOND FACTOR +CREATED$/);
    expect(listed.stdout).toMatch(/^bob@example\.test +yes +sms +\d{4}-\d\d-\d\dT/m);
    expect(listed.stdout).toMatch(/^dave@example\.test +yes +none +/m);
    const entries = JSON.parse(json.stdout) as { email: string; active: boolean; tfPrimaryMethod: string | null }[];
    expect(entries.map((entry) => entry.email)).toEqual([...entries.map((entry) => entry.email)].sort());
    expect(entries.find((entry) => entry.email === 'dave@example.test')).toMatchObject({ active: true, tfPrimaryMethod: null });
    expect(json.stdout).not.toMatch(/argon2|passwordHash|fsUniquifier/);

    const deactivated = await twofold(['users', 'deactivate', 'Dave@example.test']);
    expect(deactivated).toMatchObject({ code: 0, stdout: 'Deactivated dave@example.test: trusted devices removed, 1 sessions and API tokens ended.\n' });
    expect((await twofold(['users', 'list'])).stdout).toMatch(/^dave@example\.test +no +none +/m);

    const newPassword = 'a different long passphrase';
    const [set, short, unknown] = await Promise.all([
      twofold(['users', 'set-password', 'dave@example.test', '--password-stdin'], { stdin: `${newPassword}\n` }),
      twofold(['users', 'set-password', 'dave@example.test', '--password-stdin'], { stdin: 'short\n' }),
      twofold(['users', 'set-password', 'nobody@example.test', '--password-stdin'], { stdin: `${newPassword}\n` }),
    ]);
    expect(set).toMatchObject({ code: 0, stdout: 'Set a new password for dave@example.test.\n' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 8 characters');
    expect(unknown.code).toBe(1);
    expectNoSecrets(set, [newPassword]);
    await withDatastore(async (datastore) => {
      const dave = await datastore.findUserByEmail('dave@example.test');
      expect(dave).toMatchObject({ active: false });
      expect(dave?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(newPassword, dave?.passwordHash ?? null)).toBe(true);
      expect(await datastore.db.selectFrom('sessions').select('id_hash').where('user_id', '=', dave?.id ?? '').execute()).toEqual([]);
    });
  });

  it('outside this repository needs DATABASE_URL, says so, exits 2 and creates nothing; --demo uses the demo database', async () => {
    const elsewhere = mkdtempSync(join(directory, 'app-'));
    for (const argv of [['users', 'list'], ['db', 'migrate'], ['keys', 'rotate']]) {
      const run = await twofold(argv, { env: { DATABASE_URL: '', SECURITY_TOTP_SECRETS: '' }, cwd: elsewhere });
      expect(run, argv.join(' ')).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toContain('DATABASE_URL is not set');
    }
    expect(readdirSync(elsewhere)).toEqual([]);
    const demo = await twofold(['db', 'migrate', '--demo'], { env: { DATABASE_URL: '' }, cwd: elsewhere });
    expect(demo).toMatchObject({ code: 0, stderr: '' });
    expect(demo.stdout).toContain('sqlite:./data/demo.db');
    expect(readdirSync(join(elsewhere, 'data'))).toContain('demo.db');
  });

  it('uses the table prefix of TWOFOLD_TABLE_PREFIX, and refuses a bad one naming the variable', async () => {
    const url = `sqlite:${join(directory, 'prefixed.db')}`;
    const migrated = await twofold(['db', 'migrate'], { env: { DATABASE_URL: url, TWOFOLD_TABLE_PREFIX: 'app2fa_' } });
    expect(migrated.code).toBe(0);
    const created = await twofold(['users', 'create', 'erin@example.test', '--password', PASSWORD], { env: { DATABASE_URL: url, TWOFOLD_TABLE_PREFIX: 'app2fa_' } });
    expect(created.code).toBe(0);
    const other = await openDatastore(url, { tablePrefix: 'app2fa_' });
    try {
      expect(await other.findUserByEmail('erin@example.test')).not.toBeNull();
    } finally {
      await other.close();
    }
    const bad = await twofold(['db', 'migrate'], { env: { DATABASE_URL: url, TWOFOLD_TABLE_PREFIX: 'App-2FA' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('TWOFOLD_TABLE_PREFIX');
  });

  it('prints usage for --help (exit 0) and for a bad command (exit 2)', async () => {
    const [help, bad] = await Promise.all([twofold(['--help'], { fromSource: true }), twofold(['users', 'delete', 'ada@example.test'])]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help?.stdout).toContain('Usage: twofold <command>');
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad?.stderr).toContain("twofold: unknown command 'users delete'");
    expect(bad?.stderr).toContain('Usage: twofold <command>');
  });

  it('answers every other usage mistake with exit 2 and the usage text, never echoing a value', async () => {
    const mistakes = [
      [],
      ['users'],
      ['users', 'create', 'ada@example.test'],
      ['users', 'create', 'ada@example.test', '--password', 'hunter2-secret', '--password-stdin'],
      ['users', 'create', 'ada@example.test', '--pasword=hunter2-secret'],
      ['users', 'show', 'ada@example.test', 'extra'],
      ['users', 'show'],
      ['users', 'set-password', 'ada@example.test'],
      ['users', 'set-password', 'ada@example.test', '--password', 'hunter2-secret'],
      ['users', 'deactivate'],
      ['users', 'list', 'extra'],
      ['db', 'migrate', '--json'],
      ['keys'],
    ];
    for (const argv of mistakes) {
      let stdout = '';
      let stderr = '';
      const io = { env: {}, stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text), stdin: [] };
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Usage: twofold <command>');
      expect(stderr).not.toContain('hunter2-secret');
    }
  });
});
