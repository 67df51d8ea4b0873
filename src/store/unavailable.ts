/**
 * Telling "the database is gone" from a bug: the first is a 503 the client may retry, the second a 500.
 * Drivers report a lost database in their own shapes, so each is listed here with where it comes from.
 */
import { TwofoldError } from '../errors.js';

/** Node's socket errors: the server is not there, or went away mid-query. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** mysql2's codes for a lost connection or a pool that cannot give one. */
const MYSQL_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ETIMEDOUT']);

/** SQLite's codes for a database another process holds too long, or a disk that fails. */
const SQLITE_PREFIXES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'];

/**
 * PostgreSQL SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources, 57P01–57P03
 * shutdown and cannot connect now, 40001/40P01 serialization failure and deadlock (safe to retry).
 */
function isPostgresUnavailable(code: string): boolean {
  return /^(08|53)[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '40001' || code === '40P01';
}

/** node-postgres raises these without a code when a connection drops or the pool cannot connect in time. */
const PG_MESSAGES = [/^Connection terminated/, /^Query read timeout$/, /timeout exceeded when trying to connect/, /is not queryable/, /^Client was closed/, /Cannot use a pool after calling end/];

/**
 * mysql2 raises these without a code on a connection it already knows is lost (a transaction that goes on
 * after the connection dropped under it: `_addCommandClosedState` and `write` in lib/base/connection.js).
 */
const MYSQL_MESSAGES = [/^Can't add new command when connection is in closed state$/, /^Can't write in closed state$/];

/**
 * twofold's verdict on a failed delivery. Its cause carries the same socket codes as a lost database
 * (ECONNREFUSED from the mail server or the SMS provider), but it is the mail or SMS service that is down.
 */
const DELIVERY_CODES = new Set(['MAIL_SEND_FAILED', 'SMS_SEND_FAILED']);

/** Whether `error` (or an error it wraps as `cause`) says the datastore cannot be reached just now. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof TwofoldError && DELIVERY_CODES.has(current.code)) return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || MYSQL_CODES.has(code) || isPostgresUnavailable(code)) return true;
      if (SQLITE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
    }
    const message = current.message;
    if (PG_MESSAGES.some((pattern) => pattern.test(message)) || MYSQL_MESSAGES.some((pattern) => pattern.test(message))) return true;
    if (current instanceof AggregateError && current.errors.some((inner) => isStoreUnavailable(inner))) return true;
  }
  return false;
}
