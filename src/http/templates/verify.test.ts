// The /verify page: the password again, for freshness, with next kept.
import { describe, expect, it } from 'vitest';
import {
  alertText,
  buttons,
  expectFieldError,
  expectWellFormedPage,
  formNamed,
  HOSTILE,
  HOSTILE_ESCAPED,
  input,
  labelFor,
  renderPage,
  SAMPLE_MODELS,
  sampleContext,
  tags,
  text,
} from './page-kit.test-support.js';

const model = SAMPLE_MODELS.verify;

describe('verify page', () => {
  it('is a POST form to /verify with a password field and next', () => {
    const page = renderPage('verify', model, sampleContext('en', { user: { email: 'ada@example.com' } }));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Reauthenticate</title>');
    const form = formNamed(page, 'verify_form');
    expect(form.attrs['action']).toBe('/verify');
    expect(input(form.inner, 'password').attrs).toMatchObject({ type: 'password', autocomplete: 'current-password', required: '', autofocus: '' });
    expect(labelFor(page, 'verify-password')).toBe('Password');
    expect(input(form.inner, 'next').attrs['value']).toBe('/tf-setup');
    expect(buttons(form.inner).map((button) => [button.attrs['type'], button.text])).toEqual([['submit', 'Verify Password']]);
    expect(text(page)).toContain('You are logged in as ada@example.com.');
    // For password managers: unnamed, so never posted.
    const username = tags(form.inner, 'input').find((tag) => tag.attrs['autocomplete'] === 'username');
    expect(username?.attrs).toEqual({ type: 'email', autocomplete: 'username', value: 'ada@example.com', hidden: '', readonly: '' });
  });

  it('is in French', () => {
    const page = renderPage('verify', { ...model, next: null }, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Nouvelle authentification</title>');
    expect(text(page)).toContain('Vérifier le mot de passe');
    expect(tags(page, 'input').map((tag) => tag.attrs['name'])).toEqual(['csrf_token', 'password']);
  });

  it('ties the password error to the field and shows CSRF errors on top', () => {
    const page = renderPage('verify', { ...model, errors: { password: ['INVALID_PASSWORD'], csrf_token: ['CSRF_TOKEN_MISSING'] } }, sampleContext('en'));
    expectFieldError(page, 'password', 'Invalid password');
    expect(alertText(page)).toBe('The CSRF token is missing.');
  });

  it('escapes next and the user e-mail', () => {
    const page = renderPage('verify', { ...model, next: HOSTILE }, sampleContext('en', { user: { email: HOSTILE } }));
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(`You are logged in as ${HOSTILE_ESCAPED}.`);
    expect(input(page, 'next').attrs['value']).toBe(HOSTILE);
  });
});
