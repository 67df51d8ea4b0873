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

// The ciphertext behind each user made by toUser, so "has a secret" needs no decryption.
const encryptedSecrets = new WeakMap<User, string | null>();

/**
 * The stored row as a {@link User}. The TOTP secret is decrypted on first read, not here: most requests load
 * the user only to know who it is, and need neither the AES work nor the plain secret in memory.
 * Reading `tfTotpSecret` throws TwofoldError when its key is gone or the value was altered.
 */
export function toUser(stored: StoredUser, keyring: KeyRing): User {
  const { tfTotpSecretEncrypted, ...rest } = stored;
  let secret: string | undefined;
  const user = { ...rest } as User;
  Object.defineProperty(user, 'tfTotpSecret', {
    enumerable: true,
    get(): string | null {
      if (tfTotpSecretEncrypted === null) return null;
      secret ??= keyring.decrypt(tfTotpSecretEncrypted, totpSecretContext(stored.id));
      return secret;
    },
  });
  encryptedSecrets.set(user, tfTotpSecretEncrypted);
  return user;
}

/** The stored ciphertext of the user's TOTP secret (null when none, or when the user was not read by `toUser`). */
export function encryptedTotpSecretOf(user: User): string | null {
  return encryptedSecrets.get(user) ?? null;
}

/** Whether the user has a TOTP secret, without decrypting it. */
export function hasTotpSecret(user: User): boolean {
  const encrypted = encryptedSecrets.get(user);
  return encrypted === undefined ? user.tfTotpSecret !== null : encrypted !== null;
}

/**
 * The form in which e-mail addresses are stored and looked up: trimmed, Unicode NFKC, lower case. Without
 * NFKC, `ÉVA@example.com` typed as one code point (NFC) or as `E` plus a combining accent (NFD) would be two
 * accounts for what every mail system shows as one address. NFKC once more after lower-casing, since case
 * mapping can leave a string that is no longer normalised.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}
