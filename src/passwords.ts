/** Password hashing: argon2id with OWASP's parameters, and equal work for e-mail addresses nobody has. */
import { Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const PARAMETERS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password for storage (PHC string, `$argon2id$…`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With `storedHash` null (no such user, or no password set) it
 * still spends one full hash on a dummy, so a reply's timing does not tell whether the e-mail exists
 * (checklist ENUM-01), and then answers false. A malformed stored hash is simply false.
 */
export async function verifyPassword(password: string, storedHash: string | null): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword('twofold: no such user');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
