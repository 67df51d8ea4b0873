/**
 * @module twofold-auth/express
 * Express 5 for twofold: `twofoldExpress(security)` mounts twofold's URLs and guards the application's routes.
 * This entry alone needs Express's types (`@types/express`); the core, `twofold-auth`, knows nothing of Express.
 */
import { expressGuard, expressMiddleware, type ExpressMiddleware } from './adapters/express.js';
import type { Security } from './security.js';

export type { ExpressMiddleware } from './adapters/express.js';
export type { Authentication } from './http/auth.js';

/** The Express middleware of one {@link Security}; see {@link twofoldExpress}. */
export interface TwofoldExpress {
  /** Serves twofold's URLs (`/login`, `/tf-setup`, `/tf-validate`, …) and sets `req.twofold` (the user, or null) on every other request. */
  middleware(): ExpressMiddleware;
  /** A guard: a logged-in user, by session or API token (FST's `auth_required()`). */
  loginRequired(): ExpressMiddleware;
  /** A guard: logged in by one of `methods` (FST's `auth_required('session', 'token')`); none given means `apiEnabledMethods`. */
  authRequired(...methods: ('session' | 'token')[]): ExpressMiddleware;
  /** A guard: logged in, with a second factor set up and passed in this login (the seed's `tf_required`). */
  tfRequired(): ExpressMiddleware;
}

/**
 * Binds twofold to Express 5. Mount `middleware()` before the application's routes; a guard refuses with
 * twofold's reply (401 JSON or a redirect to `/login`, 403 `tf_required` or a redirect to `/tf-setup`), or
 * lets the request through. When the database cannot be reached, both answer 503 rather than serve the
 * request as anonymous.
 *
 * @example
 * ```ts
 * import { twofoldExpress } from 'twofold-auth/express';
 * const tf = twofoldExpress(security);
 * app.use(tf.middleware());
 * app.get('/admin', tf.tfRequired(), (req, res) => void res.send(`Hello ${req.twofold?.user.email}`));
 * ```
 */
export function twofoldExpress(security: Security): TwofoldExpress {
  return {
    middleware: () => expressMiddleware(security),
    loginRequired: () => expressGuard(security, {}),
    authRequired: (...methods) => expressGuard(security, methods.length === 0 ? {} : { methods }),
    tfRequired: () => expressGuard(security, { twoFactor: true }),
  };
}
