// The /logout page for a GET: a button that POSTs, so a link or an image cannot log anyone out.
import { describe, expect, it } from 'vitest';
import { buttons, expectWellFormedPage, formNamed, HOSTILE, HOSTILE_ESCAPED, renderPage, sampleContext, tags, text } from './page-kit.test-support.js';

describe('logout page', () => {
  it('is a POST form to /logout with a "Log out" button', () => {
    const page = renderPage('logout', {}, sampleContext('en', { user: { email: 'ada@example.com' } }));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Log out</title>');
    const form = formNamed(page, 'logout_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/logout' });
    expect(tags(form.inner, 'input').map((tag) => tag.attrs['name'])).toEqual(['csrf_token']);
    expect(buttons(form.inner)).toEqual([{ attrs: { type: 'submit', class: 'tf-button' }, text: 'Log out' }]);
    expect(text(page)).toContain('You are logged in as ada@example.com.');
  });

  it('says nothing about the user when there is none, and speaks French', () => {
    const page = renderPage('logout', {}, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Déconnexion</title>');
    expect(buttons(page).map((button) => button.text)).toEqual(['Se déconnecter']);
    expect(page).not.toContain('connecté en tant que');
  });

  it('escapes the e-mail and the action', () => {
    const context = sampleContext('en', { user: { email: HOSTILE }, urls: { ...sampleContext().urls, logout: HOSTILE } });
    const page = renderPage('logout', {}, context);
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(HOSTILE_ESCAPED);
    expect(formNamed(page, 'logout_form').attrs['action']).toBe(HOSTILE);
  });
});
