/**
 * Threat: an attacker who knows the password fires many second-factor guesses at once, hoping they are all
 * checked before any failure is counted (Zitadel CVE-2023-47111); the counter must be claimed atomically, so
 * with a cap of 5 at most 5 guesses are ever checked and the rest are refused as locked (checklist RL-03).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Security } from '../../src/security.js';
import type { Datastore, SecondFactorLockoutPolicy } from '../../src/store/datastore.js';
import type { Totp } from '../../src/otp/totp-class.js';
import { makeApp, PASSWORD, userWithAuthenticator, wrongCode } from '../support/app.js';
import { Client } from '../support/client.js';
import { describeEachDatabase, newTestUser } from '../support/databases.js';

const now = 1_767_225_600;
const racers = 50;
const policy: SecondFactorLockoutPolicy = { freeAttempts: 5, lockBaseInSeconds: 30, lockMaxInSeconds: 3600 };

/** Starts `count` calls at once and returns their answers. */
function race<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
}

async function aUser(datastore: Datastore): Promise<string> {
  const user = newTestUser();
  await datastore.createUser(user);
  return user.id;
}

/** `count` clients of one user, each in its own pending login (password done, second factor asked). */
async function pendingLogins(security: Security, email: string, count: number): Promise<Client[]> {
  return race(count, async () => {
    const client = new Client(security);
    await client.get('/login');
    const login = await client.post('/login', { email, password: PASSWORD });
    if (login.json.tf_state !== 'ready') throw new Error(`not pending: ${login.text}`);
    return client;
  });
}

/** Counts the codes the authenticator plugin actually checks. */
function countChecks(security: Security): { checked: number } {
  const counter = { checked: 0 };
  const plugin = security.codePlugin;
  const verifyToken = plugin.verifyToken.bind(plugin);
  plugin.verifyToken = (...args) => {
    counter.checked++;
    return verifyToken(...args);
  };
  return counter;
}

describeEachDatabase('second-factor counter races', (database) => {
  // Two datastores are two pools, as two processes would have. Not on SQLite: two connections in one process
  // block each other's event loop there (see datastore-concurrency.test.ts).
  const vias = database.kind === 'sqlite' ? (['one datastore'] as const) : (['one datastore', 'two datastores'] as const);
  for (const via of vias) {
    it(`allows exactly 5 of ${racers} concurrent claims with freeAttempts 5, through ${via}`, async () => {
      const datastores = via === 'one datastore' ? [database.datastore, database.datastore] : [database.datastore, await database.openAnother()];
      const userId = await aUser(database.datastore);

      const claims = await race(racers, (i) => datastores[i % 2]!.claimSecondFactorAttempt(userId, now, policy));
      expect(claims.filter((claim) => claim.allowed)).toHaveLength(5);
      expect(claims.filter((claim) => !claim.allowed)).toEqual(Array.from({ length: racers - 5 }, () => ({ allowed: false, reason: 'locked', retryAfterInSeconds: 30 })));
      expect(await database.datastore.findUserById(userId)).toMatchObject({ tfFailedAttempts: 5, tfLockedUntilInSeconds: now + 30 });
    });
  }

  describe('through the login flow', () => {
    let security: Security;
    let clock: ReturnType<typeof makeApp>['clock'];
    let phone: Totp;
    const email = `race-${database.kind}@example.test`;
    beforeAll(async () => {
      ({ security, clock } = makeApp(database.datastore, { options: { twoFactorMaxFailedAttempts: 5 } }));
      ({ phone } = await userWithAuthenticator(security, email));
    });

    it(`checks at most 5 of ${racers} concurrent wrong codes from ${racers} pending logins; the rest get 429, and then so does the right code`, async () => {
      const clients = await pendingLogins(security, email, racers);
      const counter = countChecks(security);
      let failures = 0;
      security.events.on('userFailedAuthn', () => void failures++);
      const code = phone.generatePassword(clock.nowInSeconds());

      const replies = await race(racers, (i) => clients[i]!.post('/tf-validate', { code: wrongCode(code) }));
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 400)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(racers - 5);
      expect(counter.checked).toBe(5);
      expect(failures).toBe(5);

      // Once locked, the right code among 50 more is refused as well, and none is checked.
      const again = await race(racers, (i) => clients[i]!.post('/tf-validate', { code: i === 17 ? code : wrongCode(code) }));
      expect(again.map((reply) => reply.status)).toEqual(Array.from({ length: racers }, () => 429));
      expect(counter.checked).toBe(5);
      expect((await security.findUserByEmail(email))?.tfFailedAttempts).toBe(5);
    });
  });
}, { kinds: ['sqlite', 'postgres', 'mariadb'] });
