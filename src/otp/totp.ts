/** TOTP (RFC 6238): generating and matching time-based codes; `totp-class.ts` wraps these in the seed's `Totp`. */
import { constantTimeEqualInt31 } from '../crypto/compare.js';
import {
  assertOtpAlgorithm,
  assertOtpDigits,
  computeHotpValue,
  NODE_HASH_NAME,
  parseOtpToken,
  type OtpAlgorithm,
  type OtpDigits,
  type OtpKey,
} from './hotp.js';

/** RFC 6238 §5.2: 30 seconds is the recommended time step. */
export const DEFAULT_PERIOD_IN_SECONDS = 30;
/** Shorter steps leave too little time to type a code. */
export const MIN_PERIOD_IN_SECONDS = 10;
/** NIST SP 800-63B §5.1.4.1: a time-based nonce changes at least every 2 minutes. */
export const MAX_PERIOD_IN_SECONDS = 120;
/** Each extra step multiplies an attacker's odds (RFC 4226 §7.4; RFC 6238 §6 uses 2 as its example). */
export const MAX_WINDOW_IN_STEPS = 10;
/** RFC 4226 §4 R6: a shared secret MUST have at least 128 bits. */
export const MIN_SECRET_BYTES = 16;
/** RFC 6238 §5.1: keys the length of the HMAC output (160 bits for SHA-1, as RFC 4226 §4 recommends). */
export const SECRET_BYTES: Readonly<Record<OtpAlgorithm, number>> = { SHA1: 20, SHA256: 32, SHA512: 64 };

/** The parameters both sides of a TOTP enrolment agree on. */
export interface TotpParameters {
  /** HMAC hash; default `'SHA1'`, the only one every authenticator app supports. */
  algorithm?: OtpAlgorithm;
  /** Code length; default 6. */
  digits?: OtpDigits;
  /** Time step X of RFC 6238 §4.1, in seconds; default 30. */
  periodInSeconds?: number;
}

/** What {@link matchTotpStep} needs besides the key and the token. */
export interface MatchTotpOptions extends TotpParameters {
  /** The server's time, seconds since the Unix epoch (never a time the client sent; checklist TOTP-08). */
  nowInSeconds: number;
  /** Steps accepted on either side of the current one; default 0, at most {@link MAX_WINDOW_IN_STEPS}. */
  window?: number;
  /** Replay protection: the last step this secret was used for. Every step ≤ it is refused. */
  afterStep?: number | null;
}

/**
 * Throws unless `value` is an integer number of seconds in [{@link MIN_PERIOD_IN_SECONDS}, {@link MAX_PERIOD_IN_SECONDS}].
 *
 * @throws TypeError naming the bad value.
 * @example
 * ```ts
 * assertPeriodInSeconds(30);
 * ```
 */
export function assertPeriodInSeconds(value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < MIN_PERIOD_IN_SECONDS || (value as number) > MAX_PERIOD_IN_SECONDS) {
    const range = `${MIN_PERIOD_IN_SECONDS} to ${MAX_PERIOD_IN_SECONDS}`;
    throw new TypeError(`period must be an integer from ${range} seconds, got ${String(value)}`);
  }
}

/** @internal */
export function assertWindow(window: unknown): asserts window is number {
  if (!Number.isInteger(window) || (window as number) < 0 || (window as number) > MAX_WINDOW_IN_STEPS) {
    throw new TypeError(`window must be an integer from 0 to ${MAX_WINDOW_IN_STEPS} steps, got ${String(window)}`);
  }
}

/** @internal */
export function assertTimeInSeconds(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number of seconds since the epoch, got ${String(value)}`);
  }
}

/**
 * The RFC 6238 time step T = floor(now / period), with T0 = 0.
 *
 * @param nowInSeconds - seconds since the Unix epoch.
 * @param periodInSeconds - the time step length.
 * @returns the step number (an integer, possibly beyond 2^32).
 * @example
 * ```ts
 * totpStepAt(59, 30); // 1
 * ```
 */
export function totpStepAt(nowInSeconds: number, periodInSeconds: number): number {
  return Math.floor(nowInSeconds / periodInSeconds);
}

/**
 * Generates the TOTP code for a moment in time.
 *
 * @param key - the shared secret's bytes (or a `KeyObject`).
 * @param options - the {@link TotpParameters} and `nowInSeconds`, seconds since the epoch.
 * @returns the code, left-padded with zeros.
 * @throws TypeError on a bad parameter or time.
 * @example
 * ```ts
 * generateTotp(key, { digits: 8, nowInSeconds: 59 }); // '94287082' for the RFC 6238 SHA-1 seed
 * ```
 */
export function generateTotp(key: OtpKey, options: TotpParameters & { nowInSeconds: number }): string {
  const { algorithm = 'SHA1', digits = 6, periodInSeconds = DEFAULT_PERIOD_IN_SECONDS, nowInSeconds } = options;
  assertOtpAlgorithm(algorithm);
  assertOtpDigits(digits);
  assertPeriodInSeconds(periodInSeconds);
  assertTimeInSeconds('nowInSeconds', nowInSeconds);
  const step = totpStepAt(nowInSeconds, periodInSeconds);
  return String(computeHotpValue(key, step, NODE_HASH_NAME[algorithm], 10 ** digits)).padStart(digits, '0');
}

// The shared core of every match: tries each step in [firstStep, lastStep] and never stops early, so the
// time taken does not say which step matched (checklist D-7). The matched offset is picked with masks,
// not branches. A later step wins a (one-in-a-million) tie, which errs on the side of replay protection.
function matchStepInRange(
  key: OtpKey,
  tokenValue: number,
  nodeHashName: string,
  modulus: number,
  firstStep: number,
  lastStep: number,
): number | null {
  let found = 0;
  let matchedOffset = 0;
  for (let offset = 0; firstStep + offset <= lastStep; offset++) {
    const candidate = computeHotpValue(key, firstStep + offset, nodeHashName, modulus);
    const isMatch = constantTimeEqualInt31(candidate, tokenValue);
    const mask = -isMatch;
    found |= isMatch;
    matchedOffset = (matchedOffset & ~mask) | (offset & mask);
  }
  return found === 1 ? firstStep + matchedOffset : null;
}

/** @internal */
export function matchToken(
  key: OtpKey,
  token: unknown,
  digits: number,
  nodeHashName: string,
  currentStep: number,
  window: number,
  afterStep: number | null | undefined,
): number | null {
  const tokenValue = parseOtpToken(token, digits);
  if (tokenValue < 0) return null;
  // Steps at or before the last used one are not candidates at all (RFC 6238 §5.2, checklist TOTP-04).
  const firstStep = Math.max(currentStep - window, afterStep == null ? 0 : afterStep + 1, 0);
  return matchStepInRange(key, tokenValue, nodeHashName, 10 ** digits, firstStep, currentStep + window);
}

/**
 * Finds the time step a code belongs to, within `window` steps either side of now.
 *
 * @param key - the shared secret's bytes (or a `KeyObject`).
 * @param token - untrusted input: a wrong type, wrong length or non-digit gives `null`, never an error.
 * @param options - see {@link MatchTotpOptions}.
 * @returns the matched step, which the caller stores as `afterStep` for next time; `null` when no step matches.
 * @throws TypeError on a bad parameter, window, time or `afterStep` (caller mistakes, not user input).
 * @example
 * ```ts
 * const step = matchTotpStep(key, form.code, { window: 1, nowInSeconds: clock.nowInSeconds(), afterStep: user.tfTotpLastStep });
 * ```
 */
export function matchTotpStep(key: OtpKey, token: unknown, options: MatchTotpOptions): number | null {
  const { algorithm = 'SHA1', digits = 6, periodInSeconds = DEFAULT_PERIOD_IN_SECONDS } = options;
  const { nowInSeconds, window = 0, afterStep } = options;
  assertOtpAlgorithm(algorithm);
  assertOtpDigits(digits);
  assertPeriodInSeconds(periodInSeconds);
  assertTimeInSeconds('nowInSeconds', nowInSeconds);
  assertWindow(window);
  if (afterStep != null && !Number.isSafeInteger(afterStep)) {
    throw new TypeError(`afterStep must be an integer or null, got ${String(afterStep)}`);
  }
  const currentStep = totpStepAt(nowInSeconds, periodInSeconds);
  return matchToken(key, token, digits, NODE_HASH_NAME[algorithm], currentStep, window, afterStep);
}

/**
 * Whether a code is valid within `window` steps either side of now. Use {@link matchTotpStep} when you
 * need replay protection (you do, for sign-in).
 *
 * @returns `true` when some step in the window matches.
 * @throws TypeError as {@link matchTotpStep}.
 * @example
 * ```ts
 * verifyTotp(key, '123456', { window: 1, nowInSeconds: clock.nowInSeconds() });
 * ```
 */
export function verifyTotp(key: OtpKey, token: unknown, options: MatchTotpOptions): boolean {
  return matchTotpStep(key, token, options) !== null;
}
