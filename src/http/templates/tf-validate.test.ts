// The /tf-validate page: the code form for the user's method and, in a login, the rescue form.
import { describe, expect, it } from 'vitest';
import type { PageModels } from '../pages.js';
import {
  alertText,
  buttons,
  expectFieldError,
  expectWellFormedPage,
  formNamed,
  forms,
  HOSTILE,
  HOSTILE_ESCAPED,
  input,
  labelFor,
  renderPage,
  SAMPLE_MODELS,
  sampleContext,
  tags,
  text,
  textOfId,
} from './page-kit.test-support.js';

type Model = PageModels['tfValidate'];
const model = SAMPLE_MODELS.tfValidate;
const rescue = model.rescue!;

describe('tf-validate page: the code', () => {
  it('asks for the code generated via the method, in a numeric one-time-code field', () => {
    const page = renderPage('tfValidate', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Two-factor Authentication</title>');
    const form = formNamed(page, 'two_factor_verify_code_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/tf-validate?next=%2Fprofile' });
    const code = input(form.inner, 'code').attrs;
    expect(code).toMatchObject({ type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9 ]*', required: '', maxlength: '64' });
    expect(labelFor(page, code['id'] as string)).toBe('Authentication Code');
    expect(code['aria-describedby']).toBe('tf-validate-code-hint');
    expect(textOfId(page, 'tf-validate-code-hint')).toBe('Please enter your authentication code generated via: authenticator');
    expect(buttons(form.inner)).toEqual([{ attrs: { type: 'submit', class: 'tf-button' }, text: 'Submit Code' }]);
  });

  it("names a plugin's method by its raw value, escaped", () => {
    const page = renderPage('tfValidate', { ...model, method: HOSTILE, methodLabel: null }, sampleContext('en'));
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(`generated via: ${HOSTILE_ESCAPED}`);
  });

  it('ties a wrong code to the field, keeping the hint', () => {
    const page = renderPage('tfValidate', { ...model, errors: { code: ['INVALID_CODE'] } }, sampleContext('en'));
    expectFieldError(page, 'code', 'Invalid code');
    expect(input(page, 'code').attrs['aria-describedby']).toBe('tf-validate-code-hint tf-validate-code-errors');
    expect(alertText(page)).toBeNull();
  });

  it('puts a form-level error in an alert', () => {
    const page = renderPage('tfValidate', { ...model, errors: { '': ['TOO_MANY_ATTEMPTS'] } }, sampleContext('en'));
    expect(alertText(page)).toBe('Too many failed attempts. Please try again later.');
    expect(input(page, 'code').attrs['aria-invalid']).toBeUndefined();
  });

  it('has only the code form when changing the method (no rescue)', () => {
    const page = renderPage('tfValidate', { ...model, rescue: null }, sampleContext('en'));
    expect(forms(page).map((form) => form.attrs['name'])).toEqual(['two_factor_verify_code_form']);
  });
});

describe('tf-validate page: the rescue', () => {
  it('offers help_setup as a radio group in a fieldset, posting to the rescue action', () => {
    const page = renderPage('tfValidate', model, sampleContext('en'));
    const form = formNamed(page, 'two_factor_rescue_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/tf-rescue?next=%2Fprofile' });
    expect(form.inner).toMatch(/<fieldset[^>]*>\s*<legend>Trouble Accessing Your Account\?\/Lost Mobile Device\?<\/legend>/);
    const radios = tags(form.inner, 'input').filter((tag) => tag.attrs['type'] === 'radio');
    expect(radios.map((tag) => [tag.attrs['name'], tag.attrs['value'], labelFor(page, tag.attrs['id'] as string)])).toEqual([
      ['help_setup', 'help', 'Contact Administrator'],
      ['help_setup', 'email', 'Send code via email'],
      ['help_setup', 'recovery_code', 'Use previously downloaded recovery code'],
    ]);
    expect(buttons(form.inner).map((button) => [button.attrs['type'], button.text])).toEqual([['submit', 'Submit']]);
    expect(page).not.toContain('role="status"');
  });

  it.each([
    ['email', 'The code for authentication was sent to your email address'],
    ['help', 'An email was sent to us in order to reset your application account'],
  ] as const)('says what the %s rescue did, in a status region', (problem, sentence) => {
    const page = renderPage('tfValidate', { ...model, rescue: { ...rescue, problem } }, sampleContext('en'));
    expect(page).toContain(`<p class="tf-notice" role="status">${sentence}</p>`);
  });

  it('ties a bad rescue choice to the radios', () => {
    const page = renderPage('tfValidate', { ...model, rescue: { ...rescue, errors: { help_setup: ['NOT_A_VALID_CHOICE'] } } }, sampleContext('en'));
    expectFieldError(page, 'help_setup', 'Not a valid choice.');
    expect(input(page, 'code').attrs['aria-invalid']).toBeUndefined();
  });
});

describe('tf-validate page in French', () => {
  it('translates the prompt, the labels, the rescue and the method', () => {
    const page = renderPage('tfValidate', { ...model, rescue: { ...rescue, problem: 'email' } }, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Authentification à deux facteurs</title>');
    expect(textOfId(page, 'tf-validate-code-hint')).toBe('Veuillez saisir le code d’authentification obtenu par\u00a0: application d’authentification');
    expect(labelFor(page, 'tf-validate-code')).toBe('Code d’authentification');
    expect(labelFor(page, 'tf-rescue-choice-0')).toBe('Contacter l’administrateur');
    expect(text(page)).toContain('Le code d’authentification a été envoyé à votre adresse e-mail');
    expect(buttons(page).map((button) => button.text)).toEqual(['Valider le code', 'Valider']);
  });
});

describe('tf-validate page escaping', () => {
  it('escapes both actions, the choices and flashes', () => {
    const hostile: Model = {
      ...model,
      action: `/tf-validate?next=/a&b="c"`,
      rescue: { ...rescue, action: HOSTILE, choices: [{ value: HOSTILE, label: null }] },
    };
    const page = renderPage('tfValidate', hostile, sampleContext('en', { flashes: [{ category: 'error', text: HOSTILE }] }));
    expect(page).not.toMatch(/<script/);
    expect(page).toContain('action="/tf-validate?next=/a&amp;b=&quot;c&quot;"');
    expect(forms(page).map((form) => form.attrs['action'])).toEqual([`/tf-validate?next=/a&b="c"`, HOSTILE]);
    expect(input(page, 'help_setup').attrs['value']).toBe(HOSTILE);
    expect(labelFor(page, 'tf-rescue-choice-0')).toBe(HOSTILE);
    expect(page).toContain(`</span>${HOSTILE_ESCAPED}</li>`);
  });
});

describe('tf-validate page: send a new code', () => {
  it('offers a "Send a new code" form posting resend=1 to its action, between the code and the rescue', () => {
    const page = renderPage('tfValidate', { ...model, resend: { action: '/tf-validate?next=%2Fprofile' } }, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    const form = formNamed(page, 'two_factor_resend_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/tf-validate?next=%2Fprofile' });
    expect(input(form.inner, 'resend').attrs).toMatchObject({ type: 'hidden', value: '1' });
    expect(buttons(form.inner)).toEqual([{ attrs: { type: 'submit', class: 'tf-button tf-button-secondary' }, text: 'Send a new code' }]);
    expect(forms(page).map((each) => each.attrs['name'])).toEqual(['two_factor_verify_code_form', 'two_factor_resend_form', 'two_factor_rescue_form']);
    expect(renderPage('tfValidate', { ...model, resend: { action: '/x' } }, sampleContext('fr'))).toContain('Envoyer un nouveau code');
  });

  it('has no such form without `resend`', () => {
    expect(forms(renderPage('tfValidate', model, sampleContext('en'))).map((each) => each.attrs['name'])).not.toContain('two_factor_resend_form');
    expect(forms(renderPage('tfValidate', { ...model, resend: null }, sampleContext('en'))).map((each) => each.attrs['name'])).not.toContain('two_factor_resend_form');
  });
});
