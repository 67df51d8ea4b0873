// The document shell: a whole page in the request's language, the stylesheet, flashes on top, nothing inline.
import { describe, expect, it } from 'vitest';
import { html } from './html.js';
import { layout } from './layout.js';
import { expectWellFormedPage, HOSTILE, HOSTILE_ESCAPED, sampleContext, tags, text } from './page-kit.test-support.js';

describe('layout', () => {
  it('renders a complete document in English', () => {
    const page = layout(sampleContext('en'), { title: 'Login', body: html`<p>Hello</p>` });
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Login</title>');
    expect(page).toMatch(/<h1 class="tf-title">Login<\/h1>/);
    expect(page).toContain('<main class="tf-card">');
  });

  it('uses the locale for lang and keeps a separate heading when given', () => {
    const page = layout(sampleContext('fr'), { title: 'Configuration', heading: 'Titre long', body: html`` });
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('<title>Configuration</title>');
    expect(page).toContain('<h1 class="tf-title">Titre long</h1>');
  });

  it('escapes the title and the stylesheet URL', () => {
    const context = sampleContext('en', { urls: { ...sampleContext().urls, stylesheet: `/a.css?"><script>` } });
    const page = layout(context, { title: HOSTILE, body: html`` });
    expect(page).toContain(`<title>${HOSTILE_ESCAPED}</title>`);
    expect(tags(page, 'link')[0]?.attrs['href']).toBe(`/a.css?"><script>`);
    expect(page).not.toMatch(/<script/);
  });

  it('renders flashes as a list at the top, category as a class, text escaped, with a spoken prefix', () => {
    const context = sampleContext('en', {
      flashes: [
        { category: 'error', text: HOSTILE },
        { category: 'success', text: 'Your code has been confirmed' },
        { category: 'info', text: 'Code has been sent.' },
      ],
    });
    const page = layout(context, { title: 'T', body: html`<p>body</p>` });
    const list = /<ul class="tf-flashes" role="alert">([\s\S]*?)<\/ul>/.exec(page);
    expect(list).not.toBeNull();
    expect(page.indexOf('tf-flashes')).toBeLessThan(page.indexOf('<h1'));
    expect(tags(page, 'li').map((tag) => tag.attrs['class'])).toEqual(['tf-flash tf-flash-error', 'tf-flash tf-flash-success', 'tf-flash tf-flash-info']);
    expect(page).toContain(`Error: </span>${HOSTILE_ESCAPED}</li>`);
    expect(text(list?.[1] ?? '')).toBe(`Error: ${HOSTILE} Success: Your code has been confirmed Note: Code has been sent.`);
  });

  it('announces flashes without errors politely, and translates the prefix', () => {
    const page = layout(sampleContext('fr', { flashes: [{ category: 'success', text: 'Votre code a été confirmé' }] }), { title: 'T', body: html`` });
    expect(page).toContain('<ul class="tf-flashes" role="status">');
    expect(page).toContain('<span class="tf-visually-hidden">Succès\u00a0: </span>');
  });

  it('prints no flash list when there is nothing to say', () => {
    expect(layout(sampleContext('en'), { title: 'T', body: html`` })).not.toContain('tf-flashes');
  });

  it('treats a category outside the contract as info', () => {
    const flashes = [{ category: '"><script>' as 'info', text: 'x' }];
    const page = layout(sampleContext('en', { flashes }), { title: 'T', body: html`` });
    expect(page).toContain('class="tf-flash tf-flash-info"');
    expect(page).not.toMatch(/<script/);
  });
});
