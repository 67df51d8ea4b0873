/**
 * The package as an application gets it: `npm pack` (which builds, through `prepare`), then `npm install` of the
 * tarball into an empty folder. The core, `twofold-auth/express` and `twofold-auth/storage` import there, the
 * `twofold` command runs, a missing database driver is named, the root types need no `@types/express`, and the
 * README's core example runs against the installed package.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const SEED_NAMES = [
  'Totp',
  'MfRecoveryCodesUtil',
  'TfPlugin',
  'TfPluginBase',
  'tfSendSecurityToken',
  'SmsSenderFactory',
  'TwoFactorSetupForm',
  'TwoFactorVerifyCodeForm',
  'TwoFactorRescueForm',
  'TwoFactorSelectForm',
  'MfRecoveryCodesForm',
  'MfRecoveryForm',
];

/** The environment without `npm test`'s own `npm_*` variables, which would point the inner npm at this repository. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

let work: string;
/** The application folder: an empty project that ran `npm install <tarball>`. */
let app: string;
/** The installed package, `app/node_modules/twofold-auth`. */
let installed: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'twofold-pack-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  await run('npm', ['pack', '--pack-destination', packs], { cwd: root, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 });
  const tarball = readdirSync(packs).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack made no tarball');
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packs, tarball)], { cwd: app, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 });
  installed = join(app, 'node_modules', 'twofold-auth');
  // An application's own @types/node (twofold's declarations use Buffer), without installing it again.
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir');
}, 180_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Runs an ES module script in the application folder and returns what it printed as JSON. */
async function inApp(script: string): Promise<unknown> {
  writeFileSync(join(app, 'script.mjs'), script);
  const { stdout } = await run(process.execPath, ['script.mjs'], { cwd: app, env: cleanEnv });
  return JSON.parse(stdout) as unknown;
}

/** Type-checks `source` in the application folder: only @types/node is visible, and library files are checked too. */
async function typeCheck(source: string): Promise<{ ok: boolean; output: string }> {
  writeFileSync(join(app, 'check.ts'), source);
  const compilerOptions = {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    lib: ['ES2023'],
    noEmit: true,
    skipLibCheck: false,
    // Only @types/node, linked in beforeAll: `express` and `@types/express` are out of reach.
    types: ['node'],
  };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
  try {
    await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

describe('package.json', () => {
  it('exports every import path the README and the examples use, and nothing is still called `twofold`', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown>; bin: Record<string, string> };
    expect(manifest.name).toBe('twofold-auth');
    expect(manifest.bin).toEqual({ twofold: './bin/twofold.js' });
    const texts = ['README.md', 'examples/core.ts', 'examples/express-app.ts', 'examples/fastify-app.ts', 'examples/hono-app.ts'].map((file) => readFileSync(join(root, file), 'utf8'));
    const paths = new Set(texts.flatMap((text) => [...text.matchAll(/from '(twofold(?:-auth)?(?:\/[^']*)?)'/g)].map((match) => match[1] as string)));
    expect(paths).toContain('twofold-auth');
    for (const path of paths) {
      expect(path).toMatch(/^twofold-auth(\/|$)/);
      expect(manifest.exports).toHaveProperty([path.replace(/^twofold-auth/, '.')]);
    }
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './express', './fastify', './hono', './package.json', './storage']);
  });
});

describe('npm pack, then npm install of the tarball in an empty folder', () => {
  it('installs built JavaScript and declarations, without tests, and no database driver', () => {
    expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
    const declarations = readFileSync(join(installed, 'dist', 'index.d.ts'), 'utf8');
    for (const name of SEED_NAMES) expect(declarations).toContain(name);
    expect(existsSync(join(installed, 'dist', 'otp', 'totp.test.js'))).toBe(false);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    // Optional peers: a PostgreSQL user compiles no better-sqlite3; zod is gone.
    for (const name of ['better-sqlite3', 'pg', 'mysql2', 'express', 'fastify', 'hono', 'zod']) expect(existsSync(join(app, 'node_modules', name))).toBe(false);
  });

  it('gives every seed name through `import … from "twofold-auth"`, and the storage, Express, Fastify and Hono entries', async () => {
    const result = await inApp(`import * as core from 'twofold-auth';
import * as storage from 'twofold-auth/storage';
import * as adapter from 'twofold-auth/express';
import * as fastifyEntry from 'twofold-auth/fastify';
import * as honoEntry from 'twofold-auth/hono';
const missing = ${JSON.stringify(SEED_NAMES)}.filter((name) => typeof core[name] === 'undefined');
const security = new core.Security({ totpSecrets: { '1': 'a-test-secret-of-at-least-32-bytes-long!' }, totpIssuer: 'App' }, { countUsersByTfMethod: async () => new Map() });
const tf = adapter.twofoldExpress(security);
console.log(JSON.stringify({
  missing,
  storage: [typeof storage.openDatastore, typeof storage.KyselyDatastore, storage.openDatastore === core.openDatastore],
  express: [tf.middleware, tf.loginRequired(), tf.authRequired('session', 'token'), tf.tfRequired()].map((f) => typeof f),
  fastify: [typeof fastifyEntry.twofoldFastify(security).plugin, typeof fastifyEntry.twofoldFastify(security).tfRequired()],
  hono: [typeof honoEntry.twofoldHono(security).middleware(), typeof honoEntry.twofoldHono(security).tfRequired()],
  coreHasNoExpress: typeof security.express,
}));`);
    expect(result).toEqual({
      missing: [],
      storage: ['function', 'function', true],
      // The Express entry imports only Express's types: it loads without express installed.
      express: ['function', 'function', 'function', 'function'],
      // So do the Fastify and Hono entries: neither framework is installed here.
      fastify: ['function', 'function'],
      hono: ['function', 'function'],
      coreHasNoExpress: 'undefined',
    });
  });

  it('runs `npx twofold --help`', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'twofold', '--help'], { cwd: app, env: cleanEnv });
    expect(stdout).toMatch(/^Usage: twofold <command> \[options\]/);
    expect(stdout).toContain('db migrate');
  }, 30_000);

  it('names the driver to install when its package is missing, and never the URL\'s password', async () => {
    const result = await inApp(`import { openDatastore, TwofoldError } from 'twofold-auth';
const out = {};
for (const url of ['sqlite::memory:', 'postgres://app:hunter2@127.0.0.1:5432/app', 'mysql://app:hunter2@127.0.0.1:3306/app']) {
  out[url.split(':')[0]] = await openDatastore(url).then(() => 'opened', (e) => ({ twofold: e instanceof TwofoldError, code: e.code, message: e.message }));
}
console.log(JSON.stringify(out));`);
    const failures = result as Record<string, { twofold: boolean; code: string; message: string }>;
    for (const [scheme, driver] of [['sqlite', 'better-sqlite3'], ['postgres', 'pg'], ['mysql', 'mysql2']] as const) {
      expect(failures[scheme]).toMatchObject({ twofold: true, code: 'DATABASE_DRIVER_MISSING' });
      expect(failures[scheme]?.message).toContain(`npm install ${driver})`);
      expect(failures[scheme]?.message).not.toContain('hunter2');
    }
    const cli = await run('npx', ['--no', '--', 'twofold', 'db', 'migrate'], { cwd: app, env: { ...cleanEnv, DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:5432/app' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('install the pg package');
    expect(cli.stderr).not.toContain('hunter2');
  }, 30_000);

  it('type-checks an application importing twofold-auth without @types/express; the Express entry is the one that needs it', async () => {
    const core = await typeCheck(`import { Totp, TwoFactorVerifyCodeForm, openDatastore, type User } from 'twofold-auth';
import { KyselyDatastore, type Datastore } from 'twofold-auth/storage';
const ok: boolean = new Totp().verify('123456', 1);
const result = new TwoFactorVerifyCodeForm().validate({ code: '123456' });
const code: string | undefined = result.ok ? result.value.code : undefined;
export const used: [boolean, string | undefined, User | null, typeof openDatastore, Datastore | KyselyDatastore | null] = [ok, code, null, openDatastore, null];
`);
    expect(core.output).toBe('');
    expect(core.ok).toBe(true);
    // The same check sees Express's types missing when the Express entry is imported: the first check proves something.
    const adapter = `import type { Request } from 'express';
import { twofoldExpress } from 'twofold-auth/express';
export const guard = twofoldExpress;
export const email = (req: Request): string | undefined => req.twofold?.user.email;
`;
    const withoutTypes = await typeCheck(adapter);
    expect(withoutTypes.ok).toBe(false);
    expect(withoutTypes.output).toMatch(/Cannot find module 'express'/);
    // With @types/express (as `npm install @types/express` would give), the entry and its `req.twofold` type-check.
    symlinkSync(join(root, 'node_modules', '@types', 'express'), join(app, 'node_modules', '@types', 'express'), 'dir');
    try {
      expect(await typeCheck(adapter)).toEqual({ ok: true, output: '' });
    } finally {
      rmSync(join(app, 'node_modules', '@types', 'express'));
    }
  }, 90_000);

  it('runs the README core example, which is examples/core.ts verbatim, once the SQLite driver is installed', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = readFileSync(join(root, 'examples', 'core.ts'), 'utf8');
    const block = /<!-- example:examples\/core\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
    expect(block?.[1]).toBe(example);

    // `npm install better-sqlite3`, without compiling it again: this repository's build of the driver.
    symlinkSync(join(root, 'node_modules', 'better-sqlite3'), join(app, 'node_modules', 'better-sqlite3'), 'dir');
    cpSync(join(root, 'examples', 'core.ts'), join(app, 'core.ts'));
    const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
    const { stdout } = await run(process.execPath, ['--import', tsx, 'core.ts'], { cwd: app, env: cleanEnv });
    expect(stdout).toMatch(/^QR code: ready - key: [A-Z2-7]{4}(-[A-Z2-7]{4}){7}$/m);
    expect(stdout).toContain('set-up confirmed: true');
    expect(stdout).toContain("methods: [ 'authenticator' ]");
    expect(stdout).toContain('same code again: false');
    expect(stdout).toContain('recovery code accepted: true');
    expect(stdout).toContain('recovery code again: false');
    expect(stdout).toContain('recovery codes left: 9');
  }, 60_000);
});
