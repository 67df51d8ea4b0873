/** The user as twofold sees it: identity, password hash and second-factor settings. */
import type { StoredUser } from './store/datastore.js';

/** A method name served by a factor plugin: `authenticator`, `email`, `sms`, or a custom plugin's. */
export type TfMethod = string;

/**
 * A user, as read from the datastore with the TOTP secret already decrypted: every field of the stored row but
 * its ciphertext. `tfTotpSecret` is base32 without padding; it is never written anywhere in this form.
 */
export interface User extends Omit<StoredUser, 'tfTotpSecretEncrypted'> {
  readonly tfPrimaryMethod: TfMethod | null;
  readonly tfTotpSecret: string | null;
}
