/**
 * Threat: a page on another site links or embeds one of twofold's URLs; the browser follows it with the
 * session cookie (SameSite=Lax allows a top-level GET) and the user is logged out, or a login, a change or a
 * re-authentication is dropped or advanced. GET and HEAD must change nothing, on every route, in every state.
 */
import { describe, expect, it } from 'vitest';
import { pageUrls } from '../../src/http/urls.js';
import { Totp } from '../../src/otp/totp-class.js';
import { loggedInClient, makeApp, PASSWORD, useDatastore, userWithAuthenticator } from '../support/app.js';
import { Client } from '../support/client.js';
import { snapshotDb, type DbSnapshot } from '../support/fuzz.js';

const db = useDatastore();

const ACCEPTS = { json: 'application/json', html: 'text/html,application/xhtml+xml,*/*;q=0.8' } as const;

/** Every row of every table as text, sessions' queued flashes aside when `withoutFlashes` (see below). */
function rows(snapshot: DbSnapshot, withoutFlashes: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [table, map] of Object.entries(snapshot)) {
    out[table] = [...(map as ReadonlyMap<string, Record<string, unknown>>).values()].map((row) => {
      if (table !== 'sessions' || !withoutFlashes) return JSON.stringify(row);
      const data = JSON.parse(String(row.data)) as Record<string, unknown>;
      return JSON.stringify({ ...row, data: { ...data, flashes: null } });
    });
    out[table]?.sort();
  }
  return out;
}

async function world() {
  const { security, clock } = makeApp(db.datastore);
  const tag = Math.random().toString(36).slice(2, 8);
  const anonymous = new Client(security);
  await anonymous.get('/login');

  const validateUser = await userWithAuthenticator(security, `validate-${tag}@example.test`);
  const validating = new Client(security);
  await validating.get('/login');
  await validating.post('/login', { email: `validate-${tag}@example.test`, password: PASSWORD });

  const loggedUser = await userWithAuthenticator(security, `logged-${tag}@example.test`);
  const loggedIn = await loggedInClient(security, clock, `logged-${tag}@example.test`, { phone: loggedUser.phone });

  const changeUser = await userWithAuthenticator(security, `change-${tag}@example.test`);
  const changing = await loggedInClient(security, clock, `change-${tag}@example.test`, { phone: changeUser.phone });
  const started = await changing.post('/tf-setup', { setup: 'authenticator' });
  const changeToken = String(started.json.tf_state_token);
  const newPhone = new Totp(String(started.json.tf_authr_b32key));

  const verifyUser = await userWithAuthenticator(security, `verify-${tag}@example.test`);
  const verifying = await loggedInClient(security, clock, `verify-${tag}@example.test`, { phone: verifyUser.phone });
  const reauth = await verifying.post('/verify', { password: PASSWORD });
  expect(reauth.json).toMatchObject({ tf_required: true, tf_state: 'ready' });

  const states = { anonymous, validating, loggedIn, changing, verifying };
  return { security, clock, states, changeToken, validateUser, newPhone, verifyUser };
}

describe('GET and HEAD change nothing', () => {
  it('on every route, in every state, as JSON and as a browser: the rows stay as they were and the cookie keeps working', async () => {
    const { security, clock, states, changeToken, validateUser, newPhone, verifyUser } = await world();
    const urls = pageUrls(security);
    const paths = [...Object.values(urls), `${urls.tfSetup}/${changeToken}`, `${urls.tfSetup}/AAAAAAAAAAAAAAAAAAAAAAAA`, `${urls.login}?next=/elsewhere`];
    for (const [name, client] of Object.entries(states)) {
      const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      for (const path of paths) {
        for (const method of ['GET', 'HEAD']) {
          for (const [kind, accept] of Object.entries(ACCEPTS)) {
            const before = await snapshotDb(db.datastore.db);
            const response = await security.handle(new Request(`http://localhost${path}`, { method, headers: { cookie, accept } }));
            await response?.arrayBuffer();
            const after = await snapshotDb(db.datastore.db);
            const label = `${name}: ${method} ${path} (${kind}) → ${response?.status}`;
            expect(response?.status ?? 0, label).toBeLessThan(500);
            // A redirect to a browser queues its message for the next page, the one thing a GET may store;
            // JSON replies carry their message themselves, so for them every row must be exactly as it was.
            expect(rows(after, kind === 'html'), label).toEqual(rows(before, kind === 'html'));
            // The client keeps its cookie: none is cleared or replaced.
            expect(response?.headers.getSetCookie() ?? [], label).toEqual([]);
          }
        }
      }
    }

    // Each client goes on from where it was, with the same cookie.
    clock.advance(30);
    const now = clock.nowInSeconds();
    expect((await states.validating.post('/tf-validate', { code: validateUser.phone.generatePassword(now) })).status).toBe(200);
    expect((await states.loggedIn.get('/tf-setup')).status).toBe(200);
    expect((await states.changing.post(`/tf-setup/${changeToken}`, { code: newPhone.generatePassword(now) })).status).toBe(200);
    expect((await states.verifying.post('/tf-validate', { code: verifyUser.phone.generatePassword(now) })).status).toBe(200);
    expect((await states.anonymous.post('/login', { email: 'nobody@example.test', password: 'x' })).status).toBe(400);
  });
});
