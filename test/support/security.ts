/** Builds a Security for tests: fixed clock, test secrets, and delivery to the local SMTP and Twilio stand-ins. */
import { randomBytes } from 'node:crypto';
import { fixedClock } from '../../src/clock.js';
import type { TwofoldOptions } from '../../src/config.js';
import { createMailer, type Mailer } from '../../src/delivery/mail.js';
import type { SmsSenderBase } from '../../src/delivery/sms.js';
import { Security } from '../../src/security.js';
import type { Datastore } from '../../src/store/datastore.js';
import type { User } from '../../src/user.js';
import { decryptTotpSecret } from '../../src/users.js';

/** A TOTP key ring secret for tests only. */
export const TEST_TOTP_SECRETS = { '1': 'test-only-key-ring-secret-0123456789-abcdefghijklmnop' } as const;

/** 2026-01-01T00:00:00Z, a multiple of 30 so step arithmetic in tests is easy to read. */
export const TEST_START_IN_SECONDS = 1_767_225_600;

/**
 * The user's TOTP secret, decrypted with the Security's key ring as the code plugin does; `undefined` when there
 * is no user, so `totpSecretOf(security, await security.findUserById(id))` reads like `user?.secret`.
 */
export function totpSecretOf(security: Pick<Security, 'keyring'>, user: User | null | undefined): string | null | undefined {
  return user === null || user === undefined ? undefined : decryptTotpSecret(user, security.keyring);
}

/** Options of {@link makeSecurity}. */
export interface MakeSecurityOptions {
  readonly options?: TwofoldOptions;
  readonly smtpUrl?: string;
  readonly mailer?: Mailer | null;
  readonly smsSender?: SmsSenderBase | null;
  readonly nowInSeconds?: number;
}

/** A Security on `datastore` with a settable clock; every method is enabled unless `options` says otherwise. */
export function makeSecurity(datastore: Datastore, options: MakeSecurityOptions = {}) {
  // A quarter second past the step boundary: a time handed to the datastore without nowInWholeSeconds would fail.
  const clock = fixedClock(options.nowInSeconds ?? TEST_START_IN_SECONDS + 0.25);
  const mailer =
    options.mailer !== undefined
      ? options.mailer
      : options.smtpUrl !== undefined
        ? createMailer({ smtpUrl: options.smtpUrl, from: 'twofold@example.test' })
        : null;
  const security = new Security(
    {
      totpSecrets: TEST_TOTP_SECRETS,
      totpIssuer: 'twofold tests',
      twoFactorEnabledMethods: mailer === null ? ['authenticator', 'sms'] : ['authenticator', 'email', 'sms'],
      ...options.options,
    },
    datastore,
    { clock, mailer, ...(options.smsSender === undefined ? {} : { smsSender: options.smsSender }) },
  );
  return { security, clock };
}

/** Creates a user with a random e-mail address. */
export async function createTestUser(security: Security, email = `user-${randomBytes(6).toString('hex')}@example.test`): Promise<User> {
  const user = await security.createUser({ email });
  if (user === null) throw new Error(`could not create ${email}`);
  return user;
}

/** The user as stored now (2FA settings change under a test's feet). */
export async function reload(security: Security, user: User): Promise<User> {
  const fresh = await security.findUserById(user.id);
  if (fresh === null) throw new Error(`user ${user.id} vanished`);
  return fresh;
}
