/** Public exports of the OTP core: Base32, HOTP, TOTP, the Key URI and its QR code. */
export { decodeBase32, encodeBase32NoPadding } from './base32.js';
export { generateHotp, OTP_ALGORITHMS, type OtpAlgorithm, type OtpDigits, type OtpKey } from './hotp.js';
export {
  DEFAULT_PERIOD_IN_SECONDS,
  generateTotp,
  matchTotpStep,
  MAX_PERIOD_IN_SECONDS,
  MAX_WINDOW_IN_STEPS,
  MIN_PERIOD_IN_SECONDS,
  MIN_SECRET_BYTES,
  SECRET_BYTES,
  totpStepAt,
  verifyTotp,
  type MatchTotpOptions,
  type TotpParameters,
} from './totp.js';
export { Totp, type TotpOptions } from './totp-class.js';
export { buildTotpUri, type TotpUriOptions } from './uri.js';
export { qrCodeSvg, qrCodeSvgDataUri } from './qr.js';
