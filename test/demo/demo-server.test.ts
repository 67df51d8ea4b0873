/**
 * `npm start` as a process: it creates its SQLite file and tables, prints the URL it listens on, answers, and
 * exits 0 on SIGTERM; in production it refuses to start without a secret instead of generating one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'twofold-demo-server-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Starts `examples/demo/server.ts` the way `npm start` does, with only the given variables set beyond PATH. */
function startServer(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

async function waitFor(output: () => string, pattern: RegExp, timeoutInMilliseconds = 40_000): Promise<RegExpExecArray> {
  const until = Date.now() + timeoutInMilliseconds;
  for (;;) {
    const match = pattern.exec(output());
    if (match !== null) return match;
    if (Date.now() > until) throw new Error(`no ${pattern} in the output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start', { timeout: 60_000 }, () => {
  it('creates its database, prints its URL, serves the home page, and exits 0 on SIGTERM', async () => {
    const file = join(directory, 'nested', 'demo.db');
    const server = startServer({ PORT: '0', DATABASE_URL: `sqlite:${file}` });
    try {
      const [, url] = await waitFor(server.output, /twofold demo listening on (http:\/\/127\.0\.0\.1:(\d+))\n/);
      expect(url).not.toMatch(/:0$/);
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('twofold demo');
      expect(server.output()).toContain('generated a development key ring');
      expect(server.output()).toContain('SMTP_URL is not set');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(directory, 'nested', 'secrets.json'))).toBe(true);
    const database = new Database(file, { readonly: true });
    try {
      const tables = (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
      expect(tables).toEqual(expect.arrayContaining(['twofold_users', 'twofold_recovery_codes', 'twofold_sessions', 'twofold_one_time_codes', 'twofold_trusted_devices', 'twofold_migration']));
    } finally {
      database.close();
    }
  });

  it('refuses to start in production without a secret, naming the variable, and generates nothing', async () => {
    const file = join(directory, 'production', 'demo.db');
    const server = startServer({ PORT: '0', DATABASE_URL: `sqlite:${file}`, NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('SECURITY_TOTP_SECRETS');
    expect(server.output()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(directory, 'production', 'secrets.json'))).toBe(false);
  });
});
