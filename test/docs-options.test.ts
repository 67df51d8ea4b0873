/** docs/options.md is generated from the option table; a row added or changed without regenerating it fails here. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../src/config/table.js';
import { OPTIONS_DOC_PATH, optionsMarkdown } from '../scripts/options-doc.js';

describe('docs/options.md', () => {
  it('is what `npm run docs:options` writes from src/config/table.ts', () => {
    const written = readFileSync(new URL(`../${OPTIONS_DOC_PATH}`, import.meta.url), 'utf8');
    expect(written === optionsMarkdown(), `${OPTIONS_DOC_PATH} is stale: run \`npm run docs:options\` and commit it`).toBe(true);
  });

  it('has a row for every option, with its variable', () => {
    const page = optionsMarkdown();
    for (const [name, spec] of Object.entries(OPTIONS)) expect(page).toContain(`| \`${name}\` | \`${spec.env}\` |`);
  });
});
