// The /tf-devices page: each remembered browser with its times and a "Forget" form, "Forget all", an empty state.
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
  textOfId,
} from './page-kit.test-support.js';

const model = SAMPLE_MODELS.tfDevices;
const [first, second] = model.devices as [(typeof model.devices)[number], (typeof model.devices)[number]];

function revokeValues(markup: string): string[] {
  return forms(markup).map((form) => tags(form.inner, 'input').find((tag) => tag.attrs['name'] === 'revoke')?.attrs['value'] ?? '');
}

describe('tf-devices page', () => {
  it('lists each browser with its user agent, its times in UTC and the "this browser" badge', () => {
    const page = renderPage('tfDevices', model, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(page).toContain('<title>Remembered Browsers</title>');
    expect(tags(page, 'li').map((tag) => tag.attrs['class'])).toEqual(['tf-device tf-device-current', 'tf-device']);
    expect(textOfId(page, 'tf-device-0-agent')).toBe(`${first.userAgent} This browser`);
    expect(textOfId(page, 'tf-device-1-agent')).toBe(second.userAgent);
    expect(text(page)).toContain('Remembered 2025-01-15 10:20 Last used 2025-01-16 10:20 Expires 2025-02-14 10:20');
    expect(tags(page, 'time').map((tag) => tag.attrs['datetime'])).toEqual([
      '2025-01-15T10:20:00Z',
      '2025-01-16T10:20:00Z',
      '2025-02-14T10:20:00Z',
      '2025-01-01T00:00:00Z',
      '2025-01-01T00:00:00Z',
      '2025-01-31T00:00:00Z',
    ]);
    expect(text(page)).toContain('Times are in UTC.');
  });

  it('has a POST form per browser with its id as `revoke`, and one more forgetting all', () => {
    const page = renderPage('tfDevices', model, sampleContext('en'));
    expect(forms(page).map((form) => [form.attrs['name'], form.attrs['method'], form.attrs['action']])).toEqual([
      ['tf_device_form', 'post', '/tf-devices'],
      ['tf_device_form', 'post', '/tf-devices'],
      ['tf_devices_all_form', 'post', '/tf-devices'],
    ]);
    expect(revokeValues(page)).toEqual([first.id, second.id, 'all']);
    expect(buttons(formNamed(page, 'tf_devices_all_form').inner).map((button) => button.text)).toEqual(['Forget All Browsers']);
  });

  it('says which browser each "Forget" button forgets, for screen readers', () => {
    const page = renderPage('tfDevices', model, sampleContext('en'));
    const forget = buttons(page).filter((button) => button.text === 'Forget');
    expect(forget.map((button) => button.attrs['aria-describedby'])).toEqual(['tf-device-0-agent', 'tf-device-1-agent']);
    expect(forget.every((button) => button.attrs['type'] === 'submit')).toBe(true);
  });

  it('says so when no browser is remembered, with no form at all', () => {
    const page = renderPage('tfDevices', { devices: [], errors: {} }, sampleContext('en'));
    expectWellFormedPage(page, 'en');
    expect(forms(page)).toEqual([]);
    expect(text(page)).toContain('No browser is remembered for your account.');
    expect(page).not.toContain('tf-devices');
  });

  it('names a browser without a user agent "Unknown browser"', () => {
    const page = renderPage('tfDevices', { devices: [{ ...second, userAgent: '  ' }], errors: {} }, sampleContext('en'));
    expect(textOfId(page, 'tf-device-0-agent')).toBe('Unknown browser');
  });

  it('shows errors once, above the list', () => {
    const page = renderPage('tfDevices', { ...model, errors: { revoke: ['TF_DEVICE_NOT_FOUND'], csrf_token: ['CSRF_TOKEN_MISSING'] } }, sampleContext('en'));
    expect(alertText(page)).toBe('That browser is not one of your remembered browsers. The CSRF token is missing.');
    expect(page.match(/role="alert"/g)).toHaveLength(1);
  });

  it('is in French', () => {
    const page = renderPage('tfDevices', model, sampleContext('fr'));
    expectWellFormedPage(page, 'fr');
    expect(page).toContain('<title>Navigateurs mémorisés</title>');
    expect(textOfId(page, 'tf-device-0-agent')).toBe(`${first.userAgent} Ce navigateur`);
    expect(text(page)).toContain('Mémorisé le 2025-01-15 10:20 Dernière utilisation 2025-01-16 10:20 Expire le 2025-02-14 10:20');
    expect(buttons(page).map((button) => button.text)).toEqual(['Oublier', 'Oublier', 'Oublier tous les navigateurs']);
    expect(text(renderPage('tfDevices', { devices: [], errors: {} }, sampleContext('fr')))).toContain('Aucun navigateur n’est mémorisé pour votre compte.');
  });

  it('escapes the user agent and the id, in text and in the hidden field', () => {
    const page = renderPage('tfDevices', { devices: [{ ...first, id: HOSTILE, userAgent: HOSTILE }], errors: {} }, sampleContext('en'));
    expect(page).not.toMatch(/<script/);
    expect(page).toContain(`<p class="tf-device-agent" id="tf-device-0-agent">${HOSTILE_ESCAPED} <span class="tf-badge">`);
    expect(revokeValues(page)).toEqual([HOSTILE, 'all']);
  });

  it('prints a time it cannot read as its number rather than failing', () => {
    const page = renderPage('tfDevices', { devices: [{ ...second, expiresAtInSeconds: 1e20 }], errors: {} }, sampleContext('en'));
    expect(text(page)).toContain(`Expires ${String(1e20)}`);
  });
});
