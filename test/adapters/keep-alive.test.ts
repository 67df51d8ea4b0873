/**
 * Threat: a body over twofold's limit (64 kB) is refused with 413, but the rest of it left on a keep-alive
 * connection breaks the requests that follow on that connection (ECONNRESET) — behind a proxy that pools
 * connections, another user's request is the one that fails. After a 413 the connection must either still
 * work or be closed cleanly, so the client's next requests get proper answers. Run through each adapter.
 */
import { Agent, request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DRAIN_MAX_BYTES, MAX_BODY_BYTES } from '../../src/http/request.js';
import { makeApp, useDatastore } from '../support/app.js';
import { Client } from '../support/client.js';
import { ADAPTERS, useAdapterServers } from '../support/adapters.js';

const db = useDatastore();

interface Sent {
  readonly status: number;
  readonly body: string;
}

/** A POST through `agent`; `chunked` sends the body in pieces without a Content-Length. */
function post(
  agent: Agent,
  port: number,
  body: string,
  options: { chunked?: boolean; headers?: Record<string, string>; method?: string } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    if (options.chunked !== true) headers['content-length'] = Buffer.byteLength(body);
    const request = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: '/login', agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    if (options.chunked === true) {
      for (let at = 0; at < body.length; at += 16 * 1024) request.write(body.slice(at, at + 16 * 1024));
      request.end();
    } else {
      request.end(body);
    }
  });
}

const BIG = JSON.stringify({ email: 'big@example.test', password: 'x'.repeat(200 * 1024) });
const JUST_OVER = JSON.stringify({ email: 'big@example.test', password: 'x'.repeat(MAX_BODY_BYTES) });
const SMALL = JSON.stringify({ email: 'small@example.test', password: 'x' });

describe.each(ADAPTERS)('on %s', (adapter) => {
  const start = useAdapterServers(adapter);
  const server = async () => Number(new URL(await start(makeApp(db.datastore).security)).port);

  describe('an oversized body on a keep-alive connection', () => {
    for (const chunked of [false, true]) {
      for (const [size, body] of [
        ['200 kB', BIG],
        ['just over 64 kB', JUST_OVER],
      ] as const) {
        it(`${size}, ${chunked ? 'chunked' : 'with Content-Length'}: 413, then the next requests on the same agent get proper answers`, async () => {
          const port = await server();
          const agent = new Agent({ keepAlive: true, maxSockets: 1 });
          try {
            const refused = await post(agent, port, body, { chunked });
            expect(refused.status).toBe(413);
            for (let i = 0; i < 2; i++) {
              const next = await post(agent, port, SMALL);
              // No session, so no CSRF token: the login is refused, but answered.
              expect(next.status).toBe(403);
              expect(JSON.parse(next.body)).toMatchObject({ meta: { code: 403 } });
            }
          } finally {
            agent.destroy();
          }
        });
      }
    }
  });

  describe('other replies that leave a body unread', () => {
    for (const [label, options, status] of [
      ['a method the route does not take (405)', { method: 'PUT' }, 405],
      ['a request through an untrusted proxy (403 HTTPS_REQUIRED)', { headers: { 'x-forwarded-proto': 'https' } }, 403],
    ] as const) {
      it(`${label}: the next requests on the same agent get proper answers`, async () => {
        const port = await server();
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          expect((await post(agent, port, BIG, options)).status).toBe(status);
          for (let i = 0; i < 2; i++) expect((await post(agent, port, SMALL)).status).toBe(403);
        } finally {
          agent.destroy();
        }
      });
    }
  });
});

describe('a body too large to drain', () => {
  it('a body too large even to throw away gets 413 with Connection: close, so the client opens a new connection', async () => {
    const { security } = makeApp(db.datastore);
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const chunks = Math.ceil((2 * DRAIN_MAX_BYTES) / chunk.byteLength);
    const stream = () => {
      let left = chunks;
      return new ReadableStream<Uint8Array>({ pull: (controller) => (left-- > 0 ? controller.enqueue(chunk) : controller.close()) });
    };
    const declared: Record<string, string>[] = [{}, { 'content-length': String(chunks * chunk.byteLength) }];
    for (const headers of declared) {
      const request = new Request('http://localhost/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: stream(),
        duplex: 'half',
      } as RequestInit);
      const reply = await security.handle(request);
      expect(reply?.status).toBe(413);
      expect(reply?.headers.get('connection')).toBe('close');
    }
    // A body small enough to throw away keeps the connection.
    const small = await new Client(security).request('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: BIG });
    expect(small.status).toBe(413);
    expect(small.headers.get('connection')).toBeNull();
  });
});
