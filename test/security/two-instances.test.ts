/**
 * Threat: behind a load balancer an attacker sends each request to whichever instance still believes what
 * another has forgotten — a used code, a lock, a revoked device, a destroyed session. Two demo processes on one
 * PostgreSQL database must agree on all four, since every one of them lives in the database (docs/design.md §4).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { messageText } from '../../src/messages.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import { makeApp, PASSWORD, userWithAuthenticator, wrongCode } from '../support/app.js';
import { postgresAdminUrl } from '../support/databases.js';
import { skipUnlessAvailable } from '../support/external.js';
import { TEST_TOTP_SECRETS } from '../support/security.js';

const root = resolve(import.meta.dirname, '../..');
/** The account cap both instances run with: low, so case 2 locks quickly, and below the 5 per challenge. */
const MAX_FAILED_ATTEMPTS = 3;

/** A started demo process: its base URL and everything it printed. */
interface Demo {
  readonly url: string;
  readonly output: () => string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/** A reply, read once: status, headers, and the JSON envelope's `response`. */
interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown> & { field_errors?: Record<string, string[]> };
}

/**
 * A browser's cookie jar and CSRF token, pointed at either instance per request. Cookies do not tell ports
 * apart (RFC 6265 §8.5), so one jar sending its cookies to both instances is what one real browser does.
 */
class Browser {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;

  get(demo: Demo, path: string): Promise<Reply> {
    return this.#request(demo, path, { method: 'GET', headers: {} });
  }

  post(demo: Demo, path: string, body: Record<string, unknown> = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.csrf !== null) headers['x-csrf-token'] = this.csrf;
    return this.#request(demo, path, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  async #request(demo: Demo, path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Reply> {
    const headers = new Headers({ ...init.headers, accept: 'application/json' });
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(demo.url + path, { method: init.method, headers, body: init.body ?? null, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (/Max-Age=0/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let json: Reply['json'] = {};
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      const parsed = JSON.parse(text) as { response?: Reply['json'] } & Reply['json'];
      json = parsed.response ?? parsed;
      if (typeof json.csrf_token === 'string') this.csrf = json.csrf_token;
    }
    return { status: response.status, headers: response.headers, json };
  }
}

/** Why PostgreSQL cannot be used here, or null when it answered. */
async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    const where = URL.canParse(postgresAdminUrl) ? new URL(postgresAdminUrl).host : 'an unparsable URL';
    return `postgres at ${where} did not answer (${error instanceof Error ? error.message : String(error)}); start it or set TWOFOLD_TEST_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function onPostgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts `examples/demo/server.ts` as `npm start` does, with only PATH and `env` set; resolves once it listens. */
async function startDemo(env: Record<string, string>, started: ChildProcessWithoutNullStreams[]): Promise<Demo> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/server.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });
  started.push(child);
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const until = systemClock.nowInSeconds() + 40;
  for (;;) {
    const match = /twofold demo listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(text);
    if (match !== null) return { url: match[1] as string, output: () => text, stop };
    if (child.exitCode !== null || systemClock.nowInSeconds() > until) throw new Error(`the demo did not start:\n${text}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The user's authenticator code now, and the one a step (30 s) later, both within the ±1 step window. */
function codesOf(phone: Totp): { now: string; next: string } {
  const nowInSeconds = systemClock.nowInSeconds();
  return { now: phone.generatePassword(nowInSeconds), next: phone.generatePassword(nowInSeconds + 30) };
}

/** The password step on `demo` (with the CSRF token of a fresh `/login`). */
async function passwordStep(browser: Browser, demo: Demo, email: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  await browser.get(demo, '/login');
  return browser.post(demo, '/login', { email, password: PASSWORD, ...extra });
}

const unavailable = await postgresUnavailable();
const skip = skipUnlessAvailable('DATABASES', unavailable === null, unavailable ?? '');

describe.skipIf(skip)('two demo processes on one PostgreSQL database', { timeout: 30_000 }, () => {
  const name = `twofold_test_${randomBytes(6).toString('hex')}`;
  const children: ChildProcessWithoutNullStreams[] = [];
  const demos: Demo[] = [];
  let a: Demo;
  let b: Demo;
  let datastore: KyselyDatastore | undefined;
  let security: Security;
  let created = false;

  beforeAll(async () => {
    await onPostgres(`create database ${name}`);
    created = true;
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    const env = {
      PORT: '0',
      NODE_ENV: 'development',
      DATABASE_URL: url.toString(),
      // One key ring for both processes and this one: a secret one encrypts, the others decrypt.
      SECURITY_TOTP_SECRETS: JSON.stringify(TEST_TOTP_SECRETS),
      SECURITY_TWO_FACTOR_MAX_FAILED_ATTEMPTS: String(MAX_FAILED_ATTEMPTS),
      SECURITY_TWO_FACTOR_ALWAYS_VALIDATE: 'false',
    };
    // One after the other: the first creates the tables, so the two do not migrate at the same moment.
    a = await startDemo(env, children);
    demos.push(a);
    b = await startDemo(env, children);
    demos.push(b);
    datastore = await openDatastore(url.toString());
    ({ security } = makeApp(datastore));
  }, 60_000);

  afterAll(async () => {
    // Every step runs even when an earlier one failed, so no process or database is left behind.
    const results = await Promise.allSettled([...demos.map((demo) => demo.stop()), datastore?.close()]);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (created) await onPostgres(`drop database if exists ${name} with (force)`);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }, 30_000);

  it('a TOTP code used to log in on A is refused on B; the next step\'s code still works there', async () => {
    const email = 'replay@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const codes = codesOf(phone);

    const onA = new Browser();
    expect((await passwordStep(onA, a, email)).json.tf_state).toBe('ready');
    expect((await onA.post(a, '/tf-validate', { code: codes.now })).status).toBe(200);

    const onB = new Browser();
    expect((await passwordStep(onB, b, email)).json.tf_state).toBe('ready');
    const replayed = await onB.post(b, '/tf-validate', { code: codes.now });
    expect(replayed.status).toBe(400);
    expect(replayed.json.field_errors).toEqual({ code: [messageText('TWO_FACTOR_INVALID_TOKEN')] });
    // B checks codes fine; it refused that one because A had used it.
    const fresh = await onB.post(b, '/tf-validate', { code: codes.next });
    expect(fresh.status).toBe(200);
    expect(fresh.json.user).toEqual({ email });
  });

  it(`${MAX_FAILED_ATTEMPTS} wrong codes on A lock the account on B too: 429 with Retry-After, even for the right code`, async () => {
    const email = 'lockout@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const codes = codesOf(phone);

    const onA = new Browser();
    await passwordStep(onA, a, email);
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) expect((await onA.post(a, '/tf-validate', { code: wrongCode(codes.now) })).status).toBe(400);

    const onB = new Browser();
    expect((await passwordStep(onB, b, email)).json.tf_state).toBe('ready');
    const refused = await onB.post(b, '/tf-validate', { code: codes.now });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json.field_errors).toEqual({ code: [messageText('TOO_MANY_ATTEMPTS')] });
    expect((await onA.post(a, '/tf-validate', { code: codes.now })).status).toBe(429);
  });

  it('a device trusted on A is honoured by B; a new authenticator set up through B revokes it on both', async () => {
    const email = 'trusted@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const browser = new Browser();
    await passwordStep(browser, a, email, { remember: true });
    expect((await browser.post(a, '/tf-validate', { code: codesOf(phone).now })).status).toBe(200);
    expect(browser.cookies.has('tf_validity')).toBe(true);
    expect((await browser.post(a, '/logout')).status).toBe(200);

    const skipped = await passwordStep(browser, b, email);
    expect(skipped.json).toMatchObject({ tf_required: false, user: { email } });

    // Changing the second factor revokes every trusted device (RMD-04); here through B.
    const started = await browser.post(b, '/tf-setup', { setup: 'authenticator' });
    expect(started.status).toBe(200);
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    const confirmed = await browser.post(b, `/tf-setup/${started.json.tf_state_token as string}`, { code: codesOf(newPhone).now });
    expect(confirmed.status).toBe(200);
    expect((await browser.post(b, '/logout')).status).toBe(200);

    expect(browser.cookies.has('tf_validity')).toBe(true);
    for (const demo of [a, b]) {
      expect((await passwordStep(browser, demo, email)).json).toMatchObject({ tf_required: true, tf_state: 'ready' });
    }
  });

  it('a session made on A works on B; logged out on B, its cookie is refused on A', async () => {
    const email = 'session@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const browser = new Browser();
    await passwordStep(browser, a, email);
    expect((await browser.post(a, '/tf-validate', { code: codesOf(phone).now })).status).toBe(200);
    const cookie = browser.cookies.get('twofold_session') as string;

    for (const demo of [a, b]) {
      const profile = await browser.get(demo, '/profile');
      expect(profile.status).toBe(200);
      expect(profile.json).toEqual({ email });
    }
    await browser.get(b, '/logout'); // JSON GET: only hands out the CSRF token
    expect((await browser.post(b, '/logout')).status).toBe(200);

    const stale = new Browser();
    stale.cookies.set('twofold_session', cookie);
    for (const demo of [a, b]) expect((await stale.get(demo, '/profile')).status).toBe(401);
  });
});
