/**
 * A `next` holding a character no header can carry (above U+00FF, or any non-ASCII, which would go out as
 * raw bytes) must not turn the end of a login into a 500 after the code was spent and the session stored:
 * the redirect goes to the path percent-encoded as a browser would, with the session cookie. Run through each adapter.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTERS, useAdapterServers } from '../support/adapters.js';
import { makeApp, PASSWORD, useDatastore, userWithAuthenticator, userWithPassword } from '../support/app.js';
import { HttpBrowser } from '../support/express-app.js';

const db = useDatastore();

const ENCODED = '/caf%C3%A9%E2%82%AC';

describe.each(ADAPTERS)('on %s', (adapter) => {
  const app = useAdapterServers(adapter);

  describe('next with characters a header cannot carry', () => {
    for (const [label, query, field] of [
      ['in the query', `?next=${ENCODED}`, {}],
      ['in the form', '', { next: '/café€' }],
    ] as const) {
      it(`${label}: the login ends in a 302 to the encoded path, with the session cookie`, async () => {
        const { security, clock } = makeApp(db.datastore);
        const email = `next-${Math.random().toString(36).slice(2, 8)}@example.test`;
        const { phone } = await userWithAuthenticator(security, email);
        const browser = new HttpBrowser(await app(security), 'html');
        expect((await browser.fetch(`/login${query}`)).status).toBe(200);
        const password = await browser.postForm(`/login${query}`, { email, password: PASSWORD, ...field });
        expect(password.status).toBe(302);
        const validate = await browser.fetch(password.headers.get('location') ?? '');
        expect(validate.status).toBe(200);
        const action = /<form[^>]*action="([^"]*)"/.exec(await validate.text())?.[1]?.replace(/&amp;/g, '&') ?? '';
        const done = await browser.postForm(action, { code: phone.generatePassword(clock.nowInSeconds()) });
        expect(done.status).toBe(302);
        expect(done.headers.get('location')).toBe(ENCODED);
        expect(done.headers.getSetCookie().some((cookie) => cookie.startsWith('twofold_session='))).toBe(true);
        expect((await browser.fetch('/private/x')).status).toBe(200);
      });
    }

    it('JSON: the same login answers 200 and logs in', async () => {
      const { security, clock } = makeApp(db.datastore);
      const { phone } = await userWithAuthenticator(security, `next-json-${adapter}@example.test`);
      const browser = new HttpBrowser(await app(security), 'json');
      await browser.fetch('/login');
      expect((await browser.postJson(`/login?next=${ENCODED}`, { email: `next-json-${adapter}@example.test`, password: PASSWORD, next: '/café€' })).status).toBe(
        200,
      );
      expect((await browser.postJson(`/tf-validate?next=${ENCODED}`, { code: phone.generatePassword(clock.nowInSeconds()) })).status).toBe(200);
    });

    it('a configured post-login view with such characters is sent encoded (an option, the default covered above)', async () => {
      const { security } = makeApp(db.datastore, { options: { postLoginView: '/accueil€' } });
      const browser = new HttpBrowser(await app(security), 'html');
      await browser.fetch('/login');
      await userWithPassword(security, `view-${adapter}@example.test`);
      const reply = await browser.postForm('/login', { email: `view-${adapter}@example.test`, password: PASSWORD });
      expect(reply.status).toBe(302);
      expect(reply.headers.get('location')).toBe('/accueil%E2%82%AC');
    });

    it("the guards' redirects to the login page carry such a path encoded, never a 500", async () => {
      const { security } = makeApp(db.datastore);
      const browser = new HttpBrowser(await app(security), 'html');
      for (const path of ['/private/café€', `/private${ENCODED}`, '/admin/日本']) {
        const reply = await browser.fetch(path);
        expect(reply.status, path).toBe(302);
        const location = reply.headers.get('location') ?? '';
        expect(location, path).toMatch(/^\/login\?next=[\x21-\x7e]+$/);
        expect(decodeURIComponent(new URL(location, 'http://x').searchParams.get('next') ?? ''), path).toBe(decodeURIComponent(path));
      }
    });

    it("twofold's own pages redirecting to the login page with ?next= stay in ASCII", async () => {
      const { security } = makeApp(db.datastore);
      const browser = new HttpBrowser(await app(security), 'html');
      const reply = await browser.fetch(`/mf-recovery-codes?x=${ENCODED}€`);
      expect(reply.status).toBeLessThan(500);
      expect(reply.headers.get('location') ?? '').toMatch(/^[\x21-\x7e]*$/);
    });
  });
});
