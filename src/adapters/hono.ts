/**
 * The Hono 4 adapter: Hono already speaks the Fetch API, so a middleware hands `c.req.raw` to `security.handle`
 * and sets `c.var.twofold` on the other requests; the guards are middleware too. Only types are taken from Hono;
 * the connection's address comes from `@hono/node-server` when the application runs on it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Authentication, Requirement } from '../http/auth.js';
import type { Security } from '../security.js';
import { failureReply, type RequestInfo } from '../http/handler.js';
import { isStoreUnavailable } from '../store/unavailable.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `twofoldHono(security).middleware()` and its guards: the logged-in user of this request, or null. */
    twofold: Authentication | null;
  }
}

/** A Hono middleware (the twofold middleware and its guards). */
export type HonoMiddleware = MiddlewareHandler;

/** Options of `twofoldHono`. */
export interface TwofoldHonoOptions {
  /**
   * The client's address as the application trusts it. Hono has no notion of a trusted proxy: behind one, read
   * its forwarding header here (e.g. the last `X-Forwarded-For` entry your proxy appends). Giving this function
   * says the application trusts the forwarding headers that reach it: the scheme is then the last entry of
   * `X-Forwarded-Proto`, as Express's `req.protocol` reads it. Unset: the connection's address, the URL's own
   * scheme, and forwarding headers are not trusted.
   */
  readonly clientAddress?: (c: Context) => string | null;
  /**
   * The connection's address where the application does not run on `@hono/node-server` (Bun, Deno: `getConnInfo(c)
   * .remote.address` from `hono/bun` or `hono/deno`). Without it there, plain HTTP to a loopback Host counts as this
   * machine, as for `security.handle` called without connection info.
   */
  readonly connectionAddress?: (c: Context) => string | null;
}

/**
 * The connection's address on `@hono/node-server` (its `incoming` request in `c.env`); null elsewhere, where
 * twofold then judges by the URL and headers alone.
 */
function socketAddress(c: Context): string | null {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return null;
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

/** What the connection says beside the headers (see {@link TwofoldHonoOptions.clientAddress}). */
export function connectionInfo(c: Context, options: TwofoldHonoOptions): RequestInfo {
  const connectionAddress = options.connectionAddress?.(c) ?? socketAddress(c);
  if (options.clientAddress === undefined) return { clientAddress: connectionAddress, connectionAddress, forwardingTrusted: false };
  return { clientAddress: options.clientAddress(c), connectionAddress, forwardingTrusted: true };
}

/**
 * The request as twofold sees it: `c.req.raw`, or, behind a trusted proxy, the same with the scheme the proxy
 * reports (`X-Forwarded-Proto`), so an https client gets the `__Host-` cookies and is not refused as plain HTTP.
 */
function requestOf(c: Context, options: TwofoldHonoOptions): Request {
  const raw = c.req.raw;
  if (options.clientAddress === undefined) return raw;
  const proto = raw.headers.get('x-forwarded-proto')?.split(',').pop()?.trim().toLowerCase();
  const url = new URL(raw.url);
  if ((proto !== 'https' && proto !== 'http') || url.protocol === `${proto}:`) return raw;
  url.protocol = `${proto}:`;
  const body = raw.method === 'GET' || raw.method === 'HEAD' ? null : raw.body;
  return new Request(url, { method: raw.method, headers: raw.headers, body, duplex: 'half' } as RequestInit);
}

/** A failure while authenticating: an unreachable database is a 503 here rather than an anonymous request; the rest goes to `app.onError`. */
function failed(security: Security, c: Context, error: unknown): Response {
  if (!isStoreUnavailable(error)) throw error;
  return failureReply(security, c.req.raw, error);
}

/** `twofoldHono(security).middleware()`: twofold's URLs answered here; for the others `c.var.twofold` is set and Hono goes on. */
export function honoMiddleware(security: Security, options: TwofoldHonoOptions): HonoMiddleware {
  return async function twofold(c, next) {
    try {
      const request = requestOf(c, options);
      if (security.ownsPath(new URL(request.url).pathname)) {
        const response = await security.handle(request, connectionInfo(c, options));
        if (response !== null) return response;
      }
      c.set('twofold', await security.authenticate(request));
    } catch (error) {
      return failed(security, c, error);
    }
    await next();
  };
}

/** A guard (`loginRequired()`, `authRequired()`, `tfRequired()` of `twofoldHono`): refuses with twofold's reply, or calls `next()`. */
export function honoGuard(security: Security, requirement: Requirement, options: TwofoldHonoOptions): HonoMiddleware {
  return async function twofoldGuard(c, next) {
    try {
      const request = requestOf(c, options);
      // Without the middleware nothing is set (undefined): authenticate here.
      const known = c.get('twofold') as Authentication | null | undefined;
      const auth = known === undefined ? await security.authenticate(request) : known;
      c.set('twofold', auth);
      const refusal = await security.refuse(request, auth, requirement);
      if (refusal !== null) return refusal;
    } catch (error) {
      return failed(security, c, error);
    }
    await next();
  };
}
