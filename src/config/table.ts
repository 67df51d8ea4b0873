/** The option table: every option's SECURITY_* name, default (with unit and source), and how the environment spells it. */
import { checkBoolean, checkInteger, checkPath, checkSeconds, checkString, checkToken, checkView } from './checks.js';
import {
  checkAlgorithm,
  checkApiMethods,
  checkCodeLifetime,
  checkCodeMethods,
  checkCookie,
  checkDigits,
  checkFreshness,
  checkIssuer,
  checkLoginWithin,
  checkMailAddress,
  checkPeriod,
  checkRegion,
  checkRequired,
  checkSecrets,
  checkSmsServiceConfig,
  checkUrlPrefix,
  nullable,
} from './checkers.js';
import { option } from './option.js';
import type { ValidityCookieOptions } from './types.js';

export { isDerivedDefault, type Checker, type DerivedDefault, type OptionKind, type OptionSpec } from './option.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// FST 5.9 (httponly, secure, samesite=Strict), plus the path and domain FST leaves to Flask.
const VALIDITY_COOKIE: ValidityCookieOptions = Object.freeze({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: null });

/**
 * Every option, declared once: its row holds the environment variable, the default, a summary and the checker,
 * and `TwofoldConfig` is read off the table (each option's type is what its checker returns). Where the seed
 * and Flask-Security-Too (FST) disagree the seed wins; where a default decides security the strict one wins
 * (docs/design.md §2); otherwise FST's default. Durations are `Seconds`.
 */
export const OPTIONS = Object.freeze({
  // ---- Feature switches and behaviour (docs/flask-security-reference.md §1.1) ----
  // docs/design.md §2 (FST: False)
  twoFactor: option({ env: 'SECURITY_TWO_FACTOR', kind: 'boolean', default: true, summary: 'Turns two-factor authentication on.', check: (v, k) => checkBoolean(k, v) }),
  // seed, FST
  twoFactorRequired: option({
    env: 'SECURITY_TWO_FACTOR_REQUIRED',
    kind: 'boolean',
    default: false,
    summary: 'Every user must set up and use 2FA; or a function (user) => boolean.',
    check: checkRequired,
  }),
  // Only the authenticator by default. SMS is "restricted" (NIST SP 800-63B §5.1.3.3, checklist OOB-07) and
  // e-mail is not an out-of-band authenticator at all (§5.1.3.1, checklist OOB-08): both are opt-in, and
  // e-mail then needs a mailer. FST: ['email', 'authenticator', 'sms'].
  twoFactorEnabledMethods: option({
    env: 'SECURITY_TWO_FACTOR_ENABLED_METHODS',
    kind: 'list',
    default: ['authenticator'],
    summary: 'Methods offered at setup: authenticator, email, sms.',
    check: checkCodeMethods,
  }),
  // 30 s = ±1 step of 30 s: RFC 6238 §5.2, checklist TOTP-06. More steps need allowLongAuthenticatorValidity. FST: 120.
  /** How far either side of now an authenticator code is accepted; 30 s with 30 s steps is ±1 step. */
  twoFactorAuthenticatorValidity: option({
    env: 'SECURITY_TWO_FACTOR_AUTHENTICATOR_VALIDITY',
    kind: 'seconds',
    default: 30,
    summary: 'Seconds either side of now an authenticator code is accepted.',
    check: (v, k) => checkSeconds(k, v),
  }),
  // 5 min, FST; at most 10 min: NIST SP 800-63B §5.1.3.2, checklist OOB-02.
  /** How long an e-mailed code lives. */
  twoFactorMailValidity: option({
    env: 'SECURITY_TWO_FACTOR_MAIL_VALIDITY',
    kind: 'seconds',
    default: 5 * MINUTE,
    summary: 'Seconds an e-mailed code lives (at most 600).',
    check: checkCodeLifetime,
  }),
  // 2 min, FST; at most 10 min as above.
  /** How long a texted code lives. */
  twoFactorSmsValidity: option({
    env: 'SECURITY_TWO_FACTOR_SMS_VALIDITY',
    kind: 'seconds',
    default: 2 * MINUTE,
    summary: 'Seconds a texted code lives (at most 600).',
    check: checkCodeLifetime,
  }),
  // FST
  twoFactorAlwaysValidate: option({
    env: 'SECURITY_TWO_FACTOR_ALWAYS_VALIDATE',
    kind: 'boolean',
    default: true,
    summary: 'Ask for a code at every login (no "remember this device").',
    check: (v, k) => checkBoolean(k, v),
  }),
  // 30 days, FST; checklist RMD-01 (at most 30 days).
  /** How long "remember this device" lasts. */
  twoFactorLoginValidity: option({
    env: 'SECURITY_TWO_FACTOR_LOGIN_VALIDITY',
    kind: 'seconds',
    default: 30 * DAY,
    summary: 'Seconds "remember this device" lasts.',
    check: (v, k) => checkSeconds(k, v),
  }),
  // FST 5.9
  twoFactorValidityCookieName: option({
    env: 'SECURITY_TWO_FACTOR_VALIDITY_COOKIE_NAME',
    kind: 'string',
    default: 'tf_validity',
    summary: 'Name of the "remember this device" cookie.',
    check: (v, k) => checkToken(k, v, 'cookie'),
  }),
  // FST 5.9 (httponly, secure, samesite=Strict), plus the path and domain FST leaves to Flask.
  twoFactorValidityCookie: option({
    env: 'SECURITY_TWO_FACTOR_VALIDITY_COOKIE',
    kind: 'object',
    default: VALIDITY_COOKIE,
    summary: 'Attributes of that cookie; merged over the default.',
    check: (v, k) => checkCookie(v, k, VALIDITY_COOKIE),
  }),
  // 10 min: checklist ENR-02 and FLOW-07 (an unconfirmed secret expires; pending state ≤ 10 min). FST: 30 min.
  /** How long a started set-up (its pending secret and state token) stays valid. */
  twoFactorSetupWithin: option({
    env: 'SECURITY_TWO_FACTOR_SETUP_WITHIN',
    kind: 'seconds',
    default: 10 * MINUTE,
    summary: 'Seconds a started setup stays valid.',
    check: (v, k) => checkSeconds(k, v, { min: 1 }),
  }),
  // Off: whoever holds the mailbox could pass the second factor (docs/flask-security-reference.md §4.9, FST
  // issue #479); recovery codes are the rescue. FST: True.
  twoFactorRescueEmail: option({
    env: 'SECURITY_TWO_FACTOR_RESCUE_EMAIL',
    kind: 'boolean',
    default: false,
    summary: 'Offer "send a code to my e-mail" as a rescue option.',
    check: (v, k) => checkBoolean(k, v),
  }),
  // FST
  twoFactorRescueMail: option({
    env: 'SECURITY_TWO_FACTOR_RESCUE_MAIL',
    kind: 'string',
    default: 'no-reply@localhost',
    summary: 'Administrator address for "help" rescue mails.',
    check: checkMailAddress,
  }),
  // FST '.two_factor_setup'
  twoFactorPostSetupView: option({
    env: 'SECURITY_TWO_FACTOR_POST_SETUP_VIEW',
    kind: 'string',
    default: { derivedFrom: 'urlPrefix + twoFactorSetupUrl' },
    summary: 'Where to go after a setup change or disable.',
    check: (v, k) => checkView(k, v),
  }),
  // FST '.login'
  twoFactorErrorView: option({
    env: 'SECURITY_TWO_FACTOR_ERROR_VIEW',
    kind: 'string',
    default: { derivedFrom: 'urlPrefix + loginUrl' },
    summary: 'Where an illegal-state request is sent.',
    check: (v, k) => checkView(k, v),
  }),

  // ---- URLs and templates (docs/flask-security-reference.md §1.2), all FST ----
  twoFactorSetupUrl: option({ env: 'SECURITY_TWO_FACTOR_SETUP_URL', kind: 'string', default: '/tf-setup', summary: 'Setup, change and disable.', check: (v, k) => checkPath(k, v) }),
  twoFactorTokenValidationUrl: option({
    env: 'SECURITY_TWO_FACTOR_TOKEN_VALIDATION_URL',
    kind: 'string',
    default: '/tf-validate',
    summary: 'Enter a code.',
    check: (v, k) => checkPath(k, v),
  }),
  twoFactorRescueUrl: option({ env: 'SECURITY_TWO_FACTOR_RESCUE_URL', kind: 'string', default: '/tf-rescue', summary: 'Rescue options.', check: (v, k) => checkPath(k, v) }),
  twoFactorSelectUrl: option({
    env: 'SECURITY_TWO_FACTOR_SELECT_URL',
    kind: 'string',
    default: '/tf-select',
    summary: 'Choose among several second factors.',
    check: (v, k) => checkPath(k, v),
  }),
  // twofold: FST has no page for the remembered browsers (checklist RMD-04).
  /** twofold's own: the remembered browsers, listed and revoked (checklist RMD-04). */
  twoFactorDevicesUrl: option({
    env: 'SECURITY_TWO_FACTOR_DEVICES_URL',
    kind: 'string',
    default: '/tf-devices',
    summary: 'List and forget remembered browsers.',
    check: (v, k) => checkPath(k, v),
  }),
  twoFactorSetupTemplate: option({
    env: 'SECURITY_TWO_FACTOR_SETUP_TEMPLATE',
    kind: 'string',
    default: 'security/two_factor_setup.html',
    summary: 'Setup page template.',
    check: (v, k) => checkString(k, v),
  }),
  twoFactorVerifyCodeTemplate: option({
    env: 'SECURITY_TWO_FACTOR_VERIFY_CODE_TEMPLATE',
    kind: 'string',
    default: 'security/two_factor_verify_code.html',
    summary: 'Code and rescue page template.',
    check: (v, k) => checkString(k, v),
  }),
  twoFactorSelectTemplate: option({
    env: 'SECURITY_TWO_FACTOR_SELECT_TEMPLATE',
    kind: 'string',
    default: 'security/two_factor_select.html',
    summary: 'Method selection page template.',
    check: (v, k) => checkString(k, v),
  }),
  twoFactorEmailTemplate: option({
    env: 'SECURITY_TWO_FACTOR_EMAIL_TEMPLATE',
    kind: 'string',
    default: 'security/email/two_factor_instructions',
    summary: 'Code e-mail template.',
    check: (v, k) => checkString(k, v),
  }),
  twoFactorRescueEmailTemplate: option({
    env: 'SECURITY_TWO_FACTOR_RESCUE_EMAIL_TEMPLATE',
    kind: 'string',
    default: 'security/email/two_factor_rescue',
    summary: 'Administrator "help" e-mail template.',
    check: (v, k) => checkString(k, v),
  }),
  emailSubjectTwoFactor: option({
    env: 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR',
    kind: 'string',
    default: 'Two-Factor Login',
    summary: 'Subject of the code e-mail.',
    check: (v, k) => checkString(k, v),
  }),
  emailSubjectTwoFactorRescue: option({
    env: 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR_RESCUE',
    kind: 'string',
    default: 'Two-Factor Rescue',
    summary: 'Subject of the "help" e-mail.',
    check: (v, k) => checkString(k, v),
  }),

  // ---- TOTP, SMS, phone (docs/flask-security-reference.md §1.3) ----
  // Required whenever 2FA or recovery codes are on; each secret at least 32 bytes (see resolve.ts).
  /** Application secrets by tag; the highest tag encrypts, every tag decrypts (`crypto/keyring.ts`). */
  totpSecrets: option({
    env: 'SECURITY_TOTP_SECRETS',
    kind: 'object',
    default: {},
    summary: 'Required. {"tag": "secret"} keys that encrypt TOTP secrets; highest tag encrypts.',
    check: checkSecrets,
  }),
  // Required whenever 2FA is on (FST raises without it too).
  totpIssuer: option({ env: 'SECURITY_TOTP_ISSUER', kind: 'string', default: '', summary: 'Required. The issuer an authenticator app shows, e.g. "My App".', check: checkIssuer }),
  // FST 'Dummy'; names are case-insensitive
  smsService: option({
    env: 'SECURITY_SMS_SERVICE',
    kind: 'string',
    default: 'dummy',
    summary: 'Registered SMS sender: dummy, twilio, or your own.',
    check: (v, k) => checkString(k, v).trim(),
  }),
  // FST
  smsServiceConfig: option({
    env: 'SECURITY_SMS_SERVICE_CONFIG',
    kind: 'object',
    default: { ACCOUNT_SID: null, AUTH_TOKEN: null, PHONE_NUMBER: null },
    summary: 'Settings handed to the SMS sender; PHONE_NUMBER is the sending number.',
    check: checkSmsServiceConfig,
  }),
  // FST
  phoneRegionDefault: option({ env: 'SECURITY_PHONE_REGION_DEFAULT', kind: 'string', default: 'US', summary: 'Region for phone numbers typed without +country code.', check: checkRegion }),

  // ---- Recovery codes (docs/flask-security-reference.md §1.4) ----
  // seed (FST: False)
  multiFactorRecoveryCodes: option({ env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES', kind: 'boolean', default: true, summary: 'Offer recovery codes.', check: (v, k) => checkBoolean(k, v) }),
  // seed (FST: 5)
  multiFactorRecoveryCodesN: option({
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_N',
    kind: 'integer',
    default: 10,
    summary: 'Codes per set (1-100).',
    check: (v, k) => checkInteger(k, v, 1, 100),
  }),
  // FST
  multiFactorRecoveryCodesUrl: option({
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_URL',
    kind: 'string',
    default: '/mf-recovery-codes',
    summary: 'Show or regenerate recovery codes.',
    check: (v, k) => checkPath(k, v),
  }),
  // FST
  multiFactorRecoveryCodesTemplate: option({
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_TEMPLATE',
    kind: 'string',
    default: 'security/mf_recovery_codes.html',
    summary: 'Recovery codes page template.',
    check: (v, k) => checkString(k, v),
  }),
  // FST
  multiFactorRecoveryUrl: option({
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_URL',
    kind: 'string',
    default: '/mf-recovery',
    summary: 'Enter a recovery code instead of the second factor.',
    check: (v, k) => checkPath(k, v),
  }),
  // FST
  multiFactorRecoveryTemplate: option({
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_TEMPLATE',
    kind: 'string',
    default: 'security/mf_recovery.html',
    summary: 'Recovery code entry page template.',
    check: (v, k) => checkString(k, v),
  }),

  // ---- Related keys (docs/flask-security-reference.md §1.5) and the views around login, all FST except csrfHeader ----
  // twofold's own session timeouts. NIST SP 800-63B-4 §5.2 (AAL2): reauthenticate at least every 24 h and after
  // at most 1 h of inactivity (checklist FLOW-09).
  /** How long a session lives at most (absolute timeout). */
  sessionLifetime: option({
    env: 'SECURITY_SESSION_LIFETIME',
    kind: 'seconds',
    default: DAY,
    summary: 'Seconds a session lives at most, however active.',
    check: (v, k) => checkSeconds(k, v, { min: 60 }),
  }),
  /** How long a session may be idle before it ends. */
  sessionIdleTimeout: option({
    env: 'SECURITY_SESSION_IDLE_TIMEOUT',
    kind: 'seconds',
    default: HOUR,
    summary: 'Seconds of inactivity after which a session ends.',
    check: (v, k) => checkSeconds(k, v, { min: 60 }),
  }),
  // A half-finished login (password right, second factor pending) lives 10 minutes: NIST SP 800-63B §5.1.3.2,
  // checklist FLOW-07. FST: no limit but the session cookie's.
  /** How long a login may wait for its second factor once the password was right. */
  twoFactorLoginWithin: option({
    env: 'SECURITY_TWO_FACTOR_LOGIN_WITHIN',
    kind: 'seconds',
    default: 10 * MINUTE,
    summary: 'Seconds a login may wait for its second factor.',
    check: checkLoginWithin,
  }),
  // 10 min, as a bank asks again before a payment: a copied cookie or token must not be enough to make new
  // recovery codes, replace the authenticator or turn 2FA off (checklist FLOW-08; ASVS 5 §7.5; NIST SP
  // 800-63B-4 §5.1: re-authenticate before sensitive changes). FST: 24 h, the whole session.
  /** How recent the last full authentication must be for sensitive pages. */
  freshness: option({
    env: 'SECURITY_FRESHNESS',
    kind: 'seconds',
    default: 10 * MINUTE,
    summary: 'Seconds since the login or last /verify within which sensitive pages need no re-authentication.',
    check: checkFreshness,
  }),
  // 5 min, enough to finish a step begun in time (a set-up's code); it never slides past that. FST: 1 h, sliding.
  freshnessGracePeriod: option({
    env: 'SECURITY_FRESHNESS_GRACE_PERIOD',
    kind: 'seconds',
    default: 5 * MINUTE,
    summary: 'Extra seconds after a fresh check in which a sensitive step may finish.',
    check: (v, k) => checkSeconds(k, v),
  }),
  apiEnabledMethods: option({
    env: 'SECURITY_API_ENABLED_METHODS',
    kind: 'list',
    default: ['session', 'token'],
    summary: 'How requests may authenticate: session, token (HTTP Basic is refused).',
    check: checkApiMethods,
  }),
  csrfIgnoreUnauthEndpoints: option({
    env: 'SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS',
    kind: 'boolean',
    default: false,
    summary: 'Skip CSRF on anonymous 2FA endpoints.',
    check: (v, k) => checkBoolean(k, v),
  }),
  csrfCookieName: option({
    env: 'SECURITY_CSRF_COOKIE_NAME',
    kind: 'string?',
    default: null,
    summary: 'Also send the CSRF token in this cookie (SPA flow).',
    check: nullable((v, k) => checkToken(k, v, 'cookie')),
  }),
  // docs/design.md §3 (FST: X-XSRF-Token)
  csrfHeader: option({ env: 'SECURITY_CSRF_HEADER', kind: 'string', default: 'X-CSRF-Token', summary: 'Header carrying the CSRF token.', check: (v, k) => checkToken(k, v, 'header') }),
  defaultRememberMe: option({
    env: 'SECURITY_DEFAULT_REMEMBER_ME',
    kind: 'boolean',
    default: false,
    summary: '"remember" when a JSON login does not say.',
    check: (v, k) => checkBoolean(k, v),
  }),
  loginUrl: option({ env: 'SECURITY_LOGIN_URL', kind: 'string', default: '/login', summary: 'Login page.', check: (v, k) => checkPath(k, v) }),
  logoutUrl: option({ env: 'SECURITY_LOGOUT_URL', kind: 'string', default: '/logout', summary: 'Logout.', check: (v, k) => checkPath(k, v) }),
  verifyUrl: option({ env: 'SECURITY_VERIFY_URL', kind: 'string', default: '/verify', summary: 'Re-authentication page.', check: (v, k) => checkPath(k, v) }),
  postLoginView: option({ env: 'SECURITY_POST_LOGIN_VIEW', kind: 'string', default: '/', summary: 'Where to go after login when there is no safe next.', check: (v, k) => checkView(k, v) }),
  postLogoutView: option({ env: 'SECURITY_POST_LOGOUT_VIEW', kind: 'string', default: '/', summary: 'Where to go after logout.', check: (v, k) => checkView(k, v) }),

  // ---- twofold's own ----
  // FST URL_PREFIX (None)
  urlPrefix: option({ env: 'SECURITY_URL_PREFIX', kind: 'string', default: '', summary: 'Prefix for every twofold URL, e.g. "/auth".', check: checkUrlPrefix }),
  // RFC 6238 §1.2; what every authenticator app supports (Key URI format)
  totpAlgorithm: option({ env: 'SECURITY_TOTP_ALGORITHM', kind: 'string', default: 'SHA1', summary: 'SHA1, SHA256 or SHA512.', check: checkAlgorithm }),
  // RFC 4226 §5.3 (at least 6); checklist TOTP-12
  totpDigits: option({ env: 'SECURITY_TOTP_DIGITS', kind: 'integer', default: 6, summary: 'Code length: 6 or 8.', check: checkDigits }),
  // RFC 6238 §5.2; NIST SP 800-63B §5.1.4.1 (≤ 2 min)
  /** The TOTP time step. */
  totpPeriod: option({ env: 'SECURITY_TOTP_PERIOD', kind: 'seconds', default: 30, summary: 'TOTP time step, 15-120 seconds.', check: checkPeriod }),
  // 5 wrong codes per challenge; NIST SP 800-63B §5.2.2 caps consecutive failures at 100, checklist RL-01 asks far lower.
  twoFactorMaxCodeAttempts: option({
    env: 'SECURITY_TWO_FACTOR_MAX_CODE_ATTEMPTS',
    kind: 'integer',
    default: 5,
    summary: 'Wrong codes allowed per challenge (1-100).',
    check: (v, k) => checkInteger(k, v, 1, 100),
  }),
  // 10 wrong second-factor codes per account, every factor together, kept across logins and resends; NIST SP
  // 800-63B §5.2.2 caps consecutive failures at 100 (checklist RL-01, RL-02, D-5).
  /** Wrong second-factor codes per account (all factors, across logins) before the account locks. */
  twoFactorMaxFailedAttempts: option({
    env: 'SECURITY_TWO_FACTOR_MAX_FAILED_ATTEMPTS',
    kind: 'integer',
    default: 10,
    summary: 'Wrong second-factor codes per account before it locks (1-100).',
    check: (v, k) => checkInteger(k, v, 1, 100),
  }),
  // Growing back-off, 30 s doubling up to 1 h: NIST SP 800-63B §5.2.2 (e.g. 30 s up to 1 h), checklist RL-07.
  /** The first lock's length; each further failure doubles it. */
  twoFactorLockoutBase: option({
    env: 'SECURITY_TWO_FACTOR_LOCKOUT_BASE',
    kind: 'seconds',
    default: 30,
    summary: 'Seconds of the first lock; each further failure doubles it.',
    check: (v, k) => checkSeconds(k, v, { min: 1 }),
  }),
  /** The longest a lock lasts. */
  twoFactorLockoutMax: option({
    env: 'SECURITY_TWO_FACTOR_LOCKOUT_MAX',
    kind: 'seconds',
    default: HOUR,
    summary: 'Seconds a lock lasts at most (at least twoFactorLockoutBase).',
    check: (v, k) => checkSeconds(k, v, { min: 1 }),
  }),
  // Checklist FLOW-10: a session or API token obtained under the old factor ends with it.
  /** Whether changing or turning off the second factor ends the user's other sessions and API tokens. */
  twoFactorChangeEndsOtherSessions: option({
    env: 'SECURITY_TWO_FACTOR_CHANGE_ENDS_OTHER_SESSIONS',
    kind: 'boolean',
    default: true,
    summary: "Changing or turning off the second factor signs the user's other sessions and API tokens out.",
    check: (v, k) => checkBoolean(k, v),
  }),
  // Checklist WEB-04: session and trusted-device cookies only over HTTPS, except to this machine (development).
  /** Whether twofold answers over plain HTTP to hosts other than loopback ones. */
  allowInsecureHttp: option({
    env: 'SECURITY_ALLOW_INSECURE_HTTP',
    kind: 'boolean',
    default: false,
    summary: 'Serve twofold over plain HTTP to hosts other than localhost (never in production).',
    check: (v, k) => checkBoolean(k, v),
  }),
  // Checklist FLOW-08, MGT-01, ENR-03: fresh means the password and a second factor (ASVS 5 §7.5.1); FST asks
  // only the password on /verify.
  /** Whether `/verify` asks a user with 2FA for a code after the password. */
  freshnessRequiresSecondFactor: option({
    env: 'SECURITY_FRESHNESS_REQUIRES_SECOND_FACTOR',
    kind: 'boolean',
    default: true,
    summary: 'Re-authentication (/verify) asks a user with 2FA for a code after the password.',
    check: (v, k) => checkBoolean(k, v),
  }),
  // Sending codes costs money (SMS pumping) and floods inboxes: a cooldown between sends, and caps per account,
  // per destination (many accounts, one number) and per client address (many accounts, one client), all
  // counted in the database so every instance shares them (checklist RL-08; OWASP WSTG-ATHN-11).
  /** The least time between two codes sent to one account. */
  twoFactorSendCooldown: option({
    env: 'SECURITY_TWO_FACTOR_SEND_COOLDOWN',
    kind: 'seconds',
    default: 30,
    summary: 'Seconds between two codes sent to one account.',
    check: (v, k) => checkSeconds(k, v, { min: 1 }),
  }),
  /** The window the three send caps count in. */
  twoFactorSendWindow: option({
    env: 'SECURITY_TWO_FACTOR_SEND_WINDOW',
    kind: 'seconds',
    default: HOUR,
    summary: 'The window the send caps count in.',
    check: (v, k) => checkSeconds(k, v, { min: 1 }),
  }),
  twoFactorMaxSendsPerAccount: option({
    env: 'SECURITY_TWO_FACTOR_MAX_SENDS_PER_ACCOUNT',
    kind: 'integer',
    default: 10,
    summary: 'Codes sent to one account per window (1-1000).',
    check: (v, k) => checkInteger(k, v, 1, 1000),
  }),
  // Counted per account and destination: a confirmed number's login budget is its account's alone, so other
  // accounts starting set-ups towards that number cannot use it up and lock its owner out.
  /** Login codes to one account's confirmed e-mail address or phone number per window. */
  twoFactorMaxSendsPerDestination: option({
    env: 'SECURITY_TWO_FACTOR_MAX_SENDS_PER_DESTINATION',
    kind: 'integer',
    default: 10,
    summary: "Login codes sent to one account's e-mail address or phone number per window (1-1000).",
    check: (v, k) => checkInteger(k, v, 1, 1000),
  }),
  twoFactorMaxSendsPerAddress: option({
    env: 'SECURITY_TWO_FACTOR_MAX_SENDS_PER_ADDRESS',
    kind: 'integer',
    default: 30,
    summary: 'Codes sent on behalf of one client IP address per window (1-10000).',
    check: (v, k) => checkInteger(k, v, 1, 10_000),
  }),
  // A set-up code goes to a number or address nobody has confirmed yet, so possibly a stranger's: 3 tries an
  // hour cover a typo and a slow text for one account; more is one account texting someone else.
  /** Set-up codes one account may send to one unconfirmed e-mail address or phone number per window. */
  twoFactorMaxSetupSendsPerAccountDestination: option({
    env: 'SECURITY_TWO_FACTOR_MAX_SETUP_SENDS_PER_ACCOUNT_DESTINATION',
    kind: 'integer',
    default: 3,
    summary: 'Set-up codes one account may send to one unconfirmed e-mail address or phone number per window (1-100).',
    check: (v, k) => checkInteger(k, v, 1, 100),
  }),
  // And all accounts together: a stranger's number gets at most 5 unwanted texts an hour however many
  // accounts an attacker makes (SMS pumping, harassment). Login codes to a confirmed number do not count here.
  /** Set-up codes sent to one e-mail address or phone number per window, all accounts together. */
  twoFactorMaxSetupSendsPerDestination: option({
    env: 'SECURITY_TWO_FACTOR_MAX_SETUP_SENDS_PER_DESTINATION',
    kind: 'integer',
    default: 5,
    summary: 'Set-up codes sent to one e-mail address or phone number per window, all accounts together (1-1000).',
    check: (v, k) => checkInteger(k, v, 1, 1000),
  }),
  // Checklist RL-09, MGT-03, REC-05, TOTP-11: tell the user, on their e-mail, of lockouts, factor changes,
  // recovery codes made or used, 2FA turned off and replayed codes; never with a code in the message.
  /** Whether users get notice e-mails of security changes (needs a mailer). */
  sendTwoFactorNoticeEmail: option({
    env: 'SECURITY_SEND_TWO_FACTOR_NOTICE_EMAIL',
    kind: 'boolean',
    default: true,
    summary: 'Mail the user a notice of each security change to their second factor (when a mailer is configured).',
    check: (v, k) => checkBoolean(k, v),
  }),
  emailSubjectTwoFactorNotice: option({
    env: 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR_NOTICE',
    kind: 'string',
    default: 'Security notice: two-factor authentication',
    summary: 'Subject of the notice e-mails.',
    check: (v, k) => checkString(k, v),
  }),
  // checklist TOTP-06: the cap needs an explicit override
  allowLongAuthenticatorValidity: option({
    env: 'SECURITY_ALLOW_LONG_AUTHENTICATOR_VALIDITY',
    kind: 'boolean',
    default: false,
    summary: 'Permit twoFactorAuthenticatorValidity above one time step either side.',
    check: (v, k) => checkBoolean(k, v),
  }),
});

/** The table's type: a row for every option. */
export type OptionTable = typeof OPTIONS;

/** An option's name. */
export type OptionName = keyof OptionTable;

/** Every option name, in table order. */
export const OPTION_NAMES: readonly OptionName[] = Object.freeze(Object.keys(OPTIONS) as OptionName[]);

export { ALIASES, isInertText, isInertValue, REFUSED, type RefusedEntry } from './aliases.js';
