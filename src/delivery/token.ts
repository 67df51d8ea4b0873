/** tfSendSecurityToken: the seed's one call that sends a user a second-factor code. */
import type { Security } from '../security.js';
import type { User } from '../user.js';
import { CodeTfPlugin } from '../factors/code/index.js';
import { normalizePhoneNumber } from './phone.js';

/** Options of {@link tfSendSecurityToken}. */
export interface SendSecurityTokenOptions {
  /** The `Security` instance whose delivery, storage and events to use. */
  readonly security: Security;
  /**
   * For `sms`: where to send instead of the user's confirmed number, in any common format (normalised to E.164).
   * A code sent to another number only confirms a pending SMS set-up of that number; it never logs in.
   */
  readonly phoneNumber?: string | null;
  /** Binds the code to one login attempt, so it verifies for that attempt only. */
  readonly challenge?: string;
}

/**
 * Sends a second-factor code to `user` by `method` (FST's `tf_send_security_token`). For `email` and `sms` a
 * random 6-digit code is made, only its hash is stored, with an expiry (`twoFactorMailValidity`,
 * `twoFactorSmsValidity`), and it is sent; for `authenticator` nothing is sent. Emits `tfSecurityTokenSent`.
 * The code itself never leaves this call except in the message to the user.
 *
 * @returns `true` when sent (or nothing needed sending); `false` for an unknown or disabled method, an invalid
 * phone number, or a delivery failure.
 *
 * @example
 * ```ts
 * if (!(await tfSendSecurityToken(user, 'sms', { security, phoneNumber: '+1 650 555 1212' }))) showError();
 * ```
 */
export async function tfSendSecurityToken(user: User, method: string, options: SendSecurityTokenOptions): Promise<boolean> {
  const { security } = options;
  const plugin = security.plugins.pluginForMethod(method);
  if (plugin === null) return false;
  let phoneNumber: string | null = null;
  if (options.phoneNumber !== undefined && options.phoneNumber !== null) {
    phoneNumber = normalizePhoneNumber(options.phoneNumber, { defaultRegion: security.config.phoneRegionDefault });
    if (phoneNumber === null) return false;
  }
  if (plugin instanceof CodeTfPlugin) {
    return plugin.sendCodeTo(user, method, { phoneNumber, ...(options.challenge === undefined ? {} : { challenge: options.challenge }) });
  }
  return plugin.sendToken(user, { method, ...(options.challenge === undefined ? {} : { challenge: options.challenge }) });
}
