/** The last transition of every login: pending (or just past the password) → fully logged in. */
import { eventUser } from '../events.js';
import { isSafeRedirectPath } from '../forms/next.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';
import { NO_TF } from './state.js';
import { issueTrustedDevice } from './trusted-device.js';

/** How a login completed, for the reply: who, by what, where to go, and the tokens made for the client. */
export interface CompletedLogin {
  readonly user: User;
  /** The second factor that passed (`recovery_code` too), or null when none was asked (password only, or a remembered browser). */
  readonly method: string | null;
  /** A safe local path: the login's `next`, else `postLoginView`. */
  readonly next: string;
  /** A new remembered-browser token and its lifetime, when the user asked to be remembered. */
  readonly device: { readonly token: string; readonly lifetimeInSeconds: number } | null;
  /** An API token, when the client asked for one (`include_auth_token`). */
  readonly authToken: string | null;
}

/**
 * Completes a login: a new session id bound to the user (the half-logged-in one is deleted, so it is used up
 * once), freshness from now, no two-factor state left, `userAuthenticated`, and the tokens asked for.
 */
export async function completeLogin(
  context: FlowContext,
  user: User,
  options: { remember: boolean; next: string | null; tfVerified: boolean; method: string | null; includeAuthToken: boolean },
): Promise<CompletedLogin> {
  const { security, session } = context;
  await session.renew({ user, authenticated: true, remember: options.remember, data: { tf: NO_TF, tfVerified: options.tfVerified, flashes: [] } });
  security.events.emit('userAuthenticated', { user: eventUser(user), authnVia: options.method === null ? ['password'] : ['password', options.method], client: context.client });
  // A recovery code says the usual device is lost: no browser is remembered on its strength.
  const rememberBrowser = options.method !== null && options.method !== 'recovery_code' && options.remember && !security.config.twoFactorAlwaysValidate;
  const device = rememberBrowser ? await issueTrustedDevice(context, user) : null;
  const authToken = options.includeAuthToken ? await session.issueAuthToken() : null;
  const next = options.next !== null && isSafeRedirectPath(options.next) ? options.next : security.config.postLoginView;
  return { user, method: options.method, next, device, authToken };
}
