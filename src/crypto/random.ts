/** The one place twofold draws randomness: node:crypto's CSPRNG, behind an interface tests can replace. */
import { randomBytes, randomInt } from 'node:crypto';

/** A source of cryptographically secure randomness. */
export interface Random {
  /** `count` random bytes. */
  bytes(count: number): Buffer;
  /** A uniformly distributed integer in [0, maxExclusive), without modulo bias. */
  int(maxExclusive: number): number;
}

/** node:crypto's CSPRNG. */
export const cryptoRandom: Random = {
  bytes: (count) => randomBytes(count),
  int: (maxExclusive) => randomInt(maxExclusive),
};

/** A random identifier with 128 bits of entropy, base64url without padding (22 characters). */
export function randomId(random: Random = cryptoRandom): string {
  return random.bytes(16).toString('base64url');
}
