/**
 * Login enumeration (checklist ENUM-01): until the password is right, `/login` must not tell an unknown address
 * from a known one, nor an account with 2FA from one without — not by status, header, cookie or body, and not by
 * the time the reply takes.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MailMessage } from '../../src/delivery/mail.js';
import { hashPassword } from '../../src/passwords.js';
import type { Security } from '../../src/security.js';
import type { Datastore } from '../../src/store/datastore.js';
import { PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';
import { makeSecurity } from '../support/security.js';

// Every argon2id call twofold makes, counted: src/passwords.ts is the only caller, so this is a count of password
// hash work per request without touching the library.
const argon2Calls = vi.hoisted(() => ({ verify: 0, hash: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...original,
    verify: (...args: Parameters<typeof original.verify>) => {
      argon2Calls.verify += 1;
      return original.verify(...args);
    },
    hash: (...args: Parameters<typeof original.hash>) => {
      argon2Calls.hash += 1;
      return original.hash(...args);
    },
  };
});

const db = useDatastore();
const WRONG_PASSWORD = 'not the password';
const BRANCHES = ['unknown e-mail', 'no 2FA', 'authenticator', 'e-mail 2FA', 'deactivated'] as const;
type Branch = (typeof BRANCHES)[number];

/** Names every datastore method a request calls, in order. */
function recordingDatastore(target: Datastore, calls: string[]): Datastore {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...parameters: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/** An app with one account per branch (and e-mail as a method, so an e-mail 2FA account can exist). */
async function enumerationApp() {
  const datastoreCalls: string[] = [];
  const mails: MailMessage[] = [];
  const made = makeSecurity(recordingDatastore(db.datastore, datastoreCalls), { mailer: { send: async (mail) => void mails.push(mail) } });
  const { security } = made;
  const suffix = Math.random().toString(36).slice(2, 8);
  const emails: Record<Branch, string> = {
    'unknown e-mail': `nobody-${suffix}@example.test`,
    'no 2FA': `plain-${suffix}@example.test`,
    authenticator: `authr-${suffix}@example.test`,
    'e-mail 2FA': `mailed-${suffix}@example.test`,
    deactivated: `gone-${suffix}@example.test`,
  };
  await userWithPassword(security, emails['no 2FA']);
  await userWithAuthenticator(security, emails.authenticator);
  const mailed = await userWithPassword(security, emails['e-mail 2FA']);
  await security.datastore.setTwoFactor(mailed.id, { method: 'email', totpSecretEncrypted: null, phoneNumber: null, lastStep: null });
  await security.createUser({ email: emails.deactivated, passwordHash: await hashPassword(PASSWORD), active: false });
  // The dummy hash an unknown address is checked against is made on first use; make it now, outside any count.
  await failedLogin(security, `warm-up-${suffix}@example.test`, true);
  return { ...made, emails, datastoreCalls, mails };
}

/** A browser's or script's failed login: the login page, then a wrong password; only the POST is timed. */
async function failedLogin(security: Security, email: string, json: boolean) {
  const client = new Client(security, { json });
  await client.get('/login');
  const start = performance.now();
  const reply = await client.post('/login', { email, password: WRONG_PASSWORD });
  const milliseconds = performance.now() - start;
  return { client, reply, milliseconds };
}

/** The reply with what must differ between any two requests masked: the CSRF nonce, the session id, the typed address. */
async function maskedFailedLogin(security: Security, email: string, json: boolean) {
  const { client, reply } = await failedLogin(security, email, json);
  const nonces = [client.csrf, ...client.cookies.values()].filter((value): value is string => value !== null);
  const mask = (text: string): string => nonces.reduce((masked, nonce) => masked.replaceAll(nonce, '<nonce>'), text).replaceAll(email, '<email>');
  return {
    status: reply.status,
    headers: [...reply.headers].filter(([name]) => name !== 'set-cookie').map(([name, value]) => `${name}: ${mask(value)}`),
    setCookies: reply.headers.getSetCookie().map(mask),
    body: mask(reply.text),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

describe('a failed login says nothing about the account (ENUM-01)', () => {
  for (const json of [true, false]) {
    it(`${json ? 'JSON' : 'HTML'}: the same status, headers, cookies and body, byte for byte, on every branch`, async () => {
      const { security, emails } = await enumerationApp();
      const replies = new Map<Branch, Awaited<ReturnType<typeof maskedFailedLogin>>>();
      for (const branch of BRANCHES) replies.set(branch, await maskedFailedLogin(security, emails[branch], json));
      const reference = replies.get('unknown e-mail');
      expect(reference?.status).toBe(json ? 400 : 200);
      expect(reference?.body).toContain('Authentication failed - identity or password/passcode invalid');
      for (const branch of BRANCHES) expect(replies.get(branch), branch).toEqual(reference);
    });
  }

  it('every branch does the same work: one argon2id verification, the same datastore calls, nothing sent', async () => {
    const { security, emails, datastoreCalls, mails } = await enumerationApp();
    const work = new Map<Branch, { verify: number; hash: number; datastore: string[] }>();
    for (const branch of BRANCHES) {
      const client = new Client(security);
      await client.get('/login');
      argon2Calls.verify = 0;
      argon2Calls.hash = 0;
      datastoreCalls.length = 0;
      await client.post('/login', { email: emails[branch], password: WRONG_PASSWORD });
      work.set(branch, { verify: argon2Calls.verify, hash: argon2Calls.hash, datastore: [...datastoreCalls] });
    }
    const reference = work.get('unknown e-mail');
    expect(reference).toMatchObject({ verify: 1, hash: 0 });
    expect(reference?.datastore).toContain('findUserByEmail');
    for (const branch of BRANCHES) expect(work.get(branch), branch).toEqual(reference);
    expect(mails).toEqual([]);
  });

  // Why this exists: ENUM-01 is a side channel, and the counts above only prove today's code does the same work.
  // This guards the property itself against a later change (an early return before the hash for an unknown
  // address, a hash skipped for a deactivated account), which would make one branch about 10–100× faster than
  // the others, since argon2id costs tens of milliseconds and the rest of a request well under one. A factor of
  // 1.5 between medians of interleaved tries is far outside the noise, so it does not flake, and far inside the
  // gap a skipped hash opens. It is no speed test; `npx tsx bench/login-timing.ts` measures with 200 samples.
  it('no branch is measurably faster or slower: medians of interleaved tries within 1.5× of each other', async () => {
    const TRIES_PER_BRANCH = 30;
    const { security, emails } = await enumerationApp();
    const samples = new Map<Branch, number[]>(BRANCHES.map((branch) => [branch, []]));
    for (let round = 0; round < TRIES_PER_BRANCH; round++) {
      // Rotated each round, so no branch always runs first (or right after the same neighbour).
      for (let index = 0; index < BRANCHES.length; index++) {
        const branch = BRANCHES[(round + index) % BRANCHES.length] as Branch;
        const { reply, milliseconds } = await failedLogin(security, emails[branch], true);
        expect(reply.status, branch).toBe(400);
        samples.get(branch)?.push(milliseconds);
      }
    }
    const medians = BRANCHES.map((branch) => median(samples.get(branch) ?? []));
    const summary = BRANCHES.map((branch, index) => `${branch} ${(medians[index] as number).toFixed(1)} ms`).join(', ');
    expect(Math.max(...medians) / Math.min(...medians), summary).toBeLessThanOrEqual(1.5);
  });
});
