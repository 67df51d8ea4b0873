/** Reading users: the one place a stored row becomes a `User`, with its TOTP secret decrypted. */
import type { KeyRing } from './crypto/keyring.js';
import type { StoredUser } from './store/datastore.js';
import type { User } from './user.js';

/**
 * The authenticated context of a user's TOTP secret: a ciphertext copied into another user's row no longer
 * decrypts (checklist ENR-07).
 */
export function totpSecretContext(userId: string): string {
  return `users.tf_totp_secret:${userId}`;
}

/** Decrypts the stored row into a {@link User}. @throws TwofoldError when the secret's key is gone or it was altered. */
export function toUser(stored: StoredUser, keyring: KeyRing): User {
  const { tfTotpSecretEncrypted, ...rest } = stored;
  return {
    ...rest,
    tfTotpSecret: tfTotpSecretEncrypted === null ? null : keyring.decrypt(tfTotpSecretEncrypted, totpSecretContext(stored.id)),
  };
}

/** The form in which e-mail addresses are stored and looked up: trimmed, lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
