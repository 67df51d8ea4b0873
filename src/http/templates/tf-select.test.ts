// The /tf-select page: pick one of the user's second factors.
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
  tags,
} from './page-kit.test-support.js';

const model = SAMPLE_MODELS.tfSelect;

describe('tf-select page', () => {
  it('is a radio group `which` over the methods, the first checked, posting to the action', () => {
    const page = renderPage('tfSelect', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Select Two Factor Method</title>');
    const form = formNamed(page, 'tf_select');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/tf-select?next=%2Fprofile' });
    expect(form.inner).toMatch(/<fieldset[^>]*>\s*<legend>Available Second Factor Methods:<\/legend>/);
    const radios = tags(form.inner, 'input').filter((tag) => tag.attrs['type'] === 'radio');
    expect(radios.map((tag) => [tag.attrs['name'], tag.attrs['value'], labelFor(page, tag.attrs['id'] as string), 'checked' in tag.attrs])).toEqual([
      ['which', 'authenticator', 'authenticator', true],
      ['which', 'sms', 'SMS', false],
    ]);
    expect(buttons(form.inner).map((button) => [button.attrs['type'], button.text])).toEqual([['submit', 'Select']]);
  });

  it('is in French', () => {
    const page = renderPage('tfSelect', model, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Choisir la méthode à deux facteurs</title>');
    expect(page).toContain('<legend>Méthodes de second facteur disponibles\u00a0:</legend>');
    expect(labelFor(page, 'tf-select-which-0')).toBe('application d’authentification');
    expect(buttons(page).map((button) => button.text)).toEqual(['Choisir']);
  });

  it('ties a bad choice to the radios and shows other errors in an alert', () => {
    const page = renderPage('tfSelect', { ...model, errors: { which: ['NOT_A_VALID_CHOICE'], csrf_token: ['CSRF_TOKEN_INVALID'] } }, sampleContext('en'));
    expectFieldError(page, 'which', 'Not a valid choice.');
    expect(alertText(page)).toBe('The CSRF token is invalid.');
  });

  it("shows a plugin's method by its value, escaped, and escapes the action", () => {
    const page = renderPage('tfSelect', { ...model, action: HOSTILE, choices: [{ value: HOSTILE, label: null }] }, sampleContext('en'));
    expect(page).not.toMatch(/<script/);
    expect(formNamed(page, 'tf_select').attrs['action']).toBe(HOSTILE);
    expect(input(page, 'which').attrs['value']).toBe(HOSTILE);
    expect(labelFor(page, 'tf-select-which-0')).toBe(HOSTILE);
  });

  it('checks nothing when there are no choices, and still renders', () => {
    const page = renderPage('tfSelect', { ...model, choices: [] }, sampleContext('en'));
    expect(tags(page, 'input').filter((tag) => tag.attrs['type'] === 'radio')).toEqual([]);
  });
});
