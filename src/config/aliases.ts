/** The other names twofold reads: the seed's and FST's older names for options (ALIASES), and the FST keys it refuses (REFUSED). */
import type { OptionName } from './table.js';

/** The seed's key names (docs/design.md §2) and FST's pre-4.0 names, accepted for the option they now are. */
export const ALIASES = Object.freeze({
  /** `SECURITY_RECOVERY_CODES` → `multiFactorRecoveryCodes`. */
  recoveryCodes: { option: 'multiFactorRecoveryCodes', env: 'SECURITY_RECOVERY_CODES' },
  /** `SECURITY_RECOVERY_CODES_N` → `multiFactorRecoveryCodesN`. */
  recoveryCodesN: { option: 'multiFactorRecoveryCodesN', env: 'SECURITY_RECOVERY_CODES_N' },
  /** `SECURITY_TWO_FACTOR_SMS_SERVICE` → `smsService`. */
  twoFactorSmsService: { option: 'smsService', env: 'SECURITY_TWO_FACTOR_SMS_SERVICE' },
  /** `SECURITY_TWO_FACTOR_SMS_SERVICE_CONFIG` → `smsServiceConfig`. */
  twoFactorSmsServiceConfig: { option: 'smsServiceConfig', env: 'SECURITY_TWO_FACTOR_SMS_SERVICE_CONFIG' },
  /** `SECURITY_TWO_FACTOR_URI_SERVICE_NAME` (FST before 4.0) → `totpIssuer`. */
  twoFactorUriServiceName: { option: 'totpIssuer', env: 'SECURITY_TWO_FACTOR_URI_SERVICE_NAME' },
} as const satisfies Readonly<Record<string, { readonly option: OptionName; readonly env: `SECURITY_${string}` }>>);

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
  /** @deprecated twofold stores "remember this device" tokens hashed server-side; nothing is signed. Remove it. */
  twoFactorValiditySalt: {
    env: 'SECURITY_TWO_FACTOR_VALIDITY_SALT',
    fix: 'twofold keeps "remember this device" tokens as hashes in the database, not signed cookies, so there is no salt to set; remove this option',
    inert: 'tf-validity-salt',
  },
  /** @deprecated twofold stores set-up state server-side, its token hashed; nothing is signed. Remove it. */
  twoFactorSetupSalt: {
    env: 'SECURITY_TWO_FACTOR_SETUP_SALT',
    fix: 'twofold keeps set-up state on the server and stores its token hashed, so there is no salt to set; remove this option',
    inert: 'tf-setup-salt',
  },
  /** @deprecated for the WebAuthn plugin, which does not exist yet. Remove it. */
  wanAllowAsMultiFactor: {
    env: 'SECURITY_WAN_ALLOW_AS_MULTI_FACTOR',
    fix: 'belongs to the WebAuthn plugin, which twofold does not have yet; remove this option',
    inert: true,
  },
  /** @deprecated FST's SPA redirects are not implemented; SPAs use the JSON replies. Remove it. */
  redirectBehavior: {
    env: 'SECURITY_REDIRECT_BEHAVIOR',
    fix:
      "'spa' (redirects to SPA views with the outcome in query parameters) is not implemented; a single-page app calls " +
      "twofold's endpoints with Accept: application/json and gets JSON replies. Remove this option",
    inert: null,
  },
  /** @deprecated used only by `redirectBehavior: 'spa'`. Remove it. */
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

