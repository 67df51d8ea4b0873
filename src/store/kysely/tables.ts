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

/** The database as Kysely sees it: `Kysely<TwofoldDb>`. */
export interface TwofoldDb {
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  one_time_codes: OneTimeCodesTable;
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
