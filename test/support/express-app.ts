/** For tests over real HTTP: an Express application listening on 127.0.0.1, and a fetch client with a cookie jar. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { afterEach } from 'vitest';
import { checkJsonReply, defaultUrls } from './openapi.js';

/** Starts applications on a free port of 127.0.0.1; each is closed after its test. */
export function useServers(): (app: Express) => Promise<{ base: string; port: number; server: Server }> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    })));
  });
  return async (app) => {
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    return { base: `http://127.0.0.1:${port}`, port, server };
  };
}

/** A fetch client with a cookie jar and the last CSRF token handed out (JSON or hidden field); it never follows redirects. */
export class HttpBrowser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly base: string,
    readonly accept: 'json' | 'html',
    /** twofold's URLs → their paths in docs/openapi.yaml; by default the documented paths themselves. */
    readonly documentedUrls: ReadonlyMap<string, string> = defaultUrls(),
  ) {}

  async fetch(path: string, init: { method?: string; body?: string; type?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: this.accept === 'json' ? 'application/json' : 'text/html', ...init.headers };
    if (init.type !== undefined) headers['content-type'] = init.type;
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(this.base + path, { method: init.method ?? 'GET', headers, body: init.body ?? null, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.clone().text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    if (isJson && text !== '') {
      checkJsonReply({ method: init.method ?? 'GET', pathname: new URL(this.base + path).pathname, status: response.status, body: JSON.parse(text), urls: this.documentedUrls });
    }
    const token = isJson ? (JSON.parse(text || '{}') as { response?: { csrf_token?: string } }).response?.csrf_token : /name="csrf_token" value="([^"]+)"/.exec(text)?.[1];
    if (token !== undefined) this.csrf = token;
    return response;
  }

  postJson(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, { method: 'POST', type: 'application/json', body: JSON.stringify(body), headers: { 'x-csrf-token': this.csrf, ...headers } });
  }

  postForm(path: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, { method: 'POST', type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ ...body, csrf_token: this.csrf }).toString(), headers });
  }
}
