/** Rotating the key ring: old secrets keep working, `reencryptTotpSecrets` moves them, then the old key can go. */
import { expect, it } from 'vitest';
import { reencryptTotpSecrets } from '../../src/crypto/rotate-secrets.js';
import { Totp } from '../../src/otp/totp-class.js';
import { Security } from '../../src/security.js';
import { describeEachDatabase } from '../support/databases.js';
import { createTestUser, makeSecurity, TEST_START_IN_SECONDS, TEST_TOTP_SECRETS, totpSecretOf } from '../support/security.js';

const NEW_SECRET = 'second-test-only-key-ring-secret-9876543210-zyxwvutsrq';

describeEachDatabase('key rotation', (database) => {
  it('keeps old secrets readable and moves every one to the new tag', async () => {
    const { security } = makeSecurity(database.datastore);
    const users = [];
    for (let i = 0; i < 5; i++) {
      const user = await createTestUser(security);
      const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
      if (!started.ok || started.authenticator === undefined) throw new Error('no set-up');
      await security.codePlugin.verifyToken(user, new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS), {
        pending: started.pending,
      });
      users.push({ id: user.id, secret: started.authenticator.b32key });
    }

    const rotated = makeSecurity(database.datastore, { options: { totpSecrets: { ...TEST_TOTP_SECRETS, '2': NEW_SECRET } } }).security;
    for (const { id, secret } of users) expect(totpSecretOf(rotated, await rotated.findUserById(id))).toBe(secret);

    const report = await reencryptTotpSecrets(rotated, { batchSize: 2 });
    expect(report.skipped).toBe(0);
    expect(report.reencrypted + report.unchanged).toBeGreaterThanOrEqual(5);
    const rows = await database.datastore.db.selectFrom('users').select(['id', 'tf_totp_secret']).where('tf_totp_secret', 'is not', null).execute();
    for (const row of rows) expect(row.tf_totp_secret).toMatch(/^tf1:2:/);
    expect(await reencryptTotpSecrets(rotated)).toMatchObject({ reencrypted: 0, skipped: 0 });

    const newOnly = new Security({ totpSecrets: { '2': NEW_SECRET }, totpIssuer: 'twofold tests' }, database.datastore);
    for (const { id, secret } of users) expect(totpSecretOf(newOnly, await newOnly.findUserById(id))).toBe(secret);
  });
});
