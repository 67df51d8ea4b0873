/**
 * The user's own remembered browsers: listed with the one asking marked, and revoked one by one or all at
 * once (checklist RMD-04). Every lookup is scoped to the user, so another user's device id is just unknown.
 */
import { eventUser } from '../events.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';

/** A remembered browser as its user sees it. */
export interface DeviceListing {
  /** The SHA-256 hex of the browser's token: it names the device, and cannot be used as the token. */
  readonly id: string;
  /** What the browser said it was when remembered (the client's to choose: escape it); may be empty. */
  readonly userAgent: string;
  readonly createdAtInSeconds: number;
  readonly lastUsedAtInSeconds: number;
  readonly expiresAtInSeconds: number;
  /** This is the browser the request came from. */
  readonly current: boolean;
}

/** What to revoke: one device by its id (the SHA-256 hex of its token), or every device of the user. */
export type DeviceRevocation = { readonly kind: 'one'; readonly id: string } | { readonly kind: 'all' };

/**
 * The outcome of {@link revokeDevices}: how many devices went, and whether the asking browser's was among
 * them (its cookie is then to be cleared); or `TF_DEVICE_NOT_FOUND` when the id is not one of the user's —
 * the same whether it is unknown or someone else's.
 */
export type RevokeDevicesResult =
  | { readonly ok: true; readonly count: number; readonly currentRevoked: boolean }
  | { readonly ok: false; readonly code: 'TF_DEVICE_NOT_FOUND' };

/** The user's unexpired remembered browsers, newest first; `current` marks the one whose cookie came with the request. */
export async function listDevices(context: FlowContext, user: User): Promise<DeviceListing[]> {
  const current = context.presentedDeviceHash;
  const stored = await context.security.datastore.listTrustedDevices(user.id, context.nowInSeconds);
  return stored.map((device) => ({
    id: device.idHash,
    userAgent: device.userAgent,
    createdAtInSeconds: Math.floor(device.createdAtInSeconds),
    lastUsedAtInSeconds: Math.floor(device.lastUsedAtInSeconds),
    expiresAtInSeconds: Math.floor(device.expiresAtInSeconds),
    current: device.idHash === current,
  }));
}

/**
 * Revokes one or all of the user's remembered browsers and emits `tfDeviceRevoked` when any went. The
 * caller must have checked freshness (checklist FLOW-08).
 */
export async function revokeDevices(context: FlowContext, user: User, which: DeviceRevocation): Promise<RevokeDevicesResult> {
  const { datastore, events } = context.security;
  const current = context.presentedDeviceHash;
  let count: number;
  let currentRevoked: boolean;
  if (which.kind === 'all') {
    // Read before the delete (afterwards it is gone): a browser may hold another user's cookie, which stays.
    currentRevoked = current !== null && (await datastore.findTrustedDevice(current, user.id, context.nowInSeconds)) !== null;
    count = await datastore.deleteTrustedDevices(user.id);
  } else {
    // The datastore deletes only a device of this user, so a guessed or foreign id changes nothing (IDOR).
    if (!(await datastore.deleteTrustedDevice(user.id, which.id))) return { ok: false, code: 'TF_DEVICE_NOT_FOUND' };
    currentRevoked = which.id === current;
    count = 1;
  }
  if (count > 0) events.emit('tfDeviceRevoked', { user: eventUser(user), count, client: context.client });
  return { ok: true, count, currentRevoked };
}
