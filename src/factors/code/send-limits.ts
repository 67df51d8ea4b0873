/**
 * The limits on sending codes (checklist RL-08): a cooldown per account, and caps per account, per
 * destination and per client address, all counted in the database so that every instance shares them.
 */
import type { KeyRing } from '../../crypto/keyring.js';
import type { RateLimitBucket } from '../../store/datastore.js';

/** The options the send limits read. */
export interface SendLimitsConfig {
  readonly twoFactorSendCooldown: number;
  readonly twoFactorSendWindow: number;
  readonly twoFactorMaxSendsPerAccount: number;
  readonly twoFactorMaxSendsPerDestination: number;
  readonly twoFactorMaxSendsPerAddress: number;
}

/** Counter names hold a keyed MAC of an address or number, never the value itself. */
const MAC_PURPOSE = 'rate-limit';

/**
 * The counters one send hits. The destination is the e-mail address or phone number, so many accounts
 * aimed at one number (SMS pumping) share one cap; the client address, when the adapter knows it, so one
 * client cycling through accounts is capped too.
 */
export function sendBuckets(
  config: SendLimitsConfig,
  keyring: KeyRing,
  input: { userId: string; destination: string; clientAddress: string | null },
): RateLimitBucket[] {
  const window = config.twoFactorSendWindow;
  const buckets: RateLimitBucket[] = [
    { key: `send:cooldown:${input.userId}`, limit: 1, windowInSeconds: config.twoFactorSendCooldown },
    { key: `send:account:${input.userId}`, limit: config.twoFactorMaxSendsPerAccount, windowInSeconds: window },
    { key: `send:destination:${digest(keyring, input.destination.toLowerCase())}`, limit: config.twoFactorMaxSendsPerDestination, windowInSeconds: window },
  ];
  if (input.clientAddress !== null && input.clientAddress !== '') {
    buckets.push({ key: `send:address:${digest(keyring, input.clientAddress)}`, limit: config.twoFactorMaxSendsPerAddress, windowInSeconds: window });
  }
  return buckets;
}

/** The hex part of the key ring's MAC: 64 characters, stable for as long as the current key is. */
function digest(keyring: KeyRing, value: string): string {
  const mac = keyring.mac(MAC_PURPOSE, value);
  return mac.slice(mac.indexOf('$') + 1);
}
