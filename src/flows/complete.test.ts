/** The last transition of a login, without HTTP: the session it leaves, and the tokens it makes or does not. */
import { afterEach, describe, expect, it } from 'vitest';
import { nowInWholeSeconds } from '../clock.js';
import { hashToken } from '../crypto/token-hash.js';
import { completeLogin } from './complete.js';
import { flowContext, flowUser, flowWorld, type FlowWorld } from './flow-context.test-support.js';

let world: FlowWorld | null = null;
afterEach(async () => {
  await world?.datastore.close();
  world = null;
});

describe('completeLogin', () => {
  it('binds a new session id to the user, fresh from now, with no state left, and tells the listeners', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'done@example.test', 'authenticator');
    const context = await flowContext(world);
    const seen: string[][] = [];
    world.security.events.on('userAuthenticated', ({ authnVia }) => void seen.push([...authnVia]));
    context.session.update({ tf: { kind: 'login', login: { userId: user.id, fsUniquifier: user.fsUniquifier, remember: false, next: null, startedAtInSeconds: 0, kind: 'setup', pending: null } } });
    const completed = await completeLogin(context, user, { remember: false, next: '//evil.example', tfVerified: true, method: 'authenticator', includeAuthToken: false });
    expect(completed).toMatchObject({ method: 'authenticator', next: '/', device: null, authToken: null });
    expect(context.session.user?.id).toBe(user.id);
    expect(context.session.data).toMatchObject({ tf: { kind: 'none' }, tfVerified: true });
    expect(context.session.isFresh()).toBe(true);
    expect(seen).toEqual([['password', 'authenticator']]);
  });

  it('remembers the browser only when asked, allowed, and not on a recovery code', async () => {
    world = await flowWorld({ twoFactorAlwaysValidate: false });
    const { user } = await flowUser(world, 'remember@example.test', 'authenticator');
    const remembered = await completeLogin(await flowContext(world), user, { remember: true, next: null, tfVerified: true, method: 'authenticator', includeAuthToken: false });
    expect(remembered.device?.lifetimeInSeconds).toBe(world.security.config.twoFactorLoginValidity);
    const token = remembered.device?.token ?? '';
    expect(await world.datastore.findTrustedDevice(hashToken(token), user.id, nowInWholeSeconds(world.clock))).not.toBeNull();
    const recovered = await completeLogin(await flowContext(world), user, { remember: true, next: null, tfVerified: true, method: 'recovery_code', includeAuthToken: false });
    expect(recovered.device).toBeNull();
    const passwordOnly = await completeLogin(await flowContext(world), user, { remember: true, next: null, tfVerified: false, method: null, includeAuthToken: false });
    expect(passwordOnly.device).toBeNull();
  });

  it('never remembers a browser while twoFactorAlwaysValidate is on (the default)', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'always@example.test', 'authenticator');
    const completed = await completeLogin(await flowContext(world), user, { remember: true, next: null, tfVerified: true, method: 'authenticator', includeAuthToken: false });
    expect(completed.device).toBeNull();
  });

  it('makes an API token when the client asked for one, which authenticates as the user', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'api@example.test', 'authenticator');
    const completed = await completeLogin(await flowContext(world), user, { remember: false, next: null, tfVerified: true, method: 'authenticator', includeAuthToken: true });
    expect(completed.authToken).not.toBeNull();
    const auth = await world.security.authenticate({ url: 'https://app.example/', headers: new Headers({ 'authentication-token': completed.authToken ?? '' }) });
    expect(auth).toMatchObject({ via: 'token', tfVerified: true, user: { id: user.id } });
  });
});
