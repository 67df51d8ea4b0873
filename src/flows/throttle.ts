/** The per-account throttle every second-factor check goes through: count first, then check, then clear or report. */
import { eventUser } from '../events.js';
import type { FlowContext } from './context.js';
import { NO_TF } from './state.js';
import type { User } from '../user.js';

/**
 * How one throttled attempt ended: the code was right, wrong, not checked because the account is locked
 * (`locked`: seconds left), or not checked because this challenge used up its attempts (`exhausted`).
 */
export type AttemptOutcome = 'ok' | 'wrong' | 'exhausted' | { readonly locked: number };

/** What is attempted: the kind of factor (for `userFailedAuthn`) and the check itself. */
export interface SecondFactorAttempt {
  /** `code` for authenticator, e-mail and SMS codes, `recovery_code` for recovery codes. */
  readonly authType: string;
  /** Checks the code; true when it is right. Never called while the account is locked. */
  readonly verify: () => Promise<boolean>;
}

/**
 * Runs one second-factor check under the account's failure counter (docs/design.md §3, checklist RL-01…RL-06).
 *
 * The attempt is claimed — counted as a failure, and the lock written when it reaches
 * `twoFactorMaxFailedAttempts` — before `verify` runs, so parallel guesses cannot outrun the counter (RL-03).
 * While locked `verify` is not called at all, so a right code is refused too; likewise once this challenge
 * (this login, or this change) had `twoFactorMaxCodeAttempts` tries. A right code clears the
 * counter (RL-06); a wrong one emits `userFailedAuthn`, and `tfLockedOut` when this attempt locked the account.
 * The counter lives on the user's row, so new logins and resent codes do not reset it (RL-02); a wrong
 * password never reaches it (RL-07).
 *
 * @returns `'ok'`, `'wrong'`, or `{ locked: retryAfterInSeconds }` when the account is locked.
 * @example
 * ```ts
 * const outcome = await checkedAttempt(context, user, { authType: 'code', verify: () => plugin.verifyToken(user, code) });
 * if (typeof outcome === 'object') console.log(`locked for ${outcome.locked} s`); // else 'ok' or 'wrong'
 * ```
 */
export async function checkedAttempt(context: FlowContext, user: User, attempt: SecondFactorAttempt): Promise<AttemptOutcome> {
  const { security } = context;
  const { config, datastore, events } = security;
  const challenge = challengeKey(context);
  const claim = await datastore.claimSecondFactorAttempt(user.id, context.nowInSeconds, {
    freeAttempts: config.twoFactorMaxFailedAttempts,
    lockBaseInSeconds: config.twoFactorLockoutBase,
    lockMaxInSeconds: config.twoFactorLockoutMax,
    ...(challenge === null ? {} : { challenge: { key: challenge, limit: config.twoFactorMaxCodeAttempts, windowInSeconds: challengeLifetime(context) } }),
  });
  if (!claim.allowed && claim.reason === 'challenge') {
    // The challenge is over: a login ends (its later steps say to log in again), a change or re-authentication is dropped.
    context.session.update({ tf: context.session.user === null ? { kind: 'ended' } : NO_TF });
    return 'exhausted';
  }
  if (!claim.allowed) return { locked: claim.retryAfterInSeconds };
  if (await attempt.verify()) {
    // A recovery code is not the second factor itself: only a code of the factor counts as its last use.
    await datastore.clearSecondFactorFailures(user.id, attempt.authType === 'code' ? context.nowInSeconds : undefined);
    // `user` was read before this attempt was counted, so these are the failures before it.
    if (user.tfFailedAttempts > 0) events.emit('tfPassedAfterFailures', { user: eventUser(user), failures: user.tfFailedAttempts, client: context.client });
    return 'ok';
  }
  events.emit('userFailedAuthn', { user: eventUser(user), authType: attempt.authType, tfa: true, client: context.client });
  if (claim.lockInSecondsIfWrong !== null) events.emit('tfLockedOut', { user: eventUser(user), retryAfterInSeconds: claim.lockInSecondsIfWrong, client: context.client });
  return 'wrong';
}

/**
 * The challenge an attempt belongs to: the re-authentication or the logged-in change it completes, or else the half-finished login of
 * this session (a new login gets a new session id, so a new challenge, while the account counter goes on).
 */
function challengeKey(context: FlowContext): string | null {
  const { tf } = context.session.data;
  if (context.session.user !== null && tf.kind === 'reauth') return `challenge:reauth:${tf.reauth.challenge}`;
  if (context.session.user !== null && tf.kind === 'change') return `challenge:change:${tf.change.tokenHash}`;
  const idHash = context.session.idHash;
  return idHash === null ? null : `challenge:login:${idHash}`;
}

/** How long a challenge's count must outlive it: a login or a set-up cannot last longer than this. */
function challengeLifetime(context: FlowContext): number {
  const { twoFactorLoginWithin, twoFactorSetupWithin } = context.security.config;
  return Math.max(twoFactorLoginWithin, twoFactorSetupWithin, 1);
}
