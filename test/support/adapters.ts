/**
 * One application on each adapter (Express, Fastify, Hono on `@hono/node-server`), listening on 127.0.0.1 for
 * tests over real HTTP: twofold's URLs, `/me` showing the user, `/profile` behind loginRequired, `/api` behind
 * authRequired('session', 'token'), `/api/token-only` behind authRequired('token'), `/admin` behind tfRequired,
 * `/private/*` behind loginRequired and `/admin/*` behind tfRequired (any path, for the redirects that carry
 * it), and `POST /echo`, whose JSON body the framework parses (twofold must leave it unread).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach } from 'vitest';
import type { Authentication } from '../../src/http/auth.js';
import type { Security } from '../../src/security.js';
import { twofoldExpress } from '../../src/express.js';
import { twofoldFastify } from '../../src/fastify.js';
import { twofoldHono } from '../../src/hono.js';

/** The adapters the contract suite runs through. */
export const ADAPTERS = ['express', 'fastify', 'hono'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** What `/me` answers: the user the adapter handed to the application's route. */
function me(auth: Authentication | null | undefined) {
  return { email: auth?.user.email ?? null, via: auth?.via ?? null, tfVerified: auth?.tfVerified ?? null };
}

/** Stops a server now, keep-alive connections included. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startExpress(security: Security): Promise<{ base: string; stop: () => Promise<void> }> {
  const app = express();
  const tf = twofoldExpress(security);
  app.use(tf.middleware());
  app.get('/me', (req, res) => void res.json(me(req.twofold)));
  app.get('/profile', tf.loginRequired(), (req, res) => void res.json({ email: req.twofold?.user.email }));
  app.get('/api', tf.authRequired('session', 'token'), (req, res) => void res.json({ via: req.twofold?.via }));
  app.get('/api/token-only', tf.authRequired('token'), (req, res) => void res.json({ via: req.twofold?.via }));
  app.get('/admin', tf.tfRequired(), (_req, res) => void res.send('admin'));
  app.get('/private/{*rest}', tf.loginRequired(), (_req, res) => void res.send('private'));
  app.get('/admin/{*rest}', tf.tfRequired(), (_req, res) => void res.send('admin'));
  app.post('/echo', express.json(), (req, res) => void res.json({ body: req.body as unknown }));
  const server = app.listen(0, '127.0.0.1');
  return { base: await listening(server), stop: () => close(server) };
}

async function startFastify(security: Security): Promise<{ base: string; stop: () => Promise<void> }> {
  const app = Fastify();
  const tf = twofoldFastify(security);
  await app.register(tf.plugin);
  app.get('/me', async (request) => me(request.twofold));
  app.get('/profile', { preHandler: tf.loginRequired() }, async (request) => ({ email: request.twofold?.user.email }));
  app.get('/api', { preHandler: tf.authRequired('session', 'token') }, async (request) => ({ via: request.twofold?.via }));
  app.get('/api/token-only', { preHandler: tf.authRequired('token') }, async (request) => ({ via: request.twofold?.via }));
  app.get('/admin', { preHandler: tf.tfRequired() }, async () => 'admin');
  app.get('/private/*', { preHandler: tf.loginRequired() }, async () => 'private');
  app.get('/admin/*', { preHandler: tf.tfRequired() }, async () => 'admin');
  app.post('/echo', async (request) => ({ body: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base: await listening(app.server),
    stop: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

async function startHono(security: Security): Promise<{ base: string; stop: () => Promise<void> }> {
  const app = new Hono();
  const tf = twofoldHono(security);
  app.use(tf.middleware());
  app.get('/me', (c) => c.json(me(c.var.twofold)));
  app.get('/profile', tf.loginRequired(), (c) => c.json({ email: c.var.twofold?.user.email }));
  app.get('/api', tf.authRequired('session', 'token'), (c) => c.json({ via: c.var.twofold?.via }));
  app.get('/api/token-only', tf.authRequired('token'), (c) => c.json({ via: c.var.twofold?.via }));
  app.get('/admin', tf.tfRequired(), (c) => c.text('admin'));
  app.get('/private/*', tf.loginRequired(), (c) => c.text('private'));
  app.get('/admin/*', tf.tfRequired(), (c) => c.text('admin'));
  app.post('/echo', async (c) => c.json({ body: await c.req.json<unknown>() }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  return { base: await listening(server), stop: () => close(server) };
}

const STARTERS: Record<AdapterName, (security: Security) => Promise<{ base: string; stop: () => Promise<void> }>> = {
  express: startExpress,
  fastify: startFastify,
  hono: startHono,
};

/** Starts the test application on `adapter`; each is stopped after its test. Returns the base URL. */
export function useAdapterServers(adapter: AdapterName): (security: Security) => Promise<string> {
  const running: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((stop) => stop()));
  });
  return async (security) => {
    const { base, stop } = await STARTERS[adapter](security);
    running.push(stop);
    return base;
  };
}
