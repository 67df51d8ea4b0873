/** The password step's transition, without HTTP: which state follows a right password, and what a code not sent does. */
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../crypto/token-hash.js';
import { codeNotSent, afterPassword } from './password.js';
import { flowContext, flowUser, flowWorld, START_IN_SECONDS, type FlowWorld } from './flow-context.test-support.js';

let world: FlowWorld | null = null;
afterEach(async () => {
  await world?.datastore.close();
  world = null;
});

const INPUT = { remember: false, next: '/after', includeAuthToken: false } as const;

describe('afterPassword', () => {
  it('logs a user with no factor in at once when 2FA is not required, with no second factor passed', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'plain@example.test');
    const context = await flowContext(world);
    const outcome = await afterPassword(context, user, INPUT);
    expect(outcome.kind).toBe('complete');
    if (outcome.kind !== 'complete') return;
    expect(outcome.completed).toMatchObject({ method: null, next: '/after', device: null, authToken: null });
    expect(context.session.user?.id).toBe(user.id);
    expect(context.session.data).toMatchObject({ tf: { kind: 'none' }, tfVerified: false });
  });

  it('starts a set-up when 2FA is required of a user without a factor', async () => {
    world = await flowWorld({ twoFactorRequired: true });
    const { user } = await flowUser(world, 'owes-setup@example.test');
    const context = await flowContext(world);
    const outcome = await afterPassword(context, user, INPUT);
    expect(outcome).toMatchObject({ kind: 'pending', login: { kind: 'setup', pending: null, userId: user.id, next: '/after' } });
    expect(context.session.user).toBeNull();
    expect(context.session.data.tf).toMatchObject({ kind: 'login', login: { kind: 'setup' } });
  });

  it('waits for the authenticator code of a user who has one, sending nothing', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'app@example.test', 'authenticator');
    const context = await flowContext(world);
    const outcome = await afterPassword(context, user, INPUT);
    expect(outcome).toMatchObject({ kind: 'pending', login: { kind: 'validate', method: 'authenticator', problem: null, startedAtInSeconds: START_IN_SECONDS } });
    expect(world.mails).toHaveLength(0);
  });

  it('sends the e-mail code of a user with e-mail codes, bound to the new login', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'mailed@example.test', 'email');
    const context = await flowContext(world);
    const outcome = await afterPassword(context, user, INPUT);
    expect(outcome).toMatchObject({ kind: 'pending', login: { kind: 'validate', method: 'email' } });
    expect(world.mails.map((mail) => mail.to)).toEqual(['mailed@example.test']);
  });

  it('stops at `unavailable` for a factor stored but not served (fail closed)', async () => {
    world = await flowWorld({ twoFactorEnabledMethods: ['authenticator'] });
    const { user } = await flowUser(world, 'texted@example.test', 'sms');
    const context = await flowContext(world);
    const outcome = await afterPassword(context, user, INPUT);
    expect(outcome).toMatchObject({ kind: 'pending', login: { kind: 'unavailable', method: 'sms', problem: null } });
    expect(context.session.user).toBeNull();
    expect(world.sms.messages).toHaveLength(0);
  });

  it('lets a remembered browser of this user stand in for the code, and records that a second factor passed', async () => {
    world = await flowWorld({ twoFactorAlwaysValidate: false });
    const { user } = await flowUser(world, 'remembered@example.test', 'authenticator');
    const token = 'remembered-browser-token-0123456789';
    await world.datastore.createTrustedDevice({ idHash: hashToken(token), userId: user.id, userAgent: 'x', createdAtInSeconds: START_IN_SECONDS, lastUsedAtInSeconds: START_IN_SECONDS, expiresAtInSeconds: START_IN_SECONDS + 60 });
    const outcome = await afterPassword(await flowContext(world, { deviceHash: hashToken(token) }), user, INPUT);
    expect(outcome).toMatchObject({ kind: 'complete', completed: { method: null } });
    const stranger = await afterPassword(await flowContext(world, { deviceHash: hashToken('another-browser-token-0123456789') }), user, INPUT);
    expect(stranger).toMatchObject({ kind: 'pending', login: { kind: 'validate' } });
  });

  it('keeps a login whose first code the send limits refused, and tells how long to wait', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'cooldown@example.test', 'email');
    await afterPassword(await flowContext(world), user, INPUT);
    const context = await flowContext(world);
    const outcome = await afterPassword(context, user, INPUT);
    expect(outcome).toMatchObject({ kind: 'code-refused', login: { kind: 'validate', method: 'email' } });
    if (outcome.kind === 'code-refused') expect(outcome.retryAfterInSeconds).toBeGreaterThan(0);
    expect(context.session.data.tf.kind).toBe('login');
    expect(world.mails).toHaveLength(1);
  });
});

describe('codeNotSent', () => {
  it('ends the login when the code failed to go out', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'failed@example.test', 'authenticator');
    const context = await flowContext(world);
    await afterPassword(context, user, INPUT);
    expect(codeNotSent(context, null)).toMatchObject({ kind: 'code-failed', login: { kind: 'validate' } });
    expect(context.session.data.tf).toEqual({ kind: 'none' });
  });
});
