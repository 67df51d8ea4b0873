/** A missing database driver is named, with the command that installs it; any other load failure keeps its own error. */
import { describe, expect, it } from 'vitest';
import { TwofoldError } from '../../errors.js';
import { loadDriver } from './drivers.js';

/** The error Node throws for `import('name')` when the package is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/twofold-auth/dist/store/kysely/connect.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('loadDriver', () => {
  it('returns the module when it loads', async () => {
    await expect(loadDriver('pg', 'postgres://…', async () => ({ default: 'pg' }))).resolves.toEqual({ default: 'pg' });
  });

  it.each([
    ['better-sqlite3', 'sqlite:…'],
    ['pg', 'postgres://…'],
    ['mysql2', 'mysql://…'],
  ] as const)('names %s and how to install it when it is missing', async (name, urlForm) => {
    const cause = notFound(name);
    const error = await loadDriver(name, urlForm, () => Promise.reject(cause)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TwofoldError);
    expect(error).toMatchObject({ code: 'DATABASE_DRIVER_MISSING', cause });
    expect((error as Error).message).toContain(`DATABASE_URL is ${urlForm}`);
    expect((error as Error).message).toContain(`(npm install ${name})`);
  });

  it("keeps the error of a driver whose own dependency is missing, or that fails to load otherwise", async () => {
    const brokenInstall = notFound('pg-types');
    await expect(loadDriver('pg', 'postgres://…', () => Promise.reject(brokenInstall))).rejects.toBe(brokenInstall);
    const nativeBuild = new Error('Could not locate the bindings file');
    await expect(loadDriver('better-sqlite3', 'sqlite:…', () => Promise.reject(nativeBuild))).rejects.toBe(nativeBuild);
  });
});
