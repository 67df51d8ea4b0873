/**
 * The demo's routes on each framework (`DEMO_SERVER=express|fastify|hono`), as a Node HTTP server not yet
 * listening: the same pages (`pages.ts`), guards and headers as the Express app of `app.ts`.
 */
import { createServer, type Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono, type Context } from 'hono';
import type { Authentication } from '../../src/http/auth.js';
import { wantsJson } from '../../src/http/request.js';
import type { Security } from '../../src/security.js';
import { twofoldFastify } from '../../src/fastify.js';
import { twofoldHono } from '../../src/hono.js';
import { DEMO_PAGE_HEADERS, pageContext, type DemoApp } from './app.js';
import { adminPage, errorPage, homePage, notFoundPage, profilePage } from './pages.js';

/** The frameworks the demo runs on. */
export const DEMO_SERVERS = ['express', 'fastify', 'hono'] as const;
export type DemoServerKind = (typeof DEMO_SERVERS)[number];

/** `DEMO_SERVER` read: Express when unset. */
export function parseDemoServer(value: string | undefined): DemoServerKind {
  if (value === undefined || value.trim() === '') return 'express';
  const kind = DEMO_SERVERS.find((one) => one === value.trim().toLowerCase());
  if (kind === undefined) throw new TypeError(`DEMO_SERVER must be one of ${DEMO_SERVERS.join(', ')}; got ${JSON.stringify(value)}`);
  return kind;
}

/** The demo on `kind`, as a server the caller makes listen. */
export async function demoServer(demo: DemoApp, kind: DemoServerKind): Promise<Server> {
  if (kind === 'fastify') return demoFastifyServer(demo.security);
  if (kind === 'hono') return demoHonoServer(demo.security);
  return createServer(demo.app);
}

/** API routes answer JSON whatever the client accepts (curl sends *\/*), so refusals are 401/403, not redirects. */
const API_PREFIX = '/api/';

function apiData(auth: Authentication | null | undefined) {
  return { data: `The launch codes for ${auth?.user.email ?? 'nobody'}: there are none, this is a demo.`, via: auth?.via };
}

function prefersJson(headers: { get(name: string): string | null }): boolean {
  const known = new Headers();
  for (const name of ['accept', 'content-type']) {
    const value = headers.get(name);
    if (value !== null) known.set(name, value);
  }
  return wantsJson(new Request('http://demo.invalid/', { headers: known }), false);
}

async function demoFastifyServer(security: Security): Promise<Server> {
  const app = Fastify({ serverFactory: (handler) => createServer(handler) });
  const context = pageContext(security);
  const headersOf = (request: { headers: Record<string, string | string[] | undefined> }) => ({
    get: (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : null;
    },
  });
  // Before twofold's hook: its replies then set their own headers over these.
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(DEMO_PAGE_HEADERS);
    if (request.url.startsWith(API_PREFIX)) request.headers.accept = 'application/json';
  });
  const tf = twofoldFastify(security);
  await app.register(tf.plugin);
  app.get('/', async (request, reply) => reply.type('text/html; charset=utf-8').send(homePage(context, request.twofold)));
  app.get('/profile', { preHandler: tf.loginRequired() }, async (request, reply) => {
    if (prefersJson(headersOf(request))) return { email: request.twofold?.user.email };
    return reply.type('text/html; charset=utf-8').send(profilePage(context, request.twofold));
  });
  app.get('/admin', { preHandler: tf.tfRequired() }, async (request, reply) => {
    if (prefersJson(headersOf(request))) return { admin: true, email: request.twofold?.user.email };
    return reply.type('text/html; charset=utf-8').send(adminPage(context, request.twofold));
  });
  app.get('/api/sensitive-data', { preHandler: [tf.authRequired('session', 'token'), tf.tfRequired()] }, async (request) => apiData(request.twofold));
  app.setNotFoundHandler(async (request, reply) => {
    if (prefersJson(headersOf(request))) return reply.code(404).send({ error: 'Not Found' });
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(context));
  });
  app.setErrorHandler(async (error: { statusCode?: number }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) console.error(`twofold demo: ${request.method} ${request.url} failed:`, error);
    const text = status === 500 ? 'Internal Server Error' : 'Bad Request';
    if (prefersJson(headersOf(request))) return reply.code(status).send({ error: text });
    return reply.code(status).type('text/html; charset=utf-8').send(errorPage(context, status, text));
  });
  await app.ready();
  return app.server;
}

function demoHonoServer(security: Security): Server {
  const app = new Hono();
  const context = pageContext(security);
  app.use(async (c, next) => {
    await next();
    // After the reply is made: twofold's own headers stay, the demo's fill in the rest.
    for (const [name, value] of Object.entries(DEMO_PAGE_HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  app.use(`${API_PREFIX}*`, async (c, next) => {
    // c.req.raw's headers cannot be changed: a copy of the request, asking for JSON, goes on.
    const headers = new Headers(c.req.raw.headers);
    headers.set('accept', 'application/json');
    c.req.raw = new Request(c.req.raw, { headers });
    await next();
  });
  const tf = twofoldHono(security);
  app.use(tf.middleware());
  const page = (c: Context, html: string, status: 200 | 404 | 400 | 500 = 200) => c.html(html, status);
  app.get('/', (c) => page(c, homePage(context, c.var.twofold)));
  app.get('/profile', tf.loginRequired(), (c) => (prefersJson(c.req.raw.headers) ? c.json({ email: c.var.twofold?.user.email }) : page(c, profilePage(context, c.var.twofold))));
  app.get('/admin', tf.tfRequired(), (c) => (prefersJson(c.req.raw.headers) ? c.json({ admin: true, email: c.var.twofold?.user.email }) : page(c, adminPage(context, c.var.twofold))));
  app.get('/api/sensitive-data', tf.authRequired('session', 'token'), tf.tfRequired(), (c) => c.json(apiData(c.var.twofold)));
  app.notFound((c) => (prefersJson(c.req.raw.headers) ? c.json({ error: 'Not Found' }, 404) : page(c, notFoundPage(context), 404)));
  app.onError((error, c) => {
    console.error(`twofold demo: ${c.req.method} ${c.req.path} failed:`, error);
    return prefersJson(c.req.raw.headers) ? c.json({ error: 'Internal Server Error' }, 500) : page(c, errorPage(context, 500, 'Internal Server Error'), 500);
  });
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}
