/** Reading a request: its body as a form or JSON, whether it wants JSON, its language. */
import type { PageLocale } from './pages.js';

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

/** A parsed body, or why it could not be. */
export type BodyResult =
  | { readonly ok: true; readonly data: Record<string, unknown>; readonly isJson: boolean }
  | { readonly ok: false; readonly status: 400 | 413 | 415 };

/**
 * Reads a POST body: `application/json` (an object), `application/x-www-form-urlencoded` or
 * `multipart/form-data` (text fields only). An empty body is an empty form. Anything else is a 4xx result,
 * never an exception.
 */
export async function readBody(request: Request): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return { ok: false, status: 413 };
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let text: string;
  try {
    text = await readLimited(request);
  } catch {
    return { ok: false, status: 413 };
  }
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

async function readLimited(request: Request): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new RangeError('body too large');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
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
export function preferredLocale(request: RequestLike): PageLocale {
  const header = request.headers.get('accept-language');
  if (header === null) return 'en';
  for (const part of header.split(',').slice(0, 16)) {
    const tag = part.trim().split(';')[0]?.toLowerCase() ?? '';
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
