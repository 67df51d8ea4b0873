/**
 * The README's "Try the demo" walkthrough, in HTML forms over real HTTP as a browser without JavaScript sends
 * them: log in, set up the authenticator with the key shown beside the QR code, make recovery codes, log out,
 * and log in again with a recovery code instead of the phone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from '../../examples/demo/app.js';
import { createUserWithPassword, summarizeUser } from '../../src/cli/users.js';
import { systemClock } from '../../src/clock.js';
import { cryptoRandom } from '../../src/crypto/random.js';
import { Totp } from '../../src/otp/totp-class.js';

const PASSWORD = 'correct horse battery staple';

/** A browser without JavaScript: cookies, pages, forms with the hidden `csrf_token`, redirects by hand. */
class Browser {
  readonly cookies = new Map<string, string>();
  page = '';

  constructor(readonly base: string) {}

  async open(path: string, form?: Record<string, string>): Promise<{ status: number; location: string | null; page: string }> {
    const headers = new Headers({ accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    let body: string | undefined;
    if (form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams({ csrf_token: this.csrfToken(), ...form }).toString();
    }
    const response = await fetch(this.base + path, { method: form === undefined ? 'GET' : 'POST', headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    if (response.status !== 302) this.page = text;
    return { status: response.status, location: response.headers.get('location'), page: text };
  }

  /** Submits a form and follows the redirect, as a browser does. */
  async submit(path: string, form: Record<string, string>): Promise<{ status: number; path: string; page: string }> {
    const posted = await this.open(path, form);
    if (posted.status !== 302) return { status: posted.status, path, page: posted.page };
    const next = new URL(posted.location ?? '/', this.base).pathname;
    const followed = await this.open(next);
    return { status: followed.status, path: next, page: followed.page };
  }

  csrfToken(): string {
    return /name="csrf_token" value="([^"]+)"/.exec(this.page)?.[1] ?? '';
  }

  /** Where a form on the current page posts, by its name. */
  formAction(name: string): string {
    const action = new RegExp(`<form[^>]*action="([^"]+)"[^>]*name="${name}"`).exec(this.page)?.[1];
    if (action === undefined) throw new Error(`no form ${name} on the page:\n${this.page}`);
    return action.replace(/&amp;/g, '&');
  }
}

let directory: string;
let demo: DemoApp;
let server: Server;
let base: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'twofold-walkthrough-'));
  demo = await createDemoApp({ env: { DATABASE_URL: `sqlite:${join(directory, 'demo.db')}` }, console: { write: () => true }, notice: () => {} });
  server = demo.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await demo.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the README walkthrough', () => {
  it('logs in, sets up an authenticator, makes recovery codes, and logs in again with one', async () => {
    const deps = { datastore: demo.datastore, random: cryptoRandom, clock: systemClock };
    expect((await createUserWithPassword(deps, { email: 'ada@example.com', password: PASSWORD })).ok).toBe(true);
    const browser = new Browser(base);

    // 1. Log in: no second factor yet, so straight to the home page.
    await browser.open('/');
    await browser.open('/login');
    const loggedIn = await browser.submit('/login', { email: 'ada@example.com', password: PASSWORD });
    expect(loggedIn.path).toBe('/');
    expect(loggedIn.page).toContain('Logged in as <strong>ada@example.com</strong>');
    // /admin wants a second factor and sends the browser to set one up.
    expect((await browser.open('/admin')).location).toBe('/tf-setup');

    // 2. Set up the authenticator: the QR code, and the key beside it, which the "phone" reads.
    await browser.open('/tf-setup');
    const chosen = await browser.submit('/tf-setup', { setup: 'authenticator' });
    expect(chosen.page).toContain('<svg');
    const key = /<code class="tf-key">([^<]+)<\/code>/.exec(chosen.page)?.[1]?.replace(/[\s-]/g, '') ?? '';
    const phone = new Totp(key);
    const now = () => Math.floor(Date.now() / 1000);
    const confirmed = await browser.submit(browser.formAction('two_factor_verify_code_form'), { code: phone.generatePassword(now()) });
    expect(confirmed.status).toBe(200);
    expect((await browser.open('/admin')).status).toBe(200);

    // 3. Recovery codes, shown once.
    await browser.open('/mf-recovery-codes');
    const generated = await browser.submit('/mf-recovery-codes', { generate_new_codes: 'y' });
    const codes = [...generated.page.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1] as string);
    expect(codes).toHaveLength(10);

    // 4. Log out with the button on /logout.
    await browser.open('/logout');
    expect((await browser.submit('/logout', {})).path).toBe('/');
    expect((await browser.open('/profile')).status).toBe(302);

    // 5. Log in again: the password, then the code page, whose rescue form offers the recovery code.
    await browser.open('/login');
    const asked = await browser.submit('/login', { email: 'ada@example.com', password: PASSWORD });
    expect(asked.path).toBe('/tf-validate');
    expect(asked.page).toContain('value="recovery_code"');
    const rescue = await browser.submit(browser.formAction('two_factor_rescue_form'), { help_setup: 'recovery_code' });
    expect(rescue.path).toBe('/mf-recovery');
    const recovered = await browser.submit(browser.formAction('mf_recovery_form'), { code: codes[0] as string });
    expect(recovered.path).toBe('/');
    expect((await browser.open('/profile')).page).toContain('ada@example.com');

    // `twofold users show` counts what is left.
    const shown = await summarizeUser(deps, 'ada@example.com', ['authenticator']);
    expect(shown.ok && shown.summary).toMatchObject({ tfPrimaryMethod: 'authenticator', tfMethodServed: true, recoveryCodesLeft: 9 });
  });
});
