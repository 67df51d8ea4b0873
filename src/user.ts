/** The user as twofold sees it: identity, password hash and second-factor settings. */

/** A method name served by a factor plugin: `authenticator`, `email`, `sms`, or a custom plugin's. */
export type TfMethod = string;

/**
 * A user, as read from the datastore with the TOTP secret already decrypted.
 * `tfTotpSecret` is base32 without padding; it is never written anywhere in this form.
 */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  /** Rotated to invalidate every session, token and trusted device at once. */
  readonly fsUniquifier: string;
  readonly active: boolean;
  readonly tfPrimaryMethod: TfMethod | null;
  readonly tfTotpSecret: string | null;
  /** E.164, stored only after a code sent to it was confirmed. */
  readonly tfPhoneNumber: string | null;
  /** The last TOTP time step accepted; a code for this step or an earlier one is refused (RFC 6238 §5.2). */
  readonly tfTotpLastStep: number | null;
  readonly createdAtInSeconds: number;
  /** Wrong second-factor attempts since the last success, every factor together (checklist RL-01…RL-04). */
  readonly tfFailedAttempts: number;
  /** Until when every second-factor attempt is refused, even a right one; null when not locked. */
  readonly tfLockedUntilInSeconds: number | null;
  /** When the current second factor was confirmed; null when none or not recorded. */
  readonly tfSetAtInSeconds: number | null;
  /** The client that confirmed it (address, user agent), as far as known. */
  readonly tfSetAddress: string | null;
  readonly tfSetUserAgent: string | null;
  /** When a code of the current second factor last passed; null when never. */
  readonly tfLastUsedAtInSeconds: number | null;
}
