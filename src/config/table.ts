/** The option table: every option's SECURITY_* name, default (with unit and source), and how the environment spells it. */
import type { TwofoldConfig } from './types.js';

/** How a value is read from an environment variable (see `configFromEnv`). */
export type OptionKind =
  | 'boolean' //       `true` / `false`
  | 'seconds' //       a number of seconds
  | 'seconds?' //      a number of seconds, or `null`
  | 'integer' //       a whole number
  | 'string' //        the text as it is
  | 'string?' //       the text, or `null` for an empty value or `null`
  | 'list' //          a JSON array of strings, or comma-separated words
  | 'object'; //       a JSON object

/** A default computed from other options, described for docs and the CLI. */
export interface DerivedDefault {
  readonly derivedFrom: string;
}

/** One option's row. */
export interface OptionSpec<T> {
  /** Its environment variable: `SECURITY_` + the option name in SCREAMING_SNAKE_CASE (FST's key). */
  readonly env: `SECURITY_${string}`;
  readonly kind: OptionKind;
  /** `null` where twofold can have no default: the option is required (see `summary`). */
  readonly default: T | DerivedDefault;
  /** One line for docs and `twofold config`. */
  readonly summary: string;
}

/** The table's type: a row for every option of {@link TwofoldConfig}, checked by the compiler. */
export type OptionTable = { readonly [K in keyof TwofoldConfig]: OptionSpec<TwofoldConfig[K]> };

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Every option. Where the seed and Flask-Security-Too (FST) disagree the seed wins; where a default decides
 * security the strict one wins (DESIGN §4); otherwise FST's default. Durations are {@link Seconds}.
 */
export const OPTIONS: OptionTable = Object.freeze({
  // ---- Feature switches and behaviour (reference §1.1) ----
  twoFactor: { env: 'SECURITY_TWO_FACTOR', kind: 'boolean', default: true, summary: 'Turns two-factor authentication on.' }, // DESIGN §4 (FST: False)
  twoFactorRequired: { env: 'SECURITY_TWO_FACTOR_REQUIRED', kind: 'boolean', default: false, summary: 'Every user must set up and use 2FA; or a function (user) => boolean.' }, // seed, FST
  // Only the authenticator by default. SMS is "restricted" (NIST SP 800-63B §5.1.3.3, checklist OOB-07) and
  // e-mail is not an out-of-band authenticator at all (§5.1.3.1, checklist OOB-08): both are opt-in, and
  // e-mail then needs a mailer. FST: ['email', 'authenticator', 'sms'].
  twoFactorEnabledMethods: { env: 'SECURITY_TWO_FACTOR_ENABLED_METHODS', kind: 'list', default: ['authenticator'], summary: 'Methods offered at setup: authenticator, email, sms.' },
  // 30 s = ±1 step of 30 s: RFC 6238 §5.2, checklist TOTP-06. More steps need allowLongAuthenticatorValidity. FST: 120.
  twoFactorAuthenticatorValidity: { env: 'SECURITY_TWO_FACTOR_AUTHENTICATOR_VALIDITY', kind: 'seconds', default: 30, summary: 'Seconds either side of now an authenticator code is accepted.' },
  // 5 min, FST; at most 10 min: NIST SP 800-63B §5.1.3.2, checklist OOB-02.
  twoFactorMailValidity: { env: 'SECURITY_TWO_FACTOR_MAIL_VALIDITY', kind: 'seconds', default: 5 * MINUTE, summary: 'Seconds an e-mailed code lives (at most 600).' },
  // 2 min, FST; at most 10 min as above.
  twoFactorSmsValidity: { env: 'SECURITY_TWO_FACTOR_SMS_VALIDITY', kind: 'seconds', default: 2 * MINUTE, summary: 'Seconds a texted code lives (at most 600).' },
  twoFactorAlwaysValidate: { env: 'SECURITY_TWO_FACTOR_ALWAYS_VALIDATE', kind: 'boolean', default: true, summary: 'Ask for a code at every login (no "remember this device").' }, // FST
  // 30 days, FST; checklist RMD-01 (at most 30 days).
  twoFactorLoginValidity: { env: 'SECURITY_TWO_FACTOR_LOGIN_VALIDITY', kind: 'seconds', default: 30 * DAY, summary: 'Seconds "remember this device" lasts.' },
  twoFactorValidityCookieName: { env: 'SECURITY_TWO_FACTOR_VALIDITY_COOKIE_NAME', kind: 'string', default: 'tf_validity', summary: 'Name of the "remember this device" cookie.' }, // FST 5.9
  // FST 5.9 (httponly, secure, samesite=Strict), plus the path and domain FST leaves to Flask.
  twoFactorValidityCookie: {
    env: 'SECURITY_TWO_FACTOR_VALIDITY_COOKIE',
    kind: 'object',
    default: { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: null },
    summary: 'Attributes of that cookie; merged over the default.',
  },
  // 10 min: checklist ENR-02 and FLOW-07 (an unconfirmed secret expires; pending state ≤ 10 min). FST: 30 min.
  twoFactorSetupWithin: { env: 'SECURITY_TWO_FACTOR_SETUP_WITHIN', kind: 'seconds', default: 10 * MINUTE, summary: 'Seconds a started setup stays valid.' },
  // Off: whoever holds the mailbox could pass the second factor (reference §10.9, FST issue #479); recovery
  // codes are the rescue. FST: True.
  twoFactorRescueEmail: { env: 'SECURITY_TWO_FACTOR_RESCUE_EMAIL', kind: 'boolean', default: false, summary: 'Offer "send a code to my e-mail" as a rescue option.' },
  twoFactorRescueMail: { env: 'SECURITY_TWO_FACTOR_RESCUE_MAIL', kind: 'string', default: 'no-reply@localhost', summary: 'Administrator address for "help" rescue mails.' }, // FST
  twoFactorPostSetupView: { env: 'SECURITY_TWO_FACTOR_POST_SETUP_VIEW', kind: 'string', default: { derivedFrom: 'urlPrefix + twoFactorSetupUrl' }, summary: 'Where to go after a setup change or disable.' }, // FST '.two_factor_setup'
  twoFactorErrorView: { env: 'SECURITY_TWO_FACTOR_ERROR_VIEW', kind: 'string', default: { derivedFrom: 'urlPrefix + loginUrl' }, summary: 'Where an illegal-state request is sent.' }, // FST '.login'

  // ---- URLs and templates (reference §1.2), all FST ----
  twoFactorSetupUrl: { env: 'SECURITY_TWO_FACTOR_SETUP_URL', kind: 'string', default: '/tf-setup', summary: 'Setup, change and disable.' },
  twoFactorTokenValidationUrl: { env: 'SECURITY_TWO_FACTOR_TOKEN_VALIDATION_URL', kind: 'string', default: '/tf-validate', summary: 'Enter a code.' },
  twoFactorRescueUrl: { env: 'SECURITY_TWO_FACTOR_RESCUE_URL', kind: 'string', default: '/tf-rescue', summary: 'Rescue options.' },
  twoFactorSelectUrl: { env: 'SECURITY_TWO_FACTOR_SELECT_URL', kind: 'string', default: '/tf-select', summary: 'Choose among several second factors.' },
  // twofold: FST has no page for the remembered browsers (checklist RMD-04).
  twoFactorDevicesUrl: { env: 'SECURITY_TWO_FACTOR_DEVICES_URL', kind: 'string', default: '/tf-devices', summary: 'List and forget remembered browsers.' },
  twoFactorSetupTemplate: { env: 'SECURITY_TWO_FACTOR_SETUP_TEMPLATE', kind: 'string', default: 'security/two_factor_setup.html', summary: 'Setup page template.' },
  twoFactorVerifyCodeTemplate: { env: 'SECURITY_TWO_FACTOR_VERIFY_CODE_TEMPLATE', kind: 'string', default: 'security/two_factor_verify_code.html', summary: 'Code and rescue page template.' },
  twoFactorSelectTemplate: { env: 'SECURITY_TWO_FACTOR_SELECT_TEMPLATE', kind: 'string', default: 'security/two_factor_select.html', summary: 'Method selection page template.' },
  twoFactorEmailTemplate: { env: 'SECURITY_TWO_FACTOR_EMAIL_TEMPLATE', kind: 'string', default: 'security/email/two_factor_instructions', summary: 'Code e-mail template.' },
  twoFactorRescueEmailTemplate: { env: 'SECURITY_TWO_FACTOR_RESCUE_EMAIL_TEMPLATE', kind: 'string', default: 'security/email/two_factor_rescue', summary: 'Administrator "help" e-mail template.' },
  emailSubjectTwoFactor: { env: 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR', kind: 'string', default: 'Two-Factor Login', summary: 'Subject of the code e-mail.' },
  emailSubjectTwoFactorRescue: { env: 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR_RESCUE', kind: 'string', default: 'Two-Factor Rescue', summary: 'Subject of the "help" e-mail.' },

  // ---- TOTP, SMS, phone (reference §1.3) ----
  // Required whenever 2FA or recovery codes are on; each secret at least 32 bytes (see resolve.ts).
  totpSecrets: { env: 'SECURITY_TOTP_SECRETS', kind: 'object', default: {}, summary: 'Required. {"tag": "secret"} keys that encrypt TOTP secrets; highest tag encrypts.' },
  // Required whenever 2FA is on (FST raises without it too).
  totpIssuer: { env: 'SECURITY_TOTP_ISSUER', kind: 'string', default: '', summary: 'Required. The issuer an authenticator app shows, e.g. "My App".' },
  smsService: { env: 'SECURITY_SMS_SERVICE', kind: 'string', default: 'dummy', summary: 'Registered SMS sender: dummy, twilio, or your own.' }, // FST 'Dummy'; names are case-insensitive
  smsServiceConfig: {
    env: 'SECURITY_SMS_SERVICE_CONFIG',
    kind: 'object',
    default: { ACCOUNT_SID: null, AUTH_TOKEN: null, PHONE_NUMBER: null },
    summary: 'Settings handed to the SMS sender; PHONE_NUMBER is the sending number.',
  }, // FST
  phoneRegionDefault: { env: 'SECURITY_PHONE_REGION_DEFAULT', kind: 'string', default: 'US', summary: 'Region for phone numbers typed without +country code.' }, // FST

  // ---- Recovery codes (reference §1.4) ----
  multiFactorRecoveryCodes: { env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES', kind: 'boolean', default: true, summary: 'Offer recovery codes.' }, // seed (FST: False)
  multiFactorRecoveryCodesN: { env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_N', kind: 'integer', default: 10, summary: 'Codes per set (1-100).' }, // seed (FST: 5)
  multiFactorRecoveryCodesUrl: { env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_URL', kind: 'string', default: '/mf-recovery-codes', summary: 'Show or regenerate recovery codes.' }, // FST
  multiFactorRecoveryCodesTemplate: { env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_TEMPLATE', kind: 'string', default: 'security/mf_recovery_codes.html', summary: 'Recovery codes page template.' }, // FST
  multiFactorRecoveryUrl: { env: 'SECURITY_MULTI_FACTOR_RECOVERY_URL', kind: 'string', default: '/mf-recovery', summary: 'Enter a recovery code instead of the second factor.' }, // FST
  multiFactorRecoveryTemplate: { env: 'SECURITY_MULTI_FACTOR_RECOVERY_TEMPLATE', kind: 'string', default: 'security/mf_recovery.html', summary: 'Recovery code entry page template.' }, // FST

  // ---- Related keys (reference §1.5) and the views around login, all FST except csrfHeader ----
  // twofold's own session timeouts. NIST SP 800-63B-4 §5.2 (AAL2): reauthenticate at least every 24 h and after
  // at most 1 h of inactivity (checklist FLOW-09).
  sessionLifetime: { env: 'SECURITY_SESSION_LIFETIME', kind: 'seconds', default: DAY, summary: 'Seconds a session lives at most, however active.' },
  sessionIdleTimeout: { env: 'SECURITY_SESSION_IDLE_TIMEOUT', kind: 'seconds', default: HOUR, summary: 'Seconds of inactivity after which a session ends.' },
  // A half-finished login (password right, second factor pending) lives 10 minutes: NIST SP 800-63B §5.1.3.2,
  // checklist FLOW-07. FST: no limit but the session cookie's.
  twoFactorLoginWithin: { env: 'SECURITY_TWO_FACTOR_LOGIN_WITHIN', kind: 'seconds', default: 10 * MINUTE, summary: 'Seconds a login may wait for its second factor.' },
  // 10 min, as a bank asks again before a payment: a copied cookie or token must not be enough to make new
  // recovery codes, replace the authenticator or turn 2FA off (checklist FLOW-08; ASVS 5 §7.5; NIST SP
  // 800-63B-4 §5.1: re-authenticate before sensitive changes). FST: 24 h, the whole session.
  freshness: { env: 'SECURITY_FRESHNESS', kind: 'seconds', default: 10 * MINUTE, summary: 'Seconds since the login or last /verify within which sensitive pages need no re-authentication.' },
  // 5 min, enough to finish a step begun in time (a set-up's code); it never slides past that. FST: 1 h, sliding.
  freshnessGracePeriod: { env: 'SECURITY_FRESHNESS_GRACE_PERIOD', kind: 'seconds', default: 5 * MINUTE, summary: 'Extra seconds after a fresh check in which a sensitive step may finish.' },
  apiEnabledMethods: { env: 'SECURITY_API_ENABLED_METHODS', kind: 'list', default: ['session', 'token'], summary: 'How requests may authenticate: session, token (HTTP Basic is refused).' },
  csrfIgnoreUnauthEndpoints: { env: 'SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS', kind: 'boolean', default: false, summary: 'Skip CSRF on anonymous 2FA endpoints.' },
  csrfCookieName: { env: 'SECURITY_CSRF_COOKIE_NAME', kind: 'string?', default: null, summary: 'Also send the CSRF token in this cookie (SPA flow).' },
  csrfHeader: { env: 'SECURITY_CSRF_HEADER', kind: 'string', default: 'X-CSRF-Token', summary: 'Header carrying the CSRF token.' }, // DESIGN §5 (FST: X-XSRF-Token)
  defaultRememberMe: { env: 'SECURITY_DEFAULT_REMEMBER_ME', kind: 'boolean', default: false, summary: '"remember" when a JSON login does not say.' },
  loginUrl: { env: 'SECURITY_LOGIN_URL', kind: 'string', default: '/login', summary: 'Login page.' },
  logoutUrl: { env: 'SECURITY_LOGOUT_URL', kind: 'string', default: '/logout', summary: 'Logout.' },
  verifyUrl: { env: 'SECURITY_VERIFY_URL', kind: 'string', default: '/verify', summary: 'Re-authentication page.' },
  postLoginView: { env: 'SECURITY_POST_LOGIN_VIEW', kind: 'string', default: '/', summary: 'Where to go after login when there is no safe next.' },
  postLogoutView: { env: 'SECURITY_POST_LOGOUT_VIEW', kind: 'string', default: '/', summary: 'Where to go after logout.' },

  // ---- twofold's own ----
  urlPrefix: { env: 'SECURITY_URL_PREFIX', kind: 'string', default: '', summary: 'Prefix for every twofold URL, e.g. "/auth".' }, // FST URL_PREFIX (None)
  totpAlgorithm: { env: 'SECURITY_TOTP_ALGORITHM', kind: 'string', default: 'SHA1', summary: 'SHA1, SHA256 or SHA512.' }, // RFC 6238 §1.2; what every authenticator app supports (Key URI format)
  totpDigits: { env: 'SECURITY_TOTP_DIGITS', kind: 'integer', default: 6, summary: 'Code length: 6 or 8.' }, // RFC 4226 §5.3 (at least 6); checklist TOTP-12
  totpPeriod: { env: 'SECURITY_TOTP_PERIOD', kind: 'seconds', default: 30, summary: 'TOTP time step, 15-120 seconds.' }, // RFC 6238 §5.2; NIST SP 800-63B §5.1.4.1 (≤ 2 min)
  // 5 wrong codes per challenge; NIST SP 800-63B §5.2.2 caps consecutive failures at 100, checklist RL-01 asks far lower.
  twoFactorMaxCodeAttempts: { env: 'SECURITY_TWO_FACTOR_MAX_CODE_ATTEMPTS', kind: 'integer', default: 5, summary: 'Wrong codes allowed per challenge (1-100).' },
  // 10 wrong second-factor codes per account, every factor together, kept across logins and resends; NIST SP
  // 800-63B §5.2.2 caps consecutive failures at 100 (checklist RL-01, RL-02, D-5).
  twoFactorMaxFailedAttempts: {
    env: 'SECURITY_TWO_FACTOR_MAX_FAILED_ATTEMPTS',
    kind: 'integer',
    default: 10,
    summary: 'Wrong second-factor codes per account before it locks (1-100).',
  },
  // Growing back-off, 30 s doubling up to 1 h: NIST SP 800-63B §5.2.2 (e.g. 30 s up to 1 h), checklist RL-07.
  twoFactorLockoutBase: { env: 'SECURITY_TWO_FACTOR_LOCKOUT_BASE', kind: 'seconds', default: 30, summary: 'Seconds of the first lock; each further failure doubles it.' },
  twoFactorLockoutMax: { env: 'SECURITY_TWO_FACTOR_LOCKOUT_MAX', kind: 'seconds', default: HOUR, summary: 'Seconds a lock lasts at most (at least twoFactorLockoutBase).' },
  // Checklist FLOW-10: a session or API token obtained under the old factor ends with it.
  twoFactorChangeEndsOtherSessions: {
    env: 'SECURITY_TWO_FACTOR_CHANGE_ENDS_OTHER_SESSIONS',
    kind: 'boolean',
    default: true,
    summary: "Changing or turning off the second factor signs the user's other sessions and API tokens out.",
  },
  // Checklist WEB-04: session and trusted-device cookies only over HTTPS, except to this machine (development).
  allowInsecureHttp: {
    env: 'SECURITY_ALLOW_INSECURE_HTTP',
    kind: 'boolean',
    default: false,
    summary: 'Serve twofold over plain HTTP to hosts other than localhost (never in production).',
  },
  // Checklist FLOW-08, MGT-01, ENR-03: fresh means the password and a second factor (ASVS 5 §7.5.1); FST asks
  // only the password on /verify.
  freshnessRequiresSecondFactor: {
    env: 'SECURITY_FRESHNESS_REQUIRES_SECOND_FACTOR',
    kind: 'boolean',
    default: true,
    summary: 'Re-authentication (/verify) asks a user with 2FA for a code after the password.',
  },
  // Sending codes costs money (SMS pumping) and floods inboxes: a cooldown between sends, and caps per account,
  // per destination (many accounts, one number) and per client address (many accounts, one client), all
  // counted in the database so every instance shares them (checklist RL-08; OWASP WSTG-ATHN-11).
  twoFactorSendCooldown: { env: 'SECURITY_TWO_FACTOR_SEND_COOLDOWN', kind: 'seconds', default: 30, summary: 'Seconds between two codes sent to one account.' },
  twoFactorSendWindow: { env: 'SECURITY_TWO_FACTOR_SEND_WINDOW', kind: 'seconds', default: HOUR, summary: 'The window the send caps count in.' },
  twoFactorMaxSendsPerAccount: { env: 'SECURITY_TWO_FACTOR_MAX_SENDS_PER_ACCOUNT', kind: 'integer', default: 10, summary: 'Codes sent to one account per window (1-1000).' },
  // Counted per account and destination: a confirmed number's login budget is its account's alone, so other
  // accounts starting set-ups towards that number cannot use it up and lock its owner out.
  twoFactorMaxSendsPerDestination: {
    env: 'SECURITY_TWO_FACTOR_MAX_SENDS_PER_DESTINATION',
    kind: 'integer',
    default: 10,
    summary: "Login codes sent to one account's e-mail address or phone number per window (1-1000).",
  },
  twoFactorMaxSendsPerAddress: {
    env: 'SECURITY_TWO_FACTOR_MAX_SENDS_PER_ADDRESS',
    kind: 'integer',
    default: 30,
    summary: 'Codes sent on behalf of one client IP address per window (1-10000).',
  },
  // A set-up code goes to a number or address nobody has confirmed yet, so possibly a stranger's: 3 tries an
  // hour cover a typo and a slow text for one account; more is one account texting someone else.
  twoFactorMaxSetupSendsPerAccountDestination: {
    env: 'SECURITY_TWO_FACTOR_MAX_SETUP_SENDS_PER_ACCOUNT_DESTINATION',
    kind: 'integer',
    default: 3,
    summary: 'Set-up codes one account may send to one unconfirmed e-mail address or phone number per window (1-100).',
  },
  // And all accounts together: a stranger's number gets at most 5 unwanted texts an hour however many
  // accounts an attacker makes (SMS pumping, harassment). Login codes to a confirmed number do not count here.
  twoFactorMaxSetupSendsPerDestination: {
    env: 'SECURITY_TWO_FACTOR_MAX_SETUP_SENDS_PER_DESTINATION',
    kind: 'integer',
    default: 5,
    summary: 'Set-up codes sent to one e-mail address or phone number per window, all accounts together (1-1000).',
  },
  // Checklist RL-09, MGT-03, REC-05, TOTP-11: tell the user, on their e-mail, of lockouts, factor changes,
  // recovery codes made or used, 2FA turned off and replayed codes; never with a code in the message.
  sendTwoFactorNoticeEmail: {
    env: 'SECURITY_SEND_TWO_FACTOR_NOTICE_EMAIL',
    kind: 'boolean',
    default: true,
    summary: 'Mail the user a notice of each security change to their second factor (when a mailer is configured).',
  },
  emailSubjectTwoFactorNotice: {
    env: 'SECURITY_EMAIL_SUBJECT_TWO_FACTOR_NOTICE',
    kind: 'string',
    default: 'Security notice: two-factor authentication',
    summary: 'Subject of the notice e-mails.',
  },
  allowLongAuthenticatorValidity: {
    env: 'SECURITY_ALLOW_LONG_AUTHENTICATOR_VALIDITY',
    kind: 'boolean',
    default: false,
    summary: 'Permit twoFactorAuthenticatorValidity above one time step either side.',
  }, // checklist TOTP-06: the cap needs an explicit override
} satisfies OptionTable);

/** Every option name, in table order. */
export const OPTION_NAMES: readonly (keyof TwofoldConfig)[] = Object.freeze(Object.keys(OPTIONS) as (keyof TwofoldConfig)[]);

/** The seed's key names (DESIGN §4) and FST's pre-4.0 names, accepted for the option they now are. */
export const ALIASES = Object.freeze({
  recoveryCodes: { option: 'multiFactorRecoveryCodes', env: 'SECURITY_RECOVERY_CODES' },
  recoveryCodesN: { option: 'multiFactorRecoveryCodesN', env: 'SECURITY_RECOVERY_CODES_N' },
  twoFactorSmsService: { option: 'smsService', env: 'SECURITY_TWO_FACTOR_SMS_SERVICE' },
  twoFactorSmsServiceConfig: { option: 'smsServiceConfig', env: 'SECURITY_TWO_FACTOR_SMS_SERVICE_CONFIG' },
  twoFactorUriServiceName: { option: 'totpIssuer', env: 'SECURITY_TWO_FACTOR_URI_SERVICE_NAME' },
} as const satisfies Readonly<Record<string, { readonly option: keyof TwofoldConfig; readonly env: `SECURITY_${string}` }>>);

/** A refused key's row: its variable, the reason and fix, and the value that may stand because it changes nothing. */
export interface RefusedEntry {
  readonly env: `SECURITY_${string}`;
  readonly fix: string;
  readonly inert?: unknown;
}

/**
 * FST keys twofold refuses, with the reason and the fix. Setting one is a `ConfigError`, so a configuration
 * carried over from FST does not silently lose a behaviour it relied on. Where a key has an `inert` value
 * (FST's default, which asks for nothing twofold lacks), that value is accepted and ignored, so such a
 * configuration still loads; any other value is refused.
 */
export const REFUSED = Object.freeze({
  twoFactorValiditySalt: {
    env: 'SECURITY_TWO_FACTOR_VALIDITY_SALT',
    fix: 'twofold keeps "remember this device" tokens as hashes in the database, not signed cookies, so there is no salt to set; remove this option',
    inert: 'tf-validity-salt',
  },
  twoFactorSetupSalt: {
    env: 'SECURITY_TWO_FACTOR_SETUP_SALT',
    fix: 'twofold keeps set-up state on the server and stores its token hashed, so there is no salt to set; remove this option',
    inert: 'tf-setup-salt',
  },
  wanAllowAsMultiFactor: {
    env: 'SECURITY_WAN_ALLOW_AS_MULTI_FACTOR',
    fix: 'belongs to the WebAuthn plugin, which twofold does not have yet; remove this option',
    inert: true,
  },
  redirectBehavior: {
    env: 'SECURITY_REDIRECT_BEHAVIOR',
    fix:
      "'spa' (redirects to SPA views with the outcome in query parameters) is not implemented; a single-page app calls " +
      "twofold's endpoints with Accept: application/json and gets JSON replies. Remove this option",
    inert: null,
  },
  loginErrorView: {
    env: 'SECURITY_LOGIN_ERROR_VIEW',
    fix: "is used only by redirectBehavior 'spa', which twofold does not implement; JSON clients get errors in the reply. Remove this option",
    inert: null,
  },
  twoFactorSecret: { env: 'SECURITY_TWO_FACTOR_SECRET', fix: 'removed in FST 4.0; use totpSecrets' },
  twoFactorGoogleAuthValidity: {
    env: 'SECURITY_TWO_FACTOR_GOOGLE_AUTH_VALIDITY',
    fix: 'removed in FST 4.0; use twoFactorAuthenticatorValidity (seconds either side of now)',
  },
  twoFactorImplementations: {
    env: 'SECURITY_TWO_FACTOR_IMPLEMENTATIONS',
    fix: 'twofold registers plugins in code: security.plugins.registerPlugin(name, plugin); remove this option',
  },
  multiFactorRecoveryCodeTtl: {
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODE_TTL',
    fix: 'recovery codes stay valid until used or replaced by a new set (NIST SP 800-63B-4 §4.2.1.1); remove this option',
  },
  multiFactorRecoveryCodesKeys: {
    env: 'SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS',
    fix: 'twofold stores recovery codes as one-way hashes, so there is nothing to encrypt; remove this option',
  },
  usMfaRequired: { env: 'SECURITY_US_MFA_REQUIRED', fix: 'twofold has no unified sign-in; remove this option' },
  autoLoginAfterConfirm: {
    env: 'SECURITY_AUTO_LOGIN_AFTER_CONFIRM',
    fix: 'twofold has no confirmation view, and never logs in without the second factor; remove this option',
  },
  autoLoginAfterReset: {
    env: 'SECURITY_AUTO_LOGIN_AFTER_RESET',
    fix: 'twofold has no password-reset view, and a reset never skips 2FA (checklist FLOW-05); remove this option',
  },
  loginWithoutConfirmation: { env: 'SECURITY_LOGIN_WITHOUT_CONFIRMATION', fix: 'twofold has no confirmation view; remove this option' },
} as const satisfies Readonly<Record<string, RefusedEntry>>);

/** Whether `value` is the refused key's inert value (see {@link REFUSED}), so it may be ignored. */
export function isInertValue(entry: RefusedEntry, value: unknown): boolean {
  return Object.hasOwn(entry, 'inert') && Object.is(entry.inert, value);
}

/** Whether an environment variable's text spells the refused key's inert value: `true`, an empty value or `null`, or the string. */
export function isInertText(entry: RefusedEntry, raw: string): boolean {
  if (!Object.hasOwn(entry, 'inert')) return false;
  const text = raw.trim();
  if (entry.inert === null) return text === '' || text === 'null';
  if (typeof entry.inert === 'boolean') return text.toLowerCase() === String(entry.inert);
  return raw === entry.inert;
}

/** Whether a default is computed from other options. */
export function isDerivedDefault(value: unknown): value is DerivedDefault {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'derivedFrom');
}
