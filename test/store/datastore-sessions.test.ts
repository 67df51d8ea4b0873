/** The Datastore contract for server-side sessions on every database: create, the per-request look-up with its user, update, the deletes. */
import { randomBytes } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { expect, it } from 'vitest';
import type { StoredSession } from '../../src/store/datastore.js';
import { KyselyDatastore } from '../../src/store/kysely/index.js';
import { describeEachDatabase, newTestUser, type TestDatabase } from '../support/databases.js';

const now = 1_767_225_600;

/** A live browser session (an hour left at {@link now}) with a random id hash; `overrides` fix any field. */
function aSession(overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    idHash: randomBytes(32).toString('hex'),
    kind: 'browser',
    userId: null,
    fsUniquifier: null,
    data: '{"csrf":"t0k3n"}',
    authenticatedAtInSeconds: null,
    createdAtInSeconds: now,
    lastSeenAtInSeconds: now,
    expiresAtInSeconds: now + 3_600,
    ...overrides,
  };
}

/** Creates a user, then a session of that user, and returns both. */
async function aUserSession(database: TestDatabase, overrides: Partial<StoredSession> = {}) {
  const user = newTestUser();
  await database.datastore.createUser(user);
  const session = aSession({ userId: user.id, fsUniquifier: user.fsUniquifier, authenticatedAtInSeconds: now, ...overrides });
  await database.datastore.createSession(session);
  return { user, session };
}

describeEachDatabase('sessions', (database) => {
  it('finds a session with its user, in one joined query', async () => {
    const { user, session } = await aUserSession(database, { kind: 'token' });

    expect(await database.datastore.findSession(session.idHash, now)).toEqual({
      session,
      user: { ...user, tfPrimaryMethod: null, tfTotpSecretEncrypted: null, tfPhoneNumber: null, tfTotpLastStep: null, tfFailedAttempts: 0, tfLockedUntilInSeconds: null, tfSetAtInSeconds: null, tfSetAddress: null, tfSetUserAgent: null, tfLastUsedAtInSeconds: null },
    });
  });

  it('joins the user as it is now: its second factor and a changed uniquifier show', async () => {
    const { user, session } = await aUserSession(database);
    await database.datastore.setTwoFactor(user.id, { method: 'authenticator', totpSecretEncrypted: 'k1:c', phoneNumber: null, lastStep: 7 });
    await database.datastore.setUserActive(user.id, false);

    const found = await database.datastore.findSession(session.idHash, now);
    expect(found?.user).toMatchObject({ id: user.id, active: false, tfPrimaryMethod: 'authenticator', tfTotpSecretEncrypted: 'k1:c', tfTotpLastStep: 7 });
    expect(found?.session.fsUniquifier).toBe(user.fsUniquifier);
  });

  it('returns a null user for an anonymous (or half-logged-in) session', async () => {
    const session = aSession({ data: '{"login":{"kind":"validate","userId":"u1"}}' });
    await database.datastore.createSession(session);

    expect(await database.datastore.findSession(session.idHash, now)).toEqual({ session, user: null });
  });

  it('finds nothing for an unknown id hash, or one differing only in case', async () => {
    const session = aSession({ idHash: 'AbCdEf'.repeat(10) });
    await database.datastore.createSession(session);

    expect(await database.datastore.findSession('nothing-here', now)).toBeNull();
    expect(await database.datastore.findSession(session.idHash.toLowerCase(), now)).toBeNull();
  });

  it('honours expiry at the boundary: live one second before expires_at, gone at it', async () => {
    const session = aSession({ expiresAtInSeconds: now + 100 });
    await database.datastore.createSession(session);

    expect(await database.datastore.findSession(session.idHash, now + 99)).not.toBeNull();
    expect(await database.datastore.findSession(session.idHash, now + 100)).toBeNull();
    expect(await database.datastore.findSession(session.idHash, now + 101)).toBeNull();
  });

  it('runs one query per look-up, and builds it once per Kysely instance', async () => {
    const seen = { built: 0, executed: 0 };
    const counter: KyselyPlugin = {
      transformQuery: (args) => ((seen.built += 1), args.node),
      transformResult: async (args) => ((seen.executed += 1), args.result),
    };
    // Shares the harness's pool; not closed here, since that would close the pool too.
    const counted = new KyselyDatastore(database.datastore.db.withPlugin(counter), database.datastore.kind);
    const { session } = await aUserSession(database);

    for (let i = 0; i < 3; i++) expect(await counted.findSession(session.idHash, now)).not.toBeNull();
    expect(await counted.findSession('unknown', now)).toBeNull();
    expect(seen).toEqual({ built: 1, executed: 4 });
  });

  it('refuses a duplicate id hash', async () => {
    const session = aSession();
    await database.datastore.createSession(session);

    await expect(database.datastore.createSession(aSession({ idHash: session.idHash }))).rejects.toThrow();
  });

  it('refuses a session of a user that does not exist (foreign key)', async () => {
    await expect(database.datastore.createSession(aSession({ userId: 'nobody' }))).rejects.toThrow();
  });

  it('keeps 64 K characters of non-ASCII JSON whole (128 KB of UTF-8, twice what MariaDB’s `text` holds)', async () => {
    const data = JSON.stringify({ flashes: ['é'.repeat(40_000), '😀'.repeat(12_000)] });
    const session = aSession({ data });
    await database.datastore.createSession(session);

    expect((await database.datastore.findSession(session.idHash, now))?.session.data).toBe(data);
  });

  it('updates only the given fields', async () => {
    const { session } = await aUserSession(database);

    expect(await database.datastore.updateSession(session.idHash, { data: '{"csrf":"new"}', lastSeenAtInSeconds: now + 5 })).toBe(true);
    expect((await database.datastore.findSession(session.idHash, now))?.session).toEqual({ ...session, data: '{"csrf":"new"}', lastSeenAtInSeconds: now + 5 });

    expect(await database.datastore.updateSession(session.idHash, { expiresAtInSeconds: now + 7_200, authenticatedAtInSeconds: null })).toBe(true);
    expect((await database.datastore.findSession(session.idHash, now))?.session).toMatchObject({
      data: '{"csrf":"new"}',
      lastSeenAtInSeconds: now + 5,
      expiresAtInSeconds: now + 7_200,
      authenticatedAtInSeconds: null,
    });
  });

  it('answers true for an update writing the values already there (rows matched, on MariaDB too)', async () => {
    const session = aSession();
    await database.datastore.createSession(session);

    expect(await database.datastore.updateSession(session.idHash, { data: session.data })).toBe(true);
  });

  it('answers false for an update of a session that no longer exists, and an empty update says whether it exists', async () => {
    const session = aSession();
    await database.datastore.createSession(session);

    expect(await database.datastore.updateSession('nothing-here', { data: '{}' })).toBe(false);
    expect(await database.datastore.updateSession(session.idHash, {})).toBe(true);
    expect(await database.datastore.updateSession('nothing-here', {})).toBe(false);
  });

  it('refuses a fractional time with a TypeError, and writes nothing', async () => {
    const session = aSession();
    await database.datastore.createSession(session);

    await expect(database.datastore.updateSession(session.idHash, { lastSeenAtInSeconds: now + 0.5 })).rejects.toThrow(TypeError);
    await expect(database.datastore.createSession(aSession({ expiresAtInSeconds: now + 0.5 }))).rejects.toThrow(TypeError);
    await expect(database.datastore.findSession(session.idHash, now + 0.5)).rejects.toThrow(TypeError);
    expect((await database.datastore.findSession(session.idHash, now))?.session).toEqual(session);
  });

  it('deletes a session once: true, then false', async () => {
    const session = aSession();
    await database.datastore.createSession(session);

    expect(await database.datastore.deleteSession(session.idHash)).toBe(true);
    expect(await database.datastore.deleteSession(session.idHash)).toBe(false);
    expect(await database.datastore.findSession(session.idHash, now)).toBeNull();
  });

  it('deletes every session of a user but the one kept, and no one else’s', async () => {
    const { user, session: kept } = await aUserSession(database);
    const others = [aSession({ userId: user.id }), aSession({ userId: user.id, kind: 'token' })];
    for (const session of others) await database.datastore.createSession(session);
    const { session: otherUsers } = await aUserSession(database);

    expect(await database.datastore.deleteUserSessions(user.id, kept.idHash)).toBe(2);
    expect(await idHashesOf(user.id)).toEqual([kept.idHash]);
    expect(await database.datastore.deleteUserSessions(user.id)).toBe(1);
    expect(await idHashesOf(user.id)).toEqual([]);
    expect(await database.datastore.findSession(otherUsers.idHash, now)).not.toBeNull();
    expect(await database.datastore.deleteUserSessions('nobody')).toBe(0);
  });

  it('deletes a user’s sessions with the user (ON DELETE CASCADE)', async () => {
    const { user, session } = await aUserSession(database);

    await database.datastore.db.deleteFrom('users').where('id', '=', user.id).execute();
    expect(await idHashesOf(user.id)).toEqual([]);
    expect(await database.datastore.findSession(session.idHash, now)).toBeNull();
  });

  /** The id hashes of the user's sessions, read with a plain query. */
  async function idHashesOf(userId: string): Promise<string[]> {
    const rows = await database.datastore.db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute();
    return rows.map((row) => row.id_hash);
  }
});

// A block (so a database) of its own: the purge is global, and other tests' sessions would change its count.
describeEachDatabase('expired sessions', (database) => {
  it('deletes exactly those expired at now (expires_at <= now), the ones findSession no longer returns', async () => {
    const user = newTestUser();
    await database.datastore.createUser(user);
    const sessions = [now - 1, now, now + 1].map((expiresAtInSeconds) => aSession({ expiresAtInSeconds, userId: user.id }));
    for (const session of sessions) await database.datastore.createSession(session);

    expect(await database.datastore.deleteExpiredSessions(now)).toBe(2);
    const rows = await database.datastore.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows).toEqual([{ id_hash: sessions[2]!.idHash }]);
    expect(await database.datastore.deleteExpiredSessions(now)).toBe(0);
  });
});
