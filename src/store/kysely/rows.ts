/** The one place where database rows become domain objects and domain values become column values. */
import type {
  NewUser,
  SessionUpdate,
  StoredOneTimeCode,
  StoredRecoveryCode,
  StoredSession,
  StoredTrustedDevice,
  StoredUser,
  TwoFactorSettings,
} from '../datastore.js';
import {
  userAgentMaxLength,
  type EpochSeconds,
  type NewOneTimeCodeRow,
  type NewRecoveryCodeRow,
  type NewSessionRow,
  type NewTrustedDeviceRow,
  type NewUserRow,
  type OneTimeCodeRow,
  type SessionRowUpdate,
  type SessionWithUserRow,
  type TrustedDeviceRow,
  type UserRow,
  type UserUpdate,
} from './tables.js';

/** Reads a boolean column: PostgreSQL gives `true`/`false`, SQLite and MySQL/MariaDB give `1`/`0`. */
export function fromDbBoolean(value: UserRow['active']): boolean {
  return value === true || value === 1;
}

/** Writes a boolean column as `1`/`0`: SQLite cannot bind a JS boolean, and PostgreSQL and MySQL accept `1`/`0`. */
export function toDbBoolean(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/**
 * Checks a time, step or count before it reaches SQL. A fraction would be rejected by PostgreSQL's `bigint`,
 * rounded by MySQL and stored as REAL by SQLite, so the three databases would disagree; the contract says
 * whole seconds, and this makes a caller's slip (an unfloored `clock.nowInSeconds()`) fail loudly.
 *
 * @throws TypeError naming the argument when `value` is not a safe integer.
 */
export function wholeNumber(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`Argument '${name}' must be a whole number (seconds, steps or a count), got ${value}`);
  }
  return value;
}

/** Maps a `users` row to the domain's {@link StoredUser}. */
export function toStoredUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    fsUniquifier: row.fs_uniquifier,
    active: fromDbBoolean(row.active),
    tfPrimaryMethod: row.tf_primary_method,
    tfTotpSecretEncrypted: row.tf_totp_secret,
    tfPhoneNumber: row.tf_phone_number,
    tfTotpLastStep: row.tf_totp_last_step,
    createdAtInSeconds: row.created_at,
    tfFailedAttempts: row.tf_failed_attempts,
    tfLockedUntilInSeconds: row.tf_locked_until,
    tfSetAtInSeconds: row.tf_set_at,
    tfSetAddress: row.tf_set_address,
    tfSetUserAgent: row.tf_set_user_agent,
    tfLastUsedAtInSeconds: row.tf_last_used_at,
  };
}

/** The row inserted for a new user; the second factor starts unset. */
export function toNewUserRow(user: NewUser): NewUserRow {
  return {
    id: user.id,
    email: user.email,
    password_hash: user.passwordHash,
    fs_uniquifier: user.fsUniquifier,
    active: toDbBoolean(user.active),
    tf_primary_method: null,
    tf_totp_secret: null,
    tf_phone_number: null,
    tf_totp_last_step: null,
    created_at: wholeNumber('createdAtInSeconds', user.createdAtInSeconds),
  };
}

/** The user exactly as {@link toNewUserRow} stored it, without reading it back (MySQL has no RETURNING). */
export function storedUserFromNew(user: NewUser): StoredUser {
  return {
    id: user.id,
    email: user.email,
    passwordHash: user.passwordHash,
    fsUniquifier: user.fsUniquifier,
    active: user.active,
    createdAtInSeconds: user.createdAtInSeconds,
    tfPrimaryMethod: null,
    tfTotpSecretEncrypted: null,
    tfPhoneNumber: null,
    tfTotpLastStep: null,
    tfFailedAttempts: 0,
    tfLockedUntilInSeconds: null,
    tfSetAtInSeconds: null,
    tfSetAddress: null,
    tfSetUserAgent: null,
    tfLastUsedAtInSeconds: null,
  };
}

/** The `users` columns written by a confirmed second-factor set-up. */
export function toTwoFactorColumns(settings: TwoFactorSettings): UserUpdate {
  return {
    tf_primary_method: settings.method,
    tf_totp_secret: settings.totpSecretEncrypted,
    tf_phone_number: settings.phoneNumber,
    tf_totp_last_step: settings.lastStep === null ? null : wholeNumber('lastStep', settings.lastStep),
    tf_set_at: settings.setAtInSeconds === undefined ? null : wholeNumber('setAtInSeconds', settings.setAtInSeconds),
    tf_set_address: settings.setFrom?.address?.slice(0, 64) ?? null,
    tf_set_user_agent: settings.setFrom?.userAgent === undefined || settings.setFrom.userAgent === null ? null : truncateUserAgent(settings.setFrom.userAgent),
    tf_last_used_at: null,
  };
}

/** The `users` columns a reset clears. */
export const clearedTwoFactorColumns: UserUpdate = {
  tf_primary_method: null,
  tf_totp_secret: null,
  tf_phone_number: null,
  tf_totp_last_step: null,
  tf_set_at: null,
  tf_set_address: null,
  tf_set_user_agent: null,
  tf_last_used_at: null,
};

/** Maps a recovery code's row (id and hash are all the domain sees) to {@link StoredRecoveryCode}. */
export function toStoredRecoveryCode(row: { id: string; code_hash: string }): StoredRecoveryCode {
  return { id: row.id, codeHash: row.code_hash };
}

/** The row inserted for one recovery code. */
export function toNewRecoveryCodeRow(userId: string, code: StoredRecoveryCode, createdAtInSeconds: EpochSeconds): NewRecoveryCodeRow {
  return { id: code.id, user_id: userId, code_hash: code.codeHash, created_at: createdAtInSeconds, used_at: null };
}

/** Maps a `one_time_codes` row to the domain's {@link StoredOneTimeCode}. */
export function toStoredOneTimeCode(row: OneTimeCodeRow): StoredOneTimeCode {
  return {
    id: row.id,
    userId: row.user_id,
    purpose: row.purpose,
    codeHash: row.code_hash,
    expiresAtInSeconds: row.expires_at,
    attempts: row.attempts,
    usedAtInSeconds: row.used_at,
    createdAtInSeconds: row.created_at,
  };
}

/** The row inserted for a new one-time code: no attempts yet, unused. */
export function toNewOneTimeCodeRow(code: Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>): NewOneTimeCodeRow {
  return {
    id: code.id,
    user_id: code.userId,
    purpose: code.purpose,
    code_hash: code.codeHash,
    expires_at: wholeNumber('expiresAtInSeconds', code.expiresAtInSeconds),
    used_at: null,
    created_at: wholeNumber('createdAtInSeconds', code.createdAtInSeconds),
  };
}

/** Maps a row of the key-rotation listing. */
export function toEncryptedTotpSecret(row: { id: string; tf_totp_secret: string }): { id: string; tfTotpSecretEncrypted: string } {
  return { id: row.id, tfTotpSecretEncrypted: row.tf_totp_secret };
}

/** The row inserted for a new session. */
export function toNewSessionRow(session: StoredSession): NewSessionRow {
  return {
    id_hash: session.idHash,
    kind: session.kind,
    user_id: session.userId,
    fs_uniquifier: session.fsUniquifier,
    data: session.data,
    authenticated_at: session.authenticatedAtInSeconds === null ? null : wholeNumber('authenticatedAtInSeconds', session.authenticatedAtInSeconds),
    created_at: wholeNumber('createdAtInSeconds', session.createdAtInSeconds),
    last_seen_at: wholeNumber('lastSeenAtInSeconds', session.lastSeenAtInSeconds),
    expires_at: wholeNumber('expiresAtInSeconds', session.expiresAtInSeconds),
  };
}

/** The columns a {@link SessionUpdate} writes; a field left out (or `undefined`) is not written. */
export function toSessionColumns(update: SessionUpdate): SessionRowUpdate {
  const columns: SessionRowUpdate = {};
  if (update.data !== undefined) columns.data = update.data;
  if (update.lastSeenAtInSeconds !== undefined) columns.last_seen_at = wholeNumber('lastSeenAtInSeconds', update.lastSeenAtInSeconds);
  if (update.expiresAtInSeconds !== undefined) columns.expires_at = wholeNumber('expiresAtInSeconds', update.expiresAtInSeconds);
  const { authenticatedAtInSeconds: authenticatedAt } = update;
  if (authenticatedAt !== undefined) columns.authenticated_at = authenticatedAt === null ? null : wholeNumber('authenticatedAtInSeconds', authenticatedAt);
  return columns;
}

/** Maps a row of `sessions LEFT JOIN users` to the session and its user (`null` when none joined). */
export function toSessionWithUser(idHash: string, row: SessionWithUserRow): { session: StoredSession; user: StoredUser | null } {
  const session: StoredSession = {
    idHash,
    kind: row.kind,
    userId: row.user_id,
    fsUniquifier: row.fs_uniquifier,
    data: row.data,
    authenticatedAtInSeconds: row.authenticated_at,
    createdAtInSeconds: row.created_at,
    lastSeenAtInSeconds: row.last_seen_at,
    expiresAtInSeconds: row.expires_at,
  };
  return { session, user: joinedUser(row) };
}

/** The user of a joined session row; `null` when the join found none (its NOT NULL columns are then null). */
function joinedUser(row: SessionWithUserRow): StoredUser | null {
  const { user_id: id, user_email: email, user_fs_uniquifier: fsUniquifier, user_active: active, user_created_at: createdAt, user_tf_failed_attempts: failedAttempts } = row;
  if (id === null || email === null || fsUniquifier === null || active === null || createdAt === null || failedAttempts === null) return null;
  return toStoredUser({
    id,
    email,
    password_hash: row.user_password_hash,
    fs_uniquifier: fsUniquifier,
    active,
    tf_primary_method: row.user_tf_primary_method,
    tf_totp_secret: row.user_tf_totp_secret,
    tf_phone_number: row.user_tf_phone_number,
    tf_totp_last_step: row.user_tf_totp_last_step,
    created_at: createdAt,
    tf_failed_attempts: failedAttempts,
    tf_locked_until: row.user_tf_locked_until,
    tf_set_at: row.user_tf_set_at,
    tf_set_address: row.user_tf_set_address,
    tf_set_user_agent: row.user_tf_set_user_agent,
    tf_last_used_at: row.user_tf_last_used_at,
  });
}

/** The row inserted for a new trusted device; the user agent is shortened to fit (see {@link truncateUserAgent}). */
export function toNewTrustedDeviceRow(device: StoredTrustedDevice): NewTrustedDeviceRow {
  return {
    id_hash: device.idHash,
    user_id: device.userId,
    user_agent: truncateUserAgent(device.userAgent),
    created_at: wholeNumber('createdAtInSeconds', device.createdAtInSeconds),
    last_used_at: wholeNumber('lastUsedAtInSeconds', device.lastUsedAtInSeconds),
    expires_at: wholeNumber('expiresAtInSeconds', device.expiresAtInSeconds),
  };
}

/** Maps a `trusted_devices` row to the domain's {@link StoredTrustedDevice}. */
export function toStoredTrustedDevice(row: TrustedDeviceRow): StoredTrustedDevice {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    userAgent: row.user_agent,
    createdAtInSeconds: row.created_at,
    lastUsedAtInSeconds: row.last_used_at,
    expiresAtInSeconds: row.expires_at,
  };
}

/**
 * The first {@link userAgentMaxLength} code points of a user agent, as `varchar(255)` counts them on PostgreSQL and
 * MySQL: the header only labels the device in the user's list, so a long one is cut, not refused, and never mid-emoji.
 * The first 510 UTF-16 units hold at least 255 code points, so a huge header is not split whole.
 */
export function truncateUserAgent(userAgent: string): string {
  if (userAgent.length <= userAgentMaxLength) return userAgent;
  return Array.from(userAgent.slice(0, 2 * userAgentMaxLength)).slice(0, userAgentMaxLength).join('');
}
