/**
 * Comments cite documents that are in the repository: every `docs/<name>.md §N` in the sources and tests names a
 * file under `docs/` and a section it has, and nothing cites the design notes and reference files that lived
 * outside the repository ("reference §…", "DESIGN §…").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
    return /\.(ts|js|md)$/.test(entry.name) ? [path] : [];
  });
}

const texts = [...['src', 'test', 'examples', 'bench', 'docs'].flatMap((dir) => files(join(root, dir))), join(root, 'README.md'), join(root, 'SECURITY.md')].map(
  (path) => ({ file: relative(root, path), text: readFileSync(path, 'utf8') }),
);

/** The sections of a document: `## 2.` gives "2", `### 2.4` gives "2.4", and an item `9.` under `## 4.` gives "4.9". */
function sections(markdown: string): Set<string> {
  const found = new Set<string>();
  let chapter: string | null = null;
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,3} (\d+(?:\.\d+)?)\.?\s/.exec(line);
    if (heading !== null) {
      found.add(heading[1] as string);
      if (!heading[1]?.includes('.')) chapter = heading[1] as string;
    } else {
      const item = /^(\d+)\. /.exec(line);
      if (item !== null && chapter !== null) found.add(`${chapter}.${item[1]}`);
    }
  }
  return found;
}

describe('citations in comments and tests', () => {
  it('name no document from outside the repository', () => {
    const offenders = texts.filter(({ file, text }) => file !== 'test/doc-citations.test.ts' && /(^|[^.\w/-])(reference|DESIGN) §|reference\/flask-security/m.test(text));
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it('point at a file under docs/ and a section it has', () => {
    const problems: string[] = [];
    let count = 0;
    for (const { file, text } of texts) {
      for (const match of text.matchAll(/docs\/([\w-]+\.md)((?:(?:\s*(?:,|–|and)\s*|\s)§\d+(?:\.\d+)?)+)/g)) {
        const doc = join(root, 'docs', match[1] as string);
        if (!existsSync(doc)) {
          problems.push(`${file}: docs/${match[1]} does not exist`);
          continue;
        }
        const have = sections(readFileSync(doc, 'utf8'));
        for (const section of (match[2] as string).matchAll(/§(\d+(?:\.\d+)?)/g)) {
          count++;
          if (!have.has(section[1] as string)) problems.push(`${file}: docs/${match[1]} has no §${section[1]}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(30);
  });
});
