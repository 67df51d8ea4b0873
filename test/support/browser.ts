/**
 * Chromium for the browser tests: launch it (or skip without it), serve an Express app on an ephemeral port,
 * watch each page for console errors and CSP violations, save screenshots, and read a QR code off the screen.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import express from 'express';
import jsQRModule from 'jsqr';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll } from 'vitest';
import { messageText, type MessageKey } from '../../src/messages.js';
import type { Security } from '../../src/security.js';
import { skipUnlessAvailable } from './external.js';
import { twofoldExpress } from '../../src/express.js';

// jsqr is CommonJS typed as an ES module: under NodeNext its function is the `default` property (set at runtime too).
const jsQR = jsQRModule.default;

/** Debian's Chromium (`apt-get install chromium`); Playwright's own download is never used. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless, no sandbox (CI runs as root in a container), and no traffic of Chromium's own during a test.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go, for people to look at (git-ignored). */
export const SCREENSHOT_DIR = new URL('../../test-results/screenshots/', import.meta.url);

/** True (after printing why) when Chromium is missing and not required; throws when it is required. */
export function skipWithoutChromium(): boolean {
  return skipUnlessAvailable('CHROMIUM', existsSync(CHROMIUM_PATH), 'Chromium is not installed (apt-get install chromium)');
}

/** One Chromium per test file: launched before its tests, closed after them. Fresh profile each launch. */
export function useChromium(): { readonly browser: Browser } {
  const holder = {} as { browser: Browser };
  beforeAll(async () => {
    holder.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
  });
  afterAll(() => holder.browser?.close());
  return holder;
}

/** An application serving HTTP on 127.0.0.1. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function appPage(security: Security, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${security.urlFor('stylesheet')}"></head>
<body><main class="tf-card"><h1 class="tf-title">${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/**
 * Starts an Express 5 application on an ephemeral port of 127.0.0.1: twofold's pages through
 * `twofoldExpress(security).middleware()`, a home page, and `/profile` behind `loginRequired()` showing the user's e-mail.
 */
export async function startApp(security: Security): Promise<TestServer> {
  const app = express();
  const tf = twofoldExpress(security);
  app.use(tf.middleware());
  // The application's own pages get the same strict policy as twofold's, so a violation anywhere is seen.
  app.use((_req, res, next) => {
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'");
    next();
  });
  // Chromium asks every site for one; without it each first page load logs a 404 as a console error.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/', (req, res) => {
    const who = req.twofold ? `<p>Logged in as ${escapeHtml(req.twofold.user.email)}.</p>` : '<p>Not logged in.</p>';
    res.send(appPage(security, 'Home', `${who}<p><a href="/profile">Profile</a> · <a href="${security.urlFor('logout')}">Log out</a></p>`));
  });
  app.get('/profile', tf.loginRequired(), (req, res) => {
    const email = req.twofold?.user.email ?? '';
    res.send(appPage(security, 'Profile', `<p class="tf-lead">Logged in as <strong id="profile-email">${escapeHtml(email)}</strong>.</p><p><a href="${security.urlFor('logout')}">Log out</a></p>`));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Chromium keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

// Runs in every page before its own content; CDP's init scripts are not subject to the page's CSP.
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.documentURI);
});`;

/**
 * A browser context that records what should never happen on a page: console errors (Chromium logs CSP
 * violations there too), uncaught exceptions, and `securitypolicyviolation` events.
 */
export async function watchedContext(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 900, height: 900 } });
  await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  // The console's "Failed to load resource" does not say which; this does.
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  return { context, page, problems };
}

/** Saves a full-page screenshot as `test-results/screenshots/<name>.png`; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = new URL(`${name}.png`, SCREENSHOT_DIR);
  await writeFile(file, await page.screenshot({ fullPage: true, animations: 'disabled' }));
  return file.pathname;
}

/**
 * Reads the QR code shown by `element` the way a phone would: from pixels. The element is screenshot as a PNG,
 * decoded with pngjs, framed in white (a quiet zone, should the page have cropped it) and handed to jsQR.
 * @throws Error when no QR code can be read.
 */
export async function readQrCode(element: Locator): Promise<{ text: string; png: Buffer }> {
  const png = await element.screenshot({ animations: 'disabled' });
  const image = PNG.sync.read(png);
  const border = 16;
  const width = image.width + 2 * border;
  const height = image.height + 2 * border;
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < image.height; y++) {
    const row = image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4);
    pixels.set(row, ((y + border) * width + border) * 4);
  }
  const code = jsQR(pixels, width, height, { inversionAttempts: 'attemptBoth' });
  if (code === null) throw new Error(`no QR code could be read from the ${image.width}×${image.height} screenshot`);
  return { text: code.data, png };
}

/** A control's text as the English pages show it, from the one message table (so a wording change needs no test change). */
export function label(key: MessageKey): string {
  return messageText(key);
}

/** Clicks a submit button and waits for the page it leads to (by path); returns the new URL. */
export async function submitTo(page: Page, button: Locator, pathname: string): Promise<URL> {
  await button.click();
  await page.waitForURL((url) => url.pathname === pathname, { waitUntil: 'load' });
  return new URL(page.url());
}

/**
 * Logs in through the pages: opens `/profile`, is sent to the login page (screenshot `screenshot` when given),
 * types the e-mail and password, and submits. Returns where twofold sent the browser next.
 */
export async function logInWithPassword(page: Page, baseUrl: string, credentials: { email: string; password: string; screenshot?: string }): Promise<URL> {
  await page.goto(`${baseUrl}/profile`);
  const login = new URL(page.url());
  if (login.pathname !== '/login' || login.searchParams.get('next') !== '/profile') throw new Error(`/profile should send an anonymous browser to the login page, not ${page.url()}`);
  if (credentials.screenshot !== undefined) await saveScreenshot(page, credentials.screenshot);
  await page.getByLabel(label('LABEL_EMAIL'), { exact: true }).fill(credentials.email);
  await page.getByLabel(label('LABEL_PASSWORD'), { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: label('LABEL_LOGIN'), exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { waitUntil: 'load' });
  return new URL(page.url());
}

/** Logs out with the button of the `/logout` page (screenshot `screenshot` when given); lands on the home page. */
export async function logOut(page: Page, baseUrl: string, screenshot?: string): Promise<void> {
  await page.goto(`${baseUrl}/logout`);
  if (screenshot !== undefined) await saveScreenshot(page, screenshot);
  await submitTo(page, page.getByRole('button', { name: label('LABEL_LOGOUT'), exact: true }), '/');
}

/** The e-mail address `/profile` shows, or throws when the browser is not on `/profile`. */
export async function profileEmail(page: Page): Promise<string> {
  if (new URL(page.url()).pathname !== '/profile') throw new Error(`expected /profile, the browser is on ${page.url()}`);
  return (await page.locator('#profile-email').textContent()) ?? '';
}
