// The /tf-setup page: the method choice, the QR code beside the key, and the code form that confirms it.
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
  SAMPLE_SVG,
  sampleContext,
  tags,
  text,
  textOfId,
} from './page-kit.test-support.js';
import { keyGroups, methodName } from './tf-setup.js';

type Model = PageModels['tfSetup'];
const model = SAMPLE_MODELS.tfSetup;
const withoutPending: Model = { ...model, pending: null, selected: null };

describe('tf-setup page: choosing a method', () => {
  it("shows FST's headline, the current method, and a radio group over the choices", () => {
    const page = renderPage('tfSetup', withoutPending, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Two-factor Setup</title>');
    expect(text(page)).toContain('Two-factor authentication adds an extra layer of security to your account');
    expect(text(page)).toContain('Currently setup two-factor method: email');

    const form = formNamed(page, 'two_factor_setup_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/tf-setup' });
    expect(form.inner).toMatch(/<fieldset[^>]*>\s*<legend>Available Methods<\/legend>/);
    const radios = tags(form.inner, 'input').filter((tag) => tag.attrs['type'] === 'radio');
    expect(radios.map((tag) => [tag.attrs['name'], tag.attrs['value']])).toEqual([
      ['setup', 'disable'],
      ['setup', 'authenticator'],
      ['setup', 'email'],
      ['setup', 'sms'],
    ]);
    expect(radios.map((tag) => labelFor(page, tag.attrs['id'] as string))).toEqual([
      'Disable two-factor authentication',
      'Set up using an authenticator app (e.g. google, lastpass, authy)',
      'Set up using email',
      'Set up using SMS',
    ]);
    expect(radios.filter((tag) => 'checked' in tag.attrs)).toEqual([]);
    expect(buttons(form.inner)).toEqual([{ attrs: { type: 'submit', class: 'tf-button' }, text: 'Submit' }]);
  });

  it('offers a phone field, typed tel, with its hint, when SMS is a choice', () => {
    const page = renderPage('tfSetup', withoutPending, sampleContext('en'));
    const phone = input(page, 'phone').attrs;
    expect(phone).toMatchObject({ type: 'tel', autocomplete: 'tel', value: '+442079460000', maxlength: '64' });
    expect(labelFor(page, phone['id'] as string)).toBe('Phone Number');
    expect(textOfId(page, (phone['aria-describedby'] ?? '').split(' ')[0] as string)).toBe('Only needed for SMS. Start with your country code, e.g. +44.');
    const noSms = renderPage('tfSetup', { ...withoutPending, choices: model.choices.filter((choice) => choice.value !== 'sms') }, sampleContext('en'));
    expect(tags(noSms, 'input').some((tag) => tag.attrs['name'] === 'phone')).toBe(false);
  });

  it('checks the selected choice and says "none" when nothing is set up', () => {
    const page = renderPage('tfSetup', { ...withoutPending, selected: 'sms', currentMethod: null }, sampleContext('en'));
    expect(tags(page, 'input').filter((tag) => 'checked' in tag.attrs).map((tag) => tag.attrs['value'])).toEqual(['sms']);
    expect(text(page)).toContain('Currently setup two-factor method: none');
  });

  it("shows a plugin's choice and method by their raw values, escaped", () => {
    const page = renderPage('tfSetup', { ...withoutPending, choices: [{ value: HOSTILE, label: null }], currentMethod: HOSTILE }, sampleContext('en'));
    expect(page).not.toMatch(/<script/);
    expect(labelFor(page, input(page, 'setup').attrs['id'] as string)).toBe(HOSTILE);
    expect(input(page, 'setup').attrs['value']).toBe(HOSTILE);
    expect(page).toContain(`Currently setup two-factor method: ${HOSTILE_ESCAPED}`);
  });

  it('ties setup and phone errors to their fields, the rest in an alert', () => {
    const errors: Model['errors'] = { setup: ['TWO_FACTOR_METHOD_NOT_AVAILABLE'], phone: ['PHONE_INVALID'], '': ['API_ERROR'] };
    const page = renderPage('tfSetup', { ...withoutPending, errors }, sampleContext('en'));
    expectFieldError(page, 'setup', 'Marked method is not valid');
    for (const radio of tags(page, 'input').filter((tag) => tag.attrs['name'] === 'setup')) expect(radio.attrs['aria-invalid']).toBe('true');
    expectFieldError(page, 'phone', 'Phone number not valid e.g. missing country code');
    expect(input(page, 'phone').attrs['aria-describedby']).toBe('tf-setup-phone-hint tf-setup-phone-errors');
    expect(alertText(page)).toBe('Input not appropriate for requested API');
  });

  it('links to the recovery codes and the remembered browsers only when given their URLs', () => {
    const page = renderPage('tfSetup', withoutPending, sampleContext('en'));
    expect(tags(page, 'a').map((tag) => tag.attrs['href'])).toEqual(['/mf-recovery-codes', '/tf-devices']);
    expect(text(page)).toContain('This application supports setting up recovery codes. You can set them up here.');
    expect(text(page)).toContain('Remembered Browsers Browsers you chose to remember are not asked for a code. Review them here.');
    expect(tags(renderPage('tfSetup', { ...withoutPending, devicesUrl: null }, sampleContext('en')), 'a').map((tag) => tag.attrs['href'])).toEqual(['/mf-recovery-codes']);
    expect(tags(renderPage('tfSetup', { ...withoutPending, recoveryCodesUrl: null, devicesUrl: null }, sampleContext('en')), 'a')).toEqual([]);
  });

  it('has one form while nothing is pending', () => {
    expect(forms(renderPage('tfSetup', withoutPending, sampleContext('en')))).toHaveLength(1);
  });
});

describe('tf-setup page: confirming an authenticator', () => {
  it('shows the QR code as inline SVG in a labelled image container, beside the key, issuer and account', () => {
    const page = renderPage('tfSetup', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain(`<div class="tf-qr" role="img" aria-label="QR code to scan with your authenticator app">${SAMPLE_SVG}</div>`);
    expect(page).not.toContain('<img');
    expect(text(page)).toContain('Open an authenticator app on your device and scan the following QR code (or enter the key below manually)');
    expect(page).toContain('<code class="tf-key">SW3H Y2JF KQ7P MN4X ABCD EFGH IJKL MNOP</code>');
    expect(page).toMatch(/<dt>Issuer<\/dt><dd>Example App<\/dd>/);
    expect(page).toMatch(/<dt>Account<\/dt><dd>ada@example.com<\/dd>/);
  });

  it('follows with the code form: "Enter code to complete setup", posting to the pending action', () => {
    const page = renderPage('tfSetup', model, sampleContext('en'));
    expect(forms(page)).toHaveLength(2);
    expect(textOfId(page, 'tf-setup-pending-title')).toBe('Enter code to complete setup');
    const form = formNamed(page, 'two_factor_verify_code_form');
    expect(form.attrs).toMatchObject({ method: 'post', action: '/tf-setup/token-abc' });
    expect(input(form.inner, 'code').attrs).toMatchObject({
      type: 'text',
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      pattern: '[0-9 ]*',
      required: '',
      autofocus: '',
    });
    expect(labelFor(page, 'tf-setup-code')).toBe('Authentication Code');
    expect(buttons(form.inner).map((button) => button.text)).toEqual(['Submit Code']);
    expect(page.indexOf('name="two_factor_setup_form"')).toBeLessThan(page.indexOf('name="two_factor_verify_code_form"'));
    // The choice button steps back so the code button is the one to press.
    expect(buttons(formNamed(page, 'two_factor_setup_form').inner)[0]?.attrs['class']).toBe('tf-button tf-button-secondary');
  });

  it('ties a wrong code to the code field', () => {
    const page = renderPage('tfSetup', { ...model, pending: { ...model.pending!, codeErrors: { code: ['INVALID_CODE'], '': ['TOO_MANY_ATTEMPTS'] } } }, sampleContext('en'));
    expectFieldError(page, 'code', 'Invalid code');
    expect(alertText(page)).toBe('Too many failed attempts. Please try again later.');
    expect(input(page, 'setup').attrs['aria-invalid']).toBeUndefined();
  });

  it('says where the code went for e-mail and SMS, without a QR code', () => {
    for (const [method, sentence] of [
      ['email', 'A code was sent to your email address.'],
      ['sms', 'A code was sent to your phone.'],
    ] as const) {
      const page = renderPage('tfSetup', { ...model, pending: { ...model.pending!, method, authenticator: null } }, sampleContext('en'));
      expect(page).not.toContain('tf-qr');
      expect(text(page)).toContain(sentence);
      expect(input(page, 'code').attrs['name']).toBe('code');
    }
  });

  it('is in French', () => {
    const page = renderPage('tfSetup', model, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Configuration à deux facteurs</title>');
    expect(text(page)).toContain('Méthode à deux facteurs actuellement configurée\u00a0: e-mail');
    expect(textOfId(page, 'tf-setup-pending-title')).toBe('Saisissez le code pour terminer la configuration');
    expect(page).toContain('aria-label="Code QR à scanner avec votre application d’authentification"');
    expect(page).toMatch(/<dt>Clé<\/dt>/);
    expect(labelFor(page, 'tf-setup-method-1')).toBe('Configurer avec une application d’authentification (par ex. Google, LastPass, Authy)');
    expect(buttons(page).map((button) => button.text)).toEqual(['Valider', 'Valider le code']);
  });

  it('escapes the issuer, account, key, phone and actions, and inserts only the SVG as markup', () => {
    const hostile: Model = {
      ...model,
      action: HOSTILE,
      phone: HOSTILE,
      pending: { ...model.pending!, codeAction: HOSTILE, authenticator: { qrSvg: SAMPLE_SVG, key: HOSTILE, issuer: HOSTILE, username: HOSTILE } },
      recoveryCodesUrl: HOSTILE,
      devicesUrl: HOSTILE,
      backupMissing: true,
    };
    const page = renderPage('tfSetup', hostile, sampleContext('en', { urls: { ...sampleContext().urls, tfSetup: HOSTILE } }));
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(`<dt>Issuer</dt><dd>${HOSTILE_ESCAPED}</dd>`);
    expect(page).toContain(`<dt>Account</dt><dd>${HOSTILE_ESCAPED}</dd>`);
    expect(forms(page).map((form) => form.attrs['action'])).toEqual([HOSTILE, HOSTILE]);
    expect(input(page, 'phone').attrs['value']).toBe(HOSTILE);
    expect(tags(page, 'a').map((tag) => tag.attrs['href'])).toEqual([HOSTILE, HOSTILE]);
  });
});

describe('tf-setup helpers', () => {
  it('groups the key by four for typing by hand, whatever its separators', () => {
    expect(keyGroups('SW3H-Y2JF-KQ7P')).toBe('SW3H Y2JF KQ7P');
    expect(keyGroups('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(keyGroups('ABCDE')).toBe('ABCD E');
    expect(keyGroups('')).toBe('');
  });

  it('names methods in a sentence', () => {
    const context = sampleContext('en');
    expect(methodName(context, 'authenticator')).toBe('authenticator');
    expect(methodName(context, 'mail')).toBe('email');
    expect(methodName(context, 'sms')).toBe('SMS');
    expect(methodName(context, null)).toBe('none');
    expect(methodName(context, 'webauthn')).toBe('webauthn');
    expect(methodName(context, 'constructor')).toBe('constructor');
    expect(methodName(sampleContext('fr'), 'authenticator')).toBe('application d’authentification');
  });
});
