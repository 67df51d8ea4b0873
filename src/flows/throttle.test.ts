/** Attempt counting without HTTP: counted before the check, per challenge and per account, cleared by a right code. */
import { afterEach, describe, expect, it } from 'vitest';
import { checkedAttempt } from './throttle.js';
import { flowContext, flowUser, flowWorld, type FlowWorld } from './flow-context.test-support.js';

let world: FlowWorld | null = null;
afterEach(async () => {
  await world?.datastore.close();
  world = null;
});

/** A login's context: a stored session, so its attempts count under one challenge. */
async function loginContext(current: FlowWorld, userId: string) {
  const context = await flowContext(current);
  const user = await current.security.findUserById(userId);
  if (user === null) throw new Error('no user');
  await context.session.renew({ user: null, data: { tf: { kind: 'login', login: { userId, fsUniquifier: user.fsUniquifier, remember: false, next: null, startedAtInSeconds: context.nowInSeconds, kind: 'validate', method: 'authenticator', challenge: 'c1', problem: null } } } });
  return { context, user };
}

describe('checkedAttempt', () => {
  it('ends a challenge after twoFactorMaxCodeAttempts wrong codes without checking the next, even a right one', async () => {
    world = await flowWorld();
    const { user: stored } = await flowUser(world, 'challenge@example.test', 'authenticator');
    const { context, user } = await loginContext(world, stored.id);
    let checks = 0;
    const wrong = { authType: 'code', verify: async () => (checks++, false) };
    for (let i = 0; i < world.security.config.twoFactorMaxCodeAttempts; i++) expect(await checkedAttempt(context, user, wrong)).toBe('wrong');
    expect(await checkedAttempt(context, user, { authType: 'code', verify: async () => (checks++, true) })).toBe('exhausted');
    expect(checks).toBe(world.security.config.twoFactorMaxCodeAttempts);
  });

  it('locks the account across challenges, refusing a right code with the time left; a right code before that clears the count', async () => {
    world = await flowWorld({ twoFactorMaxFailedAttempts: 3 });
    const { user: stored } = await flowUser(world, 'account@example.test', 'authenticator');
    const wrong = { authType: 'code', verify: async () => false };
    const right = { authType: 'code', verify: async () => true };
    const first = await loginContext(world, stored.id);
    expect(await checkedAttempt(first.context, first.user, wrong)).toBe('wrong');
    expect(await checkedAttempt(first.context, first.user, right)).toBe('ok');
    expect((await world.security.findUserById(stored.id))?.tfFailedAttempts).toBe(0);
    for (let i = 0; i < 3; i++) {
      const each = await loginContext(world, stored.id);
      expect(await checkedAttempt(each.context, each.user, wrong)).toBe('wrong');
    }
    const locked = await loginContext(world, stored.id);
    const outcome = await checkedAttempt(locked.context, locked.user, right);
    expect(outcome).toEqual({ locked: world.security.config.twoFactorLockoutBase });
  });
});
