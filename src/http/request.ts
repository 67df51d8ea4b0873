/** Reading a request: its body as a form or JSON, whether it wants JSON, its language. */
import type { Locale } from '../messages.js';

/**
 * The little of a request that authentication reads: its URL and its headers. A Fetch `Request` is one; an
 * adapter can pass a cheaper object for requests that are not twofold's own.
 */
export interface RequestLike {
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** Bodies larger than this are refused before they are read whole. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * How much of a refused body is still read and thrown away, so the connection can carry the client's next
 * request: a body left half-read on a keep-alive connection breaks whatever request follows it (behind a
 * pooling proxy, another user's). Past this, the reply asks to close the connection instead.
 */
export const DRAIN_MAX_BYTES = 1024 * 1024;

/** A parsed body, or why it could not be; `closeConnection` when part of it was left unread. */
export type BodyResult =
  | { readonly ok: true; readonly data: Record<string, unknown>; readonly isJson: boolean }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly closeConnection?: boolean };

/**
 * Reads a POST body: `application/json` (an object), `application/x-www-form-urlencoded` or
 * `multipart/form-data` (text fields only). An empty body is an empty form. Anything else is a 4xx result,
 * never an exception.
 */
export async function readBody(request: Request): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return { ok: false, status: 413, closeConnection: !(await discardBody(request)) };
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let read: string | null;
  try {
    read = await readLimited(request);
  } catch {
    // The client went away mid-body: nothing more will come on this connection.
    return { ok: false, status: 413, closeConnection: true };
  }
  if (read === null) return { ok: false, status: 413, closeConnection: !(await discardBody(request)) };
  const text = read;
  if (text.length === 0) return { ok: true, data: {}, isJson: type === 'application/json' };
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, status: 400 };
      return { ok: true, data: parsed as Record<string, unknown>, isJson: true };
    } catch {
      return { ok: false, status: 400 };
    }
  }
  if (type === 'application/x-www-form-urlencoded') return { ok: true, data: formObject(new URLSearchParams(text)), isJson: false };
  if (type === 'multipart/form-data') {
    try {
      const form = await new Request('http://body.invalid/', { method: 'POST', headers: { 'content-type': request.headers.get('content-type') ?? '' }, body: text }).formData();
      const data: Record<string, unknown> = Object.create(null);
      for (const [key, value] of form) if (typeof value === 'string' && !(key in data)) data[key] = value;
      return { ok: true, data, isJson: false };
    } catch {
      return { ok: false, status: 400 };
    }
  }
  return { ok: false, status: 415 };
}

/** The body as text, or null once it passes {@link MAX_BODY_BYTES} (the rest is left for {@link discardBody}). */
async function readLimited(request: Request): Promise<string | null> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/**
 * Reads what is left of a body that will not be used, up to {@link DRAIN_MAX_BYTES}, and says whether it
 * ended: then the connection can go on. Otherwise the rest is left unread, not cancelled (cancelling a Node
 * request's stream destroys the socket before the reply is written), and the reply must close the connection.
 */
export async function discardBody(request: Request): Promise<boolean> {
  if (request.body === null) return true;
  if (request.bodyUsed && request.body.locked) return false;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > DRAIN_MAX_BYTES) return false;
  const reader = request.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      size += value.byteLength;
      if (size > DRAIN_MAX_BYTES) return false;
    }
  } catch {
    return false;
  } finally {
    reader.releaseLock();
  }
}

/** A form as a plain object without a prototype; a repeated field keeps its first value, as FST's forms read it. */
function formObject(params: URLSearchParams): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null);
  for (const [key, value] of params) if (!(key in data)) data[key] = value;
  return data;
}

/** FST's rule: JSON when the body is JSON, or when `application/json` is the best match of `Accept`. */
export function wantsJson(request: RequestLike, bodyIsJson: boolean): boolean {
  if (bodyIsJson) return true;
  if ((request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return true;
  const accept = request.headers.get('accept');
  if (accept === null) return false;
  const json = quality(accept, 'application/json');
  const html = quality(accept, 'text/html');
  return json > 0 && json > html;
}

function quality(accept: string, type: string): number {
  let best = 0;
  for (const part of accept.split(',').slice(0, 32)) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const [major] = type.split('/');
    const matches = range === type ? 3 : range === `${major}/*` ? 2 : range === '*/*' ? 1 : 0;
    if (matches === 0) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    // A specific range outranks a wildcard at the same quality, as RFC 9110 §12.5.1 orders them.
    const score = (Number.isFinite(value) ? value : 0) + matches / 1000;
    if (value > 0 && score > best) best = score;
  }
  return best;
}

/** French when `Accept-Language` prefers it to English; English otherwise. */
export function preferredLocale(request: RequestLike): Locale {
  const header = request.headers.get('accept-language');
  if (header === null) return 'en';
  for (const part of header.split(',').slice(0, 16)) {
    const tag = part.trim().split(';')[0]?.toLowerCase() ?? '';
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
