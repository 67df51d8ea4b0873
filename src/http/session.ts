/**
 * Server-side sessions. The cookie (or the `Authentication-Token` header) holds only a random id; the
 * datastore holds its SHA-256, the user it belongs to and the login state. A session becomes "logged in" only
 * when every required factor passed, and its id changes whenever its privilege does (checklist FLOW-03).
 */
import { nowInWholeSeconds } from '../clock.js';
import { emptySessionData, parseSessionData, type SessionData } from '../flows/state.js';
import type { Security } from '../security.js';
import type { StoredSession } from '../store/datastore.js';
import type { User } from '../user.js';
import { parseCookies, serializeCookie } from './cookies.js';
import type { RequestLike } from './request.js';
import { hashToken } from '../crypto/token-hash.js';

/** The header API clients authenticate with (FST's default). */
export const AUTH_TOKEN_HEADER = 'authentication-token';
/** How stale `last_seen_at` may get before a request writes it again: idle timeouts need no finer grain. */
const LAST_SEEN_RESOLUTION_IN_SECONDS = 60;

/** The session cookie's name: `__Host-` over HTTPS, so no subdomain or plain-HTTP page can set it. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-twofold_session' : 'twofold_session';
}

/** One request's session: loaded once, changed by views, written back once by {@link SessionHandle.commit}. */
export class SessionHandle {
  readonly #security: Security;
  readonly #secure: boolean;
  readonly #now: number;
  readonly #readOnly: boolean;
  /** The data as loaded: what a read-only commit writes back, with only the flashes changed. */
  readonly #loaded: SessionData;
  #stored: StoredSession | null;
  #data: SessionData;
  #user: User | null;
  #dirty = false;
  #cookie: string | null = null;
  #remember = false;

  private constructor(security: Security, secure: boolean, now: number, stored: StoredSession | null, user: User | null, readOnly: boolean) {
    this.#security = security;
    this.#secure = secure;
    this.#now = now;
    this.#readOnly = readOnly;
    this.#stored = stored;
    this.#user = user;
    const newCsrf = () => security.random.bytes(24).toString('base64url');
    this.#data = stored === null ? emptySessionData(newCsrf()) : parseSessionData(stored.data, newCsrf);
    this.#loaded = this.#data;
  }

  /**
   * The request's session: by `Authentication-Token` header, else by cookie, else a new one that is stored
   * only if something is put in it. An expired, idle, or orphaned session (its user gone, deactivated or
   * reset) is deleted and replaced by a new one.
   *
   * `readOnly` is for GET and HEAD, which a cross-site link can trigger (the cookie is SameSite=Lax): views may
   * change the session in memory to render their reply, but {@link commit} writes back only the flashes (shown
   * or queued for the next page) and the last-seen time, or stores a new anonymous session for a CSRF token;
   * {@link renew} and {@link destroy} throw.
   */
  static async load(security: Security, request: RequestLike, options: { readOnly?: boolean } = {}): Promise<SessionHandle> {
    const readOnly = options.readOnly ?? false;
    const now = nowInWholeSeconds(security.clock);
    const secure = request.url.startsWith('https:');
    const token = request.headers.get(AUTH_TOKEN_HEADER);
    const id = token ?? parseCookies(request.headers.get('cookie')).get(sessionCookieName(secure)) ?? null;
    if (id !== null && id.length >= 22 && id.length <= 128) {
      const found = await security.datastore.findSession(hashToken(id), now);
      if (found !== null && (token === null) === (found.session.kind === 'browser')) {
        const { session, user } = found;
        const idle = now - session.lastSeenAtInSeconds > security.config.sessionIdleTimeout;
        const orphaned = session.userId !== null && (user === null || !user.active || user.fsUniquifier !== session.fsUniquifier);
        if (!idle && !orphaned) return new SessionHandle(security, secure, now, session, user, readOnly);
        await security.datastore.deleteSession(session.idHash);
      }
    }
    return new SessionHandle(security, secure, now, null, null, readOnly);
  }

  /** The logged-in user; null while anonymous or half-way through a login. */
  get user(): User | null {
    return this.#stored?.userId == null ? null : this.#user;
  }

  /** How the request authenticated: by session cookie, by API token, or not at all. */
  get via(): 'session' | 'token' | null {
    if (this.user === null) return null;
    return this.#stored?.kind === 'token' ? 'token' : 'session';
  }

  get data(): SessionData {
    return this.#data;
  }

  /** The CSRF token of this session; reading it for a form makes the session worth storing. */
  get csrfToken(): string {
    if (this.#stored === null) this.#dirty = true;
    return this.#data.csrf;
  }

  /** Whether this session exists in the datastore (so its CSRF token was handed out before). */
  get csrfStored(): boolean {
    return this.#stored !== null;
  }

  /** Changes the session's data; written back at {@link commit}. */
  update(change: Partial<SessionData>): void {
    this.#data = { ...this.#data, ...change };
    this.#dirty = true;
  }

  /** The stored session's id hash (a stable name for its half-finished login), or null before it is stored. */
  get idHash(): string | null {
    return this.#stored?.idHash ?? null;
  }

  /** When the password was last checked in this session, or null. */
  get authenticatedAtInSeconds(): number | null {
    return this.#stored?.authenticatedAtInSeconds ?? null;
  }

  /**
   * Freshness: the login or the last re-authentication was within `freshness`; or a check that passed that
   * way was within the grace period, so a sensitive step begun in time can finish. Unlike FST, a check within
   * the grace does not extend it: however busy a session (or whoever copied its cookie), it is fresh for at
   * most `freshness + freshnessGracePeriod` after the user last proved who they are.
   */
  isFresh(): boolean {
    const { freshness, freshnessGracePeriod } = this.#security.config;
    const authenticatedAt = this.authenticatedAtInSeconds;
    if (authenticatedAt !== null && this.#now - authenticatedAt < freshness) {
      if (this.via === 'session') this.update({ graceUntilInSeconds: this.#now + freshnessGracePeriod });
      return true;
    }
    const grace = this.#data.graceUntilInSeconds;
    return grace !== null && this.#now < grace;
  }

  /**
   * Replaces this session by a new one with a new id (the old row is deleted): on entering a login state, on
   * completing a login (`user` set), on re-authentication. The CSRF token changes with it.
   */
  async renew(options: { user?: User | null; authenticated?: boolean; remember?: boolean; data?: Partial<SessionData> }): Promise<void> {
    if (this.#readOnly) throw new TypeError('a GET or HEAD must not renew the session');
    await this.#replace(options);
  }

  async #replace(options: { user?: User | null; authenticated?: boolean; remember?: boolean; data?: Partial<SessionData> }): Promise<void> {
    if (this.#stored !== null) await this.#security.datastore.deleteSession(this.#stored.idHash);
    const { config, random } = this.#security;
    const user = options.user === undefined ? this.user : options.user;
    const id = random.bytes(32).toString('base64url');
    this.#data = { ...this.#data, csrf: random.bytes(24).toString('base64url'), graceUntilInSeconds: null, ...options.data };
    this.#remember = options.remember ?? false;
    this.#stored = {
      idHash: hashToken(id),
      kind: 'browser',
      userId: user?.id ?? null,
      fsUniquifier: user?.fsUniquifier ?? null,
      data: JSON.stringify(this.#data),
      authenticatedAtInSeconds: options.authenticated === true ? this.#now : (this.#stored?.authenticatedAtInSeconds ?? null),
      createdAtInSeconds: this.#now,
      lastSeenAtInSeconds: this.#now,
      expiresAtInSeconds: this.#now + (user === null ? config.sessionIdleTimeout : config.sessionLifetime),
    };
    this.#user = user;
    await this.#security.datastore.createSession(this.#stored);
    this.#dirty = false;
    this.#cookie = id;
  }

  /** Makes an API token for the logged-in user: a separate session of kind `token`, returned once. */
  async issueAuthToken(): Promise<string> {
    const user = this.user;
    if (user === null) throw new TypeError('issueAuthToken needs a logged-in session');
    const id = this.#security.random.bytes(32).toString('base64url');
    await this.#security.datastore.createSession({
      idHash: hashToken(id),
      kind: 'token',
      userId: user.id,
      fsUniquifier: user.fsUniquifier,
      data: JSON.stringify({ ...emptySessionData(this.#security.random.bytes(24).toString('base64url')), tfVerified: this.#data.tfVerified }),
      authenticatedAtInSeconds: this.authenticatedAtInSeconds,
      createdAtInSeconds: this.#now,
      lastSeenAtInSeconds: this.#now,
      expiresAtInSeconds: this.#now + this.#security.config.sessionLifetime,
    });
    return id;
  }

  /**
   * Deletes the session (logout): the row goes, the cookie is cleared, and so is the data — a reply that
   * then needs a session (a JSON reply carries a CSRF token) starts an empty one, never one carrying a
   * half-finished login.
   */
  async destroy(): Promise<void> {
    if (this.#readOnly) throw new TypeError('a GET or HEAD must not end the session');
    if (this.#stored !== null) await this.#security.datastore.deleteSession(this.#stored.idHash);
    this.#stored = null;
    this.#user = null;
    this.#data = emptySessionData(this.#security.random.bytes(24).toString('base64url'));
    this.#dirty = false;
    this.#cookie = '';
  }

  /** Writes what changed and returns the `Set-Cookie` values the response must carry. */
  async commit(): Promise<string[]> {
    const { datastore, config } = this.#security;
    if (this.#readOnly && this.#dirty) {
      // Whatever a GET's view changed is dropped but the flashes: a login, a change or a re-authentication
      // stays as the last POST left it.
      const flashes = this.#data.flashes;
      this.#data = this.#stored === null ? { ...emptySessionData(this.#data.csrf), flashes } : { ...this.#loaded, flashes };
      this.#dirty = this.#stored === null || JSON.stringify(flashes) !== JSON.stringify(this.#loaded.flashes);
    }
    if (this.#dirty) {
      if (this.#stored === null) {
        // A first write keeps the CSRF token the reply already carries.
        await this.#replace({ user: null, data: { csrf: this.#data.csrf } });
      } else {
        const update: { data: string; lastSeenAtInSeconds: number; expiresAtInSeconds?: number } = { data: JSON.stringify(this.#data), lastSeenAtInSeconds: this.#now };
        if (this.#stored.userId === null) update.expiresAtInSeconds = this.#now + config.sessionIdleTimeout;
        await datastore.updateSession(this.#stored.idHash, update);
      }
    } else if (this.#stored !== null && this.#cookie === null && this.#now - this.#stored.lastSeenAtInSeconds >= LAST_SEEN_RESOLUTION_IN_SECONDS) {
      await datastore.updateSession(this.#stored.idHash, { lastSeenAtInSeconds: this.#now });
    }
    if (this.#cookie === null || this.#stored?.kind === 'token') return [];
    const name = sessionCookieName(this.#secure);
    const attributes = { httpOnly: true, secure: this.#secure, sameSite: 'Lax' as const, path: '/' };
    if (this.#cookie === '') return [serializeCookie(name, '', { ...attributes, maxAgeInSeconds: 0 })];
    return [serializeCookie(name, this.#cookie, this.#remember ? { ...attributes, maxAgeInSeconds: config.sessionLifetime } : attributes)];
  }
}
