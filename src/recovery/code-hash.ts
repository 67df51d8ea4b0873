/** Recovery codes are stored only as salted scrypt hashes (checklist REC-02: under 112 bits, a salted password hash). */
import { scrypt, timingSafeEqual } from 'node:crypto';
import type { Random } from '../crypto/random.js';

// A low cost is allowed for look-up secrets (NIST SP 800-63B-4 §3.1.2.2): 75 random bits already defeat
// guessing; the salted hash is what keeps a stolen table from being checked in one pass. 1 MiB, ~3 ms.
const COST = { N: 1024, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

function derive(code: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, HASH_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a normalised code as `scrypt$N$r$p$<salt>$<hash>` (base64url), with a fresh 128-bit salt. */
export async function hashRecoveryCode(code: string, random: Random): Promise<string> {
  const salt = random.bytes(SALT_BYTES);
  const hash = await derive(code, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `stored` is the hash of `code`. A malformed or foreign `stored` value is simply no match. */
export async function recoveryCodeMatches(code: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Only the costs we could have written: a tampered row must not make us allocate gigabytes.
  if (!(N >= 2 && N <= 1 << 16 && r >= 1 && r <= 16 && p >= 1 && p <= 4)) return false;
  const expected = Buffer.from(parts[5] as string, 'base64url');
  if (expected.length !== HASH_BYTES) return false;
  const actual = await derive(code, Buffer.from(parts[4] as string, 'base64url'), { N, r, p });
  return timingSafeEqual(actual, expected);
}
