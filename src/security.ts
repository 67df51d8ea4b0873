/** Security: options, datastore, key ring, plugins, delivery and events wired together for one application. */
import { nowInWholeSeconds, systemClock, type Clock } from './clock.js';
import { resolveConfig, type TwofoldConfig, type TwofoldOptions } from './config.js';
import { KeyRing } from './crypto/keyring.js';
import { cryptoRandom, randomId, type Random } from './crypto/random.js';
import type { Mailer } from './delivery/mail.js';
import { SmsSenderFactory, type SmsSenderBase } from './delivery/sms.js';
import { ConfigError } from './errors.js';
import { TwofoldEvents, type TwofoldEventName } from './events.js';
import { CodeTfPlugin } from './factors/code/index.js';
import { TfPlugin } from './factors/plugin.js';
import { MfRecoveryCodesUtil } from './recovery/recovery-codes.js';
import type { Datastore } from './store/datastore.js';
import type { User } from './user.js';
import { normalizeEmail } from './users.js';
import { authenticate, refuse, type Authentication, type Requirement } from './http/auth.js';
import { createHandler, type Handler, type RequestInfo } from './http/handler.js';
import { pageUrls } from './http/urls.js';
import { describeFailure } from './errors.js';
import { subscribeNotices } from './notices.js';
import type { PageUrls, Templates } from './http/pages.js';
import type { RequestLike } from './http/request.js';
import { defaultTemplates } from './http/templates/index.js';
import { isEmailAddress } from './forms/email.js';
import { publishedSecretTags } from './config/published-secrets.js';

/** Collaborators that are not options: delivery, and the clock and randomness tests replace. */
export interface SecurityDeps {
  /** Sends e-mail codes and rescue mails; required when `email` is an enabled method or e-mail rescue is on. */
  readonly mailer?: Mailer | null;
  /** Overrides the sender `smsService` would create. */
  readonly smsSender?: SmsSenderBase | null;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Where failures of event listeners go; stderr by default. */
  readonly onListenerError?: (error: unknown, event: TwofoldEventName) => void;
  /** Pages to render instead of the built-in ones; each gets its model and the page context. */
  readonly templates?: Partial<Templates>;
  /**
   * Where a failure inside twofold is reported: `store-unavailable` (answered 503), `internal` (answered 500),
   * or `mail-send-failed` / `sms-send-failed` (a code or rescue mail the mailer or SMS provider did not take;
   * the user is told to try again later). By default one line on stderr with the error's kind, code and stack
   * frames, never its message, which may quote request data, an address or a number.
   */
  readonly onError?: (error: unknown, kind: FailureKind) => void;
  /**
   * Where warnings go: settings that work but deserve a second look, at start-up, and a proxy the application
   * does not trust, at its first request; `console.warn` by default.
   */
  readonly onWarning?: (message: string) => void;
}

/** Users whose stored second factor this Security cannot serve, by method (see {@link Security.checkStoredFactors}). */
export interface UnservedFactorCount {
  readonly method: string;
  readonly users: number;
}

/**
 * What failed inside twofold: the database could not be reached, an e-mail or SMS could not be handed to the
 * mailer or the SMS provider, or anything else.
 */
export type FailureKind = 'store-unavailable' | 'internal' | 'mail-send-failed' | 'sms-send-failed';

/**
 * One application's two-factor authentication.
 *
 * @example
 * ```ts
 * const datastore = await openDatastore('sqlite:./data/app.db');
 * await datastore.migrate();
 * const security = new Security({ totpSecrets: { '1': process.env.TOTP_SECRET! }, totpIssuer: 'My App' }, datastore, {
 *   mailer: createMailer({ smtpUrl: process.env.SMTP_URL, from: 'no-reply@example.com' }),
 * });
 * ```
 */
export class Security {
  readonly config: TwofoldConfig;
  readonly datastore: Datastore;
  readonly keyring: KeyRing;
  readonly events: TwofoldEvents;
  readonly plugins: TfPlugin;
  readonly recoveryCodes: MfRecoveryCodesUtil;
  readonly mailer: Mailer | null;
  readonly smsSender: SmsSenderBase | null;
  readonly clock: Clock;
  readonly random: Random;
  /** The built-in plugin serving `authenticator`, `email` and `sms`. */
  readonly codePlugin: CodeTfPlugin;
  /** The pages in use: the built-in ones with the application's replacements. */
  readonly templates: Templates;
  /**
   * The start-up check of stored factors no plugin serves here ({@link checkStoredFactors}), run once in the
   * background; its warnings went to `onWarning`. Resolves to `[]` when the database could not be read.
   */
  readonly storedFactorCheck: Promise<readonly UnservedFactorCount[]>;
  #handler: Handler | undefined;
  readonly #onError: (error: unknown, kind: FailureKind) => void;
  readonly #onWarning: (message: string) => void;

  /** @throws ConfigError naming the option and the fix. */
  constructor(options: TwofoldOptions, datastore: Datastore, deps: SecurityDeps = {}) {
    this.config = resolveConfig(options);
    this.datastore = datastore;
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? cryptoRandom;
    this.keyring = new KeyRing(this.config.totpSecrets, { random: this.random });
    this.events = new TwofoldEvents(deps.onListenerError === undefined ? {} : { onListenerError: deps.onListenerError });
    this.mailer = deps.mailer ?? null;
    this.#onError = deps.onError ?? defaultOnError;
    const methods = this.config.twoFactorEnabledMethods;
    if (this.mailer === null && (methods.includes('email') || this.config.twoFactorRescueEmail)) {
      throw new ConfigError(
        'mailer',
        "e-mail codes are on ('email' in twoFactorEnabledMethods or twoFactorRescueEmail), so twofold needs a mailer: " +
          "pass new Security(options, datastore, { mailer: createMailer({ smtpUrl, from }) }), or turn e-mail off",
      );
    }
    if (deps.smsSender === undefined && methods.includes('sms') && this.config.smsService.toLowerCase() === 'dummy' && process.env.NODE_ENV === 'production') {
      throw new ConfigError('smsService', "is 'dummy', which sends nothing, while NODE_ENV is production and 'sms' is enabled; set smsService: 'twilio' (or your own sender)");
    }
    this.smsSender =
      deps.smsSender ?? (methods.includes('sms') ? SmsSenderFactory.create(this.config.smsService, this.config.smsServiceConfig) : null);
    this.plugins = new TfPlugin();
    this.codePlugin = new CodeTfPlugin(this);
    this.plugins.registerPlugin('code', this.codePlugin);
    this.recoveryCodes = new MfRecoveryCodesUtil(this);
    this.templates = Object.freeze({ ...defaultTemplates, ...deps.templates });
    subscribeNotices({ config: this.config, events: this.events, mailer: this.mailer, clock: this.clock });
    this.#onWarning = deps.onWarning ?? ((message: string) => console.warn(message));
    for (const warning of configWarnings(this.config)) this.reportWarning(`twofold: ${warning}`);
    // A database not migrated yet, or already closed, is not this check's to report: requests will.
    this.storedFactorCheck = this.checkStoredFactors().catch(() => []);
  }

  /**
   * Counts the users whose stored second factor cannot be served here — a method dropped from
   * `twoFactorEnabledMethods` or a plugin no longer registered — and warns about each through `onWarning`.
   * Their logins stop after the password and offer only recovery codes (fail closed); the administrator can
   * re-enable the method or reset their access. Runs once at construction; call it again at will.
   */
  async checkStoredFactors(): Promise<readonly UnservedFactorCount[]> {
    const counts = await this.datastore.countUsersByTfMethod();
    const unserved: UnservedFactorCount[] = [];
    for (const [method, users] of counts) if (this.plugins.pluginForMethod(method) === null) unserved.push({ method, users });
    for (const { method, users } of unserved) {
      this.reportWarning(
        `twofold: ${users} ${users === 1 ? 'user has' : 'users have'} '${method}' as their second factor, which is not served here ` +
          `(not in twoFactorEnabledMethods, or no plugin serves it). Their logins stop after the password and offer only recovery codes; ` +
          `enable '${method}' again, or reset their access (twofold users reset-access EMAIL).`,
      );
    }
    return unserved;
  }

  /**
   * Answers a request to one of twofold's URLs (login, set-up, validation, rescue, recovery, …) with a
   * Response, JSON or HTML as the client asks; `null` for any other URL, so the application goes on.
   */
  handle(request: Request, info?: RequestInfo): Promise<Response | null> {
    return this.#routes().handle(request, info);
  }

  /** Reports a failure to `onError` (see {@link SecurityDeps}); never throws. */
  reportError(error: unknown, kind: FailureKind): void {
    try {
      this.#onError(error, kind);
    } catch {
      // A broken reporter must not turn a clean 503 into a crash.
    }
  }

  /** Tells the operator about a setting that needs a second look (see `onWarning` in {@link SecurityDeps}); never throws. */
  reportWarning(message: string): void {
    try {
      this.#onWarning(message);
    } catch {
      // A broken sink must not fail the request that noticed the problem.
    }
  }

  /** Whether `pathname` is one of twofold's URLs (so an adapter builds a full Request only for those). */
  ownsPath(pathname: string): boolean {
    return this.#routes().owns(pathname);
  }

  #routes(): Handler {
    this.#handler ??= createHandler(this, this.templates);
    return this.#handler;
  }

  /** The fully logged-in user of a request, by session cookie or `Authentication-Token`; `null` otherwise. */
  authenticate(request: RequestLike): Promise<Authentication | null> {
    return authenticate(this, request);
  }

  /**
   * The reply refusing a request that does not meet `requirement` (401 / login redirect, or the seed's 403
   * `tf_required` / set-up redirect), or `null` when it is met. Adapters (`twofold-auth/express`) build their
   * guards on it.
   */
  refuse(request: RequestLike, auth: Authentication | null, requirement: Requirement): Promise<Response | null> {
    return refuse(this, request, auth, requirement);
  }

  /** The URL of one of twofold's pages, with the prefix (FST's `url_for_security`). */
  urlFor(name: keyof PageUrls): string {
    return pageUrls(this)[name];
  }

  /**
   * Creates a user. The password hash is made by the caller (`hashPassword`, argon2id).
   * @returns the user, or `null` when the e-mail address is taken.
   * @throws TypeError when the e-mail address is not one (it ends up in otpauth URIs and mail headers).
   */
  async createUser(input: { email: string; passwordHash?: string | null; active?: boolean }): Promise<User | null> {
    if (!isEmailAddress(normalizeEmail(input.email))) throw new TypeError('createUser needs a valid e-mail address');
    const stored = await this.datastore.createUser({
      id: randomId(this.random),
      email: normalizeEmail(input.email),
      passwordHash: input.passwordHash ?? null,
      fsUniquifier: randomId(this.random),
      active: input.active ?? true,
      createdAtInSeconds: nowInWholeSeconds(this.clock),
    });
    return stored;
  }

  async findUserById(id: string): Promise<User | null> {
    return this.datastore.findUserById(id);
  }

  async findUserByEmail(email: string): Promise<User | null> {
    return this.datastore.findUserByEmail(normalizeEmail(email));
  }

  async findUserByUniquifier(fsUniquifier: string): Promise<User | null> {
    return this.datastore.findUserByUniquifier(fsUniquifier);
  }

  /**
   * Whether the user has a second factor stored (FST's `has_tf_setup`), whether or not it can be served now:
   * a factor out of service is still the user's, never "no factor".
   */
  async hasTfSetup(user: User): Promise<boolean> {
    const { usable, unusable } = await this.getTfFactorMethods(user);
    return usable.length > 0 || unusable.length > 0;
  }

  /** The second-factor methods the user has set up and a login can use now, across all plugins (FST's `get_tf_methods`). */
  getTfMethods(user: User): Promise<string[]> {
    return this.plugins.getSetupMethods(user);
  }

  /** The user's factors: `usable` now, and `unusable` — stored, but out of service here (see {@link checkStoredFactors}). */
  getTfFactorMethods(user: User): Promise<{ readonly usable: string[]; readonly unusable: string[] }> {
    return this.plugins.getFactorMethods(user);
  }
}

function defaultOnError(error: unknown, kind: FailureKind): void {
  const what = kind === 'mail-send-failed' ? 'an e-mail was not sent' : kind === 'sms-send-failed' ? 'an SMS was not sent' : 'request failed';
  console.error(`twofold: ${what} (${kind}): ${describeFailure(error)}${stackFrames(error)}`);
}

/**
 * The stack's frames without its head: V8 starts the stack with `String(error)`, the message, which may
 * hold request data and even lines that look like frames; everything after it is frames.
 */
function stackFrames(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return '';
  const head = String(error);
  if (!error.stack.startsWith(head)) return '';
  const frames = error.stack.slice(head.length).split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? `\n${frames.join('\n')}` : '';
}

/**
 * Settings that work but may not do what was meant. Google Authenticator and some other apps ignore the
 * algorithm, digits and period of an otpauth URI and compute SHA1 / 6 digits / 30 s codes; the set-up code
 * check then fails, which is safe but puzzling (checklist ENR-06).
 */
function configWarnings(config: TwofoldConfig): string[] {
  const warnings: string[] = [];
  // In production resolveConfig refuses it; elsewhere it is allowed, so the README's example runs as written.
  for (const tag of publishedSecretTags(config.totpSecrets)) {
    warnings.push(`totpSecrets "${tag}" is the example key from twofold's README, which anyone can read; it will be refused under NODE_ENV=production. Set your own.`);
  }
  const { totpAlgorithm, totpDigits, totpPeriod } = config;
  if (totpAlgorithm === 'SHA1' && totpDigits === 6 && totpPeriod === 30) return warnings;
  return [
    ...warnings,
    `TOTP is set to ${totpAlgorithm}, ${totpDigits} digits, ${totpPeriod} s; some authenticator apps (Google Authenticator among them) ` +
      'ignore these settings and make SHA1, 6-digit, 30-second codes, which will not confirm the set-up. Keep the defaults unless every app your users have supports yours.',
  ];
}
