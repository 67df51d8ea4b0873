/** The README's Express example runs as written: it listens, serves twofold's pages and guards its routes. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

describe('examples/express-app.ts', () => {
  it('is in the README verbatim', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const example = readFileSync(resolve(root, 'examples', 'express-app.ts'), 'utf8');
    const block = /<!-- example:examples\/express-app\.ts -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it('serves login, refuses the guarded routes to a stranger, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/express-app.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATABASE_URL: 'sqlite::memory:', SMTP_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no "listening" line: ${output}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match !== null) {
            clearTimeout(timer);
            resolveUrl(match[1] as string);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      expect((await fetch(`${url}/`)).status).toBe(200);
      expect((await fetch(`${url}/login`)).status).toBe(200);
      const account = await fetch(`${url}/account`, { headers: { accept: 'application/json' } });
      expect(account.status).toBe(401);
      const admin = await fetch(`${url}/admin`, { redirect: 'manual' });
      expect(admin.status).toBe(302);
      expect(admin.headers.get('location')).toBe('/login?next=%2Fadmin');
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
