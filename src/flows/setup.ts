/**
 * Choosing a second factor: during a login that owes one (`login.setup` → `login.setup` with a method
 * pending), or logged in and fresh (none → `change`); and turning 2FA off.
 */
import { hashToken } from '../crypto/token-hash.js';
import { eventUser } from '../events.js';
import type { AuthenticatorSetupValues, TfPendingSetup, TfSetupFailure } from '../factors/plugin.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';
import { endOtherSessions } from './sessions.js';
import { loginOf, withoutChange } from './state.js';

/**
 * Started: the method's pending set-up (kept server-side), what an authenticator app needs, and for a
 * logged-in change the token naming it (`/tf-setup/<token>`). Or refused, with why (and how long to wait
 * when the send limits refused its code).
 */
export type SetupOutcome =
  | { readonly kind: 'started'; readonly pending: TfPendingSetup; readonly authenticator: AuthenticatorSetupValues | null; readonly token: string | null }
  | { readonly kind: 'refused'; readonly error: TfSetupFailure; readonly retryAfterInSeconds: number | null };

/** Starts setting up `method` through its plugin; nothing is active until its code confirms it. */
export async function startSetup(context: FlowContext, user: User, input: { method: string; phone: string | null; changing: boolean }): Promise<SetupOutcome> {
  const { security, session } = context;
  const plugin = security.plugins.pluginForMethod(input.method);
  const started = plugin === null ? ({ ok: false, error: 'TWO_FACTOR_METHOD_NOT_AVAILABLE' } as const) : await plugin.setupTf(user, { method: input.method, phone: input.phone, client: context.client });
  if (!started.ok) return { kind: 'refused', error: started.error, retryAfterInSeconds: started.retryAfterInSeconds ?? null };
  let token: string | null = null;
  if (input.changing) {
    token = security.random.bytes(24).toString('base64url');
    // A re-authentication left half-done would take this change's code on /tf-validate: the change wins.
    session.update({ tf: { kind: 'change', change: { pending: started.pending, tokenHash: hashToken(token) } } });
  } else {
    const login = loginOf(session.data.tf);
    if (login?.kind === 'setup') session.update({ tf: { kind: 'login', login: { ...login, pending: started.pending } } });
  }
  return { kind: 'started', pending: started.pending, authenticator: started.authenticator ?? null, token };
}

/** Turns 2FA off for a fresh, logged-in user who need not have it: every factor removed, other sessions ended. */
export async function disableTwoFactor(context: FlowContext, user: User): Promise<void> {
  const { security, session } = context;
  await security.plugins.removeAll(user);
  await endOtherSessions(context, user);
  session.update({ tf: withoutChange(session.data.tf) });
  security.events.emit('tfDisabled', { user: eventUser(user), client: context.client });
}
