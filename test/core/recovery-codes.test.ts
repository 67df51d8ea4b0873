/** Recovery codes on every database: shown once, stored hashed, each usable exactly once even under a race. */
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { createTestUser, makeSecurity } from '../support/security.js';

describeEachDatabase('MfRecoveryCodesUtil', (database) => {
  it('makes 10 readable codes of at least 64 bits and stores only salted hashes (REC-01, REC-02)', async () => {
    const { security } = makeSecurity(database.datastore);
    const user = await createTestUser(security);
    const codes = await security.recoveryCodes.generateCodes(user);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const rows = await database.datastore.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace(/-/g, ''));
    }
    for (const row of rows) expect(row.code_hash).toMatch(/^scrypt\$/);
  });

  it('accepts a code once, in any case and spacing, and counts what is left (REC-03, REC-05)', async () => {
    const { security } = makeSecurity(database.datastore);
    const seen: string[] = [];
    security.events.on('mfRecoveryCodesGenerated', ({ count }) => void seen.push(`generated ${count}`));
    security.events.on('mfRecoveryCodeUsed', ({ remaining }) => void seen.push(`used, ${remaining} left`));
    const user = await createTestUser(security);
    const [first, second] = (await security.recoveryCodes.generateCodes(user, 3)) as [string, string];
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(3);
    expect(await security.recoveryCodes.verifyCode(user, ` ${first.toLowerCase().replace(/-/g, ' ')} `)).toBe(true);
    expect(await security.recoveryCodes.verifyCode(user, first)).toBe(false);
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(2);
    expect(await security.recoveryCodes.verifyCode(user, second)).toBe(true);
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(1);
    expect(seen).toEqual(['generated 3', 'used, 2 left', 'used, 1 left']);
  });

  it('refuses wrong, malformed and other users’ codes (REC-06)', async () => {
    const { security } = makeSecurity(database.datastore);
    const alice = await createTestUser(security);
    const bob = await createTestUser(security);
    const [aliceCode] = (await security.recoveryCodes.generateCodes(alice, 2)) as [string];
    await security.recoveryCodes.generateCodes(bob, 2);
    expect(await security.recoveryCodes.verifyCode(bob, aliceCode)).toBe(false);
    for (const bad of ['', 'AAAAA-AAAAA-AAAAA', '1'.repeat(100), 42, null, ['x'], { $ne: 1 }]) {
      expect(await security.recoveryCodes.verifyCode(alice, bad)).toBe(false);
    }
    expect(await security.recoveryCodes.getRemainingCodes(alice)).toBe(2);
    expect(await security.recoveryCodes.verifyCode(alice, aliceCode)).toBe(true);
  });

  it('replaces the whole previous set when new codes are made (REC-04)', async () => {
    const { security } = makeSecurity(database.datastore);
    const user = await createTestUser(security);
    const old = await security.recoveryCodes.generateCodes(user, 4);
    const fresh = await security.recoveryCodes.generateCodes(user);
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(10);
    for (const code of old) expect(await security.recoveryCodes.verifyCode(user, code)).toBe(false);
    expect(await security.recoveryCodes.verifyCode(user, fresh[9])).toBe(true);
  });

  it('gives exactly one true to 50 concurrent uses of one code, across two connections pools', async () => {
    const { security } = makeSecurity(database.datastore);
    const other = makeSecurity(await database.openAnother()).security;
    const user = await createTestUser(security);
    const [code] = (await security.recoveryCodes.generateCodes(user, 2)) as [string];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? security : other).recoveryCodes.verifyCode(user, code)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(1);
  });
});

describe('MfRecoveryCodesUtil arguments', () => {
  it('refuses a silly count', async () => {
    const { MfRecoveryCodesUtil } = await import('../../src/recovery/recovery-codes.js');
    const util = new MfRecoveryCodesUtil({} as never);
    for (const count of [0, -1, 1.5, 101, Number.NaN]) await expect(util.generateCodes({ id: 'x' } as never, count)).rejects.toThrow(TypeError);
  });
});
