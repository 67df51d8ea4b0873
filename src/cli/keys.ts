/** `twofold keys rotate`: re-encrypts every stored TOTP secret under the newest tag of the key ring. */
import { resolveConfig } from '../config/resolve.js';
import type { TwofoldOptions } from '../config/types.js';
import { KeyRing } from '../crypto/keyring.js';
import { reencryptTotpSecrets, type RotationReport } from '../crypto/rotate-secrets.js';
import type { Datastore } from '../store/datastore.js';

/** What a rotation did, and with which key ring. */
export interface KeyRotation extends RotationReport {
  /** The tags in the ring, as configured. */
  readonly tags: readonly string[];
  /** The tag every secret is encrypted under now. */
  readonly currentTag: string;
}

/**
 * Checks the options as a `Security` would (each secret at least 32 bytes, …), then moves every TOTP secret
 * to the newest tag with `reencryptTotpSecrets`.
 *
 * @throws ConfigError for a bad option, e.g. a secret that is too short.
 */
export async function rotateKeys(datastore: Datastore, options: TwofoldOptions): Promise<KeyRotation> {
  // The issuer does not matter here, and a process that only rotates keys may not set it.
  const config = resolveConfig({ totpIssuer: 'twofold', ...options });
  const keyring = new KeyRing(config.totpSecrets);
  const report = await reencryptTotpSecrets({ datastore, keyring });
  return { ...report, tags: Object.keys(config.totpSecrets), currentTag: keyring.currentTag };
}

/** The rotation as text: the counts, and whether the older tags may go. */
export function formatKeyRotation(rotation: KeyRotation): string {
  const lines = [
    `Key ring tags: ${rotation.tags.join(', ')}; the newest, "${rotation.currentTag}", encrypts.`,
    `Re-encrypted: ${rotation.reencrypted}`,
    `Already under "${rotation.currentTag}": ${rotation.unchanged}`,
    `Skipped (changed while rotating): ${rotation.skipped}`,
  ];
  if (rotation.skipped > 0) lines.push('Run `twofold keys rotate` again before removing an older tag.');
  else if (rotation.tags.length > 1) lines.push(`Every TOTP secret is under "${rotation.currentTag}" now; the older tags can be removed from SECURITY_TOTP_SECRETS once set-ups started before now have expired (twoFactorSetupWithin).`);
  else lines.push('The key ring has one tag: add a newer one to SECURITY_TOTP_SECRETS to rotate to it.');
  return `${lines.join('\n')}\n`;
}
