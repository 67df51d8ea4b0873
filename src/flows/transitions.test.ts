/**
 * The transitions after the password step, without HTTP: selection, the login code, a recovery code, rescue,
 * a set-up and a change confirmed, re-authentication, and turning 2FA off.
 */
import { nowInWholeSeconds } from '../clock.js';
import { afterEach, describe, expect, it } from 'vitest';
import { Totp } from '../otp/totp-class.js';
import { confirmChange } from './change.js';
import { afterReauthPassword, checkReauthCode, completeReauth } from './reauth.js';
import { useRecoveryCode } from './recovery.js';
import { askAdministrator, rescueByEmail } from './rescue.js';
import { offeredMethods, selectMethod } from './select.js';
import { disableTwoFactor, startSetup } from './setup.js';
import { changeOf, reauthOf } from './state.js';
import { validateLoginCode } from './validate.js';
import { flowUser, flowWorld, loggedInContext, loginContext, type FlowWorld } from './flow-context.test-support.js';

let world: FlowWorld | null = null;
afterEach(async () => {
  await world?.datastore.close();
  world = null;
});

const NO_TOKEN = { includeAuthToken: false } as const;

describe('select', () => {
  it('offers the methods the user still has, and moves to the chosen one with its code sent', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'select@example.test', 'email');
    const { context, login } = await loginContext(world, user, { kind: 'validate', method: 'email', challenge: 'c', problem: null });
    const selecting = { ...login, kind: 'select' as const, methods: ['authenticator', 'email'] };
    expect(await offeredMethods(context, user, selecting)).toEqual(['email']);
    const outcome = await selectMethod(context, user, selecting, 'email');
    expect(outcome).toMatchObject({ kind: 'pending', login: { kind: 'validate', method: 'email' } });
    expect(world.mails).toHaveLength(1);
  });
});

describe('validateLoginCode', () => {
  it('refuses a wrong code and completes the login with the right one', async () => {
    world = await flowWorld();
    const { user, phone } = await flowUser(world, 'code@example.test', 'authenticator');
    const { context, login } = await loginContext(world, user, { kind: 'validate', method: 'authenticator', challenge: 'c', problem: null });
    if (login.kind !== 'validate' || phone === null) throw new Error('setup');
    const right = phone.generatePassword(world.clock.nowInSeconds());
    expect(await validateLoginCode(context, user, login, right === '000000' ? '000001' : '000000', NO_TOKEN)).toEqual({ kind: 'wrong' });
    const done = await validateLoginCode(context, user, login, right, NO_TOKEN);
    expect(done).toMatchObject({ kind: 'complete', completed: { method: 'authenticator' } });
    expect(context.session.user?.id).toBe(user.id);
  });

  it('binds a factor set up at login with its first code, and ends the sessions made without it', async () => {
    world = await flowWorld({ twoFactorRequired: true });
    const { user } = await flowUser(world, 'bind@example.test');
    const before = await loggedInContext(world, user);
    const { context } = await loginContext(world, user, { kind: 'setup', pending: null });
    const started = await startSetup(context, user, { method: 'authenticator', phone: null, changing: false });
    if (started.kind !== 'started' || started.authenticator === null) throw new Error('not started');
    const login = context.session.data.tf.kind === 'login' ? context.session.data.tf.login : null;
    if (login?.kind !== 'setup') throw new Error('no pending set-up');
    const code = new Totp(started.authenticator.b32key).generatePassword(world.clock.nowInSeconds());
    expect(await validateLoginCode(context, user, login, code, NO_TOKEN)).toMatchObject({ kind: 'complete' });
    expect((await world.security.findUserById(user.id))?.tfPrimaryMethod).toBe('authenticator');
    expect(await world.datastore.findSession(before.session.idHash ?? '', nowInWholeSeconds(world.clock))).toBeNull();
  });
});

describe('useRecoveryCode', () => {
  it('spends a right code, completes the login and says how many are left; a wrong one is refused', async () => {
    world = await flowWorld({ twoFactorEnabledMethods: ['authenticator'] });
    const { user } = await flowUser(world, 'recover@example.test', 'sms');
    const codes = await world.security.recoveryCodes.generateCodes(user);
    const { context, login } = await loginContext(world, user, { kind: 'unavailable', method: 'sms', challenge: 'c', problem: null });
    expect(await useRecoveryCode(context, user, login, 'WRONG-WRONG-WRONG', NO_TOKEN)).toEqual({ kind: 'wrong' });
    const done = await useRecoveryCode(context, user, login, codes[0] as string, NO_TOKEN);
    expect(done).toMatchObject({ kind: 'complete', left: codes.length - 1, completed: { method: 'recovery_code', device: null } });
  });
});

describe('rescue', () => {
  it('mails a code bound to the login, and asks the administrator once per login', async () => {
    world = await flowWorld({ twoFactorRescueEmail: true, twoFactorRescueMail: 'admin@example.test' });
    const { user } = await flowUser(world, 'rescue@example.test', 'authenticator');
    const { context, login } = await loginContext(world, user, { kind: 'validate', method: 'authenticator', challenge: 'c', problem: null });
    if (login.kind !== 'validate') throw new Error('setup');
    expect(await rescueByEmail(context, user, login)).toMatchObject({ kind: 'done', login: { problem: 'email' } });
    world.clock.advance(world.security.config.twoFactorSendCooldown);
    const first = await askAdministrator(context, user, login);
    expect(first).toMatchObject({ kind: 'done', login: { problem: 'help' } });
    if (first.kind !== 'done') return;
    expect(await askAdministrator(context, user, first.login)).toMatchObject({ kind: 'done' });
    expect(world.mails.map((mail) => mail.to)).toEqual(['rescue@example.test', 'admin@example.test']);
  });
});

describe('a change of factor', () => {
  it('starts with a token and confirms with the new code: this session counts as verified, the factor changed', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'change@example.test', 'email');
    const context = await loggedInContext(world, user);
    const started = await startSetup(context, user, { method: 'authenticator', phone: null, changing: true });
    if (started.kind !== 'started' || started.authenticator === null) throw new Error('not started');
    expect(started.token).not.toBeNull();
    const change = changeOf(context.session.data.tf);
    if (change === null) throw new Error('no change');
    expect(await confirmChange(context, user, change, '000000')).toEqual({ kind: 'wrong' });
    const code = new Totp(started.authenticator.b32key).generatePassword(world.clock.nowInSeconds());
    expect(await confirmChange(context, user, change, code)).toEqual({ kind: 'changed', method: 'authenticator', phoneNumber: null });
    expect(context.session.data).toMatchObject({ tf: { kind: 'none' }, tfVerified: true });
    expect((await world.security.findUserById(user.id))?.tfPrimaryMethod).toBe('authenticator');
  });

  it('turning 2FA off removes the factor and ends the other sessions', async () => {
    world = await flowWorld();
    const { user } = await flowUser(world, 'off@example.test', 'authenticator');
    const other = await loggedInContext(world, user);
    const context = await loggedInContext(world, user);
    await disableTwoFactor(context, user);
    expect((await world.security.findUserById(user.id))?.tfPrimaryMethod).toBeNull();
    expect(await world.datastore.findSession(other.session.idHash ?? '', nowInWholeSeconds(world.clock))).toBeNull();
  });
});

describe('re-authentication', () => {
  it('asks for the code after the password, and renews the session once it is right', async () => {
    world = await flowWorld();
    const { user, phone } = await flowUser(world, 'reauth@example.test', 'authenticator');
    const context = await loggedInContext(world, user);
    const oldId = context.session.idHash;
    expect(await afterReauthPassword(context, user, '/back')).toEqual({ kind: 'code-due', method: 'authenticator' });
    const reauth = reauthOf(context.session.data.tf);
    if (reauth === null || phone === null) throw new Error('no reauth');
    expect(await checkReauthCode(context, user, reauth, phone.generatePassword(world.clock.nowInSeconds()))).toBeNull();
    await completeReauth(context, user);
    expect(context.session.idHash).not.toBe(oldId);
    expect(context.session.data.tf).toEqual({ kind: 'none' });
  });

  it('is fresh at once for a user without a factor, and refused for a factor out of service', async () => {
    world = await flowWorld({ twoFactorEnabledMethods: ['authenticator'] });
    const { user: plain } = await flowUser(world, 'reauth-plain@example.test');
    expect(await afterReauthPassword(await loggedInContext(world, plain), plain, null)).toEqual({ kind: 'fresh' });
    const { user: texted } = await flowUser(world, 'reauth-sms@example.test', 'sms');
    expect(await afterReauthPassword(await loggedInContext(world, texted), texted, null)).toEqual({ kind: 'unavailable' });
  });
});
