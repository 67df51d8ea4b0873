/** The tables of twofold's Kysely datastore as the database holds them: snake_case columns, database types. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Whole seconds since the Unix epoch, in a `bigint` column; every driver is set up to return a JS number. */
export type EpochSeconds = number;

/**
 * A boolean column. PostgreSQL returns `true`/`false`; SQLite (which has no boolean) and MySQL/MariaDB
 * (`tinyint(1)`) return `1`/`0`. It is always written as `1`/`0`, which all three accept.
 */
export type DbBoolean = ColumnType<boolean | 0 | 1, 0 | 1, 0 | 1>;

/** `users`: identity, password hash and second-factor settings. */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  fs_uniquifier: string;
  active: DbBoolean;
  tf_primary_method: string | null;
  /** The key ring's ciphertext, never the plain secret. */
  tf_totp_secret: string | null;
  tf_phone_number: string | null;
  tf_totp_last_step: number | null;
  created_at: EpochSeconds;
  /** Wrong second-factor codes since the last success, every factor together (checklist RL-01…RL-04). */
  tf_failed_attempts: Generated<number>;
  /** Until when second-factor codes are refused, even a right one; null when not locked. */
  tf_locked_until: EpochSeconds | null;
  /** When the current second factor was confirmed (checklist MGT-04); null when none or not recorded. */
  tf_set_at: EpochSeconds | null;
  /** The client address that confirmed it, at most 64 characters; null when not known. */
  tf_set_address: string | null;
  /** The user agent that confirmed it, at most 255 characters; null when not known. */
  tf_set_user_agent: string | null;
  /** When a code of it last passed; null when never. */
  tf_last_used_at: EpochSeconds | null;
}

/** `recovery_codes`: one row per code, holding only its hash. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: EpochSeconds;
  used_at: EpochSeconds | null;
}

/** `one_time_codes`: e-mail and SMS codes, at most one row per user and purpose. */
export interface OneTimeCodesTable {
  id: string;
  user_id: string;
  purpose: string;
  code_hash: string;
  expires_at: EpochSeconds;
  attempts: Generated<number>;
  used_at: EpochSeconds | null;
  created_at: EpochSeconds;
}

/** `sessions`: server-side browser and API sessions, keyed by the SHA-256 of their random id. */
export interface SessionsTable {
  id_hash: string;
  kind: 'browser' | 'token';
  /** Null while anonymous or half-way through a login. */
  user_id: string | null;
  fs_uniquifier: string | null;
  /** The web layer's JSON. */
  data: string;
  authenticated_at: EpochSeconds | null;
  created_at: EpochSeconds;
  last_seen_at: EpochSeconds;
  expires_at: EpochSeconds;
}

/** `trusted_devices`: browsers a user chose to trust, keyed by the hash of their random token. */
export interface TrustedDevicesTable {
  id_hash: string;
  user_id: string;
  /** At most {@link userAgentMaxLength} characters. */
  user_agent: string;
  created_at: EpochSeconds;
  last_used_at: EpochSeconds;
  expires_at: EpochSeconds;
}

/** The length of `trusted_devices.user_agent` (`varchar(255)`), in characters (Unicode code points). */
export const userAgentMaxLength = 255;

/** `rate_limits`: one counter per key; its window ends at `expires_at`. */
export interface RateLimitsTable {
  key: string;
  hits: number;
  expires_at: EpochSeconds;
}

/** The database as Kysely sees it: `Kysely<TwofoldDb>`. */
export interface TwofoldDb {
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  one_time_codes: OneTimeCodesTable;
  sessions: SessionsTable;
  trusted_devices: TrustedDevicesTable;
  rate_limits: RateLimitsTable;
}

/** A `users` row as read. */
export type UserRow = Selectable<UsersTable>;
/** A `users` row as inserted. */
export type NewUserRow = Insertable<UsersTable>;
/** A change to a `users` row. */
export type UserUpdate = Updateable<UsersTable>;
/** A `recovery_codes` row as inserted. */
export type NewRecoveryCodeRow = Insertable<RecoveryCodesTable>;
/** A `one_time_codes` row as read. */
export type OneTimeCodeRow = Selectable<OneTimeCodesTable>;
/** A `one_time_codes` row as inserted. */
export type NewOneTimeCodeRow = Insertable<OneTimeCodesTable>;
/** A `sessions` row as inserted. */
export type NewSessionRow = Insertable<SessionsTable>;
/** A change to a `sessions` row. */
export type SessionRowUpdate = Updateable<SessionsTable>;
/** A `trusted_devices` row as read. */
export type TrustedDeviceRow = Selectable<TrustedDevicesTable>;
/** A `trusted_devices` row as inserted. */
export type NewTrustedDeviceRow = Insertable<TrustedDevicesTable>;
/**
 * A row of `sessions LEFT JOIN users` as `findSession` reads it: the session's columns but `id_hash` (the
 * caller has it), then the user's columns but `id` (it equals `user_id`) prefixed `user_`, null when no user joined.
 */
export type SessionWithUserRow = Omit<Selectable<SessionsTable>, 'id_hash'> & { [K in Exclude<keyof UserRow, 'id'> as `user_${K}`]: UserRow[K] | null };
