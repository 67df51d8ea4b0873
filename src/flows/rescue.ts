/**
 * Rescue, when the second factor is out of reach during a login: a code mailed instead (e-mail rescue, when
 * on), or the administrator told who asked. Each marks the login (`problem`) so the page can say what was done.
 */
import { messageText } from '../messages.js';
import { helpMailBuckets } from '../factors/code/send-limits.js';
import { nowInWholeSeconds } from '../clock.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';
import { sendCodeFor } from './password.js';
import type { LoginState } from './state.js';

/** A login that rescue serves: waiting for a code, or stopped at a factor out of service. */
export type RescuableLogin = LoginState & { readonly kind: 'validate' | 'unavailable' };

/** Done (the login as it now stands), or not sent: refused by the limits (`retryAfterInSeconds`) or failed (null). */
export type RescueOutcome = { readonly kind: 'done'; readonly login: RescuableLogin } | { readonly kind: 'not-sent'; readonly retryAfterInSeconds: number | null };

/** Mails a code bound to this login; the mailed code then passes it like the factor's own. */
export async function rescueByEmail(context: FlowContext, user: User, login: RescuableLogin & { readonly kind: 'validate' }): Promise<RescueOutcome> {
  const outcome = await sendCodeFor(context, user, 'email', login.challenge);
  if (!outcome.sent) return { kind: 'not-sent', retryAfterInSeconds: outcome.retryAfterInSeconds };
  const next = { ...login, problem: 'email' as const };
  context.session.update({ tf: { kind: 'login', login: next } });
  return { kind: 'done', login: next };
}

/**
 * Tells the administrator (`twoFactorRescueMail`) who asked; the user learns nothing they did not know. Once
 * per login: a repeat after a sent mail is done already, without a second mail (a refusal would suggest that
 * asking again later helps). The per-login counter in the database also stops requests sent at once, and a
 * retry after a failed send: those are refused until the login ends, since no mail went. Beyond that the
 * account's and the client's send caps hold.
 */
export async function askAdministrator(context: FlowContext, user: User, login: RescuableLogin): Promise<RescueOutcome> {
  const { security } = context;
  if (login.problem === 'help') return { kind: 'done', login };
  const mailer = security.mailer;
  if (mailer === null) return { kind: 'not-sent', retryAfterInSeconds: null };
  const limits = helpMailBuckets(security.config, security.keyring, { userId: user.id, loginChallenge: login.challenge, clientAddress: context.client.address });
  const hit = await security.datastore.hitRateLimits(limits, nowInWholeSeconds(security.clock));
  if (!hit.allowed) return { kind: 'not-sent', retryAfterInSeconds: hit.retryAfterInSeconds };
  try {
    await mailer.send({ to: security.config.twoFactorRescueMail, subject: security.config.emailSubjectTwoFactorRescue, text: messageText('TF_RESCUE_HELP_MAIL', { email: user.email }) });
  } catch (error) {
    security.reportError(error, 'mail-send-failed');
    return { kind: 'not-sent', retryAfterInSeconds: null };
  }
  const next = { ...login, problem: 'help' as const };
  context.session.update({ tf: { kind: 'login', login: next } });
  return { kind: 'done', login: next };
}
