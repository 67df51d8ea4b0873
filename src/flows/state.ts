/**
 * The login state machine's states, in one place. A session holds at most one `LoginState` (a half-finished
 * login), at most one `ChangeState` (a logged-in user changing their second factor) and at most one
 * `ReauthState` (a logged-in user proving both factors again); clearing any is one assignment. Reference §3.2 gives the transitions; `flows/` makes them.
 */
import type { JsonValue, TfPendingSetup } from '../factors/plugin.js';

/** What every half-finished login carries: who (by id and uniquifier, never the password) and since when. */
interface LoginBase {
  readonly userId: string;
  /** The user's uniquifier at password time; if it changed since (access reset), the login is void. */
  readonly fsUniquifier: string;
  readonly remember: boolean;
  readonly next: string | null;
  readonly startedAtInSeconds: number;
}

/**
 * A login past its password, waiting for the second factor (FST's `tf_state`):
 * - `setup`: the user has no second factor and must set one up (`setup_from_login`); with `pending`, a method
 *   was chosen and awaits its code (`validating_profile`);
 * - `select`: the user has several and must pick one (`tf_select`);
 * - `validate`: a code for `method` is expected (`ready`); `challenge` binds e-mailed and texted codes to this
 *   login; `problem` says what the last rescue did.
 * - `unavailable`: the user's only factor, `method`, is stored but cannot be served here (a method since
 *   turned off, a key since removed). Failing closed, the login goes on only with a recovery code, or after
 *   the administrator resets the user's access; `challenge` names this login (for its one help mail);
 *   `problem` says whether the administrator was asked.
 */
export type LoginState =
  | (LoginBase & { readonly kind: 'setup'; readonly pending: TfPendingSetup | null })
  | (LoginBase & { readonly kind: 'select'; readonly methods: readonly string[] })
  | (LoginBase & { readonly kind: 'validate'; readonly method: string; readonly challenge: string; readonly problem: 'email' | 'help' | null })
  | (LoginBase & { readonly kind: 'unavailable'; readonly method: string; readonly challenge: string; readonly problem: 'help' | null });

/** A logged-in user's second-factor change, awaiting its code; `tokenHash` names it for `/tf-setup/<token>`. */
export interface ChangeState {
  readonly pending: TfPendingSetup;
  readonly tokenHash: string;
}

/**
 * A logged-in user re-authenticating (`/verify`) whose password was right and whose second factor is still
 * due: a code for `method`, bound to `challenge`, within `twoFactorLoginWithin` of `startedAtInSeconds`.
 */
export interface ReauthState {
  readonly method: string;
  readonly challenge: string;
  readonly startedAtInSeconds: number;
  readonly next: string | null;
}

/** A message to show once, by key, translated when shown. */
export interface StoredFlash {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** Everything twofold keeps in a session, as stored in its `data` column. */
export interface SessionData {
  readonly csrf: string;
  readonly login: LoginState | null;
  readonly change: ChangeState | null;
  readonly reauth: ReauthState | null;
  readonly flashes: readonly StoredFlash[];
  /** FST's freshness grace: fresh until this time even past `freshness` (seconds). */
  readonly graceUntilInSeconds: number | null;
  /** Whether this session's login passed a second factor. */
  readonly tfVerified: boolean;
  /**
   * The session's half-finished login was ended by too many wrong codes: until `/login` is visited again, its
   * later steps are told to log in again rather than "no permission".
   */
  readonly loginExhausted: boolean;
}

/** A new session's data. */
export function emptySessionData(csrf: string): SessionData {
  return { csrf, login: null, change: null, reauth: null, flashes: [], graceUntilInSeconds: null, tfVerified: false, loginExhausted: false };
}

/**
 * Reads stored session data. The column is ours, but a row edited by hand or by an older version must not
 * crash a request: anything unexpected becomes "no state", which every view treats as an illegal step.
 */
export function parseSessionData(json: string, newCsrf: () => string): SessionData {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return emptySessionData(newCsrf());
  }
  if (!isObject(raw)) return emptySessionData(newCsrf());
  return {
    csrf: typeof raw.csrf === 'string' && raw.csrf.length >= 22 ? raw.csrf : newCsrf(),
    login: parseLogin(raw.login),
    change: parseChange(raw.change),
    reauth: parseReauth(raw.reauth),
    flashes: Array.isArray(raw.flashes) ? (raw.flashes as unknown[]).filter(isFlash).slice(0, 10) : [],
    graceUntilInSeconds: typeof raw.graceUntilInSeconds === 'number' ? raw.graceUntilInSeconds : null,
    tfVerified: raw.tfVerified === true,
    loginExhausted: raw.loginExhausted === true,
  };
}

function parseLogin(raw: unknown): LoginState | null {
  if (!isObject(raw)) return null;
  const { userId, fsUniquifier, remember, next, startedAtInSeconds, kind } = raw;
  if (typeof userId !== 'string' || typeof fsUniquifier !== 'string' || typeof startedAtInSeconds !== 'number') return null;
  const base = { userId, fsUniquifier, remember: remember === true, next: typeof next === 'string' ? next : null, startedAtInSeconds };
  if (kind === 'setup') return { ...base, kind, pending: isPending(raw.pending) ? raw.pending : null };
  if (kind === 'select' && Array.isArray(raw.methods) && raw.methods.every((m) => typeof m === 'string')) {
    return { ...base, kind, methods: raw.methods as string[] };
  }
  if (kind === 'validate' && typeof raw.method === 'string' && typeof raw.challenge === 'string') {
    const problem = raw.problem === 'email' || raw.problem === 'help' ? raw.problem : null;
    return { ...base, kind, method: raw.method, challenge: raw.challenge, problem };
  }
  if (kind === 'unavailable' && typeof raw.method === 'string' && typeof raw.challenge === 'string') {
    return { ...base, kind, method: raw.method, challenge: raw.challenge, problem: raw.problem === 'help' ? 'help' : null };
  }
  return null;
}

function parseChange(raw: unknown): ChangeState | null {
  if (!isObject(raw) || !isPending(raw.pending) || typeof raw.tokenHash !== 'string') return null;
  return { pending: raw.pending, tokenHash: raw.tokenHash };
}

function parseReauth(raw: unknown): ReauthState | null {
  if (!isObject(raw)) return null;
  const { method, challenge, startedAtInSeconds, next } = raw;
  if (typeof method !== 'string' || typeof challenge !== 'string' || typeof startedAtInSeconds !== 'number') return null;
  return { method, challenge, startedAtInSeconds, next: typeof next === 'string' ? next : null };
}

function isPending(value: unknown): value is TfPendingSetup {
  return isObject(value) && typeof value.method === 'string';
}

function isFlash(value: unknown): value is StoredFlash {
  return isObject(value) && typeof value.key === 'string';
}

function isObject(value: unknown): value is { [key: string]: JsonValue | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON `tf_state` name FST clients know for a login state. */
export function tfStateName(login: LoginState): 'setup_from_login' | 'validating_profile' | 'ready' | 'select' | 'unavailable' {
  if (login.kind === 'setup') return login.pending === null ? 'setup_from_login' : 'validating_profile';
  if (login.kind === 'unavailable') return 'unavailable'; // twofold's own: FST would log the user in
  return login.kind === 'validate' ? 'ready' : 'select';
}
