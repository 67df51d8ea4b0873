/**
 * A test client for `security.handle`: keeps cookies like a browser, remembers the CSRF token the last reply
 * handed out (JSON `csrf_token` or the hidden form field), and speaks JSON or forms.
 */
import type { Security } from '../../src/security.js';

/** A reply, read once: status, headers, and the body as text and (when JSON) parsed. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** `response` of the JSON envelope, or the whole body when it is not an envelope. */
  readonly json: Record<string, unknown> & { errors?: string[]; field_errors?: Record<string, string[]> };
  readonly code: number | null;
  readonly location: string | null;
}

export class Client {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  readonly #security: Security;
  readonly #base: string;
  readonly #json: boolean;
  readonly #headers: Record<string, string>;

  constructor(security: Security, options: { json?: boolean; base?: string; headers?: Record<string, string> } = {}) {
    this.#security = security;
    this.#json = options.json ?? true;
    this.#base = options.base ?? 'http://localhost';
    this.#headers = options.headers ?? {};
  }

  /** GET `path`; `null` from the handler (not a twofold URL) becomes a 404. */
  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request(path, { method: 'GET', headers });
  }

  /** POST a JSON body (JSON client) or a form (browser), adding the CSRF token unless `csrf: false`. */
  post(path: string, body: Record<string, unknown> = {}, options: { csrf?: boolean | string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const csrf = options.csrf === false ? null : typeof options.csrf === 'string' ? options.csrf : this.csrf;
    const headers: Record<string, string> = { ...options.headers };
    if (this.#json) {
      headers['content-type'] = 'application/json';
      if (csrf !== null) headers['x-csrf-token'] = csrf;
      return this.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
    }
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) form.set(key, String(value));
    if (csrf !== null) form.set('csrf_token', csrf);
    return this.request(path, { method: 'POST', headers, body: form.toString() });
  }

  async request(path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
    const headers = new Headers({ ...this.#headers, ...init.headers });
    if (this.#json && !headers.has('accept')) headers.set('accept', 'application/json');
    if (!this.#json && !headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = (await this.#security.handle(new Request(this.#base + path, { method: init.method, headers, body: init.body ?? null }))) ?? new Response('not found', { status: 404 });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let json: Reply['json'] = {};
    let code: number | null = null;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      const parsed = JSON.parse(text) as { meta?: { code: number }; response?: Reply['json'] } & Reply['json'];
      code = parsed.meta?.code ?? null;
      json = parsed.response ?? parsed;
      if (typeof json.csrf_token === 'string') this.csrf = json.csrf_token;
    } else {
      const hidden = /name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"/.exec(text);
      if (hidden !== null) this.csrf = hidden[1] ?? hidden[2] ?? null;
    }
    return { status: response.status, headers: response.headers, text, json, code, location: response.headers.get('location') };
  }
}
