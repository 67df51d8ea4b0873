/** Loads a database driver on demand: each is an optional peer dependency, installed only by those who use it. */
import { TwofoldError } from '../../errors.js';

/** The driver packages twofold can use, one per database. */
export type DriverPackage = 'better-sqlite3' | 'pg' | 'mysql2';

/**
 * Imports a driver, turning "not installed" into a `DATABASE_DRIVER_MISSING` error that names the package to
 * install. `load` is the literal `() => import('pg')`, so TypeScript knows the module's type. A driver that
 * is installed but fails to load for another reason (a broken native build) keeps its own error.
 *
 * @param urlForm The scheme as the user wrote it, e.g. `postgres://…`, without the rest of the URL (credentials).
 * @throws TwofoldError `DATABASE_DRIVER_MISSING` when the package cannot be found.
 */
export async function loadDriver<T>(name: DriverPackage, urlForm: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isPackageMissing(error, name)) throw error;
    throw new TwofoldError(
      'DATABASE_DRIVER_MISSING',
      `DATABASE_URL is ${urlForm}: install the ${name} package beside twofold-auth (npm install ${name}).`,
      { cause: error },
    );
  }
}

/** Whether `error` is Node's "cannot find package `name`" (ESM `ERR_MODULE_NOT_FOUND`, or CommonJS `MODULE_NOT_FOUND`). */
export function isPackageMissing(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the driver itself: a driver whose own dependency is missing is a broken install, reported as it is.
  return typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
}
