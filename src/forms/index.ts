/** The forms: the six seed forms plus login and re-authentication, and the helpers they share. */
export { isEmailAddress, EMAIL_MAX_LENGTH } from './email.js';
export type { Choice, FieldKind, FieldSpec, FormErrors, FormFailure, FormResult } from './field.js';
export { LoginForm, PASSWORD_MAX_LENGTH, type LoginField, type LoginFormOptions, type LoginValue } from './login.js';
export { MfRecoveryCodesForm, type MfRecoveryCodesValue } from './mf-recovery-codes.js';
export { MfRecoveryForm, type MfRecoveryValue } from './mf-recovery.js';
export { isSafeRedirectPath, NEXT_MAX_LENGTH } from './next.js';
export { DEVICE_ID_LENGTH, TwoFactorDevicesForm, type TwoFactorDevicesValue } from './two-factor-devices.js';
export { TwoFactorRescueForm, type TwoFactorRescueFormOptions, type TwoFactorRescueValue } from './two-factor-rescue.js';
export { TwoFactorSelectForm, type TwoFactorSelectFormOptions, type TwoFactorSelectValue } from './two-factor-select.js';
export {
  PHONE_MAX_LENGTH,
  TwoFactorSetupForm,
  type TwoFactorSetupField,
  type TwoFactorSetupFormOptions,
  type TwoFactorSetupValue,
} from './two-factor-setup.js';
export { CODE_MAX_LENGTH, TwoFactorVerifyCodeForm, type TwoFactorVerifyCodeValue } from './two-factor-verify-code.js';
export { VerifyForm, type VerifyValue } from './verify.js';
