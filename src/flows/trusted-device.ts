/**
 * "Remember this device" (when `twoFactorAlwaysValidate` is false): a random token in a cookie, stored only
 * as a hash, bound to one user, expiring, listable and revocable — and revoked whenever the factors change.
 * It can only stand in for the second factor after a right password (checklist RMD-01…RMD-04).
 */
import { parseCookies, serializeCookie } from '../http/cookies.js';
import type { ViewContext } from '../http/view.js';
import { eventUser } from '../events.js';
import type { User } from '../user.js';
import { hashToken } from '../crypto/token-hash.js';

/** The cookie's name: `__Host-` and the configured name over HTTPS (checklist RMD-02). */
function cookieName(context: ViewContext): string {
  const name = context.security.config.twoFactorValidityCookieName;
  return context.url.protocol === 'https:' ? `__Host-${name}` : name;
}

/**
 * The stored id (SHA-256 hex) of the trusted-device token this request's cookie carries, or null when it
 * carries none that could be one. Whether the device exists, and whose it is, is the datastore's to say.
 */
export function presentedDeviceHash(context: ViewContext): string | null {
  const token = parseCookies(context.request.headers.get('cookie')).get(cookieName(context));
  if (token === undefined || token.length < 22 || token.length > 128) return null;
  return hashToken(token);
}

/** True when the request carries a live trusted-device token of this user; records its use. */
export async function hasTrustedDevice(context: ViewContext, user: User): Promise<boolean> {
  const idHash = presentedDeviceHash(context);
  if (idHash === null) return false;
  const { datastore } = context.security;
  const device = await datastore.findTrustedDevice(idHash, user.id, context.nowInSeconds);
  if (device === null) return false;
  await datastore.touchTrustedDevice(device.idHash, context.nowInSeconds);
  return true;
}

/** Stores a new trusted device for the user and returns its `Set-Cookie`. */
export async function issueTrustedDevice(context: ViewContext, user: User): Promise<string> {
  const { security } = context;
  const token = security.random.bytes(32).toString('base64url');
  const lifetime = security.config.twoFactorLoginValidity;
  await security.datastore.createTrustedDevice({
    idHash: hashToken(token),
    userId: user.id,
    userAgent: (context.request.headers.get('user-agent') ?? '').slice(0, 255),
    createdAtInSeconds: context.nowInSeconds,
    lastUsedAtInSeconds: context.nowInSeconds,
    expiresAtInSeconds: context.nowInSeconds + lifetime,
  });
  // A device that skips the second factor from now on is worth telling the user about (checklist RMD-05).
  security.events.emit('tfDeviceTrusted', { user: eventUser(user), expiresAtInSeconds: context.nowInSeconds + lifetime, client: context.client });
  return deviceCookie(context, token, lifetime);
}

/** The `Set-Cookie` that removes the trusted-device cookie: same name and attributes, empty, `Max-Age=0`. */
export function clearedDeviceCookie(context: ViewContext): string {
  return deviceCookie(context, '', 0);
}

function deviceCookie(context: ViewContext, value: string, maxAgeInSeconds: number): string {
  const attributes = context.security.config.twoFactorValidityCookie;
  return serializeCookie(cookieName(context), value, {
    httpOnly: true,
    // `secure: true` (the default) holds everywhere but plain HTTP inside this machine; over plain HTTP to
    // another host (allowInsecureHttp) the browser then drops the cookie, so no browser is remembered in clear text.
    secure: context.url.protocol === 'https:' || (attributes.secure && !context.thisMachine),
    // A cookie that skips the second factor is never sent on a cross-site request (checklist RMD-02).
    sameSite: attributes.sameSite === 'None' ? 'Strict' : attributes.sameSite,
    path: '/',
    maxAgeInSeconds,
  });
}
