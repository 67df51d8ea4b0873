/** E-mail and SMS codes: random, stored only as a keyed hash with an expiry, attempts counted, used once. */
import { nowInWholeSeconds, type Clock } from '../../clock.js';
import type { KeyRing } from '../../crypto/keyring.js';
import { randomId, type Random } from '../../crypto/random.js';
import type { Datastore } from '../../store/datastore.js';

const DIGITS = 6; // NIST SP 800-63B-4 §3.1.3.2: at least six decimal digits
const MAC_PURPOSE = 'one-time-code';

/** What issuing and checking codes needs. */
export interface OneTimeCodeDeps {
  readonly datastore: Datastore;
  readonly keyring: KeyRing;
  readonly clock: Clock;
  readonly random: Random;
}

function macMessage(codeId: string, userId: string, purpose: string, code: string): string {
  return `${codeId}\u0000${userId}\u0000${purpose}\u0000${code}`;
}

/**
 * Makes a new code for `purpose`, hands it to `deliver`, and once it went out stores its keyed hash
 * (checklist OOB-04), cancelling any earlier code of the same user and purpose (OOB-05). A delivery that
 * fails stores nothing, so a failed resend leaves the code the user already has working, and no code exists
 * that nobody received. @returns the code, to be forgotten; null when `deliver` said it was not sent.
 */
export async function issueOneTimeCode(
  deps: OneTimeCodeDeps,
  input: { userId: string; purpose: string; lifetimeInSeconds: number },
  deliver: (code: string) => Promise<boolean> = async () => true,
): Promise<string | null> {
  // randomInt draws without modulo bias (checklist OOB-01).
  const code = String(deps.random.int(10 ** DIGITS)).padStart(DIGITS, '0');
  const id = randomId(deps.random);
  const now = nowInWholeSeconds(deps.clock);
  if (!(await deliver(code))) return null;
  await deps.datastore.putOneTimeCode({
    id,
    userId: input.userId,
    purpose: input.purpose,
    codeHash: deps.keyring.mac(MAC_PURPOSE, macMessage(id, input.userId, input.purpose, code)),
    expiresAtInSeconds: now + input.lifetimeInSeconds,
    createdAtInSeconds: now,
  });
  return code;
}

/**
 * Checks `token` against the live code of this user and purpose. The attempt is counted (atomically, capped
 * at `maxAttempts`) before the code is compared, so parallel guesses cannot exceed the cap; a right code is
 * then consumed by one guarded UPDATE. Expired, spent, foreign or malformed codes are simply `false`.
 */
export async function verifyOneTimeCode(
  deps: OneTimeCodeDeps,
  input: { userId: string; purpose: string; token: unknown; maxAttempts: number },
): Promise<boolean> {
  const stored = await deps.datastore.findOneTimeCode(input.userId, input.purpose);
  if (stored === null) return false;
  const now = nowInWholeSeconds(deps.clock);
  if (!(await deps.datastore.countOneTimeCodeAttempt(stored.id, input.maxAttempts, now))) return false;
  const code = normalizeDigits(input.token);
  if (code === null) return false;
  if (!deps.keyring.verifyMac(MAC_PURPOSE, macMessage(stored.id, input.userId, input.purpose, code), stored.codeHash)) return false;
  return deps.datastore.consumeOneTimeCode(stored.id, now);
}

function normalizeDigits(token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 64) return null;
  const compact = token.replace(/\s/g, '');
  return compact.length === DIGITS && /^[0-9]+$/.test(compact) ? compact : null;
}
