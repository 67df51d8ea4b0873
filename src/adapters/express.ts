/**
 * The Express 5 adapter: Node's req/res to a Fetch Request and back, around `security.handle`, plus guards.
 * It knows nothing of twofold's logic; only types are taken from Express, so Express stays a peer dependency.
 */
import { Readable } from 'node:stream';
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express';
import type { Authentication, Requirement } from '../http/auth.js';
import type { RequestLike } from '../http/request.js';
import type { Security } from '../security.js';
import { failureReply, type RequestInfo } from '../http/handler.js';
import { isStoreUnavailable } from '../store/unavailable.js';

/** An Express middleware. */
export type ExpressMiddleware = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;

declare global {
  namespace Express {
    interface Request {
      /** Set by `twofoldExpress(security).middleware()` and its guards: the logged-in user of this request, or null. */
      twofold?: Authentication | null;
    }
  }
}

/** The Fetch Request for an Express request; a body a parser already read is serialised again. */
export function toRequest(req: ExpressRequest): Request {
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  if (req.method === 'GET' || req.method === 'HEAD') return new Request(url, { method: req.method, headers });
  let body: RequestInit['body'];
  if (req.readableEnded || req.body !== undefined) {
    const type = headers.get('content-type') ?? '';
    const parsed: unknown = req.body;
    body = parsed === undefined || parsed === null ? null : type.includes('json') ? JSON.stringify(parsed) : formText(parsed);
    headers.delete('content-length');
  } else {
    body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
  }
  return new Request(url, { method: req.method, headers, body, duplex: 'half' } as RequestInit);
}

/**
 * A form body parsed by `express.urlencoded()`, as text again. With `extended: true` a key such as
 * `a[toString]` arrives as a nested object that URLSearchParams cannot turn into text; twofold's forms have
 * only flat fields, so only strings (and lists of strings) are kept.
 */
function formText(parsed: unknown): string {
  const form = new URLSearchParams();
  if (typeof parsed !== 'object' || parsed === null) return '';
  for (const [key, value] of Object.entries(parsed)) {
    for (const one of Array.isArray(value) ? (value as unknown[]) : [value]) if (typeof one === 'string') form.append(key, one);
  }
  return form.toString();
}

/** The URL and headers of an Express request, without building a Request: enough for authentication. */
export function toRequestLike(req: ExpressRequest): RequestLike {
  return {
    url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`,
    headers: {
      get(name: string): string | null {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
  };
}

/**
 * What the connection says beside the headers: its address, and whether `trust proxy` covers it, so twofold can
 * tell a browser on this machine from a proxy forwarding `Host: 127.0.0.1` for everyone.
 */
export function connectionInfo(req: ExpressRequest): RequestInfo {
  const connectionAddress = req.socket.remoteAddress ?? null;
  const trust: unknown = req.app.get('trust proxy fn');
  const forwardingTrusted = connectionAddress !== null && typeof trust === 'function' && (trust as (address: string, hop: number) => boolean)(connectionAddress, 0) === true;
  return { clientAddress: req.ip ?? null, connectionAddress, forwardingTrusted };
}

/** Writes a Fetch Response to Express; several `Set-Cookie` stay several. */
export async function writeResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}

/** `twofoldExpress(security).middleware()`: twofold's URLs answered here; for the others `req.twofold` is set and Express goes on. */
export function expressMiddleware(security: Security): ExpressMiddleware {
  return (req, res, next) => {
    // A full Fetch Request only for twofold's own URLs; the application's requests just get authenticated.
    const pathname = req.originalUrl.split('?', 1)[0] ?? '/';
    const work = security.ownsPath(pathname)
      ? Promise.resolve()
          .then(() => security.handle(toRequest(req), connectionInfo(req)))
          .then(async (response) => {
            if (response !== null) return writeResponse(res, response);
            req.twofold = await security.authenticate(toRequestLike(req));
            next();
          })
      : security.authenticate(toRequestLike(req)).then((auth) => {
          req.twofold = auth;
          next();
        });
    work.catch((error: unknown) => failed(security, req, res, next, error));
  };
}

/**
 * A failure while authenticating: the database being unreachable is answered here (503, the same reply as on
 * twofold's own URLs), since letting the request through would serve it as anonymous. Anything else goes to
 * the application's error handler.
 */
function failed(security: Security, req: ExpressRequest, res: ExpressResponse, next: NextFunction, error: unknown): void {
  if (!isStoreUnavailable(error) || res.headersSent) return next(error);
  writeResponse(res, failureReply(security, toRequestLike(req), error)).catch(next);
}

/** A guard (`loginRequired()`, `authRequired()`, `tfRequired()` of `twofoldExpress`): refuses with twofold's reply, or lets the request through. */
export function expressGuard(security: Security, requirement: Requirement): ExpressMiddleware {
  return (req, res, next) => {
    const request = toRequestLike(req);
    const known = req.twofold;
    (known === undefined ? security.authenticate(request) : Promise.resolve(known))
      .then(async (auth) => {
        req.twofold = auth;
        const refusal = await security.refuse(request, auth, requirement);
        if (refusal === null) return next();
        return writeResponse(res, refusal);
      })
      .catch((error: unknown) => failed(security, req, res, next, error));
  };
}
