/**
 * Predictable randomness or a hidden clock read would undo every guarantee above them: all secrets come from
 * node:crypto (checklist CRY-01) and only `src/clock.ts` reads the time (so tests can fix it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function offenders(pattern: RegExp, allowed: readonly string[]): string[] {
  return sourceFiles(src)
    .filter((file) => !allowed.includes(relative(src, file)))
    .filter((file) => pattern.test(readFileSync(file, 'utf8')))
    .map((file) => relative(src, file));
}

describe('library source', () => {
  it('never uses Math.random', () => {
    expect(offenders(/Math\.random/, [])).toEqual([]);
  });

  it('draws random bytes only in crypto/random.ts', () => {
    const imported = /import\s*\{[^}]*\b(randomBytes|randomInt|randomFill|randomFillSync|randomUUID|getRandomValues)\b[^}]*\}\s*from\s*'(node:)?crypto'/;
    const global = /\bcrypto\.(getRandomValues|randomUUID|randomBytes|randomInt)\(/;
    expect(offenders(imported, ['crypto/random.ts'])).toEqual([]);
    expect(offenders(global, ['crypto/random.ts'])).toEqual([]);
    expect(offenders(imported, [])).toEqual(['crypto/random.ts']);
  });

  it('reads the time only in clock.ts', () => {
    expect(offenders(/Date\.now\(|new Date\(\)|performance\.now\(/, ['clock.ts'])).toEqual([]);
  });

  it('finds the files it checks', () => {
    expect(sourceFiles(src).length).toBeGreaterThan(30);
  });
});
