/** E-mail and SMS codes come from the injected CSPRNG, six digits with leading zeros kept, without bias (OOB-01). */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.js';
import { KeyRing } from '../../crypto/keyring.js';
import { cryptoRandom, type Random } from '../../crypto/random.js';
import type { Datastore, StoredOneTimeCode } from '../../store/datastore.js';
import { issueOneTimeCode } from './one-time-code.js';

function recordingStore(): { datastore: Datastore; stored: Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>[] } {
  const stored: Omit<StoredOneTimeCode, 'attempts' | 'usedAtInSeconds'>[] = [];
  const datastore = { putOneTimeCode: async (code: (typeof stored)[number]) => void stored.push(code) } as unknown as Datastore;
  return { datastore, stored };
}

describe('issueOneTimeCode', () => {
  const keyring = new KeyRing({ '1': 'test-only-key-ring-secret-0123456789-abcdefghijklmnop' });
  const clock = fixedClock(1_767_225_600.5);

  it('draws the code with randomInt(10^6) from the injected Random and keeps leading zeros', async () => {
    const asked: number[] = [];
    const random: Random = { bytes: (n) => cryptoRandom.bytes(n), int: (max) => (asked.push(max), 42) };
    const { datastore, stored } = recordingStore();
    const code = await issueOneTimeCode({ datastore, keyring, clock, random }, { userId: 'u', purpose: 'login:email:-', lifetimeInSeconds: 300 });
    expect(code).toBe('000042');
    expect(asked).toEqual([1_000_000]);
    expect(stored[0]?.expiresAtInSeconds).toBe(1_767_225_600 + 300);
    expect(JSON.stringify(stored)).not.toContain('000042');
  });

  it('stores the code only once it was delivered: a failed delivery stores nothing and leaves the earlier code alone', async () => {
    const { datastore, stored } = recordingStore();
    const deps = { datastore, keyring, clock, random: cryptoRandom };
    const order: string[] = [];
    const input = { userId: 'u', purpose: 'p', lifetimeInSeconds: 60 };
    expect(await issueOneTimeCode(deps, input, async () => (order.push(`sent, ${stored.length} stored`), false))).toBeNull();
    expect(stored).toEqual([]);
    expect(await issueOneTimeCode(deps, input, async () => (order.push(`sent, ${stored.length} stored`), true))).toMatch(/^\d{6}$/);
    expect(stored).toHaveLength(1);
    expect(order).toEqual(['sent, 0 stored', 'sent, 0 stored']);
  });

  it('spreads digits evenly over many codes (chi-square, first and last digit)', async () => {
    const { datastore } = recordingStore();
    const first = new Array<number>(10).fill(0);
    const last = new Array<number>(10).fill(0);
    const samples = 20_000;
    for (let i = 0; i < samples; i++) {
      const code = (await issueOneTimeCode({ datastore, keyring, clock, random: cryptoRandom }, { userId: 'u', purpose: 'p', lifetimeInSeconds: 60 })) ?? '';
      expect(code).toMatch(/^\d{6}$/);
      first[Number(code[0])]! += 1;
      last[Number(code[5])]! += 1;
    }
    const chiSquare = (counts: number[]) => counts.reduce((sum, n) => sum + (n - samples / 10) ** 2 / (samples / 10), 0);
    // 9 degrees of freedom: 33.72 is the 0.9999 quantile, so a fair generator fails this once in ten thousand runs.
    expect(chiSquare(first)).toBeLessThan(33.72);
    expect(chiSquare(last)).toBeLessThan(33.72);
  });
});
