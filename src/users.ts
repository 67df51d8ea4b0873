/** Users' TOTP secrets and e-mail addresses: the secret's encryption context and its explicit decryption, the stored form of an address. */
import type { KeyRing } from './crypto/keyring.js';
import type { User } from './user.js';

/**
 * The authenticated context of a user's TOTP secret: a ciphertext copied into another user's row no longer
 * decrypts (checklist ENR-07).
 */
export function totpSecretContext(userId: string): string {
  return `users.tf_totp_secret:${userId}`;
}

/**
 * The user's TOTP secret, decrypted: base32 without padding, or null when the user has none. Call it where the
 * secret is needed (to check a code) and nowhere else, so the plain secret stays out of memory the rest of
 * the time; it is never written anywhere in this form.
 *
 * @param user - Any user or stored row: only `id` and `tfTotpSecretEncrypted` are read.
 * @param keyring - The key ring the secret was encrypted with (`security.keyring`).
 * @throws TwofoldError `KEY_UNKNOWN` when the secret's key is no longer in the key ring; `DECRYPTION_FAILED`
 *   when the stored value was altered or copied from another user's row (checklist ENR-07).
 *
 * @example
 * ```ts
 * const secret = decryptTotpSecret(user, security.keyring);
 * if (secret !== null) new Totp(secret).verify(code);
 * ```
 */
export function decryptTotpSecret(user: Pick<User, 'id' | 'tfTotpSecretEncrypted'>, keyring: KeyRing): string | null {
  return user.tfTotpSecretEncrypted === null ? null : keyring.decrypt(user.tfTotpSecretEncrypted, totpSecretContext(user.id));
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
