/** How a checked code was refused, the same for every flow that checks one (login, recovery code, change, re-authentication). */
import type { AttemptOutcome } from './throttle.js';

/**
 * A code not accepted: the account is locked (`retryAfterInSeconds` left), this challenge had its tries
 * (the state was cleared: a login must start again), or the code was wrong.
 */
export type CodeRefusal = { readonly kind: 'locked'; readonly retryAfterInSeconds: number } | { readonly kind: 'exhausted' } | { readonly kind: 'wrong' };

/** The refusal an attempt's outcome means, or null when the code was right. */
export function refusalOf(outcome: AttemptOutcome): CodeRefusal | null {
  if (typeof outcome === 'object') return { kind: 'locked', retryAfterInSeconds: outcome.locked };
  if (outcome === 'exhausted') return { kind: 'exhausted' };
  return outcome === 'wrong' ? { kind: 'wrong' } : null;
}
