/** MfRecoveryCodesUtil: make, check-and-consume and count a user's recovery codes. */
import { nowInWholeSeconds, type Clock } from '../clock.js';
import type { TwofoldConfig } from '../config/types.js';
import { randomId, type Random } from '../crypto/random.js';
import type { Datastore } from '../store/datastore.js';
import { eventUser, type EventClient, type TwofoldEvents } from '../events.js';
import type { User } from '../user.js';
import { generateRecoveryCode, normalizeRecoveryCode } from './code-format.js';
import { hashRecoveryCode, recoveryCodeMatches } from './code-hash.js';

/** What the util needs; a `Security` instance provides all of it. */
export interface RecoveryCodesDeps {
  readonly datastore: Datastore;
  readonly clock: Clock;
  readonly random: Random;
  readonly events: TwofoldEvents;
  readonly config: Pick<TwofoldConfig, 'multiFactorRecoveryCodesN'>;
}

/**
 * Recovery codes (FST's `MfRecoveryCodesUtil`): shown once, stored as salted hashes, each usable once.
 * Emits `mfRecoveryCodesGenerated` and `mfRecoveryCodeUsed` (with how many are left), so the application can
 * notify the user and offer a new set when few remain.
 *
 * @example
 * ```ts
 * const util = new MfRecoveryCodesUtil(security);
 * const codes = await util.generateCodes(user);      // show these to the user, once
 * await util.verifyCode(user, ' 7k2qd m9xrb 04tzh '); // true, and that code is spent
 * ```
 */
export class MfRecoveryCodesUtil {
  readonly #deps: RecoveryCodesDeps;

  constructor(deps: RecoveryCodesDeps) {
    this.#deps = deps;
  }

  /**
   * Makes `count` new codes and replaces the user's whole previous set with them, in one transaction.
   * @returns the codes in display form (`XXXXX-XXXXX-XXXXX`); only their hashes are stored.
   */
  async generateCodes(user: User, count: number = this.#deps.config.multiFactorRecoveryCodesN, options: { client?: EventClient } = {}): Promise<string[]> {
    if (!Number.isInteger(count) || count < 1 || count > 100) throw new TypeError('count must be an integer from 1 to 100');
    const { datastore, random, clock } = this.#deps;
    const codes = new Set<string>();
    while (codes.size < count) codes.add(generateRecoveryCode(random));
    const stored = await Promise.all(
      [...codes].map(async (code) => ({ id: randomId(random), codeHash: await hashRecoveryCode(normalizeRecoveryCode(code) as string, random) })),
    );
    await datastore.replaceRecoveryCodes(user.id, stored, nowInWholeSeconds(clock));
    this.#deps.events.emit('mfRecoveryCodesGenerated', { user: eventUser(user), count, ...options });
    return [...codes];
  }

  /**
   * Checks a code and, if it is one of the user's unused codes, consumes it. The consumption is one guarded
   * UPDATE, so of many concurrent calls with the same code exactly one gets `true`.
   * Case, spaces and dashes in the input do not matter; anything malformed is simply `false`.
   */
  async verifyCode(user: User, code: unknown, options: { client?: EventClient } = {}): Promise<boolean> {
    const normalized = normalizeRecoveryCode(code);
    if (normalized === null) return false;
    const { datastore, clock } = this.#deps;
    const candidates = await datastore.listUnusedRecoveryCodes(user.id);
    // Every candidate is hashed, matched or not, so the time taken does not say which one matched.
    const matches = await Promise.all(candidates.map((candidate) => recoveryCodeMatches(normalized, candidate.codeHash)));
    const matched = candidates.find((_, i) => matches[i]);
    if (matched === undefined) return false;
    if (!(await datastore.consumeRecoveryCode(user.id, matched.id, nowInWholeSeconds(clock)))) return false;
    // Tell the user (checklist REC-05): a code used by someone else shows up here.
    this.#deps.events.emit('mfRecoveryCodeUsed', { user: eventUser(user), remaining: await datastore.countUnusedRecoveryCodes(user.id), ...options });
    return true;
  }

  /** How many unused codes the user has left. */
  getRemainingCodes(user: User): Promise<number> {
    return this.#deps.datastore.countUnusedRecoveryCodes(user.id);
  }
}
