// Every page: a whole document in both languages, every visible word from the message table, every value escaped.
import { describe, expect, it } from 'vitest';
import type { PageContext, PageModels, PageName } from '../pages.js';
import { defaultTemplates } from './index.js';
import { expectWellFormedPage, HOSTILE, HOSTILE_ESCAPED, renderPage, SAMPLE_MODELS, SAMPLE_SVG, sampleContext, tags, text, URLS } from './page-kit.test-support.js';

const PAGES = Object.keys(SAMPLE_MODELS) as PageName[];

function render(page: PageName, model: PageModels[PageName], context: PageContext): string {
  return renderPage(page, model as never, context);
}

describe('defaultTemplates', () => {
  it('has a template for every page and cannot be changed', () => {
    expect(Object.keys(defaultTemplates).sort()).toEqual([...PAGES].sort());
    expect(Object.isFrozen(defaultTemplates)).toBe(true);
  });

  it.each(PAGES.flatMap((page) => [[page, 'en'], [page, 'fr']] as const))('renders %s as a well-formed page in %s', (page, locale) => {
    const context = sampleContext(locale, { flashes: [{ category: 'info', text: 'Code has been sent.' }], user: { email: 'ada@example.com' } });
    expectWellFormedPage(render(page, SAMPLE_MODELS[page], context), locale);
  });
});

describe('no hard-coded text', () => {
  // A `t` that prints the key shows any word that did not come from the message table.
  const marked: PageContext = { ...sampleContext('en', { user: { email: 'ada@example.com' } }), t: (key) => `⟦${key}⟧` };
  const MODEL_TEXT = [
    'ada@example.com',
    'Example App',
    'SW3H Y2JF KQ7P MN4X ABCD EFGH IJKL MNOP',
    ...(SAMPLE_MODELS.mfRecoveryCodes.codes ?? []),
    ...SAMPLE_MODELS.tfDevices.devices.map((device) => device.userAgent),
  ];

  it.each(PAGES)('%s prints only message-table text and model values', (page) => {
    const markup = render(page, SAMPLE_MODELS[page], marked);
    const spoken = tags(markup, '[a-z]+').flatMap((tag) => ['aria-label', 'title', 'placeholder', 'alt'].map((name) => tag.attrs[name] ?? ''));
    let rest = [text(markup), ...spoken].join(' ').replace(/⟦[A-Z_]+⟧/g, ' ');
    for (const value of MODEL_TEXT) rest = rest.split(value).join(' ');
    expect(rest).not.toMatch(/\p{L}/u);
  });
});

describe('escaping', () => {
  const context = sampleContext('en', {
    csrfToken: HOSTILE,
    flashes: [{ category: 'error', text: HOSTILE }],
    user: { email: HOSTILE },
    urls: Object.fromEntries(Object.keys(URLS).map((name) => [name, name === 'stylesheet' ? URLS.stylesheet : HOSTILE])) as unknown as PageContext['urls'],
  });
  const choice = { value: HOSTILE, label: null };
  const hostile: PageModels = {
    login: { email: HOSTILE, remember: false, next: HOSTILE, errors: {} },
    verify: { next: HOSTILE, errors: {} },
    tfSetup: {
      action: HOSTILE,
      choices: [choice, { value: 'sms', label: 'LABEL_SETUP_SMS' }],
      currentMethod: HOSTILE,
      phone: HOSTILE,
      selected: HOSTILE,
      errors: {},
      pending: { method: HOSTILE, codeAction: HOSTILE, codeErrors: {}, authenticator: { qrSvg: SAMPLE_SVG, key: HOSTILE, issuer: HOSTILE, username: HOSTILE } },
      recoveryCodesUrl: HOSTILE,
      devicesUrl: HOSTILE,
      backupMissing: true,
    },
    tfValidate: { method: HOSTILE, methodLabel: null, action: HOSTILE, errors: {}, rescue: { choices: [choice], action: HOSTILE, problem: 'help', errors: {} } },
    tfSelect: { choices: [choice], action: HOSTILE, errors: {} },
    mfRecoveryCodes: { codes: [HOSTILE, HOSTILE], remaining: 2, errors: {} },
    mfRecovery: { action: HOSTILE, errors: {} },
    tfDevices: { devices: [{ id: HOSTILE, userAgent: HOSTILE, createdAtInSeconds: 0, lastUsedAtInSeconds: 0, expiresAtInSeconds: 0, current: true }], errors: {} },
    logout: {},
    error: { status: 403, message: 'HTTPS_REQUIRED', backUrl: HOSTILE },
  };

  it.each(PAGES)('%s escapes every model string, flash and URL, in text and attributes', (page) => {
    const markup = render(page, hostile[page], context);
    expect(markup).not.toMatch(/<script/i);
    expect(markup).not.toContain(HOSTILE);
    expect(markup).not.toMatch(/\salert\(/);
    expect(markup).toContain(HOSTILE_ESCAPED);
    // Every attribute value still parses back to what the model said: nothing broke out of its quotes.
    for (const tag of tags(markup, '[a-z]+')) {
      for (const [name, value] of Object.entries(tag.attrs)) {
        expect(name, `attribute ${name} on ${page}`).toMatch(/^[a-z][a-z-]*$/);
        if (value.includes('<')) expect(value).toContain(HOSTILE.slice(0, 8));
      }
    }
  });
});
