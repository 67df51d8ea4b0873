/**
 * "Remember this device" (when `twoFactorAlwaysValidate` is false): a random token the browser keeps (the
 * cookie is `http/device-cookie.ts`'s), stored only as a hash, bound to one user, expiring, listable and
 * revocable — and revoked whenever the factors change. It can only stand in for the second factor after a
 * right password (checklist RMD-01…RMD-04).
 */
import { eventUser } from '../events.js';
import type { User } from '../user.js';
import { hashToken } from '../crypto/token-hash.js';
import type { FlowContext } from './context.js';

/** True when the request carries a live trusted-device token of this user; records its use. */
export async function hasTrustedDevice(context: FlowContext, user: User): Promise<boolean> {
  const idHash = context.presentedDeviceHash;
  if (idHash === null) return false;
  const { datastore } = context.security;
  const device = await datastore.findTrustedDevice(idHash, user.id, context.nowInSeconds);
  if (device === null) return false;
  await datastore.touchTrustedDevice(device.idHash, context.nowInSeconds);
  return true;
}

/** Stores a new trusted device for the user; the token goes to the browser once, as its cookie. */
export async function issueTrustedDevice(context: FlowContext, user: User): Promise<{ readonly token: string; readonly lifetimeInSeconds: number }> {
  const { security } = context;
  const token = security.random.bytes(32).toString('base64url');
  const lifetime = security.config.twoFactorLoginValidity;
  await security.datastore.createTrustedDevice({
    idHash: hashToken(token),
    userId: user.id,
    userAgent: (context.client.userAgent ?? '').slice(0, 255),
    createdAtInSeconds: context.nowInSeconds,
    lastUsedAtInSeconds: context.nowInSeconds,
    expiresAtInSeconds: context.nowInSeconds + lifetime,
  });
  // A device that skips the second factor from now on is worth telling the user about (checklist RMD-05).
  security.events.emit('tfDeviceTrusted', { user: eventUser(user), expiresAtInSeconds: context.nowInSeconds + lifetime, client: context.client });
  return { token, lifetimeInSeconds: lifetime };
}
