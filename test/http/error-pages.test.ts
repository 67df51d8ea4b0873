/**
 * twofold's own refusals and failures (400, 403, 405, 413, 415, 500, 503) reach a browser as a page in its
 * layout and language with a way back, not as bare text; JSON clients keep the envelope; nothing of the
 * request (a token, a code) is echoed into the page.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageText, type MessageKey } from '../../src/messages.js';
import type { Security } from '../../src/security.js';
import { makeApp, PASSWORD, useDatastore, userWithPassword } from '../support/app.js';
import { Client } from '../support/client.js';

const db = useDatastore();
afterEach(() => {
  vi.restoreAllMocks();
});

const TOKEN = 'SECRETTOKENxyz0123456789abcdef';
const CODE = '654321';
const HTML_ACCEPT = 'text/html,application/xhtml+xml,*/*;q=0.8';

interface Case {
  readonly name: string;
  readonly status: number;
  readonly message: MessageKey;
  /** The request, for `accept` and `language`. */
  readonly send: (security: Security, accept: string, language: string) => Promise<Response>;
}

/** A browser that has a session (so a cookie and a CSRF token exist) and sends `init` to /login. */
async function withSession(security: Security, path: string, init: { method: string; type?: string; body?: string; base?: string }, accept: string, language: string) {
  const client = new Client(security, { json: false });
  await client.get('/login');
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const headers: Record<string, string> = { accept, 'accept-language': language, cookie };
  if (init.type !== undefined) headers['content-type'] = init.type;
  const request = new Request(`${init.base ?? 'http://localhost'}${path}`, { method: init.method, headers, body: init.body ?? null, duplex: 'half' } as RequestInit);
  return (await security.handle(request)) as Response;
}

const form = (fields: Record<string, string>) => new URLSearchParams({ email: 'pages@example.test', password: PASSWORD, code: CODE, ...fields }).toString();
const FORM = 'application/x-www-form-urlencoded';

const CASES: readonly Case[] = [
  { name: '400 (a broken multipart body)', status: 400, message: 'API_ERROR', send: (s, a, l) => withSession(s, '/login', { method: 'POST', type: 'multipart/form-data; boundary=zz', body: `--zz\r\nbroken ${TOKEN}` }, a, l) },
  { name: '403 HTTPS_REQUIRED', status: 403, message: 'HTTPS_REQUIRED', send: (s, a, l) => withSession(s, `/login?code=${CODE}`, { method: 'GET', base: 'http://app.example.test' }, a, l) },
  { name: '403 CSRF_TOKEN_MISSING', status: 403, message: 'CSRF_TOKEN_MISSING', send: (s, a, l) => withSession(s, '/login', { method: 'POST', type: FORM, body: form({}) }, a, l) },
  { name: '403 CSRF_TOKEN_INVALID', status: 403, message: 'CSRF_TOKEN_INVALID', send: (s, a, l) => withSession(s, '/login', { method: 'POST', type: FORM, body: form({ csrf_token: TOKEN }) }, a, l) },
  { name: '413', status: 413, message: 'API_ERROR', send: (s, a, l) => withSession(s, '/login', { method: 'POST', type: FORM, body: form({ csrf_token: TOKEN, password: 'x'.repeat(70 * 1024) }) }, a, l) },
  { name: '415', status: 415, message: 'API_ERROR', send: (s, a, l) => withSession(s, '/login', { method: 'POST', type: 'text/plain', body: `${TOKEN} ${CODE}` }, a, l) },
  {
    name: '500',
    status: 500,
    message: 'INTERNAL_ERROR',
    send: (s, a, l) => {
      vi.spyOn(s.datastore, 'findUserByEmail').mockRejectedValue(new Error(`boom ${TOKEN}`));
      return loggedInForm(s, a, l);
    },
  },
  {
    name: '503',
    status: 503,
    message: 'SERVICE_UNAVAILABLE',
    send: (s, a, l) => {
      vi.spyOn(s.datastore, 'findUserByEmail').mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      return loggedInForm(s, a, l);
    },
  },
];

/** A login form with the right CSRF token, so the request reaches the view (and the datastore). */
async function loggedInForm(security: Security, accept: string, language: string): Promise<Response> {
  const client = new Client(security, { json: false });
  await client.get('/login');
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const headers = { accept, 'accept-language': language, cookie, 'content-type': FORM };
  return (await security.handle(new Request('http://localhost/login', { method: 'POST', headers, body: form({ csrf_token: client.csrf as string }) }))) as Response;
}

async function app() {
  const made = makeApp(db.datastore, { options: {} });
  await userWithPassword(made.security, 'pages@example.test').catch(() => undefined);
  return made.security;
}

describe('error pages for browsers', () => {
  for (const test of CASES) {
    it(`${test.name}: an HTML page with the message and a link to the login page, in English and French`, async () => {
      const security = await app();
      vi.spyOn(security, 'reportError').mockImplementation(() => undefined);
      for (const locale of ['en', 'fr'] as const) {
        const reply = await test.send(security, HTML_ACCEPT, locale === 'fr' ? 'fr-FR,fr;q=0.9' : 'en');
        const page = await reply.text();
        expect(reply.status).toBe(test.status);
        expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(reply.headers.get('cache-control')).toBe('no-store');
        expect(reply.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*frame-ancestors 'none'/);
        if (test.status === 503) expect(reply.headers.get('retry-after')).toBe('5');
        expect(page).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${locale}">`));
        expect(page).toContain(messageText(test.message, undefined, locale).replace(/'/g, '&#39;'));
        expect(page).toContain(messageText('TITLE_ERROR', { status: test.status }, locale));
        expect(page).toContain(`<a href="/login">${messageText('LINK_BACK_TO_LOGIN', undefined, locale)}</a>`);
        expect(page).not.toContain(TOKEN);
        expect(page).not.toContain(CODE);
        expect(page).not.toContain('name="csrf_token"');
      }
    });
  }

  it('405: a page for browsers, with Allow; JSON clients keep the plain text they had', async () => {
    const security = await app();
    const browser = await security.handle(new Request('http://localhost/login', { method: 'PUT', headers: { accept: HTML_ACCEPT } }));
    expect(browser?.status).toBe(405);
    expect(browser?.headers.get('allow')).toBe('GET, POST');
    expect(browser?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = (await browser?.text()) ?? '';
    expect(page).toContain(messageText('API_ERROR'));
    expect(page).toContain('<a href="/login">');
    const api = await security.handle(new Request('http://localhost/login', { method: 'PUT', headers: { accept: 'application/json' } }));
    expect(api?.status).toBe(405);
    expect(api?.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await api?.text()).toBe(`${messageText('API_ERROR')}\n`);
  });
});

describe('the same errors for JSON clients', () => {
  for (const test of CASES) {
    it(`${test.name}: the JSON envelope, unchanged`, async () => {
      const security = await app();
      vi.spyOn(security, 'reportError').mockImplementation(() => undefined);
      const reply = await test.send(security, 'application/json', 'en');
      expect(reply.status).toBe(test.status);
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const text = messageText(test.message);
      expect(await reply.json()).toEqual({ meta: { code: test.status }, response: { errors: [text], field_errors: { '': [text] } } });
    });
  }
});
