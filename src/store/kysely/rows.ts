/** The one place where database rows become domain objects and domain values become column values. */
import type { NewUser, StoredOneTimeCode, StoredRecoveryCode, StoredUser, TwoFactorSettings } from '../datastore.js';
import type {
  EpochSeconds,
  NewOneTimeCodeRow,
  NewRecoveryCodeRow,
  NewUserRow,
  OneTimeCodeRow,
  UserRow,
  UserUpdate,
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
  };
}

/** The `users` columns written by a confirmed second-factor set-up. */
export function toTwoFactorColumns(settings: TwoFactorSettings): UserUpdate {
  return {
    tf_primary_method: settings.method,
    tf_totp_secret: settings.totpSecretEncrypted,
    tf_phone_number: settings.phoneNumber,
    tf_totp_last_step: settings.lastStep === null ? null : wholeNumber('lastStep', settings.lastStep),
  };
}

/** The `users` columns a reset clears. */
export const clearedTwoFactorColumns: UserUpdate = {
  tf_primary_method: null,
  tf_totp_secret: null,
  tf_phone_number: null,
  tf_totp_last_step: null,
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
