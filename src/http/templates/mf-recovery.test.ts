// The /mf-recovery page: a recovery code is letters and digits, so its field is text, not a numeric code.
import { describe, expect, it } from 'vitest';
import {
  alertText,
  buttons,
  expectFieldError,
  expectWellFormedPage,
  formNamed,
  HOSTILE,
  input,
  labelFor,
  renderPage,
  SAMPLE_MODELS,
  sampleContext,
  textOfId,
} from './page-kit.test-support.js';

const model = SAMPLE_MODELS.mfRecovery;

describe('mf-recovery page', () => {
  it('is a POST form with a plain-text code field', () => {
    const page = renderPage('mfRecovery', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Enter Recovery Code</title>');
    const form = formNamed(page, 'mf_recovery_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/mf-recovery' });
    const code = input(form.inner, 'code').attrs;
    expect(code).toMatchObject({ type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: '', maxlength: '64' });
    expect(code['inputmode']).toBeUndefined();
    expect(code['pattern']).toBeUndefined();
    expect(labelFor(page, code['id'] as string)).toBe('Recovery Code');
    expect(textOfId(page, 'mf-recovery-code-hint')).toBe('Enter one of the recovery codes you saved. Each code works only once.');
    expect(buttons(form.inner).map((button) => [button.attrs['type'], button.text])).toEqual([['submit', 'Submit Code']]);
  });

  it('is in French', () => {
    const page = renderPage('mfRecovery', model, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Saisir un code de récupération</title>');
    expect(labelFor(page, 'mf-recovery-code')).toBe('Code de récupération');
    expect(buttons(page).map((button) => button.text)).toEqual(['Valider le code']);
  });

  it('ties a wrong code to the field', () => {
    const page = renderPage('mfRecovery', { ...model, errors: { code: ['INVALID_RECOVERY_CODE'] } }, sampleContext('en'));
    expectFieldError(page, 'code', 'Recovery code invalid');
    expect(alertText(page)).toBeNull();
    const french = renderPage('mfRecovery', { ...model, errors: { code: ['INVALID_RECOVERY_CODE'], '': ['TOO_MANY_ATTEMPTS'] } }, sampleContext('fr'));
    expectFieldError(french, 'code', 'Code de récupération non valide');
    expect(alertText(french)).toBe('Trop de tentatives infructueuses. Veuillez réessayer plus tard.');
  });

  it('escapes the action', () => {
    const page = renderPage('mfRecovery', { ...model, action: HOSTILE }, sampleContext('en'));
    expect(page).not.toMatch(/<script/);
    expect(formNamed(page, 'mf_recovery_form').attrs['action']).toBe(HOSTILE);
  });
});
