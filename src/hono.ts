/**
 * @module twofold-auth/hono
 * Hono 4 for twofold: `twofoldHono(security)` gives a middleware serving twofold's URLs and guards for routes.
 * This entry alone needs Hono's types; the core, `twofold-auth`, knows nothing of Hono.
 */
import { honoGuard, honoMiddleware, type HonoMiddleware, type TwofoldHonoOptions } from './adapters/hono.js';
import type { Security } from './security.js';

export type { HonoMiddleware, TwofoldHonoOptions } from './adapters/hono.js';
export type { Authentication } from './http/auth.js';

/** The Hono middleware of one {@link Security}; see {@link twofoldHono}. */
export interface TwofoldHono {
  /** Serves twofold's URLs (`/login`, `/tf-setup`, …) and sets `c.var.twofold` (the user, or null) on every other request. */
  middleware(): HonoMiddleware;
  /** A guard: a logged-in user, by session or API token (FST's `auth_required()`). */
  loginRequired(): HonoMiddleware;
  /** A guard: logged in by one of `methods`; none given means `apiEnabledMethods`. */
  authRequired(...methods: ('session' | 'token')[]): HonoMiddleware;
  /** A guard: logged in, with a second factor set up and passed in this login (the seed's `tf_required`). */
  tfRequired(): HonoMiddleware;
}

/**
 * Binds twofold to Hono 4. Use `middleware()` before the application's routes; a guard refuses with twofold's
 * reply (401 JSON or a redirect to `/login`, 403 `tf_required` or a redirect to `/tf-setup`), or calls `next()`.
 * When the database cannot be reached, both answer 503. On `@hono/node-server` the connection's address is read
 * from the socket; Hono trusts no proxy, so behind one pass `options.clientAddress`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { twofoldHono } from 'twofold-auth/hono';
 * const app = new Hono();
 * const tf = twofoldHono(security);
 * app.use(tf.middleware());
 * app.get('/admin', tf.tfRequired(), (c) => c.text(`Hello ${c.var.twofold?.user.email}`));
 * ```
 */
export function twofoldHono(security: Security, options: TwofoldHonoOptions = {}): TwofoldHono {
  return {
    middleware: () => honoMiddleware(security, options),
    loginRequired: () => honoGuard(security, {}, options),
    authRequired: (...methods) => honoGuard(security, methods.length === 0 ? {} : { methods }, options),
    tfRequired: () => honoGuard(security, { twoFactor: true }, options),
  };
}
