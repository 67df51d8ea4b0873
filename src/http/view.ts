/** What a view returns and gets: one neutral result that `render.ts` turns into JSON or HTML. */
import type { FormErrors } from '../forms/field.js';
import { afterIllegalStep, type StoredFlash } from '../flows/state.js';
import type { Locale, MessageKey, MessageParams } from '../messages.js';
import type { EventClient } from '../events.js';
import type { Security } from '../security.js';
import type { PageModels, PageName, PageUrls } from './pages.js';
import type { SessionHandle } from './session.js';
import type { FlowContext } from '../flows/context.js';

/** An HTML page to render. */
export type PageRender = { [P in PageName]: { readonly page: P; readonly model: PageModels[P]; readonly status?: number } }[PageName];

/**
 * A view's answer, both ways: `status` and `json` for a JSON client (the envelope and `csrf_token` are added
 * by the renderer), and `html` — a page or a redirect — for a browser. `flashes` are shown on the page, or on
 * the next page after a redirect.
 */
export interface ViewResult {
  readonly status: number;
  readonly json: Readonly<Record<string, unknown>>;
  readonly html: PageRender | { readonly redirect: string };
  readonly flashes?: readonly StoredFlash[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra `Set-Cookie` values (the trusted-device cookie). */
  readonly cookies?: readonly string[];
}

/** Everything a view needs about its request: a flow's world, and the HTTP around it. */
export interface ViewContext extends FlowContext {
  readonly security: Security;
  readonly request: Request;
  readonly url: URL;
  readonly session: SessionHandle;
  /** The parsed body of a POST; empty for GET. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly method: 'GET' | 'POST';
  readonly json: boolean;
  readonly locale: Locale;
  readonly urls: PageUrls;
  /** Whole seconds, from the security's clock. */
  readonly nowInSeconds: number;
  /** A path segment after the route's own URL (the `<token>` of `/tf-setup/<token>`), or null. */
  readonly tail: string | null;
  /** Plain HTTP between a browser and a server both on this machine (development): cookies may go without `Secure`. */
  readonly thisMachine: boolean;
  /** Who is asking, as far as the adapter knows: for send throttling per address and for notices. */
  readonly client: EventClient;
  t(key: MessageKey, params?: MessageParams): string;
}

/** A view: the request in, a result out. */
export type View = (context: ViewContext) => Promise<ViewResult>;

/** The JSON form of form errors: every message once in `errors`, and per field in `field_errors`. */
export function errorPayload(context: ViewContext, errors: FormErrors<string>): { errors: string[]; field_errors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  const all: string[] = [];
  for (const [field, keys] of Object.entries(errors)) {
    if (keys === undefined) continue;
    fieldErrors[field] = keys.map((key) => context.t(key));
    for (const text of fieldErrors[field]) if (!all.includes(text)) all.push(text);
  }
  return { errors: all, field_errors: fieldErrors };
}

/**
 * Reference §2's illegal-state reply: the login and change states are wiped; JSON gets 400 with
 * `TWO_FACTOR_PERMISSION_DENIED` as a form-level error, a browser a flash and a redirect to `twoFactorErrorView`.
 */
export function illegalState(context: ViewContext): ViewResult {
  const { tf } = context.session.data;
  if (context.session.user === null && tf.kind === 'ended') return loginRestartRequired(context, {});
  context.session.update({ tf: afterIllegalStep(tf) });
  return {
    status: 400,
    json: errorPayload(context, { '': ['TWO_FACTOR_PERMISSION_DENIED'] }),
    html: { redirect: context.security.config.twoFactorErrorView },
    flashes: [{ key: 'TWO_FACTOR_PERMISSION_DENIED' }],
  };
}

/**
 * A half-finished login that is over (its challenge had its tries) can only start again at `/login`: JSON 400
 * with `LOGIN_RESTART_REQUIRED` as a form-level error beside `errors` (e.g. `code: TOO_MANY_ATTEMPTS`) and
 * `login_url`; a browser is sent to the login page with the messages.
 */
export function loginRestartRequired(context: ViewContext, errors: FormErrors<string>): ViewResult {
  context.session.update({ tf: { kind: 'ended' } });
  const all: FormErrors<string> = { ...errors, '': ['LOGIN_RESTART_REQUIRED'] };
  const keys = Object.values(all).flatMap((list) => list ?? []);
  return {
    status: 400,
    json: { ...errorPayload(context, all), login_url: context.urls.login },
    html: { redirect: context.urls.login },
    flashes: [...new Set(keys)].map((key) => ({ key })),
  };
}
