/**
 * The demo application: an Express 5 app with twofold's pages, a home page, `/profile` (login required),
 * `/admin` (2FA required) and `/api/sensitive-data` (token or session, 2FA required). `server.ts` runs it;
 * tests and benchmarks build the same app with {@link createDemoApp}.
 */
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { DEFAULT_DATABASE_URL, readEnvironment, resolveTotpSecrets, secretsNotice, servedMethodsOf, type Environment, type EnvironmentRecord } from '../../src/cli/environment.js';
import { resolveConfig, type TwofoldConfig, type TwofoldOptions } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createMailer, type ConsoleOutput, type Mailer } from '../../src/delivery/mail.js';
import { DummySmsSender, type SmsSenderBase } from '../../src/delivery/sms.js';
import { wantsJson } from '../../src/http/request.js';
import { Security, type SecurityDeps } from '../../src/security.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import { adminPage, errorPage, homePage, notFoundPage, profilePage, type DemoPageContext } from './pages.js';
import { twofoldExpress } from '../../src/express.js';

/** What the demo sets unless a `SECURITY_*` variable says otherwise. */
export const DEMO_DEFAULTS = {
  totpIssuer: 'twofold demo',
} as const satisfies TwofoldOptions;

/** Options of {@link createDemoApp}. */
export interface DemoOptions {
  /** The environment to read (`DATABASE_URL`, `SECRET_KEY`, `SMTP_URL`, `MAIL_FROM`, `SECURITY_*`, `NODE_ENV`); `process.env` by default. */
  readonly env?: EnvironmentRecord;
  /** Where mail and SMS are printed when there is no SMTP server or SMS provider; stdout by default. */
  readonly console?: ConsoleOutput;
  /** Start-up notices and warnings (one line each, never a secret); stderr by default. */
  readonly notice?: (line: string) => void;
  /** Replaces the mailer, the SMS sender, the clock or the randomness the environment would give. */
  readonly deps?: SecurityDeps;
}

/** A built demo: the Express app, its Security and datastore, and `close()` for the datastore. */
export interface DemoApp {
  readonly app: express.Express;
  readonly security: Security;
  readonly datastore: KyselyDatastore;
  /** The mailer in use: SMTP, or the console when `SMTP_URL` is unset; null when nothing is mailed. */
  readonly mailer: Mailer | null;
  /** The SMS sender in use; the demo's dummy one prints each text and keeps it (`lastMessage()`). */
  readonly smsSender: SmsSenderBase | null;
  /** Closes the datastore; the HTTP server is the caller's. */
  close(): Promise<void>;
}

/**
 * Builds the demo from the environment: opens the database and creates its tables (`migrate()`), resolves
 * the key ring (generated once in development), picks the mailer (SMTP or console) and the SMS sender, and
 * wires the routes.
 *
 * @throws ConfigError naming the variable or option to fix; TypeError for a bad `SMTP_URL` or `MAIL_FROM`;
 *   TwofoldError `DATABASE_URL_INVALID`.
 * @example
 * ```ts
 * const demo = await createDemoApp({ env: { DATABASE_URL: 'sqlite:/tmp/demo.db' } });
 * const server = demo.app.listen(0, '127.0.0.1');
 * ```
 */
export async function createDemoApp(options: DemoOptions = {}): Promise<DemoApp> {
  const notice = options.notice ?? ((line: string) => process.stderr.write(`twofold demo: ${line}\n`));
  const output = options.console ?? process.stdout;
  const deps = options.deps ?? {};
  const environment = readEnvironment(options.env ?? process.env, { defaultDatabaseUrl: DEFAULT_DATABASE_URL });
  const twofoldOptions = demoOptions(environment, notice, deps);
  // Every option is checked before a file or table is made.
  const config = resolveConfig(twofoldOptions);
  const mailer = deps.mailer !== undefined ? deps.mailer : demoMailer(environment, config, output, notice);
  const smsSender = deps.smsSender !== undefined ? deps.smsSender : demoSmsSender(environment, config, output);

  const datastore = await openDatastore(environment.databaseUrl, { tablePrefix: environment.tablePrefix });
  try {
    await datastore.migrate();
    // Start-up warnings (a stored factor this configuration does not serve, TOTP settings) go where the notices go.
    const onWarning = deps.onWarning ?? ((line: string) => notice(line.replace(/^twofold: /, 'WARNING: ')));
    const security = new Security(twofoldOptions, datastore, { ...deps, onWarning, mailer, ...(smsSender === null ? {} : { smsSender }) });
    await security.storedFactorCheck;
    return { app: demoExpressApp(security), security, datastore, mailer, smsSender: security.smsSender, close: () => datastore.close() };
  } catch (error) {
    await datastore.close();
    throw error;
  }
}

/**
 * The options: the demo's defaults, then the `SECURITY_*` variables, then the key ring. In production the
 * default method list leaves out what would not reach anyone: SMS with the dummy sender, e-mail without SMTP.
 */
function demoOptions(environment: Environment, notice: (line: string) => void, deps: SecurityDeps): TwofoldOptions {
  const secrets = resolveTotpSecrets(environment);
  const secretsLine = secretsNotice(secrets);
  if (secretsLine !== null) notice(secretsLine);
  // The same choice `twofold users show` makes, so it can say whose factor is not served.
  const served = servedMethodsOf(environment, { mailer: deps.mailer !== undefined, smsSender: deps.smsSender !== undefined });
  for (const line of served.notices) notice(line);
  return { ...DEMO_DEFAULTS, ...environment.options, twoFactorEnabledMethods: served.methods, totpSecrets: secrets.totpSecrets };
}

/** SMTP when `SMTP_URL` is set; otherwise, in development, mail printed to the console, and said so. */
function demoMailer(environment: Environment, config: TwofoldConfig, output: ConsoleOutput, notice: (line: string) => void): Mailer | null {
  const needed = config.twoFactorEnabledMethods.includes('email') || config.twoFactorRescueEmail;
  if (environment.smtpUrl === null && !needed) return null;
  if (environment.smtpUrl === null && environment.production) {
    throw new ConfigError('SMTP_URL', 'is not set, and NODE_ENV is production, where mail is never printed; set SMTP_URL=smtps://user:pass@host:465, or leave email out of SECURITY_TWO_FACTOR_ENABLED_METHODS');
  }
  const from = environment.mailFrom ?? 'twofold demo <no-reply@localhost>';
  const mailer = createMailer({ from, console: output, ...(environment.smtpUrl === null ? {} : { smtpUrl: environment.smtpUrl }) });
  if (mailer.transport === 'console') notice('SMTP_URL is not set: e-mail, codes included, is printed to this console, not sent.');
  return mailer;
}

/** In development, with the dummy service, texts are printed to the console (and kept, as the dummy keeps them). */
function demoSmsSender(environment: Environment, config: TwofoldConfig, output: ConsoleOutput): SmsSenderBase | null {
  // In production the dummy service is left to Security, which refuses it.
  if (environment.production || config.smsService.toLowerCase() !== 'dummy' || !config.twoFactorEnabledMethods.includes('sms')) return null;
  return new ConsoleSmsSender(output);
}

/** The dummy sender, printing each text the way the console mailer prints mail. */
class ConsoleSmsSender extends DummySmsSender {
  readonly #output: ConsoleOutput;

  constructor(output: ConsoleOutput) {
    super();
    this.#output = output;
  }

  override async sendSms(fromNumber: string, toNumber: string, message: string): Promise<void> {
    await super.sendSms(fromNumber, toNumber, message);
    const rule = '-'.repeat(72);
    this.#output.write(`${rule}\ntwofold demo SMS: printed, NOT sent (SECURITY_SMS_SERVICE is 'dummy')\nTo: ${toNumber}\n\n${message}\n${rule}\n`);
  }
}

/** The Express app: twofold's pages first, then the demo's own routes, a 404 and an error page. */
function demoExpressApp(security: Security): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pageHeaders);
  const tf = twofoldExpress(security);
  app.use(tf.middleware());

  app.get('/', (req, res) => {
    res.type('html').send(homePage(pageContext(security), req.twofold ?? null));
  });
  app.get('/profile', tf.loginRequired(), (req, res) => {
    const user = req.twofold?.user;
    if (user === undefined) throw new Error('loginRequired let an anonymous request through');
    if (prefersJson(req)) return void res.json({ email: user.email });
    res.type('html').send(profilePage(pageContext(security), req.twofold ?? null));
  });
  app.get('/admin', tf.tfRequired(), (req, res) => {
    if (prefersJson(req)) return void res.json({ admin: true, email: req.twofold?.user.email });
    res.type('html').send(adminPage(pageContext(security), req.twofold ?? null));
  });
  // An API answers JSON whatever the client accepts (curl sends */*), so refusals are 401/403, not redirects.
  app.use('/api', (req, _res, next) => {
    req.headers.accept = 'application/json';
    next();
  });
  app.get('/api/sensitive-data', tf.authRequired('session', 'token'), tf.tfRequired(), (req, res) => {
    res.json({ data: `The launch codes for ${req.twofold?.user.email ?? 'nobody'}: there are none, this is a demo.`, via: req.twofold?.via });
  });

  app.use((req, res) => {
    if (prefersJson(req)) return void res.status(404).json({ error: 'Not Found' });
    res.status(404).type('html').send(notFoundPage(pageContext(security)));
  });
  app.use(errorHandler(security));
  return app;
}

/**
 * The headers of every demo page: they carry no script and no inline style, like twofold's, so the policy
 * forbids both; pages that show who is logged in must not be cached by a shared proxy or the back button.
 * twofold's own replies set theirs over these.
 */
export const DEMO_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const pageHeaders: RequestHandler = (_req, res, next) => {
  for (const [name, value] of Object.entries(DEMO_PAGE_HEADERS)) res.setHeader(name, value);
  next();
};

/** Errors reach the server's log with their stack; the client gets only the status and a generic text. */
function errorHandler(security: Security): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const declared = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
    const status = typeof declared === 'number' && declared >= 400 && declared < 500 ? declared : 500;
    if (status === 500) console.error(`twofold demo: ${req.method} ${req.path} failed:`, error);
    const text = status === 500 ? 'Internal Server Error' : 'Bad Request';
    if (prefersJson(req)) return void res.status(status).json({ error: text });
    res.status(status).type('html').send(errorPage(pageContext(security), status, text));
  };
}

/** twofold's rule: JSON when the body is JSON or `application/json` is the best match of `Accept`. */
function prefersJson(req: Request): boolean {
  const headers = new Headers();
  for (const name of ['accept', 'content-type'] as const) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return wantsJson(new Request('http://demo.invalid/', { headers }), false);
}

/** The URLs and settings the demo's pages show. */
export function pageContext(security: Security): DemoPageContext {
  return {
    urls: {
      stylesheet: security.urlFor('stylesheet'),
      login: security.urlFor('login'),
      logout: security.urlFor('logout'),
      tfSetup: security.urlFor('tfSetup'),
      mfRecoveryCodes: security.urlFor('mfRecoveryCodes'),
    },
    recoveryCodes: security.config.multiFactorRecoveryCodes,
  };
}
