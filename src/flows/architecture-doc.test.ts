/** docs/architecture.md draws every state of the session's TfState union, and no state that is not in it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOGIN_STEPS, TF_STATE_KINDS } from './state.js';

const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');

/** The names a Mermaid state diagram uses: both ends of each `a --> b` and each `state x {`. */
function diagramStates(markdown: string): Set<string> {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error('no mermaid block');
  const names = new Set<string>();
  for (const line of block.split('\n')) {
    const transition = /^\s*(\S+)\s*-->\s*([^:\s]+)/.exec(line);
    if (transition !== null) for (const name of [transition[1], transition[2]]) if (name !== undefined && name !== '[*]') names.add(name);
    const composite = /^\s*state\s+(\S+)\s*\{/.exec(line);
    if (composite?.[1] !== undefined) names.add(composite[1]);
  }
  return names;
}

describe('docs/architecture.md', () => {
  it('draws exactly the kinds of TfState and the steps of a login', () => {
    expect([...diagramStates(doc)].sort()).toEqual([...TF_STATE_KINDS, ...LOGIN_STEPS].sort());
  });

  it('lists every kind in its table', () => {
    for (const kind of TF_STATE_KINDS) expect(doc, kind).toContain(`| \`${kind}\` |`);
  });
});
