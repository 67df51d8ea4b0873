/**
 * The Fastify 5 adapter: a plugin whose `onRequest` hook answers twofold's URLs from the raw Node request (before
 * Fastify parses a body) and sets `request.twofold` on the others, plus guards as `preHandler` hooks.
 * Only types are taken from Fastify, so Fastify stays a peer dependency.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Authentication, Requirement } from '../http/auth.js';
import type { RequestLike } from '../http/request.js';
import type { Security } from '../security.js';
import { failureReply, type RequestInfo } from '../http/handler.js';
import { isStoreUnavailable } from '../store/unavailable.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `twofoldFastify(security).plugin` and its guards: the logged-in user of this request, or null. */
    twofold: Authentication | null;
  }
}

/** A guard of `twofoldFastify`, for a route's `preHandler`. */
export type FastifyGuard = preHandlerAsyncHookHandler;

/** The plugin of `twofoldFastify(security)`: registered at the root, its hook and decorator apply app-wide. */
export type TwofoldFastifyPlugin = ((app: FastifyInstance) => Promise<void>) & { [key: symbol]: unknown };

function urlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host || 'localhost'}${request.url}`;
}

/** The Fetch Request for a Fastify request; the body is the raw Node stream, which Fastify has not read yet. */
export function toRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') return new Request(urlOf(request), { method, headers });
  const body = Readable.toWeb(request.raw) as ReadableStream<Uint8Array>;
  return new Request(urlOf(request), { method, headers, body, duplex: 'half' } as RequestInit);
}

/** The URL and headers of a Fastify request, without building a Request: enough for authentication. */
export function toRequestLike(request: FastifyRequest): RequestLike {
  return {
    url: urlOf(request),
    headers: {
      get(name: string): string | null {
        const value = request.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
  };
}

/**
 * The connection beside the headers. `request.ip` honours Fastify's `trustProxy`, whose verdict on the
 * connection Fastify does not expose; it shows in what it derived: `request.ips` going past the connection's
 * address (an `X-Forwarded-For` believed), or a scheme other than the socket's (`X-Forwarded-Proto` believed).
 * A trusted proxy that sends neither is taken as untrusted, which refuses rather than serves.
 */
export function connectionInfo(request: FastifyRequest): RequestInfo {
  const connectionAddress = request.socket.remoteAddress ?? null;
  const socketScheme = (request.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  const believed = (request.ips?.length ?? 0) > 1 || request.protocol !== socketScheme;
  return { clientAddress: request.ip ?? null, connectionAddress, forwardingTrusted: connectionAddress !== null && believed };
}

/** Sends a Fetch Response through Fastify; several `Set-Cookie` stay several. */
export async function sendResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  return reply.send(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}

/** The plugin: twofold's URLs answered in `onRequest`; for the others `request.twofold` is set and Fastify goes on. */
export function fastifyPlugin(security: Security): TwofoldFastifyPlugin {
  async function twofold(app: FastifyInstance): Promise<void> {
    app.decorateRequest('twofold', null);
    app.addHook('onRequest', async (request, reply) => {
      try {
        const pathname = request.url.split('?', 1)[0] ?? '/';
        // A full Fetch Request only for twofold's own URLs; the application's requests just get authenticated.
        if (security.ownsPath(pathname)) {
          const response = await security.handle(toRequest(request), connectionInfo(request));
          if (response !== null) return sendResponse(reply, response);
        }
        request.twofold = await security.authenticate(toRequestLike(request));
      } catch (error) {
        return failed(security, request, reply, error);
      }
    });
  }
  // Fastify's own mark (what `fastify-plugin` sets): the hook and decorator reach the whole application, not one context.
  return Object.assign(twofold, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'twofold' });
}

/**
 * A failure while authenticating: the database being unreachable is answered here (503), since letting the
 * request through would serve it as anonymous. Anything else goes to Fastify's error handler.
 */
function failed(security: Security, request: FastifyRequest, reply: FastifyReply, error: unknown): Promise<FastifyReply> {
  if (!isStoreUnavailable(error) || reply.sent) throw error;
  return sendResponse(reply, failureReply(security, toRequestLike(request), error));
}

/** A guard (`loginRequired()`, `authRequired()`, `tfRequired()` of `twofoldFastify`), for a route's `preHandler`. */
export function fastifyGuard(security: Security, requirement: Requirement): FastifyGuard {
  return async function twofoldGuard(request, reply) {
    try {
      const like = toRequestLike(request);
      // Without the plugin the decorator is missing and the value undefined: authenticate here.
      const auth = request.twofold ?? (await security.authenticate(like));
      request.twofold = auth;
      const refusal = await security.refuse(like, auth, requirement);
      if (refusal !== null) return sendResponse(reply, refusal);
    } catch (error) {
      return failed(security, request, reply, error);
    }
  };
}
