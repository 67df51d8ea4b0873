/** The user's remembered browsers without HTTP: listed with this one marked, revoked one or all, never another user's. */
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../crypto/token-hash.js';
import { listDevices, revokeDevices } from './manage-devices.js';
import { flowContext, flowUser, flowWorld, START_IN_SECONDS, type FlowWorld } from './flow-context.test-support.js';

let world: FlowWorld | null = null;
afterEach(async () => {
  await world?.datastore.close();
  world = null;
});

async function remember(current: FlowWorld, userId: string, token: string, at: number): Promise<void> {
  await current.datastore.createTrustedDevice({ idHash: hashToken(token), userId, userAgent: `agent ${token.slice(0, 4)}`, createdAtInSeconds: at, lastUsedAtInSeconds: at, expiresAtInSeconds: at + 3600 });
}

describe('listDevices and revokeDevices', () => {
  it('list the user’s browsers newest first, mark the asking one, and revoke one, then all', async () => {
    world = await flowWorld({ twoFactorAlwaysValidate: false });
    const { user } = await flowUser(world, 'devices@example.test', 'authenticator');
    const { user: other } = await flowUser(world, 'other@example.test', 'authenticator');
    await remember(world, user.id, 'aaaa-browser-token-0123456789', START_IN_SECONDS - 20);
    await remember(world, user.id, 'bbbb-browser-token-0123456789', START_IN_SECONDS - 10);
    await remember(world, other.id, 'cccc-browser-token-0123456789', START_IN_SECONDS - 5);
    const context = await flowContext(world, { deviceHash: hashToken('aaaa-browser-token-0123456789') });
    const listed = await listDevices(context, user);
    expect(listed.map((device) => [device.userAgent, device.current])).toEqual([
      ['agent bbbb', false],
      ['agent aaaa', true],
    ]);
    expect(await revokeDevices(context, user, { kind: 'one', id: hashToken('cccc-browser-token-0123456789') })).toEqual({ ok: false, code: 'TF_DEVICE_NOT_FOUND' });
    expect(await revokeDevices(context, user, { kind: 'one', id: hashToken('bbbb-browser-token-0123456789') })).toEqual({ ok: true, count: 1, currentRevoked: false });
    expect(await revokeDevices(context, user, { kind: 'all' })).toEqual({ ok: true, count: 1, currentRevoked: true });
    expect(await listDevices(context, user)).toEqual([]);
    expect(await listDevices(context, other)).toHaveLength(1);
  });
});
