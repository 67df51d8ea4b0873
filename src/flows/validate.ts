/**
 * The code that completes a login: `validate` → full session with the code of the login's method (or, after
 * an e-mail rescue, the mailed one), and `setup` with a method pending → full session once its code confirms
 * the new factor. Counted first, per account and per challenge (flows/throttle.ts).
 */
import { eventUser } from '../events.js';
import type { User } from '../user.js';
import { refusalOf, type CodeRefusal } from './attempt.js';
import { completeLogin, type CompletedLogin } from './complete.js';
import type { FlowContext } from './context.js';
import { verifyPending } from './change.js';
import { endOtherSessions } from './sessions.js';
import type { LoginState } from './state.js';
import { checkedAttempt } from './throttle.js';

/** A login a code can complete: waiting for its method's code, or for the code of a factor being set up. */
export type CodeLogin = LoginState & ({ readonly kind: 'validate' } | { readonly kind: 'setup' });

/** The code was refused ({@link CodeRefusal}), or completed the login. */
export type LoginCodeOutcome = CodeRefusal | { readonly kind: 'complete'; readonly completed: CompletedLogin };

/** Checks `code` for the login and, when right, completes it; a factor bound here ends the user's other sessions. */
export async function validateLoginCode(context: FlowContext, user: User, login: CodeLogin, code: string, options: { includeAuthToken: boolean }): Promise<LoginCodeOutcome> {
  const { security } = context;
  let method: string | null = null;
  const outcome = await checkedAttempt(context, user, {
    authType: 'code',
    verify: async () => {
      method = await matchingMethod(context, user, login, code);
      return method !== null;
    },
  });
  const refusal = refusalOf(outcome);
  if (refusal !== null || method === null) return refusal ?? { kind: 'wrong' };
  const confirmed: string = method;
  security.events.emit('tfCodeConfirmed', { user: eventUser(user), method: confirmed, client: context.client });
  if (login.kind === 'setup') security.events.emit('tfFactorAdded', { user: eventUser(user), method: confirmed, client: context.client });
  const fresh = (await security.findUserById(user.id)) ?? user;
  const completed = await completeLogin(context, fresh, { remember: login.remember, next: login.next, tfVerified: true, method: confirmed, includeAuthToken: options.includeAuthToken });
  // A factor bound at login ends the user's other sessions as a change does (checklist FLOW-10): they were
  // made without it, and a set-up racing another login's must not leave that login's sessions standing.
  if (login.kind === 'setup') await endOtherSessions(context, fresh);
  return { kind: 'complete', completed };
}

/** The method whose code `code` is for this login (a set-up's pending method, or the login's), else null. */
async function matchingMethod(context: FlowContext, user: User, login: CodeLogin, code: string): Promise<string | null> {
  const { plugins } = context.security;
  if (login.kind === 'setup') return login.pending !== null && (await verifyPending(context, user, code, login.pending)) ? login.pending.method : null;
  // After an e-mail rescue the mailed code is accepted too, bound to this login like the primary one.
  const candidates = login.problem === 'email' && login.method !== 'email' ? [login.method, 'email'] : [login.method];
  for (const candidate of candidates) {
    const plugin = plugins.pluginForMethod(candidate);
    if (plugin !== null && (await plugin.verifyToken(user, code, { method: candidate, challenge: login.challenge, client: context.client }))) return candidate;
  }
  return null;
}
