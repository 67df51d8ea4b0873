/** The stored form of a bearer token: its SHA-256, so the database never holds a value that works by itself. */
import { createHash } from 'node:crypto';

/**
 * The SHA-256 of a random token (session id, trusted-device token, set-up state token), as 64 hex characters.
 * The tokens carry at least 192 random bits, so a plain hash is enough: there is nothing to guess.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
