/** The pages twofold renders, what each is given, and the template contract an application can replace. */
import type { FormErrors } from '../forms/field.js';
import type { Locale, MessageKey, MessageParams } from '../messages.js';
import type { DeviceListing } from '../flows/manage-devices.js';

/** A message shown once, after a redirect. */
export interface Flash {
  readonly category: 'error' | 'success' | 'info';
  readonly text: string;
}

/** The URLs of twofold's endpoints, with the prefix applied. */
export interface PageUrls {
  readonly login: string;
  readonly logout: string;
  readonly verify: string;
  readonly tfSetup: string;
  readonly tfValidate: string;
  readonly tfRescue: string;
  readonly tfSelect: string;
  /** The user's remembered browsers (twofold's own page). */
  readonly tfDevices: string;
  readonly mfRecoveryCodes: string;
  readonly mfRecovery: string;
  /** The stylesheet twofold serves (no inline styles or scripts: a strict Content-Security-Policy holds). */
  readonly stylesheet: string;
}

/** What every template gets besides its own model. */
export interface PageContext {
  /** Translates a message key in the request's language. */
  t(key: MessageKey, params?: MessageParams): string;
  readonly locale: Locale;
  /** The form field `csrf_token` must carry this. */
  readonly csrfToken: string;
  readonly flashes: readonly Flash[];
  readonly urls: PageUrls;
  /** The logged-in user, or null (anonymous or half-way through a login). */
  readonly user: { readonly email: string } | null;
}

/** A radio choice: its wire value and its label key (null: show the value, e.g. a custom plugin's method). */
export interface PageChoice {
  readonly value: string;
  readonly label: MessageKey | null;
}

/** A remembered browser as the `/tf-devices` page shows it. Times are whole Unix seconds. */
export type PageDevice = DeviceListing;

/** Every page and its model. Field names on forms are the wire names of docs/flask-security-reference.md §2. */
export interface PageModels {
  /** `/login`: `email`, `password`, `remember` (checkbox), hidden `next`. */
  login: { readonly email: string; readonly remember: boolean; readonly next: string | null; readonly errors: FormErrors<string> };
  /** `/verify` (re-authenticate for freshness): `password`, hidden `next`. */
  verify: { readonly next: string | null; readonly errors: FormErrors<string> };
  /**
   * `/tf-setup`: radio `setup` over `choices`, `phone` (type tel) when `sms` is a choice. With `pending`, the
   * code form follows: for an authenticator the QR code (inline SVG markup, trusted) beside the key for typing
   * by hand, and a `code` field posting to `pending.codeAction`.
   */
  tfSetup: {
    /** Where the choice form posts: `/tf-setup`, with the `next` the set-up returns to, if any. */
    readonly action: string;
    readonly choices: readonly PageChoice[];
    readonly currentMethod: string | null;
    readonly phone: string | null;
    readonly selected: string | null;
    readonly errors: FormErrors<string>;
    readonly pending: {
      readonly method: string;
      readonly codeAction: string;
      readonly codeErrors: FormErrors<string>;
      readonly authenticator: { readonly qrSvg: string; readonly key: string; readonly issuer: string; readonly username: string } | null;
    } | null;
    /** Link to `/mf-recovery-codes`, when recovery codes are on and the user is logged in. */
    readonly recoveryCodesUrl: string | null;
    /** Link to `/tf-devices`, when browsers can be remembered and the user is logged in. */
    readonly devicesUrl: string | null;
    /** The user has one second factor and no recovery codes: the recovery-code section says so first. */
    readonly backupMissing: boolean;
  };
  /**
   * `/tf-validate`: "enter your code generated via <method>", field `code` posting to `action`. In a login
   * (not a change) the rescue form follows: radio `help_setup` over `rescue.choices`, posting to `rescue.action`;
   * `rescue.problem` says what the last rescue did ('email': code mailed; 'help': administrator mailed).
   */
  tfValidate: {
    readonly method: string;
    readonly methodLabel: MessageKey | null;
    readonly action: string;
    readonly errors: FormErrors<string>;
    readonly rescue: { readonly choices: readonly PageChoice[]; readonly action: string; readonly problem: 'email' | 'help' | null; readonly errors: FormErrors<string> } | null;
    /** The user's factor is stored but out of service here: no code form, only the rescue options. */
    readonly unavailable?: boolean;
    /** In a login by a code that is sent (e-mail, SMS): a "send a new code" form posting `resend=1` to `action`. Absent or null: none. */
    readonly resend?: { readonly action: string } | null;
  };
  /** `/tf-select`: radio `which` over the user's methods. */
  tfSelect: { readonly choices: readonly PageChoice[]; readonly action: string; readonly errors: FormErrors<string> };
  /**
   * `/mf-recovery-codes`: `codes` are shown once, right after they were made (null otherwise); `remaining`
   * counts unused codes. A POST form with a `generate_new_codes` submit button makes a new set.
   */
  mfRecoveryCodes: { readonly codes: readonly string[] | null; readonly remaining: number; readonly errors: FormErrors<string> };
  /**
   * `/tf-devices`: the user's remembered browsers, newest first; `current` marks the browser asking. Each has a
   * POST form with hidden `revoke` = `id` ("Forget"), and one more with `revoke` = `all` when there are any.
   */
  tfDevices: { readonly devices: readonly PageDevice[]; readonly errors: FormErrors<string> };
  /** `/mf-recovery`: field `code` (a recovery code). */
  mfRecovery: { readonly action: string; readonly errors: FormErrors<string> };
  /** `/logout` asked with GET: a button that POSTs the logout (GET changes nothing). */
  logout: Record<string, never>;
  /**
   * A request twofold refused or failed itself (400, 403, 405, 413, 415, 500, 503): the status, what went
   * wrong as a message key (never anything of the request), and `backUrl`, the way back (the login page).
   */
  error: { readonly status: number; readonly message: MessageKey; readonly backUrl: string };
}

/** A page's name. */
export type PageName = keyof PageModels;

/** A template: the model and the context in, a whole HTML document out. Every value it prints must be escaped. */
export type Template<P extends PageName> = (model: PageModels[P], context: PageContext) => string;

/** The whole set; an application passes `Partial<Templates>` to replace some. */
export type Templates = { readonly [P in PageName]: Template<P> };
