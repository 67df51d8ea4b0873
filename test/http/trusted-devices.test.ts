/**
 * Guards `/tf-devices` (checklist RMD-04, FLOW-08): a user lists and forgets their own remembered browsers,
 * never sees or touches another user's, and only with a fresh login. A forgotten browser is challenged again.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TwofoldEventMap } from '../../src/events.js';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';

const db = useDatastore();
const REMEMBER = { twoFactorAlwaysValidate: false };

interface DeviceJson {
  id: string;
  user_agent: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  current: boolean;
}

type App = ReturnType<typeof makeApp>;
type Phone = Awaited<ReturnType<typeof userWithAuthenticator>>['phone'];

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A browser that logged in with "remember this device"; the clock moves a TOTP step first, so codes never repeat. */
async function rememberedBrowser(app: App, email: string, phone: Phone, options: { userAgent: string; json?: boolean; base?: string }): Promise<Client> {
  app.clock.advance(30);
  const client = new Client(app.security, { json: options.json ?? true, headers: { 'user-agent': options.userAgent }, ...(options.base === undefined ? {} : { base: options.base }) });
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD, remember: options.json === false ? 'y' : true });
  if (options.json === false) await client.follow(login);
  const done = await client.post('/tf-validate', { code: phone.generatePassword(app.clock.nowInSeconds()) });
  if (done.status >= 400) throw new Error(`second factor failed: ${done.text}`);
  return client;
}

/** The id the server keeps for this browser's cookie: the SHA-256 of the token. */
function deviceIdOf(client: Client, name = 'tf_validity'): string {
  const token = client.cookies.get(name);
  if (token === undefined) throw new Error('no remembered-device cookie');
  return sha256(token);
}

async function devicesOf(client: Client): Promise<DeviceJson[]> {
  const reply = await client.get('/tf-devices');
  expect(reply.status, reply.text).toBe(200);
  return reply.json.devices as DeviceJson[];
}

/** Logs the browser out and in again with the password; true when it was asked for the second factor. */
async function challengedAtLogin(client: Client, email: string): Promise<boolean> {
  await client.post('/logout', {});
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD });
  expect(login.status).toBe(200);
  return login.json.tf_required === true;
}

function recordRevocations(security: Security): TwofoldEventMap['tfDeviceRevoked'][] {
  const seen: TwofoldEventMap['tfDeviceRevoked'][] = [];
  security.events.on('tfDeviceRevoked', (payload) => void seen.push(payload));
  return seen;
}

/** Two users: Ada with two remembered browsers, Bob with one. */
async function twoUsers(options: Record<string, unknown> = {}) {
  const app = makeApp(db.datastore, { options: { ...REMEMBER, ...options } });
  const suffix = Math.random().toString(36).slice(2, 8);
  const ada = { email: `ada-${suffix}@example.test`, ...(await userWithAuthenticator(app.security, `ada-${suffix}@example.test`)) };
  const bob = { email: `bob-${suffix}@example.test`, ...(await userWithAuthenticator(app.security, `bob-${suffix}@example.test`)) };
  const adaLaptop = await rememberedBrowser(app, ada.email, ada.phone, { userAgent: 'Firefox on the laptop' });
  const adaPhone = await rememberedBrowser(app, ada.email, ada.phone, { userAgent: 'Safari on the phone' });
  const bobBrowser = await rememberedBrowser(app, bob.email, bob.phone, { userAgent: "Bob's Chrome" });
  return { ...app, ada, bob, adaLaptop, adaPhone, bobBrowser };
}

describe('GET /tf-devices', () => {
  it("lists the caller's own browsers only, newest first, marks this one, and never shows a token", async () => {
    const { clock, adaLaptop, adaPhone, bobBrowser } = await twoUsers();
    const fromLaptop = await devicesOf(adaLaptop);
    expect(fromLaptop.map((device) => [device.user_agent, device.current])).toEqual([
      ['Safari on the phone', false],
      ['Firefox on the laptop', true],
    ]);
    expect(fromLaptop.map((device) => device.id)).toEqual([deviceIdOf(adaPhone), deviceIdOf(adaLaptop)]);
    const laptop = fromLaptop[1] as DeviceJson;
    expect(Object.keys(laptop).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'last_used_at', 'user_agent']);
    expect(Number.isInteger(laptop.created_at) && laptop.created_at <= clock.nowInSeconds()).toBe(true);
    expect(laptop.expires_at - laptop.created_at).toBe(30 * 24 * 3600);
    expect((await devicesOf(adaPhone)).map((device) => device.current)).toEqual([true, false]);

    const fromBob = await devicesOf(bobBrowser);
    expect(fromBob.map((device) => [device.user_agent, device.current])).toEqual([["Bob's Chrome", true]]);
    expect(fromBob.map((device) => device.id)).not.toContain(deviceIdOf(adaLaptop));
    for (const client of [adaLaptop, adaPhone, bobBrowser]) {
      const tokens = [adaLaptop, adaPhone, bobBrowser].map((other) => other.cookies.get('tf_validity') as string);
      for (const token of tokens) expect(client.transcript.at(-1)).not.toContain(token);
    }
  });

  it('marks no browser current when the request carries another user’s cookie or none', async () => {
    const { adaLaptop, bobBrowser } = await twoUsers();
    adaLaptop.cookies.set('tf_validity', bobBrowser.cookies.get('tf_validity') as string);
    expect((await devicesOf(adaLaptop)).map((device) => device.current)).toEqual([false, false]);
    adaLaptop.cookies.delete('tf_validity');
    expect((await devicesOf(adaLaptop)).map((device) => device.current)).toEqual([false, false]);
  });
});

describe('POST /tf-devices', () => {
  it('forgets one browser: it is challenged at its next login, the other still skips the code', async () => {
    const { security, ada, adaLaptop, adaPhone } = await twoUsers();
    const revoked = recordRevocations(security);
    const reply = await adaLaptop.post('/tf-devices', { revoke: deviceIdOf(adaPhone) });
    expect(reply.status).toBe(200);
    expect((reply.json.devices as DeviceJson[]).map((device) => device.user_agent)).toEqual(['Firefox on the laptop']);
    // Not this browser's device: its cookie stays.
    expect(reply.headers.getSetCookie().some((cookie) => cookie.startsWith('tf_validity='))).toBe(false);
    expect(revoked).toEqual([{ user: expect.objectContaining({ email: ada.email }), count: 1, client: expect.objectContaining({ address: null, userAgent: 'Firefox on the laptop' }) }]);
    expect(await challengedAtLogin(adaPhone, ada.email)).toBe(true);
    expect(await challengedAtLogin(adaLaptop, ada.email)).toBe(false);
  });

  it("forgetting this browser's own device clears its cookie with the attributes it was set with", async () => {
    const { ada, adaLaptop } = await twoUsers();
    const reply = await adaLaptop.post('/tf-devices', { revoke: deviceIdOf(adaLaptop) });
    expect(reply.status).toBe(200);
    expect(reply.headers.getSetCookie().filter((cookie) => cookie.startsWith('tf_validity='))).toEqual(['tf_validity=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict']);
    expect((reply.json.devices as DeviceJson[]).map((device) => device.current)).toEqual([false]);
    expect(await challengedAtLogin(adaLaptop, ada.email)).toBe(true);
  });

  it('over HTTPS the cleared cookie is __Host-tf_validity and Secure', async () => {
    const app = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(app.security, 'devices-https@example.test');
    const client = await rememberedBrowser(app, 'devices-https@example.test', phone, { userAgent: 'Edge', base: 'https://localhost' });
    const reply = await client.post('/tf-devices', { revoke: deviceIdOf(client, '__Host-tf_validity') });
    expect(reply.headers.getSetCookie().filter((cookie) => cookie.includes('tf_validity'))).toEqual(['__Host-tf_validity=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict']);
  });

  it('forgets all of them at once, and only them', async () => {
    const { security, ada, bob, adaLaptop, adaPhone, bobBrowser } = await twoUsers();
    const revoked = recordRevocations(security);
    const reply = await adaPhone.post('/tf-devices', { revoke: 'all' });
    expect(reply.status).toBe(200);
    expect(reply.json.devices).toEqual([]);
    expect(reply.headers.getSetCookie()).toContain('tf_validity=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    expect(revoked.map((event) => [event.user.email, event.count])).toEqual([[ada.email, 2]]);
    expect(await challengedAtLogin(adaLaptop, ada.email)).toBe(true);
    expect(await challengedAtLogin(bobBrowser, bob.email)).toBe(false);
    // Nothing left to forget: still 200, and no event.
    const again = await adaPhone.post('/tf-devices', { revoke: 'all' });
    expect([again.status, again.json.devices]).toEqual([200, []]);
    expect(revoked).toHaveLength(1);
  });

  it("another user's device id is refused exactly like an unknown one, and that device still works", async () => {
    const { security, bob, adaLaptop, bobBrowser } = await twoUsers();
    const revoked = recordRevocations(security);
    const foreign = await adaLaptop.post('/tf-devices', { revoke: deviceIdOf(bobBrowser) });
    const unknown = await adaLaptop.post('/tf-devices', { revoke: 'f'.repeat(64) });
    expect(foreign.status).toBe(400);
    expect(foreign.json.field_errors).toEqual({ revoke: ['That browser is not one of your remembered browsers.'] });
    expect({ ...foreign.json, csrf_token: null }).toEqual({ ...unknown.json, csrf_token: null });
    expect(revoked).toEqual([]);
    expect((await devicesOf(bobBrowser)).map((device) => device.id)).toEqual([deviceIdOf(bobBrowser)]);
    expect(await challengedAtLogin(bobBrowser, bob.email)).toBe(false);
  });

  it('refuses a revoke that is missing or not an id', async () => {
    const { adaLaptop } = await twoUsers();
    expect((await adaLaptop.post('/tf-devices', {})).json.field_errors).toEqual({ revoke: ['This field is required.'] });
    expect((await adaLaptop.post('/tf-devices', { revoke: 'everything' })).json.field_errors).toEqual({ revoke: ['Not a valid choice.'] });
    expect((await adaLaptop.post('/tf-devices', { revoke: ['all'] })).status).toBe(400);
    expect(await devicesOf(adaLaptop)).toHaveLength(2);
  });
});

describe('who may use /tf-devices', () => {
  it('a stale login gets 401 reauth_required for the list and the revocation (FLOW-08), and may go on after /verify', async () => {
    const { clock, ada, adaLaptop } = await twoUsers({ freshness: 600, freshnessGracePeriod: 0, freshnessRequiresSecondFactor: false });
    clock.advance(601);
    for (const reply of [await adaLaptop.get('/tf-devices'), await adaLaptop.post('/tf-devices', { revoke: 'all' })]) {
      expect(reply.status).toBe(401);
      expect(reply.json.reauth_required).toBe(true);
    }
    expect((await adaLaptop.post('/verify', { password: PASSWORD })).status).toBe(200);
    expect(await devicesOf(adaLaptop)).toHaveLength(2);
    expect(await challengedAtLogin(adaLaptop, ada.email)).toBe(false);
  });

  it('a stale browser is sent to /verify with next', async () => {
    const app = makeApp(db.datastore, { options: { ...REMEMBER, freshness: 600, freshnessGracePeriod: 0 } });
    const { phone } = await userWithAuthenticator(app.security, 'devices-stale-html@example.test');
    const browser = await rememberedBrowser(app, 'devices-stale-html@example.test', phone, { userAgent: 'Opera', json: false });
    app.clock.advance(601);
    expect((await browser.get('/tf-devices')).location).toBe('/verify?next=%2Ftf-devices');
  });

  it('anonymous callers and half-finished logins are refused, and nothing is forgotten', async () => {
    const { security, ada, adaLaptop } = await twoUsers();
    const anonymous = new Client(security);
    await anonymous.get('/login');
    expect((await anonymous.get('/tf-devices')).status).toBe(401);
    expect((await anonymous.post('/tf-devices', { revoke: 'all' })).json.errors).toEqual(['You must sign in to view this resource.']);

    // The password alone is not a login: the second factor is still owed.
    const pending = new Client(security);
    await pending.get('/login');
    expect((await pending.post('/login', { email: ada.email, password: PASSWORD })).json.tf_required).toBe(true);
    expect((await pending.get('/tf-devices')).status).toBe(401);
    expect((await pending.post('/tf-devices', { revoke: 'all' })).status).toBe(401);
    expect(await devicesOf(adaLaptop)).toHaveLength(2);

    const browser = new Client(security, { json: false });
    expect((await browser.get('/tf-devices')).location).toBe('/login?next=%2Ftf-devices');
  });

  it('a missing or wrong CSRF token is 403 and forgets nothing', async () => {
    const { adaLaptop } = await twoUsers();
    expect((await adaLaptop.post('/tf-devices', { revoke: 'all' }, { csrf: false })).status).toBe(403);
    expect((await adaLaptop.post('/tf-devices', { revoke: 'all' }, { csrf: 'x'.repeat(32) })).status).toBe(403);
    expect(await devicesOf(adaLaptop)).toHaveLength(2);
  });

  it('is not served when two-factor authentication is off', async () => {
    const { security } = makeApp(db.datastore, { options: { twoFactor: false } });
    expect(await security.handle(new Request('http://localhost/tf-devices'))).toBeNull();
  });
});

describe('the HTML page', () => {
  it('lists the browsers with escaped user agents; "Forget" redirects back with a flash and one fewer', async () => {
    const app = makeApp(db.datastore, { options: REMEMBER });
    const email = 'devices-html@example.test';
    const { phone } = await userWithAuthenticator(app.security, email);
    const hostile = await rememberedBrowser(app, email, phone, { userAgent: '<script>alert(1)</script>', json: false });
    const browser = await rememberedBrowser(app, email, phone, { userAgent: 'Firefox "quoted" & more', json: false });
    const page = await browser.get('/tf-devices');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toContain('Firefox &quot;quoted&quot; &amp; more <span class="tf-badge">This browser</span>');
    expect(formNamed(page.text, 'tf_devices_all_form')).toMatchObject({ action: '/tf-devices', method: 'post', fields: ['csrf_token', 'revoke'] });

    const forget = await browser.post('/tf-devices', { revoke: deviceIdOf(hostile) });
    expect(forget.status).toBe(302);
    expect(forget.location).toBe('/tf-devices');
    const after = await browser.follow(forget);
    expect(after.text).toContain('The browser was forgotten: it will be asked for a code at its next login.');
    expect(after.text).not.toContain('&lt;script&gt;');
    expect([...after.text.matchAll(/name="revoke" value="([^"]+)"/g)].map((match) => match[1])).toEqual([deviceIdOf(browser), 'all']);
  });

  it('an unknown id re-renders the page with status 400 and the error', async () => {
    const app = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(app.security, 'devices-html-error@example.test');
    const browser = await rememberedBrowser(app, 'devices-html-error@example.test', phone, { userAgent: 'Vivaldi', json: false });
    await browser.get('/tf-devices');
    const reply = await browser.post('/tf-devices', { revoke: 'e'.repeat(64) });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('<div class="tf-alert" role="alert"><ul><li>That browser is not one of your remembered browsers.</li></ul></div>');
    expect(reply.text).toContain('Vivaldi');
  });

  it('the set-up page links here when browsers can be remembered', async () => {
    const app = makeApp(db.datastore, { options: REMEMBER });
    const { phone } = await userWithAuthenticator(app.security, 'devices-link@example.test');
    const browser = await rememberedBrowser(app, 'devices-link@example.test', phone, { userAgent: 'Lynx', json: false });
    expect((await browser.get('/tf-setup')).text).toContain('<a href="/tf-devices">');

    const always = makeApp(db.datastore);
    const { phone: otherPhone } = await userWithAuthenticator(always.security, 'devices-no-link@example.test');
    always.clock.advance(30);
    const other = new Client(always.security, { json: false });
    await other.get('/login');
    await other.follow(await other.post('/login', { email: 'devices-no-link@example.test', password: PASSWORD }));
    await other.post('/tf-validate', { code: otherPhone.generatePassword(always.clock.nowInSeconds()) });
    expect((await other.get('/tf-setup')).text).not.toContain('/tf-devices');
  });
});
