/** The remembered-browser cookie: its name, reading the token a request presents, and writing or clearing it. */
import { hashToken } from '../crypto/token-hash.js';
import type { Security } from '../security.js';
import { parseCookies, serializeCookie } from './cookies.js';
import type { RequestLike } from './request.js';

/** What deciding the cookie's name and attributes needs of the request. */
interface CookieSite {
  readonly security: Security;
  readonly url: URL;
  /** Plain HTTP inside this machine (development), where a `Secure` cookie would not be kept. */
  readonly thisMachine: boolean;
}

/** The cookie's name: `__Host-` and the configured name over HTTPS (checklist RMD-02). */
function cookieName(site: Pick<CookieSite, 'security' | 'url'>): string {
  const name = site.security.config.twoFactorValidityCookieName;
  return site.url.protocol === 'https:' ? `__Host-${name}` : name;
}

/**
 * The stored id (SHA-256 hex) of the remembered-browser token the request's cookie carries, or null when it
 * carries none that could be one. Whether the device exists, and whose it is, is the datastore's to say.
 */
export function presentedDeviceHash(security: Security, request: RequestLike, url: URL): string | null {
  const token = parseCookies(request.headers.get('cookie')).get(cookieName({ security, url }));
  if (token === undefined || token.length < 22 || token.length > 128) return null;
  return hashToken(token);
}

/** The `Set-Cookie` giving the browser its token for `maxAgeInSeconds`. */
export function deviceCookie(site: CookieSite, token: string, maxAgeInSeconds: number): string {
  const attributes = site.security.config.twoFactorValidityCookie;
  return serializeCookie(cookieName(site), token, {
    httpOnly: true,
    // `secure: true` (the default) holds everywhere but plain HTTP inside this machine; over plain HTTP to
    // another host (allowInsecureHttp) the browser then drops the cookie, so no browser is remembered in clear text.
    secure: site.url.protocol === 'https:' || (attributes.secure && !site.thisMachine),
    // A cookie that skips the second factor is never sent on a cross-site request (checklist RMD-02).
    sameSite: attributes.sameSite === 'None' ? 'Strict' : attributes.sameSite,
    path: '/',
    maxAgeInSeconds,
  });
}

/** The `Set-Cookie` that removes the cookie: same name and attributes, empty, `Max-Age=0`. */
export function clearedDeviceCookie(site: CookieSite): string {
  return deviceCookie(site, '', 0);
}
