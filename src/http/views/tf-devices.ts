/**
 * `/tf-devices` (twofold's own): the logged-in user's remembered browsers (GET) and forgetting one or all of
 * them (POST `revoke`). Both need a fresh login: listing them is part of managing them (checklist FLOW-08, RMD-04).
 */
import { listDevices, revokeDevices } from '../../flows/manage-devices.js';
import type { FormErrors } from '../../forms/field.js';
import { TwoFactorDevicesForm } from '../../forms/two-factor-devices.js';
import type { User } from '../../user.js';
import type { PageDevice } from '../pages.js';
import type { ViewContext, ViewResult } from '../view.js';
import { errorPayload } from '../view.js';
import { reauthenticationRequired, unauthenticated } from './common.js';
import { clearedDeviceCookie } from '../device-cookie.js';

/** Handles `/tf-devices`; JSON `{ devices: [...] }`, 400 with a `revoke` field error for an id that is not the user's. */
export async function tfDevicesView(context: ViewContext): Promise<ViewResult> {
  const { session } = context;
  const user = session.user;
  if (user === null) return unauthenticated(context);
  if (!session.isFresh()) return reauthenticationRequired(context);
  if (context.method === 'GET') return listing(await listDevices(context, user));

  const form = new TwoFactorDevicesForm().validate(context.body);
  if (!form.ok) return refused(context, user, form.errors);
  const revoked = await revokeDevices(context, user, form.value.revoke);
  if (!revoked.ok) return refused(context, user, { revoke: [revoked.code] });
  const devices = await listDevices(context, user);
  return {
    status: 200,
    json: { devices: devices.map(deviceJson) },
    // Post/redirect/get: a reload does not post the revocation again.
    html: { redirect: context.urls.tfDevices },
    flashes: [{ key: form.value.revoke.kind === 'all' ? 'TF_DEVICES_REVOKED_ALL' : 'TF_DEVICE_REVOKED' }],
    ...(revoked.currentRevoked ? { cookies: [clearedDeviceCookie(context)] } : {}),
  };
}

function listing(devices: readonly PageDevice[]): ViewResult {
  return { status: 200, json: { devices: devices.map(deviceJson) }, html: { page: 'tfDevices', model: { devices, errors: {} } } };
}

async function refused(context: ViewContext, user: User, errors: FormErrors<string>): Promise<ViewResult> {
  const devices = await listDevices(context, user);
  return { status: 400, json: errorPayload(context, errors), html: { page: 'tfDevices', model: { devices, errors }, status: 400 } };
}

/** A device on the wire: snake_case, whole Unix seconds, and the id (a hash of the token, never the token). */
function deviceJson(device: PageDevice): Record<string, unknown> {
  return {
    id: device.id,
    user_agent: device.userAgent,
    created_at: device.createdAtInSeconds,
    last_used_at: device.lastUsedAtInSeconds,
    expires_at: device.expiresAtInSeconds,
    current: device.current,
  };
}
