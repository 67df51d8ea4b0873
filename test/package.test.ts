/**
 * The package as an application sees it: `npm run build` emits dist/ with declarations, `exports` maps
 * "twofold" to the public API, and the README's core example runs against the built package.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

let app: string;

beforeAll(async () => {
  await run('npm', ['run', 'build'], { cwd: root });
  // An application folder whose node_modules/twofold is this package, as after `npm install`.
  app = mkdtempSync(join(tmpdir(), 'twofold-app-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(root, join(app, 'node_modules', 'twofold'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
}, 120_000);

afterAll(() => {
  if (app !== undefined) rmSync(app, { recursive: true, force: true });
});

describe('the built package', () => {
  it('emits JavaScript and declarations for the public API', () => {
    expect(existsSync(join(root, 'dist', 'index.js'))).toBe(true);
    const declarations = readFileSync(join(root, 'dist', 'index.d.ts'), 'utf8');
    for (const name of SEED_NAMES) expect(declarations).toContain(name);
    expect(existsSync(join(root, 'dist', 'otp', 'totp.test.js'))).toBe(false);
  });

  it('gives an application every seed name through `import … from "twofold"`', async () => {
    const script = `import * as twofold from 'twofold';
const missing = ${JSON.stringify(SEED_NAMES)}.filter((name) => typeof twofold[name] === 'undefined');
console.log(JSON.stringify(missing));`;
    writeFileSync(join(app, 'names.mjs'), script);
    const { stdout } = await run(process.execPath, ['names.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it('type-checks an application against the declarations', async () => {
    writeFileSync(
      join(app, 'check.ts'),
      `import { Totp, TwoFactorVerifyCodeForm, type User } from 'twofold';
const ok: boolean = new Totp().verify('123456', 1);
const result = new TwoFactorVerifyCodeForm().validate({ code: '123456' });
const code: string | undefined = result.ok ? result.value.code : undefined;
export const used: [boolean, string | undefined, User | null] = [ok, code, null];
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true, types: [] }, files: ['check.ts'] }),
    );
    await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });
  }, 60_000);

  it('runs the README core example, which is examples/core.ts verbatim', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = readFileSync(join(root, 'examples', 'core.ts'), 'utf8');
    const block = /<!-- example:examples\/core\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
    expect(block?.[1]).toBe(example);

    cpSync(join(root, 'examples', 'core.ts'), join(app, 'core.ts'));
    const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
    const { stdout } = await run(process.execPath, ['--import', tsx, 'core.ts'], { cwd: app });
    expect(stdout).toMatch(/^QR code: ready - key: [A-Z2-7]{4}(-[A-Z2-7]{4}){7}$/m);
    expect(stdout).toContain('set-up confirmed: true');
    expect(stdout).toContain("methods: [ 'authenticator' ]");
    expect(stdout).toContain('same code again: false');
    expect(stdout).toContain('recovery code accepted: true');
    expect(stdout).toContain('recovery code again: false');
    expect(stdout).toContain('recovery codes left: 9');
  }, 60_000);
});
