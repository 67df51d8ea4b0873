/** Security wiring: options are checked at start-up, users are stored in one normal form. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { Security } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import { createTestUser, makeSecurity, TEST_TOTP_SECRETS } from '../support/security.js';

let datastore: KyselyDatastore;
beforeAll(async () => {
  datastore = await openDatastore('sqlite::memory:');
  await datastore.migrate();
});
afterAll(() => datastore.close());

function configErrorKey(fn: () => unknown): string | null {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.key;
    throw err;
  }
  return null;
}

describe('Security', () => {
  it('refuses to start without totpSecrets, naming the key', () => {
    expect(configErrorKey(() => new Security({ totpIssuer: 'x' }, datastore))).toBe('totpSecrets');
  });

  it('refuses e-mail codes without a mailer, and says how to give one', () => {
    try {
      new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'x', twoFactorEnabledMethods: ['authenticator', 'email'] }, datastore);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).key).toBe('mailer');
      expect((err as ConfigError).message).toContain('createMailer');
    }
  });

  it('refuses an unknown SMS service when SMS is on', () => {
    expect(
      configErrorKey(
        () => new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'x', twoFactorEnabledMethods: ['sms'], smsService: 'carrier-pigeon' }, datastore),
      ),
    ).toBe('smsService');
  });

  it('serves only the enabled methods: the authenticator alone by default', () => {
    const security = new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'x' }, datastore);
    expect(security.plugins.methods()).toEqual(['authenticator']);
    expect(security.smsSender).toBeNull();
    expect(security.mailer).toBeNull();
  });

  it('stores e-mail addresses trimmed and in lower case, once', async () => {
    const { security } = makeSecurity(datastore);
    const user = await security.createUser({ email: '  Ada.Lovelace@Example.TEST ' });
    expect(user?.email).toBe('ada.lovelace@example.test');
    expect(await security.createUser({ email: 'ADA.LOVELACE@example.test' })).toBeNull();
    expect((await security.findUserByEmail('Ada.Lovelace@example.test'))?.id).toBe(user?.id);
    expect((await security.findUserByUniquifier(user?.fsUniquifier as string))?.id).toBe(user?.id);
  });

  it('gives each user a random id and uniquifier of 128 bits', async () => {
    const { security } = makeSecurity(datastore);
    const a = await createTestUser(security);
    const b = await createTestUser(security);
    expect(a.id).not.toBe(b.id);
    expect(Buffer.from(a.fsUniquifier, 'base64url')).toHaveLength(16);
  });
});

describe('start-up warnings (ENR-06)', () => {
  it('warns once when the TOTP settings are not the ones every authenticator app supports, and not for the defaults', () => {
    const warnings: string[] = [];
    const onWarning = (message: string) => void warnings.push(message);
    new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'Warnings' }, datastore, { onWarning });
    expect(warnings).toEqual([]);
    for (const options of [{ totpAlgorithm: 'SHA256' }, { totpDigits: 8 }, { totpPeriod: 60 }] as const) {
      new Security({ totpSecrets: TEST_TOTP_SECRETS, totpIssuer: 'Warnings', ...options }, datastore, { onWarning });
    }
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^twofold: TOTP is set to SHA256, 6 digits, 30 s; .*Google Authenticator/);
    expect(warnings[1]).toContain('SHA1, 8 digits, 30 s');
    expect(warnings[2]).toContain('SHA1, 6 digits, 60 s');
  });
});
