/**
 * The limits on sending codes (checklist RL-08): a cooldown per account, and caps per account, per
 * destination and per client address, all counted in the database so that every instance shares them.
 */
import type { TwofoldConfig } from '../../config/types.js';
import type { KeyRing } from '../../crypto/keyring.js';
import type { RateLimitBucket } from '../../store/datastore.js';

/** The options the send limits read. */
export type SendLimitsConfig = Pick<
  TwofoldConfig,
  | 'twoFactorSendCooldown'
  | 'twoFactorSendWindow'
  | 'twoFactorMaxSendsPerAccount'
  | 'twoFactorMaxSendsPerDestination'
  | 'twoFactorMaxSendsPerAddress'
  | 'twoFactorMaxSetupSendsPerAccountDestination'
  | 'twoFactorMaxSetupSendsPerDestination'
>;

/**
 * What a code is for. A login code goes to a destination the account confirmed; a set-up code goes to one
 * it has not confirmed yet, which may be anyone's.
 */
export type SendKind = 'login' | 'setup';

/** Counter names hold a keyed MAC of an address or number, never the value itself. */
const MAC_PURPOSE = 'rate-limit';

/**
 * The counters one send hits.
 *
 * Every send counts against the account (cooldown and cap) and the client address, when the adapter knows
 * it, so one client cycling through accounts is capped too.
 *
 * A login code also counts per (account, destination). It must not share a counter with other accounts:
 * anyone can start a set-up towards someone else's confirmed number, and a shared counter would let them
 * use up its owner's login budget and lock them out (attack review, finding 3).
 *
 * A set-up code counts per (account, destination), a tight cap for one account's retries, and per
 * destination across all accounts, so that many accounts cannot flood one number or inbox with texts its
 * owner never asked for (SMS pumping).
 */
export function sendBuckets(
  config: SendLimitsConfig,
  keyring: KeyRing,
  input: { kind: SendKind; userId: string; destination: string; clientAddress: string | null },
): RateLimitBucket[] {
  const window = config.twoFactorSendWindow;
  const destination = input.destination.toLowerCase();
  const accountDestination = digest(keyring, `${input.userId}\u0000${destination}`);
  const buckets: RateLimitBucket[] = [
    { key: `send:cooldown:${input.userId}`, limit: 1, windowInSeconds: config.twoFactorSendCooldown },
    { key: `send:account:${input.userId}`, limit: config.twoFactorMaxSendsPerAccount, windowInSeconds: window },
  ];
  if (input.kind === 'login') {
    buckets.push({ key: `send:login:${accountDestination}`, limit: config.twoFactorMaxSendsPerDestination, windowInSeconds: window });
  } else {
    buckets.push(
      { key: `send:setup:${accountDestination}`, limit: config.twoFactorMaxSetupSendsPerAccountDestination, windowInSeconds: window },
      { key: `send:setup-destination:${digest(keyring, destination)}`, limit: config.twoFactorMaxSetupSendsPerDestination, windowInSeconds: window },
    );
  }
  if (input.clientAddress !== null && input.clientAddress !== '') {
    buckets.push({ key: `send:address:${digest(keyring, input.clientAddress)}`, limit: config.twoFactorMaxSendsPerAddress, windowInSeconds: window });
  }
  return buckets;
}

/**
 * The counters one "help" mail to the administrator hits: at most one per login (keyed by the login's
 * challenge, so twenty requests at once still mail once), and the account's and the client address's send
 * caps, so new logins cannot flood the administrator's inbox either. No cooldown: a user whose login code
 * was just texted may ask for help at once.
 */
export function helpMailBuckets(
  config: SendLimitsConfig & Pick<TwofoldConfig, 'twoFactorLoginWithin'>,
  keyring: KeyRing,
  input: { userId: string; loginChallenge: string; clientAddress: string | null },
): RateLimitBucket[] {
  const window = config.twoFactorSendWindow;
  const buckets: RateLimitBucket[] = [
    { key: `send:help:${digest(keyring, input.loginChallenge)}`, limit: 1, windowInSeconds: config.twoFactorLoginWithin },
    { key: `send:account:${input.userId}`, limit: config.twoFactorMaxSendsPerAccount, windowInSeconds: window },
  ];
  if (input.clientAddress !== null && input.clientAddress !== '') {
    buckets.push({ key: `send:address:${digest(keyring, input.clientAddress)}`, limit: config.twoFactorMaxSendsPerAddress, windowInSeconds: window });
  }
  return buckets;
}

/**
 * 64 hex characters. The stable MAC, not the checkable one: a counter's name must not change when a newer
 * key is added, or every rotation would reset every limit.
 */
function digest(keyring: KeyRing, value: string): string {
  return keyring.stableMac(MAC_PURPOSE, value);
}
