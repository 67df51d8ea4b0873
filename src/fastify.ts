/**
 * @module twofold-auth/fastify
 * Fastify 5 for twofold: `twofoldFastify(security)` gives a plugin serving twofold's URLs and guards for routes.
 * This entry alone needs Fastify's types; the core, `twofold-auth`, knows nothing of Fastify.
 */
import { fastifyGuard, fastifyPlugin, type FastifyGuard, type TwofoldFastifyPlugin } from './adapters/fastify.js';
import type { Security } from './security.js';

export type { FastifyGuard, TwofoldFastifyPlugin } from './adapters/fastify.js';
export type { Authentication } from './http/auth.js';

/** The Fastify plugin and guards of one {@link Security}; see {@link twofoldFastify}. */
export interface TwofoldFastify {
  /** Register at the root: serves twofold's URLs (`/login`, `/tf-setup`, …) and sets `request.twofold` (the user, or null) on every other request. */
  readonly plugin: TwofoldFastifyPlugin;
  /** A `preHandler` guard: a logged-in user, by session or API token (FST's `auth_required()`). */
  loginRequired(): FastifyGuard;
  /** A `preHandler` guard: logged in by one of `methods`; none given means `apiEnabledMethods`. */
  authRequired(...methods: ('session' | 'token')[]): FastifyGuard;
  /** A `preHandler` guard: logged in, with a second factor set up and passed in this login (the seed's `tf_required`). */
  tfRequired(): FastifyGuard;
}

/**
 * Binds twofold to Fastify 5. Register `plugin` before the application's routes; it answers twofold's URLs in an
 * `onRequest` hook, reading the body itself (64 KiB at most), so no content-type parser is needed for its forms.
 * A guard refuses with twofold's reply (401 JSON or a redirect to `/login`, 403 `tf_required` or a redirect to
 * `/tf-setup`), or lets the request through. When the database cannot be reached, both answer 503.
 * `request.ip` and the scheme follow Fastify's `trustProxy`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { twofoldFastify } from 'twofold-auth/fastify';
 * const app = Fastify();
 * const tf = twofoldFastify(security);
 * await app.register(tf.plugin);
 * app.get('/admin', { preHandler: tf.tfRequired() }, async (request) => `Hello ${request.twofold?.user.email}`);
 * ```
 */
export function twofoldFastify(security: Security): TwofoldFastify {
  return {
    plugin: fastifyPlugin(security),
    loginRequired: () => fastifyGuard(security, {}),
    authRequired: (...methods) => fastifyGuard(security, methods.length === 0 ? {} : { methods }),
    tfRequired: () => fastifyGuard(security, { twoFactor: true }),
  };
}
