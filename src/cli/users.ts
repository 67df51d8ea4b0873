/** The command line's user operations: create, list, deactivate, set a password, reset access, show the second-factor state. */
import { nowInWholeSeconds, type Clock } from '../clock.js';
import { randomId, type Random } from '../crypto/random.js';
import { isEmailAddress } from '../forms/email.js';
import { PASSWORD_MAX_LENGTH } from '../forms/login.js';
import { hashPassword } from '../passwords.js';
import type { Datastore, StoredUser } from '../store/datastore.js';
import { normalizeEmail } from '../users.js';

/** The shortest password `users create` accepts (NIST SP 800-63B §5.1.1.2: at least 8 characters). */
export const PASSWORD_MIN_LENGTH = 8;

/** What the user commands need. */
export interface UserCommandDeps {
  readonly datastore: Datastore;
  readonly random: Random;
  readonly clock: Clock;
}

/** Why a user command did nothing. */
export type UserCommandFailure = 'EMAIL_INVALID' | 'EMAIL_TAKEN' | 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'USER_UNKNOWN';

/**
 * Creates an active user whose password is hashed with argon2id (`hashPassword`), as `security.createUser`
 * does, for a process that has no `Security`.
 */
export async function createUserWithPassword(
  deps: UserCommandDeps,
  input: { readonly email: string; readonly password: string },
): Promise<{ ok: true; user: StoredUser } | { ok: false; code: UserCommandFailure }> {
  const email = normalizeEmail(input.email);
  if (!isEmailAddress(email)) return { ok: false, code: 'EMAIL_INVALID' };
  const problem = passwordProblem(input.password);
  if (problem !== null) return { ok: false, code: problem };
  // Checked first so a taken address costs no hash; the unique index still decides a race.
  if ((await deps.datastore.findUserByEmail(email)) !== null) return { ok: false, code: 'EMAIL_TAKEN' };
  const user = await deps.datastore.createUser({
    id: randomId(deps.random),
    email,
    passwordHash: await hashPassword(input.password),
    fsUniquifier: randomId(deps.random),
    active: true,
    createdAtInSeconds: nowInWholeSeconds(deps.clock),
  });
  return user === null ? { ok: false, code: 'EMAIL_TAKEN' } : { ok: true, user };
}

/** Checks a new password's length; `null` when it is fine. */
function passwordProblem(password: string): 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (password.length > PASSWORD_MAX_LENGTH) return 'PASSWORD_TOO_LONG';
  return null;
}

/**
 * Replaces a user's password with `password` hashed with argon2id (`hashPassword`). Sessions, the second
 * factor and trusted devices stay; `users deactivate` or `users reset-access` end them.
 */
export async function setUserPassword(
  deps: UserCommandDeps,
  input: { readonly email: string; readonly password: string },
): Promise<{ ok: true; user: StoredUser } | { ok: false; code: 'USER_UNKNOWN' | 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' }> {
  const problem = passwordProblem(input.password);
  if (problem !== null) return { ok: false, code: problem };
  const user = await deps.datastore.findUserByEmail(normalizeEmail(input.email));
  if (user === null) return { ok: false, code: 'USER_UNKNOWN' };
  await deps.datastore.updatePasswordHash(user.id, await hashPassword(input.password));
  return { ok: true, user };
}

/**
 * Deactivates a user: `active` false (which also removes their trusted devices) and every session and API
 * token ended, so they are out now, not at their next login. Nothing else is deleted.
 */
export async function deactivateUser(deps: UserCommandDeps, emailInput: string): Promise<{ ok: true; user: StoredUser; sessionsEnded: number } | { ok: false; code: 'USER_UNKNOWN' }> {
  const user = await deps.datastore.findUserByEmail(normalizeEmail(emailInput));
  if (user === null) return { ok: false, code: 'USER_UNKNOWN' };
  await deps.datastore.setUserActive(user.id, false);
  const sessionsEnded = await deps.datastore.deleteUserSessions(user.id);
  return { ok: true, user, sessionsEnded };
}

/** One line of `users list`. */
export interface UserListEntry {
  readonly email: string;
  readonly active: boolean;
  /** The second-factor method set up, or null. */
  readonly tfPrimaryMethod: string | null;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

/** How many users `users list` reads per query. */
const LIST_PAGE_SIZE = 500;

/** Every user in e-mail order, page by page; never a hash or secret. */
export async function listUsers(datastore: { listUsers(afterEmail: string | null, limit: number): Promise<StoredUser[]> }): Promise<UserListEntry[]> {
  const entries: UserListEntry[] = [];
  for (let after: string | null = null; ; ) {
    const page = await datastore.listUsers(after, LIST_PAGE_SIZE);
    for (const user of page) {
      entries.push({ email: user.email, active: user.active, tfPrimaryMethod: user.tfPrimaryMethod, createdAt: new Date(user.createdAtInSeconds * 1000).toISOString() });
    }
    if (page.length < LIST_PAGE_SIZE) return entries;
    after = page[page.length - 1]?.email ?? null;
  }
}

/** `users list` as text: a header, then one user a line. */
export function formatUserList(entries: readonly UserListEntry[]): string {
  const rows = [['EMAIL', 'ACTIVE', 'SECOND FACTOR', 'CREATED'], ...entries.map((entry) => [entry.email, entry.active ? 'yes' : 'no', entry.tfPrimaryMethod ?? 'none', entry.createdAt])];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd((widths[column] ?? 0) + 2) : cell)).join('')).join('\n') + '\n';
}

/**
 * Resets a user's access (`datastore.resetAccess`): a new `fsUniquifier`, the second factor, recovery codes
 * and trusted devices removed, every session and API token ended. The password stays.
 */
export async function resetUserAccess(deps: UserCommandDeps, emailInput: string): Promise<{ ok: true; user: StoredUser } | { ok: false; code: 'USER_UNKNOWN' }> {
  const user = await deps.datastore.findUserByEmail(normalizeEmail(emailInput));
  if (user === null) return { ok: false, code: 'USER_UNKNOWN' };
  await deps.datastore.resetAccess(user.id, randomId(deps.random));
  return { ok: true, user };
}

/** A user's second-factor state as `users show` prints it: no secret, the phone number masked. */
export interface UserSummary {
  readonly id: string;
  readonly email: string;
  readonly active: boolean;
  readonly createdAt: string;
  readonly hasPassword: boolean;
  /** The method set up, or null. */
  readonly tfPrimaryMethod: string | null;
  /**
   * Whether that method is served by the application this environment starts (see `servedMethodsOf`); null
   * without a method. A factor not served blocks the user's login but for a recovery code (fail closed).
   */
  readonly tfMethodServed: boolean | null;
  /** The phone number with all but its first and last two digits hidden, or null. */
  readonly tfPhoneNumberMasked: string | null;
  readonly recoveryCodesLeft: number;
  readonly trustedDevices: number;
}

/** Reads what `users show` prints; never the TOTP secret, the password hash or a code. */
export async function summarizeUser(
  deps: UserCommandDeps,
  emailInput: string,
  servedMethods: readonly string[],
): Promise<{ ok: true; summary: UserSummary } | { ok: false; code: 'USER_UNKNOWN' }> {
  const user = await deps.datastore.findUserByEmail(normalizeEmail(emailInput));
  if (user === null) return { ok: false, code: 'USER_UNKNOWN' };
  const nowInSeconds = nowInWholeSeconds(deps.clock);
  const [recoveryCodesLeft, devices] = await Promise.all([deps.datastore.countUnusedRecoveryCodes(user.id), deps.datastore.listTrustedDevices(user.id, nowInSeconds)]);
  return {
    ok: true,
    summary: {
      id: user.id,
      email: user.email,
      active: user.active,
      createdAt: new Date(user.createdAtInSeconds * 1000).toISOString(),
      hasPassword: user.passwordHash !== null,
      tfPrimaryMethod: user.tfPrimaryMethod,
      tfMethodServed: user.tfPrimaryMethod === null ? null : servedMethods.includes(user.tfPrimaryMethod),
      tfPhoneNumberMasked: user.tfPhoneNumber === null ? null : maskPhoneNumber(user.tfPhoneNumber),
      recoveryCodesLeft,
      trustedDevices: devices.length,
    },
  };
}

/**
 * Hides all digits of a phone number but the first two and the last two: `+15551234567` → `+15*******67`.
 * Numbers of four digits or fewer are hidden entirely.
 */
export function maskPhoneNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const plus = phone.trim().startsWith('+') ? '+' : '';
  if (digits.length <= 4) return plus + '*'.repeat(digits.length);
  return `${plus}${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** `users show` as text, one fact a line. */
export function formatUserSummary(summary: UserSummary): string {
  const rows: [string, string][] = [
    ['id', summary.id],
    ['active', summary.active ? 'yes' : 'no'],
    ['created', summary.createdAt],
    ['password', summary.hasPassword ? 'set' : 'none'],
    ['second factor', secondFactorLine(summary)],
    ['phone', summary.tfPhoneNumberMasked ?? 'none'],
    ['recovery codes left', String(summary.recoveryCodesLeft)],
    ['trusted devices', String(summary.trustedDevices)],
  ];
  return `${summary.email}\n${rows.map(([name, value]) => `  ${`${name}:`.padEnd(21)}${value}`).join('\n')}\n`;
}

/** The method, and when it is not served here, what that means for the user and the fix. */
function secondFactorLine(summary: UserSummary): string {
  if (summary.tfPrimaryMethod === null) return 'none';
  if (summary.tfMethodServed !== false) return summary.tfPrimaryMethod;
  return (
    `${summary.tfPrimaryMethod} (NOT SERVED: not in the enabled methods; the login stops after the password and ` +
    'accepts only a recovery code; enable the method again, or run users reset-access)'
  );
}
