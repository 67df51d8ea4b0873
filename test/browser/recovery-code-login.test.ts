/**
 * In Chromium, through the real pages: a logged-in user makes recovery codes, reads one off the page, logs out,
 * and gets back in with it through the rescue choice on the code page; the same code a second time is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Security } from '../../src/security.js';
import { PASSWORD, useDatastore, userWithAuthenticator } from '../support/app.js';
import {
  label,
  logInWithPassword,
  logOut,
  profileEmail,
  saveScreenshot,
  skipWithoutChromium,
  startApp,
  submitTo,
  useChromium,
  watchedContext,
  type TestServer,
} from '../support/browser.js';
import { TEST_TOTP_SECRETS } from '../support/security.js';

const skip = skipWithoutChromium();
const EMAIL = 'grace@example.test';

describe.skipIf(skip)('logging in with a recovery code', () => {
  const db = useDatastore();
  const chromium = useChromium();
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // The real clock: the authenticator code typed below is the one a phone would show now.
    const security = new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'twofold browser tests', twoFactorRequired: true }, db.datastore);
    // The set-up through the pages is the other file's subject; here the authenticator is stored directly.
    const { phone } = await userWithAuthenticator(security, EMAIL);
    server = await startApp(security);
    ({ context, page, problems } = await watchedContext(chromium.browser));
    context.setDefaultTimeout(10_000);
    const afterPassword = await logInWithPassword(page, server.baseUrl, { email: EMAIL, password: PASSWORD });
    if (afterPassword.pathname !== '/tf-validate') throw new Error(`expected the code page after the password, got ${afterPassword.href}`);
    await page.getByLabel(label('LABEL_CODE'), { exact: true }).fill(phone.generatePassword());
    await submitTo(page, page.getByRole('button', { name: label('LABEL_SUBMIT_CODE'), exact: true }), '/profile');
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  /** From the code page after the password, the rescue choice "recovery code" leads to `/mf-recovery`. */
  async function chooseRecoveryCode(screenshot?: string): Promise<void> {
    const afterPassword = await logInWithPassword(page, server.baseUrl, { email: EMAIL, password: PASSWORD });
    expect(afterPassword.pathname).toBe('/tf-validate');
    await page.getByLabel(label('LABEL_RESCUE_RECOVERY_CODE'), { exact: true }).check();
    if (screenshot !== undefined) await saveScreenshot(page, screenshot);
    await submitTo(page, page.getByRole('button', { name: label('LABEL_SUBMIT'), exact: true }), '/mf-recovery');
  }

  async function submitRecoveryCode(code: string): Promise<void> {
    await page.getByLabel(label('LABEL_RECOVERY_CODE'), { exact: true }).fill(code);
    await page.getByRole('button', { name: label('LABEL_SUBMIT_CODE'), exact: true }).click();
  }

  it('makes codes right after login, logs out, and logs in with one of them; the same code twice is refused', async () => {
    expect(await profileEmail(page)).toBe(EMAIL);

    // Freshness holds right after a login, so the page opens without asking for the password again.
    await page.goto(`${server.baseUrl}/mf-recovery-codes`);
    expect(new URL(page.url()).pathname).toBe('/mf-recovery-codes');
    await saveScreenshot(page, 'recovery-01-codes-none-yet');
    await page.getByRole('button', { name: label('LABEL_GENERATE_RECOVERY_CODES'), exact: true }).click();
    const codeItems = page.locator('ol.tf-codes li code');
    await codeItems.first().waitFor();
    const codes = (await codeItems.allTextContents()).map((code) => code.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    await saveScreenshot(page, 'recovery-02-codes');
    const [first, second] = codes as [string, string];

    await logOut(page, server.baseUrl);
    await chooseRecoveryCode('recovery-03-validate-rescue');
    await saveScreenshot(page, 'recovery-04-recovery');
    await submitRecoveryCode(first);
    await page.waitForURL((url) => url.pathname === '/profile', { waitUntil: 'load' });
    expect(await profileEmail(page)).toBe(EMAIL);
    await saveScreenshot(page, 'recovery-05-profile');

    // Each code works once: the same one again is refused, and the browser stays on the recovery page.
    await logOut(page, server.baseUrl);
    await chooseRecoveryCode();
    await submitRecoveryCode(first);
    const errors = page.locator('#mf-recovery-code-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toBe(label('INVALID_RECOVERY_CODE'));
    expect(new URL(page.url()).pathname).toBe('/mf-recovery');
    await saveScreenshot(page, 'recovery-06-recovery-code-used');

    // Another code of the set still works.
    await submitRecoveryCode(second);
    await page.waitForURL((url) => url.pathname === '/profile', { waitUntil: 'load' });
    expect(await profileEmail(page)).toBe(EMAIL);
    expect(problems).toEqual([]);
  });
});
