// The /login page: labelled e-mail and password fields for password managers, remember me, next, errors in place.
import { describe, expect, it } from 'vitest';
import type { PageModels } from '../pages.js';
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

const model = SAMPLE_MODELS.login;

describe('login page', () => {
  it('is a POST form to /login with the wire field names and their attributes', () => {
    const page = renderPage('login', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Login</title>');
    const form = formNamed(page, 'login_user_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/login' });

    expect(input(form.inner, 'email').attrs).toMatchObject({ type: 'email', autocomplete: 'username', value: 'ada@example.com', required: '', maxlength: '254' });
    expect(labelFor(page, input(form.inner, 'email').attrs['id'] as string)).toBe('Email Address');

    const password = input(form.inner, 'password').attrs;
    expect(password).toMatchObject({ type: 'password', autocomplete: 'current-password', required: '' });
    expect(password['value']).toBeUndefined();
    expect(labelFor(page, password['id'] as string)).toBe('Password');

    expect(input(form.inner, 'remember').attrs).toMatchObject({ type: 'checkbox', value: 'y', checked: '' });
    expect(labelFor(page, input(form.inner, 'remember').attrs['id'] as string)).toBe('Remember Me');
    expect(input(form.inner, 'next').attrs).toEqual({ type: 'hidden', name: 'next', value: '/profile' });

    expect(buttons(form.inner)).toEqual([{ attrs: { type: 'submit', class: 'tf-button' }, text: 'Login' }]);
  });

  it('leaves out next when there is none and remember when unticked', () => {
    const page = renderPage('login', { ...model, next: null, remember: false, email: '' }, sampleContext('en'));
    expect(tags(page, 'input').map((tag) => tag.attrs['name'])).toEqual(['csrf_token', 'email', 'password', 'remember']);
    expect(input(page, 'remember').attrs['checked']).toBeUndefined();
    expect(input(page, 'email').attrs['autofocus']).toBe('');
  });

  it('is in French with lang="fr"', () => {
    const page = renderPage('login', model, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Connexion</title>');
    expect(labelFor(page, 'login-email')).toBe('Adresse e-mail');
    expect(labelFor(page, 'login-password')).toBe('Mot de passe');
    expect(labelFor(page, 'login-remember')).toBe('Se souvenir de moi');
    expect(text(page)).toContain('Se connecter');
    expect(text(page)).not.toContain('Password');
  });

  it('ties field errors to their fields and puts form-level ones in an alert', () => {
    const errors: PageModels['login']['errors'] = { email: ['INVALID_EMAIL_ADDRESS'], '': ['GENERIC_AUTHN_FAILED'], next: ['INVALID_REDIRECT'] };
    const page = renderPage('login', { ...model, errors }, sampleContext('en'));
    expectFieldError(page, 'email', 'Invalid email address');
    expect(input(page, 'password').attrs['aria-invalid']).toBeUndefined();
    expect(alertText(page)).toBe('Authentication failed - identity or password/passcode invalid Redirections outside the domain are forbidden');
  });

  it('shows errors in French too', () => {
    const page = renderPage('login', { ...model, errors: { password: ['PASSWORD_NOT_PROVIDED'] } }, sampleContext('fr'));
    expectFieldError(page, 'password', 'Mot de passe non renseigné');
    expect(alertText(page)).toBeNull();
  });

  it('escapes the e-mail, next, the CSRF token and the action', () => {
    const context = sampleContext('en', { csrfToken: HOSTILE, urls: { ...sampleContext().urls, login: `/login?a=1&b="2"` } });
    const page = renderPage('login', { ...model, email: HOSTILE, next: HOSTILE }, context);
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(`value="${HOSTILE_ESCAPED}"`);
    expect(page).toContain('action="/login?a=1&amp;b=&quot;2&quot;"');
    expect(input(page, 'email').attrs['value']).toBe(HOSTILE);
    expect(input(page, 'next').attrs['value']).toBe(HOSTILE);
    expect(input(page, 'csrf_token').attrs['value']).toBe(HOSTILE);
  });
});
