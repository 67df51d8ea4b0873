/**
 * A refused POST says why: no CSRF token at all (CSRF_TOKEN_MISSING) is told apart from a token that does not
 * match the session (CSRF_TOKEN_INVALID), so a developer debugging a form knows which half is wrong. Both 403.
 */
import { describe, expect, it } from 'vitest';
import { messageText } from '../../src/messages.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';

const db = useDatastore();
const MISSING = messageText('CSRF_TOKEN_MISSING');
const INVALID = messageText('CSRF_TOKEN_INVALID');

describe('CSRF refusals', () => {
  it('JSON: no token is "missing", a wrong one "invalid", both 403 in the JSON envelope', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'csrf-json@example.test');
    const client = new Client(security);
    await client.get('/login');
    const form = { email: 'csrf-json@example.test', password: PASSWORD };
    const missing = await client.post('/login', form, { csrf: false });
    expect([missing.status, missing.code, missing.json.errors]).toEqual([403, 403, [MISSING]]);
    const wrong = await client.post('/login', form, { csrf: 'A'.repeat(32) });
    expect([wrong.status, wrong.code, wrong.json.errors]).toEqual([403, 403, [INVALID]]);
    // In the JSON body instead of the header, the same distinction.
    const inBody = await client.post('/login', { ...form, csrf_token: 'B'.repeat(32) }, { csrf: false });
    expect([inBody.status, inBody.json.errors]).toEqual([403, [INVALID]]);
    expect((await client.post('/login', form)).status).toBe(200);
  });

  it('forms: no csrf_token field is "missing", a wrong one "invalid", both 403', async () => {
    const { security } = makeApp(db.datastore);
    await userWithPassword(security, 'csrf-form@example.test');
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    const form = { email: 'csrf-form@example.test', password: PASSWORD };
    const missing = await browser.post('/login', form, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain(MISSING);
    expect(missing.text).not.toContain(INVALID);
    const wrong = await browser.post('/login', form, { csrf: 'A'.repeat(32) });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain(INVALID);
    expect(wrong.text).not.toContain(MISSING);
    expect((await browser.post('/login', form)).status).toBe(302);
  });
});
