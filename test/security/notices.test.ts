/**
 * Threat: someone else changes, turns off or guesses a user's second factor, or uses one of their codes, and the
 * user never hears of it; or the notice that tells them becomes a leak (a code, secret or token in a mail) or a
 * phishing tool (a line or a link smuggled in through the attacker's user agent). Each event must bring the
 * user one plain notice, and nothing more (checklist RL-09, MGT-03, REC-05, TOTP-11).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { TwofoldOptions } from '../../src/config.js';
import type { MailMessage, Mailer } from '../../src/delivery/mail.js';
import type { TwofoldEventName } from '../../src/events.js';
import { decodeBase32 } from '../../src/otp/base32.js';
import { Totp } from '../../src/otp/totp-class.js';
import { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword, wrongCode } from '../support/app.js';
import { Client } from '../support/client.js';
import { TEST_START_IN_SECONDS, TEST_TOTP_SECRETS } from '../support/security.js';
import { startSmtpServer, type ReceivedMail, type SmtpTestServer } from '../support/smtp.js';

const db = useDatastore();
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

const SUBJECT = 'Security notice: two-factor authentication';
const ADDRESS = '198.51.100.23';
const AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const ADVICE = 'If this was not you, change your password now and review your two-factor settings.';
const AT_START = 'When: 2026-01-01 00:00:00 (UTC)';
const A_STEP_LATER = 'When: 2026-01-01 00:00:30 (UTC)';
const FROM = `From: ${ADDRESS}, ${AGENT}`;

const HEADLINES = {
  lockedOut: 'Too many wrong second-factor codes were entered for your account, so it refuses codes for the next 30 seconds.',
  authenticator: 'Your account’s second factor was set to: authenticator.',
  disabled: 'Two-factor authentication was turned off for your account.',
  codesMade: 'A new set of recovery codes was made for your account; the old codes no longer work.',
  codeUsed: (remaining: number) => `A recovery code was used to sign in to your account. ${remaining} unused codes are left: make a new set soon.`,
  replayed: 'A second-factor code that had already been used was entered again for your account. Someone else may have seen it.',
  passedAfterFailures: 'A right second-factor code was entered for your account after 2 wrong ones.',
  // twoFactorLoginValidity is 30 days: the clock starts at 2026-01-01 00:00:00.
  deviceTrusted: 'A browser was remembered for your account: it will not be asked for a second-factor code until 2026-01-31 00:00:00 (UTC).',
} as const;

/** A browser at {@link ADDRESS} sending {@link AGENT}. */
function browser(security: Security, userAgent = AGENT): Client {
  return new Client(security, { clientAddress: ADDRESS, headers: { 'user-agent': userAgent } });
}

/** A full login from {@link browser} with the phone's current code; returns the client and the code it used. */
async function logIn(security: Security, clock: { nowInSeconds(): number }, email: string, phone: Totp, userAgent = AGENT) {
  const client = browser(security, userAgent);
  await client.get('/login');
  expect((await client.post('/login', { email, password: PASSWORD })).status).toBe(200);
  const code = phone.generatePassword(clock.nowInSeconds());
  expect((await client.post('/tf-validate', { code })).status).toBe(200);
  return { client, code };
}

/** Every notice mailed to `email` so far. */
function noticesTo(email: string): ReceivedMail[] {
  return smtp.messages.filter((mail) => mail.to === email && mail.subject === SUBJECT);
}

/**
 * The one notice to `email` that starts with `headline`: waits for it, then 200 ms more so that a second one
 * (a listener subscribed twice, an event emitted twice) would have arrived, and checks there is none.
 */
async function theNotice(email: string, headline: string): Promise<ReceivedMail> {
  await smtp.waitForMail((mail) => mail.to === email && mail.subject === SUBJECT && mail.text.startsWith(`${headline}\n`));
  await sleep(200);
  const matching = noticesTo(email).filter((mail) => mail.text.startsWith(`${headline}\n`));
  expect(matching).toHaveLength(1);
  return matching[0] as ReceivedMail;
}

/** The lines of a notice with its "From:" line, for an event a request raised. */
function linesFromRequest(headline: string, when: string): string[] {
  return [headline, '', when, FROM, '', ADVICE];
}

/** The secret forms of a TOTP key: as shown (base32) and as raw bytes in hex. */
function totpSecretForms(base32: string): string[] {
  return [base32, Buffer.from(decodeBase32(base32)).toString('hex')];
}

/** The tokens a client holds: its CSRF token and its cookies (the session id). */
function tokensOf(client: Client): string[] {
  return [client.csrf ?? '', ...client.cookies.values()].filter((token) => token !== '');
}

/**
 * Checks that a notice holds no code, secret, token or password, and no link. `secrets` are compared without
 * case, and those longer than 8 characters also without dashes and spaces (recovery codes in another grouping).
 */
function expectNothingSecret(mail: ReceivedMail, secrets: readonly string[]): void {
  for (const [part, text] of [['subject', mail.subject], ['text', mail.text], ['html', mail.html ?? '']] as const) {
    expect(text, part).not.toMatch(/\b\d{6}\b/);
    expect(text, part).not.toMatch(/[a-z][a-z\d+.-]*:\/\/|\bwww\.|[a-z\d-]\.[a-z]|\/(?:tf|mf)-|\/(?:login|verify|reset)\b/i);
    const lower = text.toLowerCase();
    const squeezed = lower.replace(/[\s-]/g, '');
    for (const secret of [PASSWORD, ...secrets]) {
      expect(lower, `${part} holds ${secret}`).not.toContain(secret.toLowerCase());
      if (secret.length > 8) expect(squeezed, `${part} holds ${secret}`).not.toContain(secret.toLowerCase().replace(/[\s-]/g, ''));
    }
  }
  // The raw message too (headers, transfer encoding): long secrets only, as short digit runs occur in headers.
  for (const secret of [PASSWORD, ...secrets].filter((candidate) => candidate.length > 8)) expect(mail.raw).not.toContain(secret);
}

/** A logged-in user with an authenticator and a set of recovery codes, made over HTTP from {@link browser}. */
async function userWithRecoveryCodes(email: string) {
  const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
  const { phone } = await userWithAuthenticator(security, email);
  const { client, code } = await logIn(security, clock, email, phone);
  const generated = await client.post('/mf-recovery-codes', {});
  expect(generated.status).toBe(200);
  return { security, clock, phone, client, code, codes: generated.json.recovery_codes as string[] };
}

describe('one notice per event, without secrets', () => {
  it('(RL-09, MGT-03) the wrong code that locks the account brings one lockout notice with the time, address and browser', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorMaxFailedAttempts: 3 } });
    const email = 'notice-lockout@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = browser(security);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD });
    const right = phone.generatePassword(clock.nowInSeconds());
    const wrong = wrongCode(right);
    for (let i = 0; i < 3; i++) expect((await client.post('/tf-validate', { code: wrong })).status, `failure ${i + 1}`).toBe(400);
    // Refused while locked: no further event, so no further notice.
    expect((await client.post('/tf-validate', { code: right })).status).toBe(429);

    const notice = await theNotice(email, HEADLINES.lockedOut);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.lockedOut, AT_START));
    expectNothingSecret(notice, [right, wrong, ...totpSecretForms(phone.secrets), ...tokensOf(client)]);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(MGT-03) setting up a second factor during login brings one notice naming the method', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorRequired: true } });
    const email = 'notice-added@example.test';
    await userWithPassword(security, email);
    const client = browser(security);
    await client.get('/login');
    expect((await client.post('/login', { email, password: PASSWORD })).json).toMatchObject({ tf_state: 'setup_from_login' });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const phone = new Totp(started.json.tf_authr_b32key as string);
    const code = phone.generatePassword(clock.nowInSeconds());
    expect((await client.post('/tf-validate', { code })).status).toBe(200);

    const notice = await theNotice(email, HEADLINES.authenticator);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.authenticator, AT_START));
    expectNothingSecret(notice, [code, ...totpSecretForms(phone.secrets), started.json.tf_authr_key as string, ...tokensOf(client)]);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(MGT-03) changing the factor while logged in through /tf-setup/<token> brings one notice', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const email = 'notice-changed@example.test';
    const { phone: oldPhone } = await userWithAuthenticator(security, email);
    const { client, code: loginCode } = await logIn(security, clock, email, oldPhone);
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const token = started.json.tf_state_token as string;
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    const code = newPhone.generatePassword(clock.nowInSeconds());
    expect((await client.post(`/tf-setup/${token}`, { code })).status).toBe(200);

    const notice = await theNotice(email, HEADLINES.authenticator);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.authenticator, A_STEP_LATER));
    const secrets = [loginCode, code, token, ...totpSecretForms(oldPhone.secrets), ...totpSecretForms(newPhone.secrets), ...tokensOf(client)];
    expectNothingSecret(notice, secrets);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(MGT-03) changing the factor while logged in through the legacy /tf-validate brings one notice', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const email = 'notice-changed-legacy@example.test';
    const { phone: oldPhone } = await userWithAuthenticator(security, email);
    const { client, code: loginCode } = await logIn(security, clock, email, oldPhone);
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const newPhone = new Totp(started.json.tf_authr_b32key as string);
    clock.advance(30);
    const code = newPhone.generatePassword(clock.nowInSeconds());
    expect((await client.post('/tf-validate', { code })).status).toBe(200);

    const notice = await theNotice(email, HEADLINES.authenticator);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.authenticator, A_STEP_LATER));
    const secrets = [loginCode, code, started.json.tf_state_token as string, ...totpSecretForms(oldPhone.secrets), ...totpSecretForms(newPhone.secrets), ...tokensOf(client)];
    expectNothingSecret(notice, secrets);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(MGT-03) turning two-factor authentication off brings one notice', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const email = 'notice-disabled@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const { client, code } = await logIn(security, clock, email, phone);
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(200);

    const notice = await theNotice(email, HEADLINES.disabled);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.disabled, AT_START));
    expectNothingSecret(notice, [code, ...totpSecretForms(phone.secrets), ...tokensOf(client)]);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(MGT-03, REC-05) making recovery codes brings one notice holding none of them', async () => {
    const email = 'notice-codes-made@example.test';
    const { phone, client, code, codes } = await userWithRecoveryCodes(email);
    expect(codes).toHaveLength(10);

    const notice = await theNotice(email, HEADLINES.codesMade);
    expect(notice.text).toContain(`\n${AT_START}\n`);
    expect(notice.text.endsWith(`\n${ADVICE}`)).toBe(true);
    expectNothingSecret(notice, [code, ...codes, ...totpSecretForms(phone.secrets), ...tokensOf(client)]);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(REC-05, MGT-03) logging in with a recovery code brings one notice with the count left and no code', async () => {
    const email = 'notice-code-used@example.test';
    const { security, clock, phone, client: first, code, codes } = await userWithRecoveryCodes(email);
    expect((await first.post('/logout', {})).status).toBe(200);
    clock.advance(30);
    const client = browser(security);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD });
    const rescue = await client.post('/tf-rescue', { help_setup: 'recovery_code' });
    expect(rescue.location).toBe('/mf-recovery');
    expect((await client.post('/mf-recovery', { code: codes[3] })).status).toBe(200);

    const notice = await theNotice(email, HEADLINES.codeUsed(9));
    expect(notice.text).toContain(`\n${A_STEP_LATER}\n`);
    expect(notice.text.endsWith(`\n${ADVICE}`)).toBe(true);
    expectNothingSecret(notice, [code, ...codes, ...totpSecretForms(phone.secrets), ...tokensOf(first), ...tokensOf(client)]);
    // The set made before, then the code used: one notice each, nothing else.
    expect(noticesTo(email).map((mail) => mail.text.split('\n')[0])).toEqual([HEADLINES.codesMade, HEADLINES.codeUsed(9)]);
  });

  it('(TOTP-11) a used authenticator code entered again brings one replay notice without the code', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const email = 'notice-replayed@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const { client: first, code } = await logIn(security, clock, email, phone);
    const second = browser(security);
    await second.get('/login');
    await second.post('/login', { email, password: PASSWORD });
    expect((await second.post('/tf-validate', { code })).status).toBe(400);

    const notice = await theNotice(email, HEADLINES.replayed);
    expect(notice.text).toContain(`\n${AT_START}\n`);
    expect(notice.text.endsWith(`\n${ADVICE}`)).toBe(true);
    expectNothingSecret(notice, [code, ...totpSecretForms(phone.secrets), ...tokensOf(first), ...tokensOf(second)]);
    expect(noticesTo(email)).toHaveLength(1);
  });

  it('(MGT-03, RL-09) a right code after wrong ones brings one notice saying how many, without any of the codes', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
    const email = 'notice-after-failures@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = browser(security);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD });
    const right = phone.generatePassword(clock.nowInSeconds());
    for (let i = 0; i < 2; i++) expect((await client.post('/tf-validate', { code: wrongCode(right) })).status).toBe(400);
    expect((await client.post('/tf-validate', { code: right })).status).toBe(200);
    const notice = await theNotice(email, HEADLINES.passedAfterFailures);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.passedAfterFailures, AT_START));
    expectNothingSecret(notice, [right, wrongCode(right), ...tokensOf(client)]);
    // The next login, with no failures before it, brings no such notice.
    clock.advance(30);
    const next = browser(security);
    await next.get('/login');
    await next.post('/login', { email, password: PASSWORD });
    expect((await next.post('/tf-validate', { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.messages.filter((mail) => mail.to === email && mail.text.startsWith(HEADLINES.passedAfterFailures))).toHaveLength(1);
  });

  it('(RMD-05, MGT-03) remembering a browser brings one notice saying until when, with address and browser', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { twoFactorAlwaysValidate: false } });
    const email = 'notice-device@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = browser(security);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD, remember: true });
    const code = phone.generatePassword(clock.nowInSeconds());
    const done = await client.post('/tf-validate', { code });
    expect(done.headers.getSetCookie().some((cookie) => cookie.startsWith('tf_validity='))).toBe(true);
    const notice = await theNotice(email, HEADLINES.deviceTrusted);
    expect(notice.text.split('\n')).toEqual(linesFromRequest(HEADLINES.deviceTrusted, AT_START));
    expectNothingSecret(notice, [code, ...tokensOf(client)]);
  });

  it('(RL-09, REC-05, TOTP-11) the notices of recovery codes made or used and of a replay say which address and browser it was', async () => {
    const email = 'notice-from@example.test';
    const { security, clock, client: first, code, codes } = await userWithRecoveryCodes(email);
    await theNotice(email, HEADLINES.codesMade);
    expect((await first.post('/logout', {})).status).toBe(200);
    clock.advance(30);
    const replayer = browser(security);
    await replayer.get('/login');
    await replayer.post('/login', { email, password: PASSWORD });
    expect((await replayer.post('/tf-validate', { code })).status).toBe(400);
    const recovering = browser(security);
    await recovering.get('/login');
    await recovering.post('/login', { email, password: PASSWORD });
    await recovering.post('/tf-rescue', { help_setup: 'recovery_code' });
    expect((await recovering.post('/mf-recovery', { code: codes[0] })).status).toBe(200);

    expect((await theNotice(email, HEADLINES.replayed)).text.split('\n')).toEqual(linesFromRequest(HEADLINES.replayed, A_STEP_LATER));
    expect((await theNotice(email, HEADLINES.codeUsed(9))).text.split('\n')).toEqual(linesFromRequest(HEADLINES.codeUsed(9), A_STEP_LATER));
    expect(noticesTo(email)[0]?.text.split('\n')).toEqual(linesFromRequest(HEADLINES.codesMade, AT_START));
  });
});

/** A Security like makeSecurity's, with `onListenerError` recorded. */
function securityRecordingListenerErrors(mailer: Mailer | null, options: TwofoldOptions = {}) {
  const clock = fixedClock(TEST_START_IN_SECONDS + 0.25);
  const listenerErrors: { event: TwofoldEventName; error: unknown }[] = [];
  const security = new Security(
    { totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'twofold tests', twoFactorEnabledMethods: ['authenticator', 'sms'], ...options },
    db.datastore,
    { clock, mailer, onListenerError: (error, event) => void listenerErrors.push({ event, error }) },
  );
  return { security, clock, listenerErrors };
}

/**
 * A request `client` would send, but whose User-Agent holds characters Fetch's `Headers` refuses (CR, LF): what
 * an adapter that builds its request-like object without Fetch's checks could hand twofold.
 */
async function postWithRawUserAgent(security: Security, client: Client, path: string, body: Record<string, unknown>, userAgent: string): Promise<number> {
  const headers = new Headers({
    accept: 'application/json',
    'content-type': 'application/json',
    cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    'x-csrf-token': client.csrf ?? '',
  });
  const request = new Request(`http://localhost${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  Object.defineProperty(request, 'headers', { value: withRawUserAgent(request.headers, userAgent) });
  return (await security.handle(request, { clientAddress: ADDRESS }))?.status ?? 404;
}

/** A copy of `headers` whose `get('user-agent')` answers `userAgent` as it is. */
function withRawUserAgent(headers: Headers, userAgent: string): Headers {
  const copy = new Headers(headers);
  const get = copy.get.bind(copy);
  return Object.defineProperty(copy, 'get', { value: (name: string) => (name.toLowerCase() === 'user-agent' ? userAgent : get(name)) });
}

describe('switches, hostile input and failures', () => {
  it('(MGT-03) sendTwoFactorNoticeEmail: false sends no notice; the disable still works', async () => {
    const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url, options: { sendTwoFactorNoticeEmail: false } });
    const email = 'notice-off@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const disabled: string[] = [];
    security.events.on('tfDisabled', (event) => void disabled.push(event.user.email));
    const { client } = await logIn(security, clock, email, phone);
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
    expect(disabled).toEqual([email]);
    await sleep(200);
    expect(noticesTo(email)).toEqual([]);
  });

  it('(MGT-03) without a mailer there is no notice and no listener error', async () => {
    const { security, clock, listenerErrors } = securityRecordingListenerErrors(null);
    const email = 'notice-no-mailer@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const { client } = await logIn(security, clock, email, phone);
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
    expect((await security.findUserByEmail(email))?.tfPrimaryMethod).toBeNull();
    await sleep(200);
    expect(listenerErrors).toEqual([]);
    expect(noticesTo(email)).toEqual([]);
  });

  it('(MGT-03) a user agent cannot add a line or a link to the notice', async () => {
    const fakeLine = 'If this was you, ignore this';
    const hostile = [
      // Through an adapter that skips Fetch's header checks: CR and LF themselves.
      { email: 'notice-ua-crlf@example.test', agent: `Mozilla/5.0\r\n${fakeLine}\r\n\r\nhttps://evil.example/secure`, raw: true },
      // Through Fetch: the controls its Headers let pass (VT, FF, NEL, ESC), and a bare domain.
      { email: 'notice-ua-controls@example.test', agent: `Mozilla/5.0\u000b\u000c\u0085\u001b[2K${fakeLine} at www.evil.example`, raw: false },
    ];
    for (const { email, agent, raw } of hostile) {
      const { security, clock } = makeApp(db.datastore, { smtpUrl: smtp.url });
      const { phone } = await userWithAuthenticator(security, email);
      const { client, code } = await logIn(security, clock, email, phone, raw ? AGENT : agent);
      const status = raw ? await postWithRawUserAgent(security, client, '/tf-setup', { setup: 'disable' }, agent) : (await client.post('/tf-setup', { setup: 'disable' })).status;
      expect(status, email).toBe(200);

      const notice = await theNotice(email, HEADLINES.disabled);
      const lines = notice.text.split('\n');
      expect(lines, email).toHaveLength(6);
      expect(lines[3], email).toMatch(new RegExp(`^From: ${ADDRESS.replace(/\./g, '\\.')}, Mozilla/5\\.0 .*${fakeLine}`));
      expect(lines.filter((line) => line.includes(fakeLine)), email).toHaveLength(1);
      // eslint-disable-next-line no-control-regex -- control characters are what the notice must not hold
      expect(notice.text, email).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      expectNothingSecret(notice, [code, ...totpSecretForms(phone.secrets), ...tokensOf(client)]);
    }
  });

  it('(MGT-03) a mailer failing on notices: the disable answers 200 and holds; onListenerError gets tfDisabled, without a code', async () => {
    const sent: MailMessage[] = [];
    const mailer: Mailer = {
      async send(message) {
        // As a mail service that echoes the refused message would: the error then shows what the notice held.
        if (message.subject === SUBJECT) throw new Error(`550 message refused: ${message.text}`);
        sent.push(message);
      },
    };
    const { security, clock, listenerErrors } = securityRecordingListenerErrors(mailer);
    const email = 'notice-mailer-fails@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const { client, code } = await logIn(security, clock, email, phone);
    expect((await client.post('/tf-setup', { setup: 'disable' })).status).toBe(200);
    expect((await security.findUserByEmail(email))?.tfPrimaryMethod).toBeNull();

    await vi.waitFor(() => expect(listenerErrors).toHaveLength(1));
    await sleep(200);
    expect(listenerErrors.map(({ event }) => event)).toEqual(['tfDisabled']);
    const error = listenerErrors[0]?.error;
    expect(error).toBeInstanceOf(Error);
    const errorText = `${String(error)}\n${(error as Error).stack ?? ''}`;
    expect(errorText).toContain(HEADLINES.disabled);
    expect(errorText).not.toMatch(/\b\d{6}\b/);
    for (const secret of [code, PASSWORD, ...totpSecretForms(phone.secrets), ...tokensOf(client)]) expect(errorText).not.toContain(secret);
    expect(sent).toEqual([]);
  });
});
