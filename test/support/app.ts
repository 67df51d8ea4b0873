/** A ready application for HTTP tests: SQLite in memory, a Security with a settable clock, users with passwords. */
import { afterAll, beforeAll } from 'vitest';
import { hashPassword } from '../../src/passwords.js';
import { Totp } from '../../src/otp/totp-class.js';
import type { Security } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import type { User } from '../../src/user.js';
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
