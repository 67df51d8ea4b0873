/** For the flows' unit tests: a real Security on in-memory SQLite and a real session, with no HTTP request. */
import { fixedClock, nowInWholeSeconds } from '../clock.js';
import type { MailMessage } from '../delivery/mail.js';
import { DummySmsSender } from '../delivery/sms.js';
import { hashPassword } from '../passwords.js';
import { SessionHandle } from '../http/session.js';
import { Security } from '../security.js';
import type { TwofoldOptions } from '../config.js';
import { openDatastore } from '../store/kysely/connect.js';
import type { KyselyDatastore } from '../store/kysely/datastore.js';
import { Totp } from '../otp/totp-class.js';
import type { User } from '../user.js';
import type { FlowContext } from './context.js';
import type { LoginState } from './state.js';

/** 2026-01-01T00:00:00Z. */
export const START_IN_SECONDS = 1_767_225_600;

/** A test world: the Security, its clock, the mails and texts it sent, and a datastore to close. */
export interface FlowWorld {
  readonly security: Security;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly mails: MailMessage[];
  readonly sms: DummySmsSender;
  readonly datastore: KyselyDatastore;
}

/** A migrated in-memory datastore and a Security on it, every method enabled, mail kept in a list. */
export async function flowWorld(options: TwofoldOptions = {}): Promise<FlowWorld> {
  const datastore = await openDatastore('sqlite::memory:');
  await datastore.migrate();
  const clock = fixedClock(START_IN_SECONDS);
  const mails: MailMessage[] = [];
  const sms = new DummySmsSender();
  const security = new Security(
    { totpSecrets: { '1': 'flow-tests-key-ring-secret-0123456789-abcdefghijklmnop' }, totpIssuer: 'flows', twoFactorEnabledMethods: ['authenticator', 'email', 'sms'], ...options },
    datastore,
    { clock, mailer: { send: async (mail) => void mails.push(mail) }, smsSender: sms, onWarning: () => {} },
  );
  await security.storedFactorCheck;
  return { security, clock, mails, sms, datastore };
}

/** The context of one step, as the handler builds it: a session loaded (or new) for `sessionId`'s cookie. */
export async function flowContext(world: FlowWorld, options: { cookie?: string | null; deviceHash?: string | null } = {}): Promise<FlowContext & { session: SessionHandle }> {
  const headers = new Headers(options.cookie == null ? {} : { cookie: `__Host-twofold_session=${options.cookie}` });
  const session = await SessionHandle.load(world.security, { url: 'https://app.example/login', headers });
  const nowInSeconds = nowInWholeSeconds(world.clock);
  return {
    security: world.security,
    session,
    client: { address: '198.51.100.7', userAgent: 'flow test', requestId: 'r1', atInSeconds: nowInSeconds },
    nowInSeconds,
    presentedDeviceHash: options.deviceHash ?? null,
  };
}

/** The cookie value a committed session hands the browser, to load it again in the next step. */
export async function committedCookie(context: { session: SessionHandle }): Promise<string> {
  const cookies = await context.session.commit();
  const value = cookies.map((cookie) => /^__Host-twofold_session=([^;]*)/.exec(cookie)?.[1]).find((found) => found !== undefined);
  if (value === undefined) throw new Error('no session cookie');
  return value;
}

let passwordHash: Promise<string> | undefined;

/** A user; `factor` gives them an authenticator (returned as the phone computing its codes), e-mail or SMS. */
export async function flowUser(world: FlowWorld, email: string, factor: 'authenticator' | 'email' | 'sms' | null = null): Promise<{ user: User; phone: Totp | null }> {
  passwordHash ??= hashPassword('correct horse battery staple');
  const created = await world.security.createUser({ email, passwordHash: await passwordHash });
  if (created === null) throw new Error(`${email} exists`);
  if (factor === null) return { user: created, phone: null };
  const phone = factor === 'authenticator' ? new Totp() : null;
  const secret = phone === null ? null : world.security.keyring.encrypt(phone.secrets, `users.tf_totp_secret:${created.id}`);
  await world.datastore.setTwoFactor(created.id, { method: factor, totpSecretEncrypted: secret, phoneNumber: factor === 'sms' ? '+442083661177' : null, lastStep: null });
  const user = await world.security.findUserById(created.id);
  if (user === null) throw new Error('vanished');
  return { user, phone };
}

/** A context whose session is fully logged in as `user` (as after completeLogin), fresh from now. */
export async function loggedInContext(world: FlowWorld, user: User): Promise<FlowContext & { session: SessionHandle }> {
  const context = await flowContext(world);
  await context.session.renew({ user, authenticated: true, data: { tfVerified: true } });
  return context;
}

/** A context in a half-finished login of `user` at `login` (stored, so its attempts count under one challenge). */
export async function loginContext(world: FlowWorld, user: User, login: Omit<LoginStateOf<'validate'>, keyof LoginBaseFields> | Omit<LoginStateOf<'setup'>, keyof LoginBaseFields> | Omit<LoginStateOf<'unavailable'>, keyof LoginBaseFields>) {
  const context = await flowContext(world);
  const base: LoginBaseFields = { userId: user.id, fsUniquifier: user.fsUniquifier, remember: false, next: null, startedAtInSeconds: context.nowInSeconds };
  const full = { ...base, ...login } as LoginState;
  await context.session.renew({ user: null, data: { tf: { kind: 'login', login: full } } });
  return { context, login: full };
}

type LoginStateOf<K extends LoginState['kind']> = Extract<LoginState, { kind: K }>;
type LoginBaseFields = Pick<LoginState, 'userId' | 'fsUniquifier' | 'remember' | 'next' | 'startedAtInSeconds'>;
