/**
 * What a transition of the login state machine gets: the session it reads and changes, who is asking and
 * when, and the application's Security. No request, no reply, no cookie: views translate HTTP into this and
 * the outcomes back (nothing in `flows/` imports `http/`).
 */
import type { EventClient } from '../events.js';
import type { Security } from '../security.js';
import type { User } from '../user.js';
import type { SessionData } from './state.js';

/** The session as the flows use it; `http/session.ts`'s SessionHandle is one, and the only writer. */
export interface FlowSession {
  /** The logged-in user; null while anonymous or half-way through a login. */
  readonly user: User | null;
  /** How the logged-in user authenticated: a session cookie or an API token. */
  readonly via: 'session' | 'token' | null;
  readonly data: SessionData;
  /** The stored session's id hash (a stable name for its half-finished login), or null before it is stored. */
  readonly idHash: string | null;
  update(change: Partial<SessionData>): void;
  /** A new session id for a change of privilege (checklist FLOW-03); the old one is deleted. */
  renew(options: { user?: User | null; authenticated?: boolean; remember?: boolean; data?: Partial<SessionData> }): Promise<void>;
  /** An API token for the logged-in user, returned once. */
  issueAuthToken(): Promise<string>;
  isFresh(): boolean;
}

/** One step's world. */
export interface FlowContext {
  readonly security: Security;
  readonly session: FlowSession;
  /** Who is asking: their address counts in the send limits, and events and notices carry it. */
  readonly client: EventClient;
  /** Whole seconds, from the security's clock. */
  readonly nowInSeconds: number;
  /** The SHA-256 hex of the remembered-browser token the request presented, or null. */
  readonly presentedDeviceHash: string | null;
}
