/** Reads and writes of `sessions`: create, the per-request look-up with its user, update, and the deletes. */
import type { CompiledQuery, Kysely } from 'kysely';
import type { SessionUpdate, StoredSession, StoredUser } from '../datastore.js';
import { toNewSessionRow, toSessionColumns, toSessionWithUser, wholeNumber } from './rows.js';
import type { TwofoldDb } from './tables.js';

/** Stores a new session; a duplicate id hash is thrown (ids are random, so it is a bug). */
export async function insertSession(db: Kysely<TwofoldDb>, session: StoredSession): Promise<void> {
  await db.insertInto('sessions').values(toNewSessionRow(session)).execute();
}

/**
 * The unexpired session with this id hash and its user, in one primary-key look-up joined to `users`: this
 * runs on every request, so no second round trip for the user. A session is live while `expires_at > now`;
 * at `expires_at` itself it is gone.
 */
export async function findSession(
  db: Kysely<TwofoldDb>,
  idHash: string,
  nowInSeconds: number,
): Promise<{ session: StoredSession; user: StoredUser | null } | null> {
  const query = compiledFindSession(db);
  const { rows } = await db.executeQuery<FindSessionRow>({ ...query, parameters: [idHash, wholeNumber('nowInSeconds', nowInSeconds)] });
  const row = rows[0];
  return row === undefined ? null : toSessionWithUser(idHash, row);
}

/**
 * `findSession`'s query, built and compiled once per Kysely instance (so with its dialect and plugins), then
 * run with each call's parameters. Measured: building this 19-column join costs 25–40 µs a call, about 40%
 * of a `findSession` on SQLite and 10–25% on PostgreSQL and MariaDB.
 */
const findSessionQueries = new WeakMap<Kysely<TwofoldDb>, CompiledQuery<FindSessionRow>>();

function compiledFindSession(db: Kysely<TwofoldDb>): CompiledQuery<FindSessionRow> {
  let query = findSessionQueries.get(db);
  if (query === undefined) {
    query = buildFindSession(db, findSessionPlaceholders[0], findSessionPlaceholders[1]).compile();
    // The parameters are replaced by position; a Kysely that ordered or added them differently must fail here.
    if (query.parameters.length !== 2 || query.parameters.some((value, index) => value !== findSessionPlaceholders[index])) {
      throw new Error(`findSession's compiled query has unexpected parameters: ${JSON.stringify(query.parameters)}`);
    }
    findSessionQueries.set(db, query);
  }
  return query;
}

const findSessionPlaceholders = ['<id hash>', -1] as const;

/** The row type Kysely infers for {@link buildFindSession}; `toSessionWithUser` accepting it checks it against `SessionWithUserRow`. */
type FindSessionRow = Awaited<ReturnType<ReturnType<typeof buildFindSession>['executeTakeFirstOrThrow']>>;

/** The session's columns and, prefixed `user_`, its user's (`SessionWithUserRow` in `tables.ts`): only what the domain maps. */
function buildFindSession(db: Kysely<TwofoldDb>, idHash: string, nowInSeconds: number) {
  return db
    .selectFrom('sessions')
    .leftJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.kind',
      'sessions.user_id',
      'sessions.fs_uniquifier',
      'sessions.data',
      'sessions.authenticated_at',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.email as user_email',
      'users.password_hash as user_password_hash',
      'users.fs_uniquifier as user_fs_uniquifier',
      'users.active as user_active',
      'users.tf_primary_method as user_tf_primary_method',
      'users.tf_totp_secret as user_tf_totp_secret',
      'users.tf_phone_number as user_tf_phone_number',
      'users.tf_totp_last_step as user_tf_totp_last_step',
      'users.created_at as user_created_at',
      'users.tf_failed_attempts as user_tf_failed_attempts',
      'users.tf_locked_until as user_tf_locked_until',
      'users.tf_set_at as user_tf_set_at',
      'users.tf_set_address as user_tf_set_address',
      'users.tf_set_user_agent as user_tf_set_user_agent',
      'users.tf_last_used_at as user_tf_last_used_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', nowInSeconds);
}

/**
 * Writes the given fields; false when the session no longer exists. It does not look at expiry: a session
 * found live a moment ago may be extended. With nothing to write it only says whether the session exists.
 */
export async function updateSession(db: Kysely<TwofoldDb>, idHash: string, update: SessionUpdate): Promise<boolean> {
  const columns = toSessionColumns(update);
  if (Object.keys(columns).length === 0) {
    return (await db.selectFrom('sessions').select('id_hash').where('id_hash', '=', idHash).executeTakeFirst()) !== undefined;
  }
  // Rows matched, not rows changed, on every database (mysql2 keeps CLIENT_FOUND_ROWS, see `connect.ts`),
  // so writing the values already there still answers true.
  const result = await db.updateTable('sessions').set(columns).where('id_hash', '=', idHash).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Deletes one session; true only for the caller whose DELETE removed the row. Concurrent callers queue on
 * the row, and every one after the first finds nothing, so a login state stored in a session is used up once.
 */
export async function deleteSession(db: Kysely<TwofoldDb>, idHash: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id_hash', '=', idHash).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Deletes every session of the user but `exceptIdHash` (the caller's own, on "log out other sessions");
 * returns how many went. Takes a transaction too, for `resetAccess`.
 */
export async function deleteUserSessions(db: Kysely<TwofoldDb>, userId: string, exceptIdHash?: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(exceptIdHash !== undefined, (qb) => qb.where('id_hash', '<>', exceptIdHash ?? ''))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes every session that is expired at `nowInSeconds` (`expires_at <= now`: exactly those `findSession`
 * no longer returns); returns how many went. One statement, served by the `expires_at` index.
 */
export async function deleteExpiredSessions(db: Kysely<TwofoldDb>, nowInSeconds: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', wholeNumber('nowInSeconds', nowInSeconds)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
