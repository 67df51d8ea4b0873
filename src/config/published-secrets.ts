/** Keys twofold itself has published (README and examples): never a secret, so refused in production. */

/**
 * Every key-ring secret that appears in twofold's README or examples. Code copied from them falls back to
 * one of these when its environment variable is unset; since anyone can read them, a key ring holding one
 * protects nothing. `test/examples.test.ts` checks that this list covers every key the README and examples show.
 */
export const PUBLISHED_SECRETS: readonly string[] = Object.freeze(['development-only-secret-at-least-32-bytes-long']);

/** The tags of `secrets` whose value is a published key. */
export function publishedSecretTags(secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => PUBLISHED_SECRETS.includes(secret))
    .map(([tag]) => tag);
}
