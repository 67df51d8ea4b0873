/** A ready application for HTTP tests: SQLite in memory, a Security with a settable clock, users with passwords. */
import { afterAll, beforeAll } from 'vitest';
import { hashPassword } from '../../src/passwords.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import type { User } from '../../src/user.js';
import { Client } from './client.js';
import { makeSecurity, type MakeSecurityOptions } from './security.js';

/** The password every test user has. */
export const PASSWORD = 'correct horse battery staple';

let passwordHash: Promise<string> | undefined;

/** One in-memory datastore per test file, migrated before and closed after. */
export function useDatastore(): { readonly datastore: KyselyDatastore } {
  const holder = {} as { datastore: KyselyDatastore };
  beforeAll(async () => {
    holder.datastore = await openDatastore('sqlite::memory:');
    await holder.datastore.migrate();
  });
  afterAll(() => holder.datastore.close());
  return holder;
}

/** A Security on the datastore (see `makeSecurity`). */
export function makeApp(datastore: KyselyDatastore, options: MakeSecurityOptions = {}) {
  return makeSecurity(datastore, options);
}

/** A user who logs in with {@link PASSWORD}. */
export async function userWithPassword(security: Security, email: string): Promise<User> {
  passwordHash ??= hashPassword(PASSWORD);
  const user = await security.createUser({ email, passwordHash: await passwordHash });
  if (user === null) throw new Error(`${email} exists`);
  return user;
}

/** A user with an authenticator already set up; returns the "phone" that computes their codes. */
export async function userWithAuthenticator(security: Security, email: string): Promise<{ user: User; phone: Totp }> {
  const user = await userWithPassword(security, email);
  const phone = new Totp();
  const secret = security.keyring.encrypt(phone.secrets, `users.tf_totp_secret:${user.id}`);
  await security.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: secret, phoneNumber: null, lastStep: null });
  return { user, phone };
}

/** The 6-digit code in a mail or SMS text; throws when there is none. */
export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (match === null) throw new Error(`no code in ${JSON.stringify(text)}`);
  return match[1] as string;
}

/** An authenticator code that is not `code` (for "wrong code" cases that must not hit the right one by chance). */
export function wrongCode(code: string): string {
  return code === '000000' ? '000001' : '000000';
}

/**
 * A client (JSON unless `json: false`) that went through `/login` with {@link PASSWORD} and, when the user has
 * an authenticator, `/tf-validate` with `phone`'s current code: a full login.
 */
export async function loggedInClient(
  security: Security,
  clock: { nowInSeconds(): number },
  email: string,
  options: { json?: boolean; phone?: Totp; remember?: boolean } = {},
): Promise<Client> {
  const client = new Client(security, { json: options.json ?? true });
  await client.get('/login');
  const login = await client.post('/login', { email, password: PASSWORD, ...(options.remember === true ? { remember: options.json === false ? 'y' : true } : {}) });
  if (options.phone !== undefined) {
    if (login.status >= 400) throw new Error(`login failed: ${login.text}`);
    if (options.json === false) await client.follow(login);
    const done = await client.post('/tf-validate', { code: options.phone.generatePassword(clock.nowInSeconds()) });
    if (done.status >= 400) throw new Error(`second factor failed: ${done.text}`);
  } else if (login.status >= 400) {
    throw new Error(`login failed: ${login.text}`);
  }
  return client;
}
