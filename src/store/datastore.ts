/** What twofold needs from storage, in domain terms; `store/kysely/` implements it for SQLite, PostgreSQL and MariaDB. */

/**
 * A user row as stored. The TOTP secret is the key ring's ciphertext (see `crypto/keyring.ts`); the core
 * decrypts it only where a code is checked (`decryptTotpSecret` in `src/users.ts`), so no datastore ever sees the plain secret.
 * All times are whole seconds since the Unix epoch.
 */
export interface StoredUser {
  readonly id: string;
  /** Already normalised by the caller (trimmed, lower case); the datastore compares it exactly. */
  readonly email: string;
  readonly passwordHash: string | null;
  /** Rotated to invalidate every session, token and trusted device at once. */
  readonly fsUniquifier: string;
  readonly active: boolean;
  readonly tfPrimaryMethod: string | null;
  readonly tfTotpSecretEncrypted: string | null;
  /** E.164, stored only after a code sent to it was confirmed. */
  readonly tfPhoneNumber: string | null;
  /** The last TOTP time step accepted; a code for this step or an earlier one is refused (RFC 6238 §5.2). */
  readonly tfTotpLastStep: number | null;
  readonly createdAtInSeconds: number;
  /** Wrong second-factor attempts since the last success, every factor together (0 for a new user). */
  readonly tfFailedAttempts: number;
  /** Until when every second-factor attempt is refused, even a right one; null when never locked or cleared. */
  readonly tfLockedUntilInSeconds: number | null;
  /** When the current second factor was confirmed; null when there is none or it predates the record. */
  readonly tfSetAtInSeconds: number | null;
  /** The client that confirmed it (address, user agent), as far as known. */
  readonly tfSetAddress: string | null;
  readonly tfSetUserAgent: string | null;
  /** When a code of the current second factor last passed; null when never. */
  readonly tfLastUsedAtInSeconds: number | null;
}

/** How the per-account second-factor counter turns failures into a lockout (see `claimSecondFactorAttempt`). */
export interface SecondFactorLockoutPolicy {
  /** Failures allowed before the account locks; the failure that reaches this number starts the first lock. */
  readonly freeAttempts: number;
  /** Length of the first lock; each further failure doubles it. */
  readonly lockBaseInSeconds: number;
  /** The longest a lock may last. */
  readonly lockMaxInSeconds: number;
  /**
   * The cap of the one challenge (pending login or change) this attempt is for: claimed in the same
   * transaction, and a full one refuses the attempt without counting it against the account.
   */
  readonly challenge?: RateLimitBucket;
}

/**
 * Whether a second-factor attempt may be checked; when not, how long until the lock ends. An allowed claim
 * says whether it started a lock in advance (`lockInSecondsIfWrong`): a wrong code then leaves the account
 * locked that long, a right one clears it.
 */
export type SecondFactorClaim =
  | { readonly allowed: true; readonly lockInSecondsIfWrong: number | null }
  | { readonly allowed: false; readonly reason: 'locked' | 'challenge'; readonly retryAfterInSeconds: number };

/**
 * One rate-limit counter: at most `limit` hits in a window of `windowInSeconds` that starts at the window's
 * first hit (so a limit of 1 is a cooldown of `windowInSeconds` after each hit).
 */
export interface RateLimitBucket {
  /** Names the counter, 1–100 characters; never an address or number in the clear (use a keyed MAC). */
  readonly key: string;
  readonly limit: number;
  readonly windowInSeconds: number;
}

/** Whether a hit was counted; when not, which counter was full and how long until its window ends. */
export type RateLimitResult = { readonly allowed: true } | { readonly allowed: false; readonly key: string; readonly retryAfterInSeconds: number };

/** The fields a new user starts with; 2FA starts unset. */
export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly fsUniquifier: string;
  readonly active: boolean;
  readonly createdAtInSeconds: number;
}

/** A confirmed second-factor set-up, written in one statement (FST's `tf_set`). */
export interface TwoFactorSettings {
  readonly method: string;
  readonly totpSecretEncrypted: string | null;
  readonly phoneNumber: string | null;
  /** The step of the code that confirmed the set-up, so that code cannot be used again to log in. */
  readonly lastStep: number | null;
  /** When the set-up was confirmed; recorded for the user's list of factors (checklist MGT-04). */
  readonly setAtInSeconds?: number;
  /** From where it was confirmed; the user agent is cut to 255 characters. */
  readonly setFrom?: { readonly address: string | null; readonly userAgent: string | null };
}

/** A stored recovery code: only its hash. */
export interface StoredRecoveryCode {
  readonly id: string;
  readonly codeHash: string;
}

/** An e-mail or SMS code: only its keyed hash, with expiry and the attempts made against it. */
export interface StoredOneTimeCode {
  readonly id: string;
  readonly userId: string;
  /** What the code is for, e.g. `login` or `setup:sms`; a code only verifies for its own purpose. */
  readonly purpose: string;
  readonly codeHash: string;
  readonly expiresAtInSeconds: number;
  readonly attempts: number;
  readonly usedAtInSeconds: number | null;
  readonly createdAtInSeconds: number;
}

/**
 * A server-side session: a browser's (cookie) or an API client's (`Authentication-Token`). Only the SHA-256
 * of its random id is stored, so a database leak does not hand out live sessions.
 */
export interface StoredSession {
  readonly idHash: string;
  readonly kind: 'browser' | 'token';
  /** Set only once every required factor passed; a half-finished login keeps its user inside `data`. */
  readonly userId: string | null;
  /** The user's `fsUniquifier` when the session was made; if it changed since, the session is dead. */
  readonly fsUniquifier: string | null;
  /** JSON owned by the web layer: CSRF token, login state, flashes, freshness grace. */
  readonly data: string;
  /** When the password was last checked in this session (freshness); null before that. */
  readonly authenticatedAtInSeconds: number | null;
  readonly createdAtInSeconds: number;
  readonly lastSeenAtInSeconds: number;
  readonly expiresAtInSeconds: number;
}

/** The fields of a session that change after it is made. */
export type SessionUpdate = Partial<Pick<StoredSession, 'data' | 'lastSeenAtInSeconds' | 'expiresAtInSeconds' | 'authenticatedAtInSeconds'>>;

/** A browser a user chose to trust ("remember this device"): only the hash of its random token is stored. */
export interface StoredTrustedDevice {
  readonly idHash: string;
  readonly userId: string;
  /** What the browser said it was, shortened; for the user's list of devices. */
  readonly userAgent: string;
  readonly createdAtInSeconds: number;
  readonly lastUsedAtInSeconds: number;
  readonly expiresAtInSeconds: number;
}

/**
 * The storage contract. Every single-use check is one guarded UPDATE whose affected-row count decides, so
 * that concurrent requests, in one process or in several sharing a database, see one truth.
 */
export interface Datastore {
  /** Creates the tables or brings them up to date. Safe to call on every start. */
  migrate(): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;

  /** Inserts a user; `null` when the e-mail is already taken. */
  createUser(user: NewUser): Promise<StoredUser | null>;
  findUserById(id: string): Promise<StoredUser | null>;
  findUserByEmail(email: string): Promise<StoredUser | null>;
  findUserByUniquifier(fsUniquifier: string): Promise<StoredUser | null>;
  /** Replaces the password hash and revokes the user's trusted devices, in one transaction (checklist RMD-04). */
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Sets whether the user may log in; deactivating revokes the trusted devices too (RMD-04). */
  setUserActive(userId: string, active: boolean): Promise<void>;
  /** How many users have each `tfPrimaryMethod` stored (users without one are not counted). */
  countUsersByTfMethod(): Promise<ReadonlyMap<string, number>>;

  /** Stores a confirmed second factor: method, encrypted secret, phone and last used step together; trusted devices are revoked in the same transaction (checklist RMD-04). */
  setTwoFactor(userId: string, settings: TwoFactorSettings): Promise<void>;
  /** Removes the second factor: method, secret, phone and last step become null; recovery codes, one-time codes and trusted devices are deleted. All in one transaction. */
  resetTwoFactor(userId: string): Promise<void>;
  /** As `resetTwoFactor`, sets a new `fsUniquifier` and deletes every session of the user, so every session and token made before dies. */
  resetAccess(userId: string, newFsUniquifier: string): Promise<void>;
  /**
   * Records that the TOTP code of `step` was used: `UPDATE … SET tf_totp_last_step = step WHERE id = ? AND
   * (tf_totp_last_step IS NULL OR tf_totp_last_step < step) AND tf_totp_secret = verifiedSecretEncrypted`.
   * True only for the one caller that moved it, and only while the secret the code was checked against is
   * still the user's (a change of authenticator at the same moment makes the old secret's code worthless).
   */
  advanceTotpStep(userId: string, step: number, verifiedSecretEncrypted: string | null): Promise<boolean>;
  /** A page of users holding a TOTP secret, ordered by id, after `afterId` (exclusive); for key rotation. */
  listEncryptedTotpSecrets(afterId: string | null, limit: number): Promise<{ id: string; tfTotpSecretEncrypted: string }[]>;
  /** Replaces the ciphertext only if it is still `expected` (rotation racing a set-up must not win). */
  replaceEncryptedTotpSecret(userId: string, expected: string, next: string): Promise<boolean>;

  /**
   * Claims one second-factor attempt, counted as a failure before the code is checked, in one write
   * transaction holding the user's row. Refused while `tfLockedUntilInSeconds > nowInSeconds` (the retry is
   * the difference). Otherwise `failures = tfFailedAttempts + 1`, and when `failures >= freeAttempts` the
   * same UPDATE locks until `now + min(lockMax, lockBase * 2^(failures - freeAttempts))`. Counting before
   * checking is what holds the cap under concurrency: of 50 parallel claims, at most `freeAttempts` are
   * allowed (checklist RL-03). A right code then calls {@link clearSecondFactorFailures}.
   */
  claimSecondFactorAttempt(userId: string, nowInSeconds: number, policy: SecondFactorLockoutPolicy): Promise<SecondFactorClaim>;
  /**
   * Forgets every second-factor failure and any lock, after a right code (checklist RL-06); with
   * `usedAtInSeconds`, also records it as the last use of the user's second factor (MGT-04).
   */
  clearSecondFactorFailures(userId: string, usedAtInSeconds?: number): Promise<void>;

  /**
   * Counts one hit on every bucket, in one write transaction, or on none of them when any is full at
   * `nowInSeconds` (then the longest wait is returned). All or nothing, so a refused send does not use up
   * another counter; atomic, so parallel requests cannot all read "one left" (checklist RL-08).
   */
  hitRateLimits(buckets: readonly RateLimitBucket[], nowInSeconds: number): Promise<RateLimitResult>;
  /** Deletes counters whose window ended by `nowInSeconds`; returns how many went. */
  deleteExpiredRateLimits(nowInSeconds: number): Promise<number>;

  /** Deletes every recovery code of the user and inserts these, in one transaction. */
  replaceRecoveryCodes(userId: string, codes: readonly StoredRecoveryCode[], createdAtInSeconds: number): Promise<void>;
  listUnusedRecoveryCodes(userId: string): Promise<StoredRecoveryCode[]>;
  /** Marks one code used: `UPDATE … SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL`. True for exactly one caller. */
  consumeRecoveryCode(userId: string, codeId: string, usedAtInSeconds: number): Promise<boolean>;
  countUnusedRecoveryCodes(userId: string): Promise<number>;

  /** Stores a new one-time code and deletes every other code of the same user and purpose (one live code per purpose). */
  putOneTimeCode(code: Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>): Promise<void>;
  /** The live (unused) code of this user and purpose, expired or not; `null` when none. */
  findOneTimeCode(userId: string, purpose: string): Promise<StoredOneTimeCode | null>;
  /**
   * Counts one attempt against a code before it is checked: `UPDATE … SET attempts = attempts + 1 WHERE id = ?
   * AND attempts < maxAttempts AND used_at IS NULL AND expires_at > now`. False when the code is spent, expired
   * or out of attempts, in which case it must not be checked at all.
   */
  countOneTimeCodeAttempt(codeId: string, maxAttempts: number, nowInSeconds: number): Promise<boolean>;
  /** Marks the code used; true for exactly one caller. */
  consumeOneTimeCode(codeId: string, nowInSeconds: number): Promise<boolean>;

  /** Stores a new session. */
  createSession(session: StoredSession): Promise<void>;
  /**
   * The session with this id hash and its user (null while anonymous or half-way through a login), in ONE
   * indexed query (a join), since it runs on every request. `null` when there is none or it expired at `nowInSeconds`.
   */
  findSession(idHash: string, nowInSeconds: number): Promise<{ session: StoredSession; user: StoredUser | null } | null>;
  /** Changes a session; false when it no longer exists. */
  updateSession(idHash: string, update: SessionUpdate): Promise<boolean>;
  /** Deletes one session; true for exactly one caller, so a login state is used up once. */
  deleteSession(idHash: string): Promise<boolean>;
  /** Deletes every session of the user but `exceptIdHash`; returns how many went. */
  deleteUserSessions(userId: string, exceptIdHash?: string): Promise<number>;
  /** Deletes sessions that expired before `nowInSeconds`; returns how many went. */
  deleteExpiredSessions(nowInSeconds: number): Promise<number>;

  /** Stores a new trusted device. */
  createTrustedDevice(device: StoredTrustedDevice): Promise<void>;
  /** The device with this hash, if it belongs to `userId` and has not expired at `nowInSeconds`. */
  findTrustedDevice(idHash: string, userId: string, nowInSeconds: number): Promise<StoredTrustedDevice | null>;
  /** Records a use of the device. */
  touchTrustedDevice(idHash: string, nowInSeconds: number): Promise<void>;
  /** The user's unexpired devices, newest first. */
  listTrustedDevices(userId: string, nowInSeconds: number): Promise<StoredTrustedDevice[]>;
  /** Revokes one of the user's devices; false when the user has no such device (another user's id changes nothing). */
  deleteTrustedDevice(userId: string, idHash: string): Promise<boolean>;
  /** Revokes every device of the user; returns how many went. */
  deleteTrustedDevices(userId: string): Promise<number>;
}
