/**
 * In Chromium, through the real pages: a user logs in, sets up an authenticator by reading the QR code off the
 * screen (pixels, not the DOM), reaches /profile, logs out, and logs in again with a later code after the
 * replayed one is refused.
 *
 * The server, the browser and the stand-in phone all use the real clock. A fixed clock would let the test jump
 * a step, but then the "later code" would only be later because the test said so; here it is later because
 * 30 seconds really passed, which is what replay protection is about. The wait is until the next step
 * boundary (15 s on average).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Totp } from '../../src/otp/totp-class.js';
import { Security } from '../../src/security.js';
import { PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import {
  label,
  logInWithPassword,
  logOut,
  profileEmail,
  readQrCode,
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
const ISSUER = 'twofold browser tests';
const EMAIL = 'ada@example.test';
const PERIOD_IN_SECONDS = 30;

function stepAt(nowInSeconds: number): number {
  return Math.floor(nowInSeconds / PERIOD_IN_SECONDS);
}

/** Resolves once the real clock is in a step after `step` (plus a margin, so the server agrees). */
async function waitForStepAfter(step: number): Promise<void> {
  const waitInMilliseconds = (step + 1) * PERIOD_IN_SECONDS * 1000 - Date.now() + 100;
  if (waitInMilliseconds > 0) await new Promise((resolve) => setTimeout(resolve, waitInMilliseconds));
}

describe.skipIf(skip)('an authenticator set up from the QR code on the page', () => {
  const db = useDatastore();
  const chromium = useChromium();
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  // What the set-up test leaves for the next one: the "phone" and the step of the code that confirmed it.
  let enrolled: { phone: Totp; setupStep: number } | undefined;

  beforeAll(async () => {
    // The system clock (no deps.clock), so the server's time steps are the browser's and the phone's.
    const security = new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: ISSUER, twoFactorRequired: true }, db.datastore);
    await userWithPassword(security, EMAIL);
    server = await startApp(security);
    ({ context, page, problems } = await watchedContext(chromium.browser));
    context.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('logs in, reads the QR code from the screen, confirms the set-up with its code and reaches /profile', async () => {
    // No violation below means something only because twofold's pages are served under a strict policy.
    const loginPage = await page.goto(`${server.baseUrl}/login`);
    expect(loginPage?.headers()['content-security-policy']).toContain("default-src 'none'");
    const afterPassword = await logInWithPassword(page, server.baseUrl, { email: EMAIL, password: PASSWORD, screenshot: 'authenticator-01-login' });
    expect(afterPassword.pathname).toBe('/tf-setup');
    await saveScreenshot(page, 'authenticator-02-setup');

    await page.getByLabel(label('LABEL_SETUP_AUTHENTICATOR'), { exact: true }).check();
    await page.getByRole('button', { name: label('LABEL_SUBMIT'), exact: true }).click();
    const qr = page.getByRole('img', { name: label('TF_SETUP_QR_LABEL'), exact: true });
    await qr.waitFor();
    await saveScreenshot(page, 'authenticator-03-setup-qr');

    const { text: uri } = await readQrCode(qr);
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.host).toBe('totp');
    expect(decodeURIComponent(parsed.pathname)).toBe(`/${ISSUER}:${EMAIL}`);
    expect(parsed.searchParams.get('issuer')).toBe(ISSUER);
    const secret = parsed.searchParams.get('secret') ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    // The key printed for typing by hand is the same secret.
    const shownKey = (await page.locator('code.tf-key').textContent()) ?? '';
    expect(shownKey.replace(/\s+/g, '')).toBe(secret);

    const phone = new Totp(secret);
    const nowInSeconds = Date.now() / 1000;
    await page.getByLabel(label('LABEL_CODE'), { exact: true }).fill(phone.generatePassword(nowInSeconds));
    await submitTo(page, page.getByRole('button', { name: label('LABEL_SUBMIT_CODE'), exact: true }), '/profile');
    expect(await profileEmail(page)).toBe(EMAIL);
    await saveScreenshot(page, 'authenticator-04-profile');
    enrolled = { phone, setupStep: stepAt(nowInSeconds) };
    expect(problems).toEqual([]);
  });

  it('logs out, refuses the code of the set-up step again, and logs in with a later code', async () => {
    if (enrolled === undefined) throw new Error('needs the set-up of the previous test');
    const { phone, setupStep } = enrolled;
    problems.length = 0; // the previous test reported its own
    await logOut(page, server.baseUrl, 'authenticator-05-logout');
    const afterPassword = await logInWithPassword(page, server.baseUrl, { email: EMAIL, password: PASSWORD });
    expect(afterPassword.pathname).toBe('/tf-validate');
    expect(afterPassword.searchParams.get('next')).toBe('/profile');
    await saveScreenshot(page, 'authenticator-06-validate');

    // Replay: the code that confirmed the set-up is refused. The clock is still within one step of it, so the
    // ±1 window alone would accept it; only the stored last step refuses it.
    expect(stepAt(Date.now() / 1000)).toBeLessThanOrEqual(setupStep + 1);
    const codeField = page.getByLabel(label('LABEL_CODE'), { exact: true });
    const submitCode = page.getByRole('button', { name: label('LABEL_SUBMIT_CODE'), exact: true });
    await codeField.fill(phone.generatePassword(setupStep * PERIOD_IN_SECONDS));
    await submitCode.click();
    const errors = page.locator('#tf-validate-code-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toBe(label('TWO_FACTOR_INVALID_TOKEN'));
    expect(new URL(page.url()).pathname).toBe('/tf-validate');
    await saveScreenshot(page, 'authenticator-07-validate-replay-refused');

    await waitForStepAfter(setupStep);
    await codeField.fill(phone.generatePassword());
    await submitTo(page, submitCode, '/profile');
    expect(await profileEmail(page)).toBe(EMAIL);
    await saveScreenshot(page, 'authenticator-08-profile-later-code');
    expect(problems).toEqual([]);
  }, 60_000);
});
