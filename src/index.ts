/**
 * @module twofold-auth
 * The public API of twofold's core. Everything exported here, or from the `twofold-auth/express` and
 * `twofold-auth/storage` entries, is public; everything else is internal. The core needs no web framework.
 */

// Wiring
export { Security, type SecurityDeps, type FailureKind } from './security.js';
export type { RequestInfo } from './http/handler.js';
export { isStoreUnavailable } from './store/unavailable.js';
export { configFromEnv, resolveConfig } from './config.js';
export type { TwofoldConfig, TwofoldOptions, Seconds } from './config.js';
export { TwofoldError, ConfigError, type TwofoldErrorCode } from './errors.js';
export { TwofoldEvents, TWOFOLD_EVENT_NAMES, type EventClient, type TwofoldEventMap, type TwofoldEventName, type TwofoldListener } from './events.js';
export { systemClock, fixedClock, nowInWholeSeconds, type Clock } from './clock.js';
export { cryptoRandom, type Random } from './crypto/random.js';
export type { User, TfMethod } from './user.js';
export { decryptTotpSecret } from './users.js';

// One-time passwords
export {
  Totp,
  generateHotp,
  generateTotp,
  matchTotpStep,
  verifyTotp,
  totpStepAt,
  buildTotpUri,
  qrCodeSvg,
  qrCodeSvgDataUri,
  decodeBase32,
  encodeBase32NoPadding,
  type OtpAlgorithm,
  type OtpDigits,
  type TotpOptions,
  type MatchTotpOptions,
  type TotpUriOptions,
} from './otp/index.js';
export { KeyRing } from './crypto/keyring.js';

// Recovery codes
export { MfRecoveryCodesUtil, type RecoveryCodesDeps } from './recovery/recovery-codes.js';

// Delivery
export { tfSendSecurityToken, type SendSecurityTokenOptions } from './delivery/token.js';
export {
  SmsSenderBase,
  SmsSenderFactory,
  SmsSenderRegistry,
  DummySmsSender,
  type DummySms,
  type SmsSenderConfig,
  type SmsSenderCreator,
} from './delivery/sms.js';
export { TwilioSmsSender, type TwilioSmsSenderConfig } from './delivery/twilio.js';
export { createMailer, type Mailer, type MailMessage, type MailerOptions } from './delivery/mail.js';
export { normalizePhoneNumber, isValidPhoneNumber, type PhoneNumberOptions } from './delivery/phone.js';

// Factor plugins
export {
  TfPlugin,
  TfPluginBase,
  type AuthenticatorSetupValues,
  type JsonValue,
  type TfPendingSetup,
  type TfSetupData,
  type TfSetupFailure,
  type TfSetupResult,
  type TfSendOutcome,
  type TfTokenContext,
} from './factors/plugin.js';
export { CodeTfPlugin, CODE_METHODS } from './factors/code/index.js';

// Forms and messages
export {
  TwoFactorSetupForm,
  TwoFactorVerifyCodeForm,
  TwoFactorRescueForm,
  TwoFactorSelectForm,
  TwoFactorDevicesForm,
  MfRecoveryCodesForm,
  MfRecoveryForm,
  LoginForm,
  VerifyForm,
  isSafeRedirectPath,
  type FieldSpec,
  type FormErrors,
  type FormResult,
} from './forms/index.js';
export { messageText, type Locale, type MessageKey } from './messages.js';

// Storage (canonical path: twofold-auth/storage; re-exported here for the common case)
export * from './storage.js';
export { reencryptTotpSecrets, type RotationReport } from './crypto/rotate-secrets.js';

// Web layer
export { hashPassword, verifyPassword } from './passwords.js';
export type { Authentication, Requirement } from './http/auth.js';
export type { Flash, PageContext, PageDevice, PageModels, PageName, PageUrls, Template, Templates } from './http/pages.js';
export { defaultTemplates, html, raw, layout, STYLESHEET } from './http/templates/index.js';
