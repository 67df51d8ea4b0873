/** Guards `next` through a set-up forced at login: `/login?next=/secret`, set up, confirm, and the user is at /secret. */
import { describe, expect, it } from 'vitest';
import { Totp } from '../../src/otp/totp-class.js';
import { loggedInClient, makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client, formNamed } from '../support/client.js';

const db = useDatastore();

describe('a set-up forced at login goes on to next', () => {
  it('HTML: the login page from /login?next=/secret leads through /tf-setup to a 302 to /secret', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const email = 'setup-next-html@example.test';
    await userWithPassword(security, email);
    const client = new Client(security, { json: false });
    const form = await client.get('/login?next=%2Fsecret');
    const login = await client.post(formNamed(form.text, 'login_user_form').action ?? '', { email, password: PASSWORD, next: '/secret' });
    expect(login.status).toBe(302);
    const setupPage = await client.follow(login);
    const started = await client.post(formNamed(setupPage.text, 'two_factor_setup_form').action ?? '', { setup: 'authenticator' });
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
    const action = formNamed(started.text, 'two_factor_verify_code_form').action ?? '';
    const done = await client.post(action, { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/secret');
  });

  it('HTML: a browser that follows every link and posts every form to its own URL ends at /secret too', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const email = 'setup-next-query@example.test';
    await userWithPassword(security, email);
    const client = new Client(security, { json: false });
    await client.get('/login?next=%2Fsecret');
    const login = await client.post('/login?next=%2Fsecret', { email, password: PASSWORD });
    expect(login.location).toBe('/tf-setup?next=%2Fsecret');
    await client.follow(login);
    const started = await client.post('/tf-setup?next=%2Fsecret', { setup: 'authenticator' });
    expect(formNamed(started.text, 'two_factor_verify_code_form').action).toBe('/tf-validate?next=%2Fsecret');
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
    const done = await client.post('/tf-validate?next=%2Fsecret', { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.location).toBe('/secret');
  });

  it('JSON: POST /login?next=/secret, set up, confirm: the login ends with the user and the session is logged in', async () => {
    const { security, clock } = makeApp(db.datastore, { options: { twoFactorRequired: true } });
    const email = 'setup-next-json@example.test';
    await userWithPassword(security, email);
    const client = new Client(security);
    await client.get('/login?next=%2Fsecret');
    const login = await client.post('/login?next=%2Fsecret', { email, password: PASSWORD });
    expect(login.json).toMatchObject({ tf_required: true, tf_state: 'setup_from_login' });
    const started = await client.post('/tf-setup', { setup: 'authenticator' });
    const done = await client.post('/tf-validate', { code: new Totp(started.json.tf_authr_b32key as string).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(200);
    expect(done.json.user).toEqual({ email });
  });

  it('HTML: a logged-in user sent to /tf-setup?next=… (by the application) returns there once the new factor is confirmed', async () => {
    const { security, clock } = makeApp(db.datastore);
    const email = 'guard-next@example.test';
    await userWithPassword(security, email);
    const client = await loggedInClient(security, clock, email, { json: false });
    const page = await client.get('/tf-setup?next=%2Fsecret%3Ftab%3D2');
    const started = await client.post(formNamed(page.text, 'two_factor_setup_form').action ?? '', { setup: 'authenticator' });
    const key = (/<code class="tf-key">([A-Z2-7 ]+)<\/code>/.exec(started.text)?.[1] ?? '').replace(/ /g, '');
    const done = await client.post(formNamed(started.text, 'two_factor_verify_code_form').action ?? '', { code: new Totp(key).generatePassword(clock.nowInSeconds()) });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/secret?tab=2');
  });
});
