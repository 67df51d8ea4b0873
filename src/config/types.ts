/** The shapes of twofold's options: what an application passes in, and the complete configuration it gets back. */
import type { User } from '../user.js';

/** A duration in seconds. Every duration option uses this one unit (STYLE rule 3). */
export type Seconds = number;

/** The methods the built-in code plugin serves. */
export type CodeMethod = 'authenticator' | 'email' | 'sms';

/** HMAC algorithms for TOTP (RFC 6238 §1.2; the Key URI format allows exactly these). */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** How an API client may authenticate (FST `API_ENABLED_METHODS`). */
export type ApiAuthMethod = 'session' | 'token';

/** Decides per user whether 2FA is required; may consult the database. */
export type TwoFactorRequiredPredicate = (user: User) => boolean | Promise<boolean>;

/** Attributes of the "remember this device" cookie (FST `TWO_FACTOR_VALIDITY_COOKIE`). */
export interface ValidityCookieOptions {
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: 'Strict' | 'Lax' | 'None';
  readonly path: string;
  readonly domain: string | null;
}

/**
 * The complete, validated configuration {@link resolveConfig} returns, frozen. Each option maps mechanically
 * from a Flask-Security-Too key: `SECURITY_TWO_FACTOR_REQUIRED` ↔ `twoFactorRequired`. Defaults, units, sources
 * and `SECURITY_*` names are in `OPTIONS` (`config/table.ts`).
 */
export interface TwofoldConfig {
  // Feature switches and behaviour (reference §1.1).
  readonly twoFactor: boolean;
  readonly twoFactorRequired: boolean | TwoFactorRequiredPredicate;
  readonly twoFactorEnabledMethods: readonly CodeMethod[];
  /** How far either side of now an authenticator code is accepted; 30 s with 30 s steps is ±1 step. */
  readonly twoFactorAuthenticatorValidity: Seconds;
  /** How long an e-mailed code lives. */
  readonly twoFactorMailValidity: Seconds;
  /** How long a texted code lives. */
  readonly twoFactorSmsValidity: Seconds;
  readonly twoFactorAlwaysValidate: boolean;
  /** How long "remember this device" lasts. */
  readonly twoFactorLoginValidity: Seconds;
  readonly twoFactorValidityCookieName: string;
  readonly twoFactorValidityCookie: ValidityCookieOptions;
  /** How long a started set-up (its pending secret and state token) stays valid. */
  readonly twoFactorSetupWithin: Seconds;
  readonly twoFactorRescueEmail: boolean;
  readonly twoFactorRescueMail: string;
  readonly twoFactorPostSetupView: string;
  readonly twoFactorErrorView: string;
  // URLs and templates (reference §1.2).
  readonly twoFactorSetupUrl: string;
  readonly twoFactorTokenValidationUrl: string;
  readonly twoFactorRescueUrl: string;
  readonly twoFactorSelectUrl: string;
  /** twofold's own: the remembered browsers, listed and revoked (checklist RMD-04). */
  readonly twoFactorDevicesUrl: string;
  readonly twoFactorSetupTemplate: string;
  readonly twoFactorVerifyCodeTemplate: string;
  readonly twoFactorSelectTemplate: string;
  readonly twoFactorEmailTemplate: string;
  readonly twoFactorRescueEmailTemplate: string;
  readonly emailSubjectTwoFactor: string;
  readonly emailSubjectTwoFactorRescue: string;
  // TOTP, SMS, phone (reference §1.3).
  /** Application secrets by tag; the highest tag encrypts, every tag decrypts (`crypto/keyring.ts`). */
  readonly totpSecrets: Readonly<Record<string, string>>;
  readonly totpIssuer: string;
  readonly smsService: string;
  readonly smsServiceConfig: Readonly<Record<string, unknown>>;
  readonly phoneRegionDefault: string;
  // Recovery codes (reference §1.4).
  readonly multiFactorRecoveryCodes: boolean;
  readonly multiFactorRecoveryCodesN: number;
  readonly multiFactorRecoveryCodesUrl: string;
  readonly multiFactorRecoveryCodesTemplate: string;
  readonly multiFactorRecoveryUrl: string;
  readonly multiFactorRecoveryTemplate: string;
  // Related keys (reference §1.5) and the views around login.
  /** How long a session lives at most (absolute timeout). */
  readonly sessionLifetime: Seconds;
  /** How long a session may be idle before it ends. */
  readonly sessionIdleTimeout: Seconds;
  /** How long a login may wait for its second factor once the password was right. */
  readonly twoFactorLoginWithin: Seconds;
  /** How recent the last full authentication must be for sensitive pages. */
  readonly freshness: Seconds;
  readonly freshnessGracePeriod: Seconds;
  readonly apiEnabledMethods: readonly ApiAuthMethod[];
  readonly csrfIgnoreUnauthEndpoints: boolean;
  readonly csrfCookieName: string | null;
  readonly csrfHeader: string;
  readonly defaultRememberMe: boolean;
  readonly loginUrl: string;
  readonly logoutUrl: string;
  readonly verifyUrl: string;
  readonly postLoginView: string;
  readonly postLogoutView: string;
  // twofold's own.
  readonly urlPrefix: string;
  readonly totpAlgorithm: TotpAlgorithm;
  readonly totpDigits: 6 | 8;
  /** The TOTP time step. */
  readonly totpPeriod: Seconds;
  readonly twoFactorMaxCodeAttempts: number;
  /** Wrong second-factor codes per account (all factors, across logins) before the account locks. */
  readonly twoFactorMaxFailedAttempts: number;
  /** The first lock's length; each further failure doubles it. */
  readonly twoFactorLockoutBase: Seconds;
  /** The longest a lock lasts. */
  readonly twoFactorLockoutMax: Seconds;
  /** Whether changing or turning off the second factor ends the user's other sessions and API tokens. */
  readonly twoFactorChangeEndsOtherSessions: boolean;
  /** Whether twofold answers over plain HTTP to hosts other than loopback ones. */
  readonly allowInsecureHttp: boolean;
  /** Whether `/verify` asks a user with 2FA for a code after the password. */
  readonly freshnessRequiresSecondFactor: boolean;
  /** The least time between two codes sent to one account. */
  readonly twoFactorSendCooldown: Seconds;
  /** The window the three send caps count in. */
  readonly twoFactorSendWindow: Seconds;
  readonly twoFactorMaxSendsPerAccount: number;
  /** Login codes to one account's confirmed e-mail address or phone number per window. */
  readonly twoFactorMaxSendsPerDestination: number;
  readonly twoFactorMaxSendsPerAddress: number;
  /** Set-up codes one account may send to one unconfirmed e-mail address or phone number per window. */
  readonly twoFactorMaxSetupSendsPerAccountDestination: number;
  /** Set-up codes sent to one e-mail address or phone number per window, all accounts together. */
  readonly twoFactorMaxSetupSendsPerDestination: number;
  /** Whether users get notice e-mails of security changes (needs a mailer). */
  readonly sendTwoFactorNoticeEmail: boolean;
  readonly emailSubjectTwoFactorNotice: string;
  readonly allowLongAuthenticatorValidity: boolean;
}

/** Options whose input shape is looser than the resolved value. */
interface InputShapes {
  /** The legacy names `mail` and `google_authenticator` are read as `email` and `authenticator`. */
  readonly twoFactorEnabledMethods: readonly (CodeMethod | 'mail' | 'google_authenticator')[];
  /** Merged over the default, so `{ secure: false }` keeps `httpOnly` and `sameSite`. */
  readonly twoFactorValidityCookie: Readonly<Partial<ValidityCookieOptions>>;
}

/** The seed's key names, accepted as aliases (DESIGN §4). Setting an alias and its option differently is an error. */
export interface AliasOptions {
  /** `SECURITY_RECOVERY_CODES` → {@link TwofoldConfig.multiFactorRecoveryCodes}. */
  readonly recoveryCodes?: boolean;
  /** `SECURITY_RECOVERY_CODES_N` → {@link TwofoldConfig.multiFactorRecoveryCodesN}. */
  readonly recoveryCodesN?: number;
  /** `SECURITY_TWO_FACTOR_SMS_SERVICE` → {@link TwofoldConfig.smsService}. */
  readonly twoFactorSmsService?: string;
  /** `SECURITY_TWO_FACTOR_SMS_SERVICE_CONFIG` → {@link TwofoldConfig.smsServiceConfig}. */
  readonly twoFactorSmsServiceConfig?: Readonly<Record<string, unknown>>;
  /** `SECURITY_TWO_FACTOR_URI_SERVICE_NAME` (FST before 4.0) → {@link TwofoldConfig.totpIssuer}. */
  readonly twoFactorUriServiceName?: string;
}

/**
 * FST keys twofold does not implement, typed as the one value each accepts: FST's default, which asks for
 * nothing twofold lacks. Any other value is a ConfigError (see `REFUSED` in `config/table.ts`).
 */
export interface InertOptions {
  /** @deprecated twofold stores "remember this device" tokens hashed server-side; nothing is signed. Remove it. */
  readonly twoFactorValiditySalt?: 'tf-validity-salt';
  /** @deprecated twofold stores set-up state server-side, its token hashed; nothing is signed. Remove it. */
  readonly twoFactorSetupSalt?: 'tf-setup-salt';
  /** @deprecated for the WebAuthn plugin, which does not exist yet. Remove it. */
  readonly wanAllowAsMultiFactor?: true;
  /** @deprecated FST's SPA redirects are not implemented; SPAs use the JSON replies. Remove it. */
  readonly redirectBehavior?: null;
  /** @deprecated used only by `redirectBehavior: 'spa'`. Remove it. */
  readonly loginErrorView?: null;
}

/** What an application passes to `resolveConfig` / `new Security(…)`: any subset of the options, plus aliases. */
export type TwofoldOptions = {
  readonly [K in keyof TwofoldConfig]?: K extends keyof InputShapes ? InputShapes[K] : TwofoldConfig[K];
} & AliasOptions &
  InertOptions;
