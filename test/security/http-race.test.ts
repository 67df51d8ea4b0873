/**
 * Threat: someone who saw one TOTP code or one recovery code (shoulder-surfing, a phished page relaying it)
 * fires it from many pending logins at once, hoping several are checked before the first use is recorded;
 * the single-use check is one guarded UPDATE, so of 50 simultaneous requests exactly one logs in (TOTP-05, REC-03).
 */
import { expect, it } from 'vitest';
import { messageText } from '../../src/messages.js';
import type { Security } from '../../src/security.js';
import type { User } from '../../src/user.js';
import { makeApp, PASSWORD, userWithAuthenticator } from '../support/app.js';
import { Client, type Reply } from '../support/client.js';
import { describeEachDatabase } from '../support/databases.js';

const racers = 50;
/**
 * The account cap at its maximum (the option allows 1-100): 49 losers count as 49 failures, below the cap, so
 * they are refused because the code was already used, not because the account locked.
 */
const RACE_OPTIONS = { twoFactorMaxFailedAttempts: 100 };

/** Starts `count` calls at once and returns their answers. */
function race<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
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

/** What `security.authenticate` makes of each client's session cookie now: whose full login it is, or null. */
function whoIsLoggedIn(security: Security, clients: readonly Client[]): Promise<({ userId: string; tfVerified: boolean } | null)[]> {
  return race(clients.length, async (i) => {
    const cookie = clients[i]!.cookies.get('twofold_session') ?? '';
    const auth = await security.authenticate(new Request('http://localhost/', { headers: { cookie: `twofold_session=${cookie}` } }));
    return auth === null ? null : { userId: auth.user.id, tfVerified: auth.tfVerified };
  });
}

/** Checks the race's answers: one 200 naming the user, the others 400 with `error` on `code`; never a 5xx. */
function expectOneWinner(replies: readonly Reply[], email: string, error: string): number {
  const statuses = replies.map((reply) => reply.status);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  expect(statuses.filter((status) => status === 400)).toHaveLength(racers - 1);
  const winner = statuses.indexOf(200);
  expect(replies[winner]!.json.user).toEqual({ email });
  for (const [i, reply] of replies.entries()) {
    if (i !== winner) expect(reply.json.field_errors).toEqual({ code: [error] });
  }
  return winner;
}

/** Only the winner's session is a full login; every loser is still half-way, at the second factor. */
async function expectOnlyWinnerLoggedIn(security: Security, clients: readonly Client[], winner: number, user: User): Promise<void> {
  const expected = clients.map((_, i) => (i === winner ? { userId: user.id, tfVerified: true } : null));
  expect(await whoIsLoggedIn(security, clients)).toEqual(expected);
  const after = await security.findUserById(user.id);
  expect(after?.tfLockedUntilInSeconds).toBeNull();
}

describeEachDatabase('one code, fifty pending logins, over HTTP', (database) => {
  it(`the same TOTP code from ${racers} pending logins at once logs in exactly one; the rest get 400`, async () => {
    const { security, clock } = makeApp(database.datastore, { options: RACE_OPTIONS });
    const email = `totp-race-${database.kind}@example.test`;
    const { user, phone } = await userWithAuthenticator(security, email);
    const clients = await pendingLogins(security, email, racers);
    const code = phone.generatePassword(clock.nowInSeconds());

    const replies = await race(racers, (i) => clients[i]!.post('/tf-validate', { code }));
    const winner = expectOneWinner(replies, email, messageText('TWO_FACTOR_INVALID_TOKEN'));
    await expectOnlyWinnerLoggedIn(security, clients, winner, user);
  });

  it(`the same recovery code from ${racers} pending logins at once logs in exactly one; the rest get 400`, async () => {
    const { security } = makeApp(database.datastore, { options: RACE_OPTIONS });
    const email = `recovery-race-${database.kind}@example.test`;
    const { user } = await userWithAuthenticator(security, email);
    const [code, ...unused] = await security.recoveryCodes.generateCodes(user);
    const clients = await pendingLogins(security, email, racers);
    // Each pending login takes the way a user who lost the phone takes: tf-rescue, then /mf-recovery.
    await race(racers, async (i) => {
      const rescue = await clients[i]!.post('/tf-rescue', { help_setup: 'recovery_code' });
      expect(rescue.location).toBe('/mf-recovery');
      await clients[i]!.follow(rescue);
    });

    const replies = await race(racers, (i) => clients[i]!.post('/mf-recovery', { code }));
    const winner = expectOneWinner(replies, email, messageText('INVALID_RECOVERY_CODE'));
    await expectOnlyWinnerLoggedIn(security, clients, winner, user);
    expect(await security.recoveryCodes.getRemainingCodes(user)).toBe(unused.length);
  });
});
