/**
 * Threat: the demo's SQLite file holds password hashes and encrypted TOTP secrets. Created 0644 in a 0755
 * folder, beside a 0600 key ring, any local user could copy it. Started from an empty folder, the demo
 * (`npm start`) and the `twofold` command create the data folder 0700 and the database, and SQLite's
 * `-wal`/`-shm` files, 0600.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'twofold-modes-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** The modes of the data folder, the database and whichever SQLite side files exist. */
function expectPrivate(data: string, fileName: string): void {
  expect(modeOf(data).toString(8)).toBe('700');
  const files = [fileName, `${fileName}-wal`, `${fileName}-shm`].map((name) => join(data, name)).filter((path) => existsSync(path));
  expect(files).toContain(join(data, fileName));
  for (const file of files) expect(`${file} ${modeOf(file).toString(8)}`).toBe(`${file} 600`);
}

describe('the SQLite file and its folder', { timeout: 60_000 }, () => {
  it('npm start, from an empty folder: data/ is 0700, demo.db and its side files 0600 while it runs', async () => {
    const data = join(directory, 'demo', 'data');
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/server.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_URL: `sqlite:${join(data, 'demo.db')}` },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const until = Date.now() + 40_000;
      while (!/listening on http/.test(output)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no "listening" line: ${output}`);
        await new Promise((wait) => setTimeout(wait, 50));
      }
      expectPrivate(data, 'demo.db');
      expect(existsSync(join(data, 'demo.db-wal'))).toBe(true); // WAL is on: the side file's mode was checked
      expect(modeOf(join(data, 'secrets.json')).toString(8)).toBe('600');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('twofold db migrate, from an empty folder: the same modes', async () => {
    const data = join(directory, 'cli', 'data');
    const env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: `sqlite:${join(data, 'twofold.db')}`,
      SECURITY_TOTP_SECRETS: JSON.stringify({ '1': 'q8N0b1lC3kV7xYzT5wR2mP9sJ4hG6fD1aE0uI8oK7nM' }),
    };
    const code = await new Promise<number | null>((done) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'db', 'migrate'], { cwd: root, env }, (error) =>
        done(error === null ? 0 : typeof error.code === 'number' ? error.code : null),
      );
    });
    expect(code).toBe(0);
    expectPrivate(data, 'twofold.db');
  });
});
