/** Guards what a login ended by too many wrong codes tells its user: start again at /login, not "no permission". */
import { describe, expect, it } from 'vitest';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, wrongCode } from '../support/app.js';
import { Client } from '../support/client.js';

const db = useDatastore();

const TOO_MANY = 'Too many failed attempts. Please try again later.';
const RESTART = 'This login was ended after too many wrong codes. Please log in again.';
const DENIED = 'You currently do not have permissions to access this page';

describe('a login ended by too many wrong codes', () => {
  it('JSON: the ending reply and the later steps of that login say to log in again, with login_url; a new login works', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'restart-json@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const client = new Client(security);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD });
    const right = () => phone.generatePassword(clock.nowInSeconds());
    for (let i = 0; i < 5; i++) expect((await client.post('/tf-validate', { code: wrongCode(right()) })).status).toBe(400);
    const ending = await client.post('/tf-validate', { code: right() });
    expect(ending.status).toBe(400);
    expect(ending.json.field_errors).toEqual({ code: [TOO_MANY], '': [RESTART] });
    expect(ending.json.login_url).toBe('/login');
    for (const later of [await client.post('/tf-validate', { code: right() }), await client.get('/tf-validate'), await client.post('/tf-rescue', { help_setup: 'help' })]) {
      expect(later.status).toBe(400);
      expect(later.json.errors).toEqual([RESTART]);
      expect(later.json.login_url).toBe('/login');
    }
    await client.get('/login');
    expect((await client.post('/tf-validate', { code: right() })).json.errors).toEqual([RESTART]);
    // A new password step starts a new login, whose odd steps are the usual illegal state again.
    await client.post('/login', { email, password: PASSWORD });
    expect((await client.post('/tf-select', { which: 'authenticator' })).json.errors).toEqual([DENIED]);
    await client.post('/login', { email, password: PASSWORD });
    expect((await client.post('/tf-validate', { code: right() })).json.user).toEqual({ email });
  });

  it('HTML: the browser goes to the login page, which says to log in again; so does a later step of that login', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'restart-html@example.test';
    const { phone } = await userWithAuthenticator(security, email);
    const browser = new Client(security, { json: false });
    await browser.get('/login');
    await browser.follow(await browser.post('/login', { email, password: PASSWORD }));
    const wrong = wrongCode(phone.generatePassword(clock.nowInSeconds()));
    for (let i = 0; i < 5; i++) await browser.post('/tf-validate', { code: wrong });
    const ending = await browser.post('/tf-validate', { code: wrong });
    expect(ending.location).toBe('/login');
    const page = await browser.follow(ending);
    expect(page.text).toContain(TOO_MANY);
    expect(page.text).toContain(RESTART);
    // Say, another tab still on the code page.
    const later = await browser.get('/tf-validate');
    expect(later.location).toBe('/login');
    const laterPage = await browser.follow(later);
    expect(laterPage.text).toContain(RESTART);
    expect(laterPage.text).not.toContain(DENIED);
  });
});
