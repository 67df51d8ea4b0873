/** Writes docs/options.md from the option table (src/config/table.ts): `npm run docs:options`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPTIONS, isDerivedDefault, type OptionKind } from '../src/config/table.js';

/** Where the page lives, from the repository's root. */
export const OPTIONS_DOC_PATH = 'docs/options.md';

const UNITS: Partial<Record<OptionKind, string>> = { seconds: 'seconds', 'seconds?': 'seconds, or null' };
const FORMATS: Record<OptionKind, string> = {
  boolean: '`true` or `false`',
  seconds: 'a number',
  'seconds?': 'a number, or `null`',
  integer: 'a whole number',
  string: 'text',
  'string?': 'text; empty or `null` for none',
  list: 'a JSON array, or words separated by commas',
  object: 'a JSON object',
};

/** The whole page, as `npm run docs:options` writes it. */
export function optionsMarkdown(): string {
  const rows = Object.entries(OPTIONS).map(([name, spec]) => {
    const unit = UNITS[spec.kind] ?? '';
    return `| \`${name}\` | \`${spec.env}\` | ${defaultText(spec.default, spec.kind)} | ${unit} | ${cell(spec.summary)} |`;
  });
  return [
    '# Options',
    '',
    '<!-- Generated from src/config/table.ts by `npm run docs:options`; test/docs-options.test.ts fails when it is stale. Do not edit by hand. -->',
    '',
    'Every option of `new Security(options, datastore, deps)`, in the order of the option table',
    '(`src/config/table.ts`), with the environment variable that sets it for `configFromEnv` (the demo and the',
    '`twofold` command read them), its default, and its unit where it has one. Every duration is in seconds.',
    "The table's comments give the source of each default (NIST SP 800-63B, RFC 6238, Flask-Security-Too).",
    '',
    'How the environment spells a value, by kind:',
    '',
    '| Kind | Written as |',
    '|---|---|',
    ...Object.entries(FORMATS).map(([kind, format]) => `| \`${kind}\` | ${format} |`),
    '',
    '| Option | Variable | Default | Unit | What it does |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function defaultText(value: unknown, kind: OptionKind): string {
  if (isDerivedDefault(value)) return `\`${value.derivedFrom}\``;
  if (value === null) return 'none';
  if (typeof value === 'string') return value === '' ? 'empty' : `\`${value}\``;
  if (typeof value === 'number' && (kind === 'seconds' || kind === 'seconds?')) return `${value}${duration(value)}`;
  return `\`${cell(JSON.stringify(value))}\``;
}

/** " (5 min)" beside a number of seconds that makes whole minutes, hours or days. */
function duration(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return ` (${seconds / 86_400} d)`;
  if (seconds >= 3_600 && seconds % 3_600 === 0) return ` (${seconds / 3_600} h)`;
  if (seconds >= 60 && seconds % 60 === 0) return ` (${seconds / 60} min)`;
  return '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL(`../${OPTIONS_DOC_PATH}`, import.meta.url), optionsMarkdown());
  console.log(`wrote ${OPTIONS_DOC_PATH}`);
}
