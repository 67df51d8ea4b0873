/**
 * A test client for `security.handle`: keeps cookies like a browser, remembers the CSRF token the last reply
 * handed out (JSON `csrf_token` or the hidden form field), and speaks JSON or forms.
 */
import { pageUrls } from '../../src/http/urls.js';
import type { Security } from '../../src/security.js';
import { checkJsonReply } from './openapi.js';

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

/** One form of an HTML page: its name, where it posts, and the names of its fields (buttons included). */
export interface PageForm {
  readonly name: string | null;
  readonly action: string | null;
  readonly method: string | null;
  readonly fields: readonly string[];
}

/** The forms of an HTML page, in document order; attribute values are unescaped. */
export function formsIn(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, attributes = '', body = ''] = match;
    const fields = [...body.matchAll(/<(?:input|select|textarea|button)\b[^>]*\bname="([^"]*)"/g)].map((field) => unescapeHtml(field[1] ?? ''));
    forms.push({ name: attributeOf(attributes, 'name'), action: attributeOf(attributes, 'action'), method: attributeOf(attributes, 'method'), fields: [...new Set(fields)] });
  }
  return forms;
}

/** The one form named `name` on the page; throws listing the forms when there is none. */
export function formNamed(html: string, name: string): PageForm {
  const forms = formsIn(html);
  const form = forms.find((candidate) => candidate.name === name);
  if (form === undefined) throw new Error(`no form ${name}; the page has ${JSON.stringify(forms)}`);
  return form;
}

function attributeOf(attributes: string, name: string): string | null {
  const match = new RegExp(`\\b${name}="([^"]*)"`).exec(attributes);
  return match === null ? null : unescapeHtml(match[1] ?? '');
}

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export class Client {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  /** Every reply as raw text (status, headers, body), oldest first: for tests that grep for leaked secrets. */
  readonly transcript: string[] = [];
  readonly #security: Security;
  readonly #base: string;
  readonly #json: boolean;
  readonly #headers: Record<string, string>;
  readonly #clientAddress: string | null;

  /** `clientAddress` is what an adapter would pass as the client's IP (Express: `req.ip`). */
  constructor(security: Security, options: { json?: boolean; base?: string; headers?: Record<string, string>; clientAddress?: string } = {}) {
    this.#security = security;
    this.#json = options.json ?? true;
    this.#base = options.base ?? 'http://localhost';
    this.#headers = options.headers ?? {};
    this.#clientAddress = options.clientAddress ?? null;
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

  /** GET the `Location` of a redirect. */
  follow(reply: Reply, headers: Record<string, string> = {}): Promise<Reply> {
    if (reply.location === null) throw new Error(`not a redirect: ${reply.status} ${reply.text.slice(0, 200)}`);
    return this.get(reply.location, headers);
  }

  async request(path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
    const headers = new Headers({ ...this.#headers, ...init.headers });
    if (this.#json && !headers.has('accept')) headers.set('accept', 'application/json');
    if (!this.#json && !headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const request = new Request(this.#base + path, { method: init.method, headers, body: init.body ?? null });
    const response = (await this.#security.handle(request, { clientAddress: this.#clientAddress })) ?? new Response('not found', { status: 404 });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    this.transcript.push(`${init.method} ${path} → ${response.status}\n${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}`);
    let json: Reply['json'] = {};
    let code: number | null = null;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      const parsed = JSON.parse(text) as { meta?: { code: number }; response?: Reply['json'] } & Reply['json'];
      code = parsed.meta?.code ?? null;
      checkJsonReply({ method: init.method, pathname: new URL(this.#base + path).pathname, status: response.status, body: parsed, urls: documentedUrls(this.#security) });
      json = parsed.response ?? parsed;
      if (typeof json.csrf_token === 'string') this.csrf = json.csrf_token;
    } else {
      const hidden = /name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"/.exec(text);
      if (hidden !== null) this.csrf = hidden[1] ?? hidden[2] ?? null;
    }
    return { status: response.status, headers: response.headers, text, json, code, location: response.headers.get('location') };
  }
}

/** Each of `security`'s URLs as configured (prefix and renames included) → its path in docs/openapi.yaml. */
function documentedUrls(security: Security): Map<string, string> {
  const urls = pageUrls(security);
  const documented: Record<Exclude<keyof typeof urls, 'stylesheet'>, string> = {
    login: '/login',
    logout: '/logout',
    verify: '/verify',
    tfSetup: '/tf-setup',
    tfValidate: '/tf-validate',
    tfRescue: '/tf-rescue',
    tfSelect: '/tf-select',
    tfDevices: '/tf-devices',
    mfRecoveryCodes: '/mf-recovery-codes',
    mfRecovery: '/mf-recovery',
  };
  return new Map(Object.entries(documented).map(([name, path]) => [urls[name as keyof typeof documented], path]));
}
