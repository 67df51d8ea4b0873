/** Key rotation over the datastore: re-encrypts every stored TOTP secret under the newest key ring tag. */
import type { Datastore } from '../store/datastore.js';
import { totpSecretContext } from '../users.js';
import type { KeyRing } from './keyring.js';

/** How a rotation went. */
export interface RotationReport {
  /** Secrets now under the current tag that were under an older one. */
  readonly reencrypted: number;
  /** Secrets that were already under the current tag. */
  readonly unchanged: number;
  /** Secrets that changed between reading and writing (a set-up at that moment); they were left alone. */
  readonly skipped: number;
}

/**
 * Moves every user's TOTP secret to `keyring.currentTag` (the CLI's `keys rotate`). Each write is a
 * compare-and-swap on the old ciphertext, so a user changing their authenticator meanwhile is not undone.
 * Safe to run again; after it reports no `skipped`, the old tag can be removed from `totpSecrets`.
 */
export async function reencryptTotpSecrets(deps: { datastore: Datastore; keyring: KeyRing }, options: { batchSize?: number } = {}): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 500;
  let reencrypted = 0;
  let unchanged = 0;
  let skipped = 0;
  let afterId: string | null = null;
  for (;;) {
    const page = await deps.datastore.listEncryptedTotpSecrets(afterId, batchSize);
    for (const { id, tfTotpSecretEncrypted } of page) {
      if (!deps.keyring.needsReencrypt(tfTotpSecretEncrypted)) {
        unchanged++;
        continue;
      }
      const next = deps.keyring.reencrypt(tfTotpSecretEncrypted, totpSecretContext(id));
      if (await deps.datastore.replaceEncryptedTotpSecret(id, tfTotpSecretEncrypted, next)) reencrypted++;
      else skipped++;
    }
    if (page.length < batchSize) break;
    afterId = (page[page.length - 1] as { id: string }).id;
  }
  return { reencrypted, unchanged, skipped };
}
