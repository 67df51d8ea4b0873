/** Cookie headers: parsing `Cookie` and writing `Set-Cookie`, as plain string functions. */

/** The attributes twofold sets; `maxAgeInSeconds` undefined makes a browser-session cookie. */
export interface CookieAttributes {
  readonly httpOnly?: boolean;
  readonly secure?: boolean;
  readonly sameSite?: 'Strict' | 'Lax' | 'None';
  readonly path?: string;
  readonly maxAgeInSeconds?: number;
}

/** The cookies of a `Cookie` header; the first of duplicate names wins, malformed pairs are skipped. */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === null || header.length > 16_384) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** A `Set-Cookie` value. Names and values twofold writes are base64url, so nothing needs encoding. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name.replace(/^__Host-/, '')) || !/^[A-Za-z0-9_-]*$/.test(value)) {
    throw new TypeError(`cookie ${name} must have a base64url name and value`);
  }
  const parts = [`${name}=${value}`, `Path=${attributes.path ?? '/'}`];
  if (attributes.maxAgeInSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(attributes.maxAgeInSeconds))}`);
  if (attributes.httpOnly !== false) parts.push('HttpOnly');
  if (attributes.secure === true) parts.push('Secure');
  parts.push(`SameSite=${attributes.sameSite ?? 'Lax'}`);
  return parts.join('; ');
}
