/** The demo's own HTML pages (home, profile, admin, not found, error), built with twofold's template helpers. */
import { messageText } from '../../src/messages.js';
import type { Authentication } from '../../src/http/auth.js';
import { html, layout, type Html, type LayoutContext } from '../../src/http/templates/index.js';

/** What the demo's pages need: twofold's URLs and whether recovery codes are on. */
export interface DemoPageContext {
  readonly urls: {
    readonly stylesheet: string;
    readonly login: string;
    readonly logout: string;
    readonly tfSetup: string;
    readonly mfRecoveryCodes: string;
  };
  readonly recoveryCodes: boolean;
}

/** The layout's context for an English page without flashes (twofold's flashes show on twofold's pages). */
function shell(context: DemoPageContext): LayoutContext {
  return { t: (key, params) => messageText(key, params, 'en'), locale: 'en', flashes: [], urls: { stylesheet: context.urls.stylesheet } };
}

function who(auth: Authentication | null): Html {
  if (auth === null) return html`<p class="tf-lead">You are not logged in.</p>`;
  const factor = auth.tfVerified ? 'this login passed a second factor' : auth.user.tfPrimaryMethod === null ? 'no second factor is set up' : 'this login did not pass a second factor';
  return html`<p class="tf-lead">Logged in as <strong>${auth.user.email}</strong></p>
<p class="tf-current">By ${auth.via === 'token' ? 'API token' : 'session cookie'}; ${factor}.</p>`;
}

function link(href: string, label: string, note: string): Html {
  return html`<li><span><a href="${href}">${label}</a><br><span class="tf-current">${note}</span></span></li>`;
}

/** `/`: who is logged in, and a link to every page of the demo. */
export function homePage(context: DemoPageContext, auth: Authentication | null): string {
  const { urls } = context;
  const links = [
    auth === null && link(urls.login, 'Log in', 'E-mail and password, then the second factor if you have one.'),
    link('/profile', 'Profile', 'Needs a login.'),
    link('/admin', 'Admin', 'Needs a login that passed a second factor.'),
    link(urls.tfSetup, 'Set up two-factor authentication', 'Authenticator app, e-mail or SMS code; also change or disable it.'),
    context.recoveryCodes && link(urls.mfRecoveryCodes, 'Recovery codes', 'Make a set of one-time codes for when your phone is gone.'),
    link('/api/sensitive-data', 'API: /api/sensitive-data', 'JSON; session or Authentication-Token header, second factor required.'),
  ];
  const body = html`${who(auth)}
<ul class="tf-options">${links}</ul>
${auth !== null && auth.csrfToken !== null && html`<form method="post" action="${urls.logout}" name="logout_form">
<input type="hidden" name="csrf_token" value="${auth.csrfToken}">
<button type="submit">Log out</button>
</form>`}
${auth === null && html`<section class="tf-section">
<p>No account yet? Create one from a terminal:</p>
<p><code>npm run twofold -- users create you@example.com --password 'your password'</code></p>
</section>`}`;
  return layout(shell(context), { title: 'twofold demo', body });
}

/** `/profile` for a browser. */
export function profilePage(context: DemoPageContext, auth: Authentication | null): string {
  const method = auth?.user.tfPrimaryMethod ?? null;
  const body = html`${who(auth)}
<dl class="tf-key-details">
<dt>E-mail</dt><dd>${auth?.user.email ?? ''}</dd>
<dt>Second factor</dt><dd>${method ?? 'none'}</dd>
</dl>
<p><a href="${context.urls.tfSetup}">${method === null ? 'Set up two-factor authentication' : 'Change or disable the second factor'}</a> · <a href="/">Home</a></p>`;
  return layout(shell(context), { title: 'Profile', body });
}

/** `/admin` for a browser: reached only by a login that passed a second factor. */
export function adminPage(context: DemoPageContext, auth: Authentication | null): string {
  const body = html`${who(auth)}
<p class="tf-notice">This page needs a second factor, and your login passed one.</p>
<p><a href="/">Home</a></p>`;
  return layout(shell(context), { title: 'Admin', body });
}

/** Any other URL. */
export function notFoundPage(context: DemoPageContext): string {
  return layout(shell(context), { title: 'Not found', body: html`<p>There is no page here. <a href="/">Home</a></p>` });
}

/** An error: the status and a generic text, never the error itself. */
export function errorPage(context: DemoPageContext, status: number, text: string): string {
  return layout(shell(context), { title: `${status} ${text}`, body: html`<p>Something went wrong. <a href="/">Home</a></p>` });
}
