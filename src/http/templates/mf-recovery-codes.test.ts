// The /mf-recovery-codes page: new codes shown once in a grid, how many are left, a button for a new set.
import { describe, expect, it } from 'vitest';
import {
  alertText,
  buttons,
  expectWellFormedPage,
  formNamed,
  forms,
  HOSTILE,
  HOSTILE_ESCAPED,
  renderPage,
  SAMPLE_MODELS,
  sampleContext,
  tags,
  text,
} from './page-kit.test-support.js';

const model = SAMPLE_MODELS.mfRecoveryCodes;

function codesShown(page: string): string[] {
  const list = /<ol class="tf-codes">([\s\S]*?)<\/ol>/.exec(page);
  return list === null ? [] : [...(list[1] as string).matchAll(/<li><code>([^<]*)<\/code><\/li>/g)].map((match) => match[1] as string);
}

describe('mf-recovery-codes page', () => {
  it('lists new codes in a monospace grid with the warning to keep them', () => {
    const page = renderPage('mfRecoveryCodes', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Recovery Codes</title>');
    expect(codesShown(page)).toEqual(['7K2QD-M9XRB-04TZH', 'AB12C-DE34F-GH56J', 'KM78N-PQ90R-ST12V']);
    expect(text(page)).toContain('Be sure to copy these and store in a safe place. Each code can be used only once.');
    expect(text(page)).toContain('You have 3 recovery codes left');
  });

  it('has a POST form with a generate_new_codes submit button', () => {
    const page = renderPage('mfRecoveryCodes', model, sampleContext('en'));
    expect(forms(page)).toHaveLength(1);
    const form = formNamed(page, 'mf_recovery_codes_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/mf-recovery-codes' });
    expect(buttons(form.inner)).toEqual([
      { attrs: { type: 'submit', class: 'tf-button tf-button-secondary', name: 'generate_new_codes', value: 'y' }, text: 'Generate New Recovery Codes' },
    ]);
    expect(text(page)).toContain('Generate new Recovery Codes');
    expect(text(page)).toContain('New codes replace all the codes you have now.');
  });

  it('shows no list when no codes were just made, and the button becomes the main one', () => {
    const page = renderPage('mfRecoveryCodes', { ...model, codes: null, remaining: 7 }, sampleContext('en'));
    expect(page).not.toContain('tf-codes');
    expect(text(page)).not.toContain('Be sure to copy');
    expect(text(page)).toContain('You have 7 recovery codes left');
    expect(buttons(page)[0]?.attrs['class']).toBe('tf-button');
    expect(renderPage('mfRecoveryCodes', { ...model, codes: [] }, sampleContext('en'))).not.toContain('tf-codes');
  });

  it.each([
    [0, 'You have no recovery codes.', 'Vous n’avez aucun code de récupération.'],
    [1, 'You have one recovery code left', 'Il vous reste un seul code de récupération'],
    [10, 'You have 10 recovery codes left', 'Il vous reste 10 codes de récupération'],
  ])('counts %i remaining codes in words that read right', (remaining, english, french) => {
    expect(text(renderPage('mfRecoveryCodes', { ...model, codes: null, remaining }, sampleContext('en')))).toContain(english);
    expect(text(renderPage('mfRecoveryCodes', { ...model, codes: null, remaining }, sampleContext('fr')))).toContain(french);
  });

  it('is in French', () => {
    const page = renderPage('mfRecoveryCodes', model, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Codes de récupération</title>');
    expect(text(page)).toContain('Copiez-les et conservez-les en lieu sûr.');
    expect(buttons(page).map((button) => button.text)).toEqual(['Générer de nouveaux codes de récupération']);
  });

  it('shows errors of the buttons and the CSRF token in an alert', () => {
    const page = renderPage('mfRecoveryCodes', { ...model, codes: null, errors: { show_codes: ['NO_RECOVERY_CODES_SETUP'], csrf_token: ['CSRF_TOKEN_MISSING'] } }, sampleContext('en'));
    expect(alertText(page)).toBe('No recovery codes generated yet The CSRF token is missing.');
  });

  it('escapes the codes', () => {
    const page = renderPage('mfRecoveryCodes', { ...model, codes: [HOSTILE] }, sampleContext('en'));
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(`<li><code>${HOSTILE_ESCAPED}</code></li>`);
    expect(tags(page, 'input').map((tag) => tag.attrs['name'])).toEqual(['csrf_token']);
  });
});
