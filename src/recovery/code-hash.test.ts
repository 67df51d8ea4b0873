/** Recovery code hashes: salted, one-way, and a tampered row is no match rather than a crash. */
import { describe, expect, it } from 'vitest';
import { cryptoRandom } from '../crypto/random.js';
import { hashRecoveryCode, recoveryCodeMatches } from './code-hash.js';

describe('recovery code hashing (REC-02)', () => {
  it('stores a salted scrypt hash that matches only its code', async () => {
    const stored = await hashRecoveryCode('7K2QDM9XRB04TZH', cryptoRandom);
    expect(stored).not.toContain('7K2QDM9XRB04TZH');
    const [scheme, , , , salt] = stored.split('$');
    expect(scheme).toBe('scrypt');
    expect(Buffer.from(salt as string, 'base64url').length).toBeGreaterThanOrEqual(4);
    expect(await recoveryCodeMatches('7K2QDM9XRB04TZH', stored)).toBe(true);
    expect(await recoveryCodeMatches('7K2QDM9XRB04TZJ', stored)).toBe(false);
  });

  it('salts each hash', async () => {
    const a = await hashRecoveryCode('7K2QDM9XRB04TZH', cryptoRandom);
    const b = await hashRecoveryCode('7K2QDM9XRB04TZH', cryptoRandom);
    expect(a).not.toBe(b);
  });

  it('treats malformed or hostile stored values as no match', async () => {
    const good = await hashRecoveryCode('7K2QDM9XRB04TZH', cryptoRandom);
    const parts = good.split('$');
    const hostile = [
      '',
      'plain',
      'sha256$abc',
      ['scrypt', 1 << 30, 8, 1, parts[4], parts[5]].join('$'),
      ['scrypt', 1024, 8, 1, parts[4], 'AAAA'].join('$'),
      ['scrypt', 'NaN', 8, 1, parts[4], parts[5]].join('$'),
    ];
    for (const stored of hostile) expect(await recoveryCodeMatches('7K2QDM9XRB04TZH', stored)).toBe(false);
  });
});
