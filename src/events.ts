/** Typed signals with Flask-Security-Too's names, so an application can audit and notify. */
import { describeFailure } from './errors.js';
import type { User } from './user.js';

/**
 * The user as events show them: who, never their secrets (no TOTP secret, no password hash, no uniquifier).
 */
export interface EventUser {
  readonly id: string;
  readonly email: string;
  readonly active: boolean;
  readonly tfPrimaryMethod: string | null;
}

/** The {@link EventUser} view of a user. */
export function eventUser(user: Pick<User, 'id' | 'email' | 'active' | 'tfPrimaryMethod'>): EventUser {
  return { id: user.id, email: user.email, active: user.active, tfPrimaryMethod: user.tfPrimaryMethod };
}

/**
 * The request an event came from: the client's IP address and user agent as far as the adapter knew, the
 * request's id, and its time. Present on events raised by a request, so that an audit log can tie them
 * together and a notice can say where a change came from (checklist LOG-01).
 */
export interface EventClient {
  readonly address: string | null;
  readonly userAgent: string | null;
  /** The `X-Request-Id` the request came with (a proxy's), or one made for it. */
  readonly requestId: string;
  /** When twofold handled it, in whole seconds. */
  readonly atInSeconds: number;
}

/**
 * Every event and what it carries. No payload ever holds a code, secret, hash or token, so logging a payload
 * whole is safe.
 */
export interface TwofoldEventMap {
  /** A second-factor code was sent (e-mail, SMS), or an authenticator login began (nothing sent). FST: `tf_security_token_sent`. */
  tfSecurityTokenSent: { user: EventUser; method: string; phoneNumber: string | null; client?: EventClient };
  /** A right code completed a login or a set-up during login. FST: `tf_code_confirmed`. */
  tfCodeConfirmed: { user: EventUser; method: string; client?: EventClient };
  /** A logged-in user changed their second factor. FST: `tf_profile_changed`. */
  tfProfileChanged: { user: EventUser; method: string; client?: EventClient };
  /** A user without a second factor set one up while logging in (twofold; FST signals only `tf_code_confirmed`). */
  tfFactorAdded: { user: EventUser; method: string; client?: EventClient };
  /** A browser was remembered: it skips the second factor until `expiresAtInSeconds` (twofold; checklist RMD-05). */
  tfDeviceTrusted: { user: EventUser; expiresAtInSeconds: number; client?: EventClient };
  /** The user made `count` remembered browsers forget them: each is asked for the second factor again (twofold; checklist RMD-04). */
  tfDeviceRevoked: { user: EventUser; count: number; client?: EventClient };
  /** Two-factor authentication was turned off for the user. FST: `tf_disabled`. */
  tfDisabled: { user: EventUser; client?: EventClient };
  /** A second-factor attempt failed. FST: `user_failed_authn`. */
  userFailedAuthn: { user: EventUser; authType: string; tfa: boolean; client?: EventClient };
  /**
   * Too many wrong second-factor codes: the account refuses every code, right ones too, for
   * `retryAfterInSeconds` (checklist RL-01, RL-09). Emitted by each failure that starts or lengthens the lock.
   */
  tfLockedOut: { user: EventUser; retryAfterInSeconds: number; client?: EventClient };
  /**
   * A right second-factor code came after `failures` wrong ones (twofold; checklist MGT-03, RL-09): if the
   * user did not make them, someone else has their password.
   */
  tfPassedAfterFailures: { user: EventUser; failures: number; client?: EventClient };
  /** A logged-in user re-authenticated (`/verify`): the session is fresh again (twofold; checklist LOG-01 "step-up"). */
  userReauthenticated: { user: EventUser; authnVia: readonly string[]; client?: EventClient };
  /** A login completed. FST: `user_authenticated`. */
  userAuthenticated: { user: EventUser; authnVia: readonly string[]; client?: EventClient };
  /** A new set of recovery codes replaced the old one. */
  mfRecoveryCodesGenerated: { user: EventUser; count: number; client?: EventClient };
  /** A recovery code was used; `remaining` unused codes are left. */
  mfRecoveryCodeUsed: { user: EventUser; remaining: number; client?: EventClient };
  /** A TOTP code that was already used (or an earlier one) came again: a sign the code was seen by someone else (checklist TOTP-11). */
  tfCodeReplayed: { user: EventUser; method: string; client?: EventClient };
}

/** The name of an event. */
export type TwofoldEventName = keyof TwofoldEventMap;

/** Every event's name once; the compiler checks the list is complete. */
const EVENT_NAME_SET: { readonly [K in TwofoldEventName]: true } = {
  tfSecurityTokenSent: true,
  tfCodeConfirmed: true,
  tfProfileChanged: true,
  tfFactorAdded: true,
  tfDeviceTrusted: true,
  tfDeviceRevoked: true,
  tfDisabled: true,
  userFailedAuthn: true,
  tfLockedOut: true,
  tfPassedAfterFailures: true,
  userAuthenticated: true,
  userReauthenticated: true,
  mfRecoveryCodesGenerated: true,
  mfRecoveryCodeUsed: true,
  tfCodeReplayed: true,
};

/**
 * Every event name, for an audit log that records them all (checklist LOG-01).
 * @example
 * ```ts
 * for (const name of TWOFOLD_EVENT_NAMES) security.events.on(name, (payload) => audit.write(name, payload));
 * ```
 */
export const TWOFOLD_EVENT_NAMES: readonly TwofoldEventName[] = Object.freeze(Object.keys(EVENT_NAME_SET) as TwofoldEventName[]);

/** A listener; may be async, but twofold does not wait for it. */
export type TwofoldListener<K extends TwofoldEventName> = (payload: TwofoldEventMap[K]) => void | Promise<void>;

/**
 * The event bus of one `Security` instance.
 *
 * A listener that throws or rejects must not undo a login half-way (a code already consumed, a session
 * already made), so listener failures are caught and passed to `onListenerError` (by default written to
 * stderr with the event name and the error's kind and code, never its message).
 *
 * @example
 * ```ts
 * security.events.on('tfDisabled', ({ user }) => audit.write('2fa-disabled', user.id));
 * ```
 */
export class TwofoldEvents {
  readonly #listeners = new Map<TwofoldEventName, Set<(payload: never) => void | Promise<void>>>();
  readonly #onListenerError: (error: unknown, event: TwofoldEventName) => void;

  constructor(options: { onListenerError?: (error: unknown, event: TwofoldEventName) => void } = {}) {
    this.#onListenerError =
      options.onListenerError ?? ((error, event) => console.error(`twofold: a listener for "${event}" failed: ${describeFailure(error)}`));
  }

  /** Adds a listener. @returns a function that removes it. */
  on<K extends TwofoldEventName>(event: K, listener: TwofoldListener<K>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => this.off(event, listener);
  }

  /** Removes a listener added with {@link on}. */
  off<K extends TwofoldEventName>(event: K, listener: TwofoldListener<K>): void {
    this.#listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  /** Calls every listener of `event` with `payload`, synchronously, isolating their failures. */
  emit<K extends TwofoldEventName>(event: K, payload: TwofoldEventMap[K]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        const result = (listener as TwofoldListener<K>)(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.#onListenerError(error, event));
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}
