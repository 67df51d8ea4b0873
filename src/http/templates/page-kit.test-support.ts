/** Test support for the page templates: sample contexts and a small reader for the HTML they produce. */
import { expect } from 'vitest';
import { messageText, type Locale } from '../../messages.js';
import type { Flash, PageContext, PageModels, PageName, PageUrls, Template } from '../pages.js';
import { defaultTemplates } from './index.js';

/** A string carrying every character that must be escaped, in text and in attributes. */
export const HOSTILE = `<script>alert("x")</script>'&"`;
/** How {@link HOSTILE} must appear in the markup. */
export const HOSTILE_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&quot;';

export const URLS: PageUrls = {
  login: '/login',
  logout: '/logout',
  verify: '/verify',
  tfSetup: '/tf-setup',
  tfValidate: '/tf-validate',
  tfRescue: '/tf-rescue',
  tfSelect: '/tf-select',
  tfDevices: '/tf-devices',
  mfRecoveryCodes: '/mf-recovery-codes',
  mfRecovery: '/mf-recovery',
  stylesheet: '/static/twofold.css',
};

/** A context whose `t` is the real message table. */
export function sampleContext(locale: Locale = 'en', overrides: Partial<Omit<PageContext, 't' | 'locale'>> = {}): PageContext {
  return {
    t: (key, params) => messageText(key, params, locale),
    locale,
    csrfToken: 'csrf-token-123',
    flashes: [] as Flash[],
    urls: URLS,
    user: null,
    ...overrides,
  };
}

/** One start tag: its name and its attributes, values decoded. */
export interface Tag {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** Decodes the five entities the templates write. */
export function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ENTITIES[name] as string);
}

function parseAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?/g)) {
    attrs[(match[1] as string).toLowerCase()] = decode(match[2] ?? '');
  }
  return attrs;
}

/** Every start tag named `name`, in document order. */
export function tags(markup: string, name: string): Tag[] {
  const pattern = new RegExp(`<${name}(\\s[^>]*)?>`, 'gi');
  return [...markup.matchAll(pattern)].map((match) => ({ name, attrs: parseAttributes(match[1] ?? '') }));
}

/** A form: its attributes and its inner markup. */
export interface FormPart {
  readonly attrs: Readonly<Record<string, string>>;
  readonly inner: string;
}

/** Every `<form>` (they never nest). */
export function forms(markup: string): FormPart[] {
  return [...markup.matchAll(/<form(\s[^>]*)>([\s\S]*?)<\/form>/gi)].map((match) => ({
    attrs: parseAttributes(match[1] ?? ''),
    inner: match[2] as string,
  }));
}

/** The form whose `name` attribute is `name`; fails the test when there is none. */
export function formNamed(markup: string, name: string): FormPart {
  const form = forms(markup).find((candidate) => candidate.attrs['name'] === name);
  expect(form, `form ${name}`).toBeDefined();
  return form as FormPart;
}

/** The visible text of some markup, tags removed and entities decoded, white space collapsed. */
export function text(markup: string): string {
  // Only ASCII white space collapses: French keeps its no-break spaces.
  return decode(markup.replace(/<[^>]*>/g, ' ')).replace(/[ \t\n\r]+/g, ' ').trim();
}

/** The input named `name` (the first, for radios); fails the test when there is none. */
export function input(markup: string, name: string): Tag {
  const found = tags(markup, 'input').find((tag) => tag.attrs['name'] === name);
  expect(found, `input ${name}`).toBeDefined();
  return found as Tag;
}

/** The text of the `<label for=id>`; fails the test when there is none or more than one. */
export function labelFor(markup: string, id: string): string {
  const labels = [...markup.matchAll(/<label(\s[^>]*)>([\s\S]*?)<\/label>/gi)].filter((match) => parseAttributes(match[1] ?? '')['for'] === id);
  expect(labels, `label for ${id}`).toHaveLength(1);
  return text((labels[0] as RegExpMatchArray)[2] as string);
}

/** The text of the element whose id is `id`. */
export function textOfId(markup: string, id: string): string {
  const match = new RegExp(`<(\\w+)[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(markup);
  expect(match, `element #${id}`).not.toBeNull();
  return text((match as RegExpExecArray)[2] as string);
}

/**
 * Checks what every page must be: a whole document in the right language with the stylesheet, no script and no
 * inline style (CSP), every input labelled, ids unique, and every form a POST with the CSRF token and a submit button.
 */
export function expectWellFormedPage(markup: string, locale: Locale): void {
  expect(markup.startsWith('<!doctype html>\n')).toBe(true);
  expect(markup).toContain(`<html lang="${locale}">`);
  expect(markup).toContain('<meta charset="utf-8">');
  expect(markup).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  expect(markup).toMatch(/<title>[^<]+<\/title>/);
  expect(markup).toContain(`<link rel="stylesheet" href="${URLS.stylesheet}">`);
  expect(markup.trimEnd().endsWith('</html>')).toBe(true);
  expect(markup).not.toMatch(/<script/i);
  expect(markup).not.toMatch(/<style/i);
  expect(markup).not.toMatch(/\sstyle=/i);
  expect(markup).not.toMatch(/\son[a-z]+=/i);
  expect(markup).not.toMatch(/javascript:/i);

  const ids = [...markup.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  expect(new Set(ids).size, 'ids are unique').toBe(ids.length);

  for (const tag of tags(markup, 'input')) {
    if (tag.attrs['type'] === 'hidden' || 'hidden' in tag.attrs) continue;
    const id = tag.attrs['id'];
    expect(id, `input ${tag.attrs['name']} has an id`).toBeTruthy();
    expect(labelFor(markup, id as string)).not.toBe('');
  }

  const pageForms = forms(markup);
  for (const form of pageForms) {
    expect(form.attrs['method']).toBe('post');
    expect(form.attrs['action']).toBeTruthy();
    const csrf = tags(form.inner, 'input').filter((tag) => tag.attrs['name'] === 'csrf_token');
    expect(csrf).toEqual([{ name: 'input', attrs: { type: 'hidden', name: 'csrf_token', value: 'csrf-token-123' } }]);
    expect(tags(form.inner, 'button').filter((tag) => tag.attrs['type'] === 'submit').length).toBeGreaterThan(0);
  }
  // Every button sits in a form; nothing outside a form is a control.
  expect(tags(markup, 'button')).toHaveLength(pageForms.reduce((count, form) => count + tags(form.inner, 'button').length, 0));
}

/** Checks that the field `name` in `markup` shows `message` as its error, tied to it for assistive technology. */
export function expectFieldError(markup: string, name: string, message: string): void {
  const control = input(markup, name);
  expect(control.attrs['aria-invalid']).toBe('true');
  const describedBy = (control.attrs['aria-describedby'] ?? '').split(' ');
  const errorId = describedBy.find((id) => id.endsWith('-errors'));
  expect(errorId, `${name} is described by its errors`).toBeDefined();
  expect(textOfId(markup, errorId as string)).toBe(message);
}

/** The text of the form-level `role="alert"` block, or null. */
export function alertText(markup: string): string | null {
  const match = /<div class="tf-alert" role="alert">([\s\S]*?)<\/div>/.exec(markup);
  return match === null ? null : text(match[1] as string);
}

/** A small, valid QR-like SVG standing in for the `qrcode` package's output. */
export const SAMPLE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h29v29H0z"/></svg>';

/** One filled model per page, in the shape a GET (or a failed POST) gives. */
export const SAMPLE_MODELS: PageModels = {
  login: { email: 'ada@example.com', remember: true, next: '/profile', errors: {} },
  verify: { next: '/tf-setup', errors: {} },
  tfSetup: {
    action: '/tf-setup',
    choices: [
      { value: 'disable', label: 'LABEL_SETUP_DISABLE' },
      { value: 'authenticator', label: 'LABEL_SETUP_AUTHENTICATOR' },
      { value: 'email', label: 'LABEL_SETUP_EMAIL' },
      { value: 'sms', label: 'LABEL_SETUP_SMS' },
    ],
    currentMethod: 'email',
    phone: '+442079460000',
    selected: 'authenticator',
    errors: {},
    pending: {
      method: 'authenticator',
      codeAction: '/tf-setup/token-abc',
      codeErrors: {},
      authenticator: { qrSvg: SAMPLE_SVG, key: 'SW3H-Y2JF-KQ7P-MN4X-ABCD-EFGH-IJKL-MNOP', issuer: 'Example App', username: 'ada@example.com' },
    },
    recoveryCodesUrl: '/mf-recovery-codes',
    devicesUrl: '/tf-devices',
    backupMissing: false,
  },
  tfValidate: {
    method: 'authenticator',
    methodLabel: 'METHOD_AUTHENTICATOR',
    action: '/tf-validate?next=%2Fprofile',
    errors: {},
    rescue: {
      choices: [
        { value: 'help', label: 'LABEL_RESCUE_HELP' },
        { value: 'email', label: 'LABEL_RESCUE_EMAIL' },
        { value: 'recovery_code', label: 'LABEL_RESCUE_RECOVERY_CODE' },
      ],
      action: '/tf-rescue?next=%2Fprofile',
      problem: null,
      errors: {},
    },
  },
  tfSelect: {
    choices: [
      { value: 'authenticator', label: 'METHOD_AUTHENTICATOR' },
      { value: 'sms', label: 'METHOD_SMS' },
    ],
    action: '/tf-select?next=%2Fprofile',
    errors: {},
  },
  mfRecoveryCodes: { codes: ['7K2QD-M9XRB-04TZH', 'AB12C-DE34F-GH56J', 'KM78N-PQ90R-ST12V'], remaining: 3, errors: {} },
  tfDevices: {
    devices: [
      {
        id: 'a'.repeat(64),
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
        createdAtInSeconds: 1_736_936_400,
        lastUsedAtInSeconds: 1_737_022_800,
        expiresAtInSeconds: 1_739_528_400,
        current: true,
      },
      {
        id: 'b'.repeat(64),
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1',
        createdAtInSeconds: 1_735_689_600,
        lastUsedAtInSeconds: 1_735_689_600,
        expiresAtInSeconds: 1_738_281_600,
        current: false,
      },
    ],
    errors: {},
  },
  mfRecovery: { action: '/mf-recovery', errors: {} },
  logout: {},
  error: { status: 403, message: 'HTTPS_REQUIRED', backUrl: '/login' },
};

/** Renders a page with the default templates. */
export function renderPage<P extends PageName>(page: P, model: PageModels[P], context: PageContext): string {
  return (defaultTemplates[page] as Template<P>)(model, context);
}

/** Every `<button>`: its attributes and its text. */
export function buttons(markup: string): { readonly attrs: Readonly<Record<string, string>>; readonly text: string }[] {
  return [...markup.matchAll(/<button(\s[^>]*)?>([\s\S]*?)<\/button>/gi)].map((match) => ({ attrs: parseAttributes(match[1] ?? ''), text: text(match[2] as string) }));
}
