/** The published example keys: refused under NODE_ENV=production, and the list covers the README and examples. */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors.js';
import { Security } from '../security.js';
import type { Datastore } from '../store/datastore.js';
import { PUBLISHED_SECRETS } from './published-secrets.js';
import { resolveConfig } from './resolve.js';

const root = resolve(import.meta.dirname, '..', '..');
const README_KEY = 'development-only-secret-at-least-32-bytes-long';
const options = { totpSecrets: { '1': README_KEY }, totpIssuer: 'Example App' };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('published example keys', () => {
  it("the README's key is refused under NODE_ENV=production, with a ConfigError naming totpSecrets and the fix", () => {
    vi.stubEnv('NODE_ENV', 'production');
    let error: unknown;
    try {
      resolveConfig(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('totpSecrets');
    expect((error as ConfigError).message).toContain('TOTP_SECRET');
    expect((error as ConfigError).message).not.toContain(README_KEY);
    // Also beside a real key: a ring that still holds the published one can be read by anyone.
    expect(() => resolveConfig({ ...options, totpSecrets: { '1': README_KEY, '2': 'q8N0b1lC3kV7xYzT5wR2mP9sJ4hG6fD1aE0uI8oK7nM' } })).toThrow(ConfigError);
  });

  it('the same key resolves in development, and a Security built on it warns at start-up', () => {
    vi.stubEnv('NODE_ENV', 'development');
    expect(resolveConfig(options).totpSecrets).toEqual({ '1': README_KEY });
    const warnings: string[] = [];
    // The constructor does not touch the datastore; none is needed to see its start-up warnings.
    new Security(options, {} as Datastore, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('totpSecrets "1"');
    expect(warnings[0]).not.toContain(README_KEY);
  });

  it('the list holds every literal key-ring secret the README and examples show', () => {
    const files = ['README.md', ...readdirSync(resolve(root, 'examples')).filter((name) => name.endsWith('.ts')).map((name) => `examples/${name}`)];
    const shown = new Set<string>();
    for (const file of files) {
      const text = readFileSync(resolve(root, file), 'utf8');
      for (const match of text.matchAll(/totpSecrets:\s*\{[^}]*\}/g)) {
        for (const literal of match[0].matchAll(/'([^'\s]{20,})'|"([^"\s]{20,})"/g)) shown.add(literal[1] ?? literal[2] ?? '');
      }
    }
    expect(shown.size).toBeGreaterThan(0);
    for (const secret of shown) expect(PUBLISHED_SECRETS).toContain(secret);
  });
});
