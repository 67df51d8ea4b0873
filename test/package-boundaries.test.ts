/**
 * The package's boundaries, read from the sources: only each framework's entry reaches its framework (Express,
 * Fastify, Hono), only `connect.ts`
 * loads a database driver and only on demand, and nothing imports zod. A core that imported any of these would
 * make every application install it (or its types) again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test-support.ts') ? [path] : [];
  });
}

/** Each source file's imports: `import … from 'x'` (with whether it is `import type`), `export … from 'x'`, `import('x')`. */
const imports = sourceFiles(src).map((path) => {
  // Comments out: a doc comment may quote an import.
  const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const statements = [...text.matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gms)].map((match) => ({
    specifier: match[3] as string,
    typeOnly: match[2] !== undefined,
  }));
  const dynamic = [...text.matchAll(/\bimport\('([^']+)'\)/g)].map((match) => match[1] as string);
  return { file: relative(src, path), statements, dynamic };
});

/** The files with an import statement or `import()` that `test` accepts (an `import()` is never type-only). */
function importers(test: (specifier: string, typeOnly: boolean) => boolean, options: { dynamic: boolean } = { dynamic: true }): string[] {
  return imports
    .filter(({ statements, dynamic }) => statements.some(({ specifier, typeOnly }) => test(specifier, typeOnly)) || (options.dynamic && dynamic.some((specifier) => test(specifier, false))))
    .map(({ file }) => file)
    .sort();
}

const DRIVERS = ['better-sqlite3', 'pg', 'mysql2'];

describe('package boundaries', () => {
  it('Express (its types included) is imported by the adapter alone, and the adapter by the Express entry alone', () => {
    expect(importers((specifier) => specifier === 'express' || specifier.startsWith('express/'))).toEqual(['adapters/express.ts']);
    expect(importers((specifier) => /(^|\/)adapters\/express\.js$/.test(specifier))).toEqual(['express.ts']);
  });

  for (const [framework, packages] of [
    ['fastify', ['fastify']],
    ['hono', ['hono', '@hono/node-server']],
  ] as const) {
    it(`${framework} (its types included) is imported by its adapter alone, and the adapter by its entry alone`, () => {
      const own = (specifier: string) => (packages as readonly string[]).some((name) => specifier === name || specifier.startsWith(`${name}/`));
      expect(importers(own)).toEqual([join('adapters', `${framework}.ts`)]);
      expect(importers((specifier) => new RegExp(`(^|/)adapters/${framework}\\.js$`).test(specifier))).toEqual([`${framework}.ts`]);
    });
  }

  it('database drivers are never imported statically except for their types; connect.ts loads them with import()', () => {
    expect(importers((specifier, typeOnly) => DRIVERS.includes(specifier) && !typeOnly, { dynamic: false })).toEqual([]);
    const loaders = imports.filter(({ dynamic }) => dynamic.some((specifier) => DRIVERS.includes(specifier)));
    expect(loaders.map(({ file }) => file)).toEqual([join('store', 'kysely', 'connect.ts')]);
    expect(loaders[0]?.dynamic.filter((specifier) => DRIVERS.includes(specifier)).sort()).toEqual([...DRIVERS].sort());
  });

  it('nothing imports zod', () => {
    expect(importers((specifier) => specifier === 'zod')).toEqual([]);
  });
});
