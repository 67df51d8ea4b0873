/**
 * Threat: a secret leaves by a side door — an authenticator key or recovery code kept by a cache or proxy, a
 * key, code or token in a URL (browser history, server logs, the Referer of the next request), or any secret
 * written to the console or stdout, where log pipelines collect it. The secrets travel only in reply bodies
 * marked `no-store`, and twofold writes none of them anywhere (checklist ENR-05, WEB-02, WEB-03, LOG-02).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SmsSenderBase } from '../../src/delivery/sms.js';
import { TWOFOLD_EVENT_NAMES } from '../../src/events.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import type { User } from '../../src/user.js';
import { codeIn, loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client, formNamed, type Reply } from '../support/client.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp.js';
import { totpSecretOf } from '../support/security.js';

const db = useDatastore();
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

const WRONG_PASSWORD = 'correct horse battery stapler';
const ISSUER = 'twofold tests';
const PHONE = '+16505550100';


/** Texts kept in memory: the SMS provider a test can read. */
class RecordingSmsSender extends SmsSenderBase {
  readonly messages: { to: string; text: string }[] = [];
  async sendSms(_from: string, to: string, text: string): Promise<void> {
    this.messages.push({ to, text });
  }
}

/** Everything written to the console or to stdout/stderr while it runs; nothing reaches the real streams. */
function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const record = (...args: unknown[]) => void chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 8 }))).join(' '));
  const consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const).map((method) => vi.spyOn(console, method).mockImplementation(record));
  const streamSpies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write),
  );
  const restore = () => [...consoleSpies, ...streamSpies].forEach((spy) => spy.mockRestore());
  // The capture itself is checked, so an empty capture cannot pass for a clean one.
  console.warn('canary-console');
  process.stderr.write('canary-stream');
  if (!chunks.join('').includes('canary-console') || !chunks.join('').includes('canary-stream')) {
    restore();
    throw new Error('output capture does not work');
  }
  return { text: () => chunks.join('\n'), restore };
}

/** The secrets a flow made or saw, each with the forms it could be written in. */
class Secrets {
  readonly #forms = new Map<string, { kind: string; forms: string[] }>();

  add(kind: string, value: string | null | undefined, forms: string[] = []): void {
    if (value === null || value === undefined || value === '' || this.#forms.has(value)) return;
    this.#forms.set(value, { kind, forms: [...new Set([value, ...forms])] });
  }

  /** An authenticator key: as given, and in the groups of four the set-up page and `tf_authr_key` show. */
  addTotpKey(key: string, email: string): void {
    const groups = key.match(/.{1,4}/g) ?? [key];
    this.add('TOTP secret', key, [groups.join('-'), groups.join(' ')]);
    const uri = new Totp(key).getTotpUri(email, ISSUER);
    this.add('otpauth URI', uri, [decodeURIComponent(uri)]);
  }

  /** A recovery code, also without its dashes and with spaces. */
  addRecoveryCode(code: string): void {
    this.add('recovery code', code, [code.replace(/-/g, ''), code.replace(/-/g, ' ')]);
  }

  /** Tokens a client was handed: session and trusted-device cookies, CSRF tokens, API and state tokens, keys, codes. */
  harvest(client: Client): void {
    for (const entry of client.transcript) {
      for (const match of entry.matchAll(/^set-cookie: ([^=;\s]+)=([^;\s]*)/gim)) this.add(`cookie ${match[1] ?? ''}`, match[2]);
      for (const match of entry.matchAll(/"(csrf_token|authentication_token|tf_state_token)":"([^"]+)"/g)) this.add(match[1] ?? '', match[2]);
      for (const match of entry.matchAll(/name="csrf_token" value="([^"]+)"/g)) this.add('csrf_token', match[1]);
      for (const match of entry.matchAll(/action="\/tf-setup\/([^"?]+)"/g)) this.add('tf_state_token', match[1]);
      for (const match of entry.matchAll(/"tf_authr_b32key":"([A-Z2-7]+)","tf_authr_username":"([^"]+)"/g)) this.addTotpKey(match[1] ?? '', match[2] ?? '');
      for (const match of entry.matchAll(/(?<![\w-])[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}(?![\w-])/g)) this.addRecoveryCode(match[0]);
    }
  }

  entries(): { value: string; kind: string; forms: string[] }[] {
    return [...this.#forms].map(([value, entry]) => ({ value, ...entry }));
  }

  /** The secrets (of the given kinds, or all but `except`) found in `text`, as "kind: form". */
  foundIn(text: string, options: { except?: string[] } = {}): string[] {
    const lower = text.toLowerCase();
    const found: string[] = [];
    for (const { kind, forms } of this.entries()) {
      if (options.except?.includes(kind) === true) continue;
      for (const form of forms) {
        // A 6-digit code counts only as a number of its own, not inside a longer one (a timestamp, a port).
        const hit = /^\d+$/.test(form) ? new RegExp(`(?<!\\d)${form}(?!\\d)`).test(text) : lower.includes(form.toLowerCase());
        if (hit) found.push(`${kind}: ${form}`);
      }
    }
    return found;
  }
}

/** The URLs an HTML page points to: links, sources and form actions, unescaped. */
function urlsInPage(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action|formaction|xlink:href|poster|srcset)="([^"]*)"/gi)].map((match) => (match[1] ?? '').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
}

/** The URLs one transcript entry holds: the one requested, any redirect, and every link of its page or JSON. */
function urlsInEntry(entry: string): string[] {
  const [head = '', ...rest] = entry.split('\n\n');
  const body = rest.join('\n\n');
  const urls = [head.split(' ')[1] ?? ''];
  for (const match of head.matchAll(/^(?:location|content-location|refresh|link): (.*)$/gim)) urls.push(match[1] ?? '');
  urls.push(...urlsInPage(body));
  // JSON points with paths (recovery_options); the otpauth URI is the set-up reply's payload, not a link.
  if (body.startsWith('{')) for (const match of body.matchAll(/"(\/[^"]*)"/g)) urls.push(match[1] ?? '');
  return urls.filter((url) => url !== '');
}

/** Every header value of a reply, one string. */
function headerText(reply: Reply): string {
  return [...reply.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
}

type App = ReturnType<typeof makeApp>;
let flowRuns = 0;

/** One app for a mixed flow, the secrets it makes, and the steps a JSON client or a browser takes in it. */
function flowKit(json: boolean) {
  const sms = new RecordingSmsSender();
  const app = makeApp(db.datastore, {
    smtpUrl: smtp.url,
    smsSender: sms,
    options: {
      twoFactorRequired: (user: User) => user.email.startsWith('mixed-setup'),
      twoFactorAlwaysValidate: false,
      twoFactorRescueEmail: true,
      twoFactorMaxFailedAttempts: 5,
      twoFactorSendCooldown: 1,
      twoFactorMaxSendsPerAccount: 100,
      twoFactorMaxSendsPerDestination: 100,
    },
  });
  const { security, clock } = app;
  flowRuns += 1;
  const secrets = new Secrets();
  secrets.add('password', PASSWORD);
  secrets.add('wrong password', WRONG_PASSWORD);
  let textsSeen = 0;
  /** A browser follows redirects, as it would; a JSON client reads the reply. */
  const settle = async (client: Client, reply: Reply): Promise<Reply> => {
    let current = reply;
    for (let hops = 0; !json && current.location !== null && hops < 4; hops++) current = await client.follow(current);
    return current;
  };
  const kit = {
    app,
    secrets,
    json,
    mode: `${json ? 'json' : 'html'}-${flowRuns}`,
    done: json ? 200 : 302,
    refused: json ? 400 : 200,
    settle,
    nextSend: () => clock.advance(security.config.twoFactorSendCooldown),
    totp(phone: Totp): string {
      const code = phone.generatePassword(clock.nowInSeconds());
      secrets.add('authenticator code', code);
      return code;
    },
    async mailed(email: string): Promise<string> {
      const code = codeIn((await smtp.waitForMail((mail) => mail.to === email && mail.subject === security.config.emailSubjectTwoFactor)).text);
      secrets.add('mailed code', code);
      return code;
    },
    texted(): string {
      expect(sms.messages.length, 'a new text').toBe(textsSeen + 1);
      textsSeen = sms.messages.length;
      const code = codeIn(sms.messages.findLast((message) => message.to === PHONE)?.text ?? '');
      secrets.add('texted code', code);
      return code;
    },
    async login(client: Client, email: string, extra: Record<string, unknown> = {}): Promise<void> {
      await client.get('/login');
      const reply = await client.post('/login', { email, password: PASSWORD, ...extra });
      expect(reply.status, `login ${email}`).toBe(kit.done);
      await settle(client, reply);
    },
    /** POSTs as a JSON client would, or as a browser would from the page `from` (whose form carries the CSRF token). */
    async post(client: Client, path: string, body: Record<string, unknown>, status: number, from: string | null = null): Promise<Reply> {
      if (!json && from !== null) expect((await client.get(from)).status, `GET ${from}`).toBe(200);
      const reply = await client.post(path, body);
      expect(reply.status, `POST ${path}: ${reply.text.slice(0, 300)}`).toBe(status);
      await settle(client, reply);
      return reply;
    },
    logout: (client: Client) => kit.post(client, '/logout', {}, kit.done, '/logout'),
    /** Where the code of a change while logged in goes: `/tf-setup/<token>`. */
    tokenAction: (reply: Reply) => (json ? `/tf-setup/${reply.json.tf_state_token as string}` : (formNamed(reply.text, 'two_factor_verify_code_form').action as string)),
    /** The authenticator key a set-up reply shows. */
    keyIn: (reply: Reply) => (json ? (reply.json.tf_authr_b32key as string) : (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(reply.text)?.[1] ?? '').replace(/ /g, '')),
  };
  return kit;
}
type FlowKit = ReturnType<typeof flowKit>;

/**
 * A wrong password; an authenticator set up during login (a wrong code first, "remember this device");
 * recovery codes made; a remembered login; a recovery-code login; a change to SMS through /tf-setup/<token>; an
 * SMS login with an API token; a stale session re-authenticated by /verify (a wrong password first) and an SMS
 * code; a change to e-mail; an e-mail login.
 */
async function factorsOfOneUser(kit: FlowKit): Promise<Client> {
  const { app: { security, clock }, secrets, json, done, refused } = kit;
  const email = `mixed-setup-${kit.mode}@example.test`;
  await userWithPassword(security, email);
  const a = new Client(security, { json, clientAddress: '203.0.113.9', headers: { 'user-agent': 'mixed-flow' } });
  await a.get('/login');
  expect((await a.post('/login', { email, password: WRONG_PASSWORD })).status).toBe(refused);
  await kit.login(a, email, { remember: json ? true : 'y', next: '/home' });
  const setup = await kit.post(a, '/tf-setup', { setup: 'authenticator' }, 200);
  const phone = new Totp(kit.keyIn(setup));
  secrets.addTotpKey(phone.secrets, email);
  if (json) expect(setup.json.tf_authr_uri).toBe(phone.getTotpUri(email, ISSUER));
  await kit.post(a, '/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) }, refused);
  await kit.post(a, '/tf-validate', { code: kit.totp(phone) }, done);
  expect(a.cookies.has('tf_validity')).toBe(true);
  const made = await kit.post(a, '/mf-recovery-codes', json ? {} : { generate_new_codes: 'y' }, 200, '/mf-recovery-codes');
  const codes = json ? (made.json.recovery_codes as string[]) : [...made.text.matchAll(/<li><code>([0-9A-Z-]+)<\/code><\/li>/g)].map((match) => match[1] ?? '');
  expect(codes).toHaveLength(10);
  codes.forEach((code) => secrets.addRecoveryCode(code));
  await kit.logout(a);

  clock.advance(30);
  await kit.login(a, email); // the remembered device: no code
  expect(await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${a.cookies.get('twofold_session') ?? ''}` } }))).not.toBeNull();
  await kit.logout(a);
  a.cookies.delete('tf_validity');
  await kit.login(a, email);
  await kit.post(a, '/tf-rescue', { help_setup: 'recovery_code' }, 302);
  await kit.post(a, '/mf-recovery', { code: 'AAAAA-BBBBB-CCCCC' }, refused);
  await kit.post(a, '/mf-recovery', { code: codes[0] }, done);

  kit.nextSend();
  const smsAction = kit.tokenAction(await kit.post(a, '/tf-setup', { setup: 'sms', phone: '+1 650 555 0100' }, 200, '/tf-setup'));
  const setupCode = kit.texted();
  await kit.post(a, smsAction, { code: wrongCode(setupCode) }, json ? 400 : 200);
  await kit.post(a, smsAction, { code: setupCode }, done);
  await kit.logout(a);
  kit.nextSend();
  await kit.login(a, email);
  await kit.post(a, '/tf-validate?include_auth_token', { code: kit.texted() }, done);

  clock.advance(security.config.freshness + security.config.freshnessGracePeriod + 1);
  const stale = await a.get('/tf-setup');
  expect(stale.status).toBe(json ? 401 : 302);
  await kit.settle(a, stale);
  await kit.post(a, '/verify', { password: WRONG_PASSWORD, next: '/tf-setup' }, refused);
  await kit.post(a, '/verify', { password: PASSWORD, next: '/tf-setup' }, done);
  await kit.post(a, json ? '/tf-validate' : '/tf-validate?next=%2Ftf-setup', { code: kit.texted() }, done);
  kit.nextSend();
  const mailAction = kit.tokenAction(await kit.post(a, '/tf-setup', { setup: 'email' }, 200));
  await kit.post(a, mailAction, { code: await kit.mailed(email) }, done);
  await kit.logout(a);
  kit.nextSend();
  await kit.login(a, email);
  await kit.post(a, '/tf-validate', { code: await kit.mailed(email) }, done);
  await kit.logout(a);
  return a;
}

/** A used authenticator code replayed, wrong codes up to a lockout, a right code refused, an e-mail rescue. */
async function replayAndLockout(kit: FlowKit): Promise<Client> {
  const { app: { security, clock }, secrets, json, done, refused } = kit;
  const email = `mixed-totp-${kit.mode}@example.test`;
  const { phone } = await userWithAuthenticator(security, email);
  secrets.addTotpKey(phone.secrets, email);
  const b = new Client(security, { json, clientAddress: '198.51.100.9' });
  clock.advance(30);
  await kit.login(b, email);
  const used = kit.totp(phone);
  await kit.post(b, '/tf-validate', { code: used }, done);
  await kit.logout(b);
  await kit.login(b, email);
  await kit.post(b, '/tf-validate', { code: used }, refused);
  for (let i = 0; i < 4; i++) await kit.post(b, '/tf-validate', { code: wrongCode(phone.generatePassword(clock.nowInSeconds())) }, refused);
  await kit.post(b, '/tf-validate', { code: kit.totp(phone) }, 429);
  clock.advance(security.config.twoFactorLockoutBase + 1);
  kit.nextSend();
  await kit.login(b, email);
  await kit.post(b, '/tf-rescue', { help_setup: 'email' }, 200);
  await kit.post(b, '/tf-validate', { code: await kit.mailed(email) }, done);
  return b;
}

/** Both parts of the long mixed flow for one kind of client; `onApp` sees the app before the first request. */
async function mixedFlow(json: boolean, onApp: (security: Security) => void = () => {}): Promise<{ app: App; clients: Client[]; secrets: Secrets }> {
  const kit = flowKit(json);
  onApp(kit.app.security);
  const clients = [await factorsOfOneUser(kit), await replayAndLockout(kit)];
  for (const client of clients) kit.secrets.harvest(client);
  return { app: kit.app, clients, secrets: kit.secrets };
}

describe('the authenticator key and recovery codes travel only in no-store bodies (ENR-05, WEB-03)', () => {
  it('ENR-05 / WEB-03: set-up replies (JSON, and the page with its inline SVG QR code) and recovery-code replies are no-store; no header, Location or URL holds the key or URI; nothing is logged', async () => {
    const capture = captureOutput();
    const secrets = new Secrets();
    try {
      const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
      for (const json of [true, false]) {
        const email = `enr05-${json ? 'json' : 'html'}@example.test`;
        await userWithPassword(security, email);
        const client = new Client(security, { json });
        await client.get('/login');
        const login = await client.post('/login', { email, password: PASSWORD });
        if (!json) await client.follow(login);
        const replies: [string, Reply][] = [];
        const during = await client.post('/tf-setup', { setup: 'authenticator' });
        replies.push(['set-up during login', during]);
        const key = json ? (during.json.tf_authr_b32key as string) : (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(during.text)?.[1] ?? '').replace(/ /g, '');
        secrets.addTotpKey(key, email);
        expect((await client.post('/tf-validate', { code: new Totp(key).generatePassword(clock.nowInSeconds()) })).status).toBe(json ? 200 : 302);
        clock.advance(30);
        // A browser posts from the page that holds the form (and its CSRF token).
        replies.push(['GET /tf-setup', await client.get('/tf-setup')]);
        const change = await client.post('/tf-setup', { setup: 'authenticator' });
        replies.push(['change while logged in', change]);
        const newKey = json ? (change.json.tf_authr_b32key as string) : (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(change.text)?.[1] ?? '').replace(/ /g, '');
        secrets.addTotpKey(newKey, email);
        replies.push(['GET /mf-recovery-codes', await client.get('/mf-recovery-codes')]);
        const codes = await client.post('/mf-recovery-codes', json ? {} : { generate_new_codes: 'y' });
        replies.push(['recovery codes', codes]);
        secrets.harvest(client);

        if (json) {
          expect(during.json).toMatchObject({ tf_authr_key: key.match(/.{4}/g)?.join('-'), tf_authr_b32key: key, tf_authr_issuer: ISSUER, tf_authr_username: email, tf_authr_uri: new Totp(key).getTotpUri(email, ISSUER) });
          expect(codes.json.recovery_codes).toHaveLength(10);
        } else {
          for (const page of [during, change]) {
            // The QR code is drawn here, inline: no image is fetched from anywhere.
            expect(page.text).toMatch(/<div class="tf-qr" role="img"[^>]*><svg\b/);
            expect(page.text).not.toMatch(/<img\b|<iframe\b|<object\b|<embed\b|http-equiv="refresh"/i);
          }
          expect(codes.text.match(/<li><code>[0-9A-Z-]+<\/code><\/li>/g)).toHaveLength(10);
        }
        expect(secrets.foundIn(during.text, { except: ['tf_state_token', 'csrf_token', 'cookie twofold_session', 'recovery code'] }).length, 'the body does carry the key').toBeGreaterThan(0);
        for (const [label, reply] of replies) {
          expect(reply.status, label).toBe(200);
          expect(reply.headers.get('cache-control'), label).toBe('no-store');
          expect(reply.location, label).toBeNull();
          expect(secrets.foundIn(headerText(reply), { except: ['cookie twofold_session', 'csrf_token'] }), `${label}: headers`).toEqual([]);
          for (const url of urlsInPage(reply.text)) {
            expect(url, label).toMatch(/^\/[^/]/); // same origin: no third-party QR service, no absolute link
            expect(secrets.foundIn(url, { except: ['tf_state_token'] }), `${label}: ${url}`).toEqual([]);
          }
        }
      }
      expect(secrets.entries().filter((entry) => entry.kind === 'recovery code')).toHaveLength(20);
      await sleep(200);
      expect(secrets.foundIn(capture.text())).toEqual([]);
    } finally {
      capture.restore();
    }
  });
});

describe('nothing secret is logged (LOG-02)', () => {
  it('LOG-02: across a long mixed flow, JSON and browser, no password, code, recovery code, key, URI, cookie or token reaches the console, stdout or stderr — nor any event payload', async () => {
    const capture = captureOutput();
    const all = new Secrets();
    let output = '';
    try {
      for (const json of [true, false]) {
        const { secrets } = await mixedFlow(json, (security) => {
          for (const name of TWOFOLD_EVENT_NAMES) security.events.on(name, (payload) => console.info(`event ${name} ${JSON.stringify(payload)}`));
        });
        for (const entry of secrets.entries()) all.add(entry.kind, entry.value, entry.forms);
      }
    } finally {
      // Notices are mailed after the reply is sent: whatever they write happens inside the capture too.
      await sleep(200);
      output = capture.text();
      capture.restore();
    }
    // The flow did make every kind of secret, and the application's log did receive the events.
    const kinds = new Set(all.entries().map((entry) => entry.kind));
    for (const kind of ['password', 'wrong password', 'TOTP secret', 'otpauth URI', 'authenticator code', 'mailed code', 'texted code', 'recovery code', 'csrf_token', 'authentication_token', 'tf_state_token', 'cookie twofold_session', 'cookie tf_validity']) {
      expect(kinds, kind).toContain(kind);
    }
    for (const name of ['tfLockedOut', 'tfCodeReplayed', 'mfRecoveryCodeUsed', 'tfProfileChanged', 'userFailedAuthn']) expect(output).toContain(`event ${name}`);
    expect(all.foundIn(output)).toEqual([]);
  });
});

describe('no secret in any URL (WEB-02)', () => {
  it('WEB-02: a crawl of every redirect, link and form action the flows reached finds no code=, token= or secret=, and no code, key, cookie or token', async () => {
    const urls = new Set<string>();
    const all = new Secrets();
    let app: App | null = null;
    for (const json of [true, false]) {
      const flow = await mixedFlow(json);
      app = flow.app;
      for (const client of flow.clients) for (const entry of client.transcript) urlsInEntry(entry).forEach((url) => urls.add(url));
      for (const entry of flow.secrets.entries()) all.add(entry.kind, entry.value, entry.forms);
    }
    if (app === null) throw new Error('no flow ran');
    // Crawl on from there as a visitor, a half-logged-in browser and a logged-in one, until nothing new turns up.
    const { security, clock } = app;
    const { phone } = await userWithAuthenticator(security, 'crawler@example.test');
    const pending = new Client(security, { json: false });
    await pending.get('/login');
    await pending.post('/login', { email: 'crawler@example.test', password: PASSWORD });
    clock.advance(30);
    const crawlers = [new Client(security, { json: false }), new Client(security), pending, await loggedInClient(security, clock, 'crawler@example.test', { phone, json: false })];
    const queue = [...urls];
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      if (!url.startsWith('/')) continue;
      for (const crawler of crawlers) {
        await crawler.get(url);
        for (const found of urlsInEntry(crawler.transcript.at(-1) ?? '')) {
          if (!urls.has(found)) {
            urls.add(found);
            queue.push(found);
          }
        }
      }
    }
    for (const crawler of crawlers) all.harvest(crawler);
    // The crawl did reach the flows' pages, redirects and the token URLs of a change.
    for (const expected of ['/tf-validate?next=%2Ftf-setup', '/verify?next=%2Ftf-setup', '/mf-recovery', '/tf-rescue', '/static/twofold.css']) expect(urls).toContain(expected);
    const tokenUrls = [...urls].filter((url) => url.startsWith('/tf-setup/'));
    expect(tokenUrls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      expect(url).not.toMatch(/(?:code|token|secret|password|otp|key)=/i);
      // The documented exception: a set-up state token as the whole last path segment, bound to its session.
      expect(all.foundIn(url, { except: ['tf_state_token'] }), url).toEqual([]);
      if (all.foundIn(url).length > 0) expect(url).toMatch(/^\/tf-setup\/[A-Za-z0-9_-]{20,64}$/);
    }
  });

  it('WEB-02: the /tf-setup/<token> path is no credential: from another session of the same user, a half-finished login or a visitor, the token and a right code are refused', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'web02-token@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const owner = await loggedInClient(security, clock, email, { phone });
    clock.advance(30);
    const otherSession = await loggedInClient(security, clock, email, { phone });
    const started = await owner.post('/tf-setup', { setup: 'authenticator' });
    const path = `/tf-setup/${started.json.tf_state_token as string}`;
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    const code = newPhone.generatePassword(clock.nowInSeconds());
    const halfway = new Client(security);
    await halfway.get('/login');
    await halfway.post('/login', { email, password: PASSWORD });
    const visitor = new Client(security);
    await visitor.get('/login');
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    const attempts: [string, Reply][] = [
      ['another session of the owner', await otherSession.post(path, { code })],
      ['a half-finished login of the owner', await halfway.post(path, { code })],
      ['a visitor', await visitor.post(path, { code })],
      ['a browser visitor', await browser.post(path, { code })],
      ['no session at all', await new Client(security).post(path, { code }, { csrf: false })],
    ];
    expect(attempts.map(([label, reply]) => [label, reply.status])).toEqual([
      ['another session of the owner', 400],
      ['a half-finished login of the owner', 401],
      ['a visitor', 401],
      ['a browser visitor', 302],
      ['no session at all', 403],
    ]);
    expect(attempts[0]?.[1].json.errors).toEqual(['Input not appropriate for requested API']);
    expect(attempts[3]?.[1].location).toBe(`/login?next=${encodeURIComponent(path)}`);
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(phone.secrets);
    // The session that made it still completes the change with the same code.
    expect((await owner.post(path, { code })).status).toBe(200);
    expect(totpSecretOf(security, await security.findUserByEmail(email))).toBe(newPhone.secrets);
  });
});
