/** The README's Express, Fastify and Hono examples run as written: each listens, serves twofold's pages and guards its routes. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

describe.each(['express-app.ts', 'fastify-app.ts', 'hono-app.ts'])('examples/%s', (file) => {
  it('is in the README verbatim', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const example = readFileSync(resolve(root, 'examples', file), 'utf8');
    const marker = `<!-- example:examples/${file} -->\n\`\`\`ts\n`;
    const start = readme.indexOf(marker);
    const end = readme.indexOf('```\n<!-- /example -->', start);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + marker.length, end)).toBe(example);
  });

  it('serves login, refuses the guarded routes to a stranger, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`], {
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
