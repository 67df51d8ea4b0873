/** The user as twofold sees it: identity, password hash and second-factor settings. */
import type { StoredUser } from './store/datastore.js';

/** A method name served by a factor plugin: `authenticator`, `email`, `sms`, or a custom plugin's. */
export type TfMethod = string;

/**
 * A user, as read from the datastore: every field of the stored row, each an ordinary value, so a `User` built
 * anywhere behaves like one read by `Security`. The TOTP secret stays encrypted (`tfTotpSecretEncrypted`, the
 * key ring's ciphertext); `decryptTotpSecret(user, keyring)` gives it where a code is checked.
 */
export interface User extends StoredUser {
  readonly tfPrimaryMethod: TfMethod | null;
}
