// The stylesheet: self-contained plain CSS whose colour pairs meet WCAG AA in both colour schemes.
import { describe, expect, it } from 'vitest';
import type { PageName } from '../pages.js';
import { renderPage, SAMPLE_MODELS, sampleContext } from './page-kit.test-support.js';
import { STYLESHEET } from './stylesheet.js';

type Palette = Record<string, string>;

function palette(block: string): Palette {
  return Object.fromEntries([...block.matchAll(/--tf-([a-z-]+):\s*(#[0-9a-f]{6});/g)].map((match) => [match[1] as string, match[2] as string]));
}

const light = palette(STYLESHEET.slice(0, STYLESHEET.indexOf('@media (prefers-color-scheme: dark)')));
const dark = { ...light, ...palette(/@media \(prefers-color-scheme: dark\) \{([\s\S]*?)\n\}/.exec(STYLESHEET)?.[1] ?? '') };

// WCAG 2.2 §1.4.3 relative luminance and contrast ratio.
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

// Text colour on background colour, as the stylesheet pairs them.
const TEXT_PAIRS: [string, string][] = [
  ['text', 'card'],
  ['text', 'input-bg'],
  ['muted', 'card'],
  ['link', 'card'],
  ['link', 'selected-bg'],
  ['text', 'selected-bg'],
  ['on-accent', 'accent'],
  ['on-accent', 'accent-hover'],
  ['error', 'card'],
  ['error', 'error-bg'],
  ['success', 'success-bg'],
  ['info', 'info-bg'],
  ['warn', 'warn-bg'],
  ['text', 'code-bg'],
];

describe('stylesheet', () => {
  it('is self-contained: no imports, no remote URLs, balanced braces', () => {
    expect(STYLESHEET).not.toMatch(/@import|url\(|expression\(/i);
    expect(STYLESHEET.split('{').length).toBe(STYLESHEET.split('}').length);
  });

  it.each([
    ['light', light],
    ['dark', dark],
  ])('has AA contrast (4.5:1) for every text colour in the %s scheme', (_name, colours) => {
    for (const [fg, bg] of TEXT_PAIRS) {
      expect(colours[fg], fg).toBeDefined();
      expect(colours[bg], bg).toBeDefined();
      expect(contrast(colours[fg] as string, colours[bg] as string), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it.each([
    ['light', light],
    ['dark', dark],
  ])('has focus rings and field borders that stand out (3:1) in the %s scheme', (_name, colours) => {
    expect(contrast(colours['focus'] as string, colours['card'] as string)).toBeGreaterThanOrEqual(3);
    expect(contrast(colours['input-border'] as string, colours['card'] as string)).toBeGreaterThanOrEqual(3);
    expect(contrast(colours['error'] as string, colours['card'] as string)).toBeGreaterThanOrEqual(3);
  });

  it('lays out a centred card in the system font, responsive and dark-aware', () => {
    expect(STYLESHEET).toMatch(/\.tf-card \{[^}]*max-width: 28rem;/);
    expect(STYLESHEET).toMatch(/font: [^;]*system-ui/);
    expect(STYLESHEET).toContain('@media (prefers-color-scheme: dark)');
    expect(STYLESHEET).toContain('@media (max-width: 400px)');
    expect(STYLESHEET).toMatch(/:focus-visible \{ outline: 3px solid/);
  });

  it('gives the QR code ~200px and a white quiet zone in both schemes, and the recovery codes a monospace grid', () => {
    expect(STYLESHEET).toMatch(/\.tf-qr \{[^}]*width: 200px;[^}]*background: #ffffff;/);
    expect(STYLESHEET).toMatch(/\.tf-codes \{[^}]*display: grid;/);
    expect(STYLESHEET).toMatch(/--tf-mono: ui-monospace/);
  });

  it('styles every class the pages use', () => {
    const context = sampleContext('en', { flashes: [{ category: 'error', text: 'e' }, { category: 'success', text: 's' }, { category: 'info', text: 'i' }] });
    const withErrors = { code: ['INVALID_CODE'], setup: ['NOT_A_VALID_CHOICE'], which: ['NOT_A_VALID_CHOICE'], help_setup: ['NOT_A_VALID_CHOICE'], email: ['FIELD_REQUIRED'], remember: ['API_ERROR'], '': ['API_ERROR'] } as const;
    const pages = [
      ...(Object.keys(SAMPLE_MODELS) as PageName[]).map((page) => renderPage(page, SAMPLE_MODELS[page], context)),
      renderPage('login', { ...SAMPLE_MODELS.login, errors: withErrors }, context),
      renderPage('tfSelect', { ...SAMPLE_MODELS.tfSelect, errors: withErrors }, context),
      renderPage('tfValidate', { ...SAMPLE_MODELS.tfValidate, errors: withErrors, rescue: { ...SAMPLE_MODELS.tfValidate.rescue!, problem: 'email', errors: withErrors } }, context),
    ];
    const used = new Set(pages.flatMap((page) => [...page.matchAll(/\sclass="([^"]*)"/g)].flatMap((match) => (match[1] as string).split(' '))));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !STYLESHEET.includes(`.${name}`))).toEqual([]);
  });
});
