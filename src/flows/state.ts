/**
 * The login state machine's states, in one place. A session holds one {@link TfState}: nothing under way, a
 * half-finished login, a logged-in user's change of second factor, or a re-authentication (which may carry a
 * change to resume once it is done). Clearing is one assignment, `tf: NO_TF`, and which state a step belongs
 * to is decided once, by its `kind`. docs/architecture.md draws the transitions; `flows/` makes them.
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

/**
 * The two-factor state of a session, one of:
 * - `none`: nothing under way;
 * - `login`: past the password, waiting for the second factor ({@link LoginState});
 * - `ended`: a login ended by too many wrong codes; until the next password step its later steps are told to
 *   log in again rather than "no permission";
 * - `change`: a logged-in user changing their second factor, awaiting the new factor's code;
 * - `reauth`: a logged-in user re-authenticating (`/verify`) whose password was right, awaiting the code;
 *   `resume` is a change started before, confirmed once the session is fresh again.
 */
export type TfState =
  | { readonly kind: 'none' }
  | { readonly kind: 'login'; readonly login: LoginState }
  | { readonly kind: 'ended' }
  | { readonly kind: 'change'; readonly change: ChangeState }
  | { readonly kind: 'reauth'; readonly reauth: ReauthState; readonly resume: ChangeState | null };

/** Every kind of {@link TfState}; docs/architecture.md draws each (a test keeps the two in step). */
export const TF_STATE_KINDS = ['none', 'login', 'ended', 'change', 'reauth'] as const satisfies readonly TfState['kind'][];

/** Every step of a {@link LoginState}, drawn inside `login` in docs/architecture.md. */
export const LOGIN_STEPS = ['setup', 'select', 'validate', 'unavailable'] as const satisfies readonly LoginState['kind'][];

// The two lists name every kind: adding one to a union without listing it fails to compile here.
type Unlisted = Exclude<TfState['kind'], (typeof TF_STATE_KINDS)[number]> | Exclude<LoginState['kind'], (typeof LOGIN_STEPS)[number]>;
const EVERY_KIND_LISTED: [Unlisted] extends [never] ? true : never = true;
void EVERY_KIND_LISTED;

/** Nothing under way. */
export const NO_TF: TfState = Object.freeze({ kind: 'none' });

/** The half-finished login of a state, or null. */
export function loginOf(tf: TfState): LoginState | null {
  return tf.kind === 'login' ? tf.login : null;
}

/** The change awaiting its code (not one a re-authentication holds for later), or null. */
export function changeOf(tf: TfState): ChangeState | null {
  return tf.kind === 'change' ? tf.change : null;
}

/**
 * The change a `/tf-setup/<token>` may complete: the one awaiting its code, or the one a re-authentication
 * holds to resume (a fresh session may still post it before finishing `/verify`).
 */
export function pendingChangeOf(tf: TfState): ChangeState | null {
  return tf.kind === 'change' ? tf.change : tf.kind === 'reauth' ? tf.resume : null;
}

/** The state once its change is done or dropped: a re-authentication stays, without it. */
export function withoutChange(tf: TfState): TfState {
  return tf.kind === 'reauth' ? { ...tf, resume: null } : tf.kind === 'change' ? NO_TF : tf;
}

/** A re-authentication starts: it holds the change under way, to resume once done. */
export function startReauth(tf: TfState, reauth: ReauthState): TfState {
  return { kind: 'reauth', reauth, resume: pendingChangeOf(tf) };
}

/** The re-authentication is over (done, failed or expired): the change it held is under way again. */
export function endReauth(tf: TfState): TfState {
  if (tf.kind !== 'reauth') return tf;
  return tf.resume === null ? NO_TF : { kind: 'change', change: tf.resume };
}

/** A step out of order abandons a login or a change; a re-authentication under way stays, without a held change. */
export function afterIllegalStep(tf: TfState): TfState {
  return tf.kind === 'reauth' ? { ...tf, resume: null } : NO_TF;
}

/** The re-authentication awaiting its code, or null. */
export function reauthOf(tf: TfState): ReauthState | null {
  return tf.kind === 'reauth' ? tf.reauth : null;
}

/** A message to show once, by key, translated when shown. */
export interface StoredFlash {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** Everything twofold keeps in a session, as stored in its `data` column. */
export interface SessionData {
  readonly csrf: string;
  readonly tf: TfState;
  readonly flashes: readonly StoredFlash[];
  /** FST's freshness grace: fresh until this time even past `freshness` (seconds). */
  readonly graceUntilInSeconds: number | null;
  /** Whether this session's login passed a second factor. */
  readonly tfVerified: boolean;
}

/** A new session's data. */
export function emptySessionData(csrf: string): SessionData {
  return { csrf, tf: NO_TF, flashes: [], graceUntilInSeconds: null, tfVerified: false };
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
    tf: parseTf(raw.tf),
    flashes: Array.isArray(raw.flashes) ? (raw.flashes as unknown[]).filter(isFlash).slice(0, 10) : [],
    graceUntilInSeconds: typeof raw.graceUntilInSeconds === 'number' ? raw.graceUntilInSeconds : null,
    tfVerified: raw.tfVerified === true,
  };
}

function parseTf(raw: unknown): TfState {
  if (!isObject(raw)) return NO_TF;
  switch (raw.kind) {
    case 'login': {
      const login = parseLogin(raw.login);
      return login === null ? NO_TF : { kind: 'login', login };
    }
    case 'ended':
      return { kind: 'ended' };
    case 'change': {
      const change = parseChange(raw.change);
      return change === null ? NO_TF : { kind: 'change', change };
    }
    case 'reauth': {
      const reauth = parseReauth(raw.reauth);
      return reauth === null ? NO_TF : { kind: 'reauth', reauth, resume: parseChange(raw.resume) };
    }
    default:
      return NO_TF;
  }
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
