/** The seed's `Totp` class: one secret with its parameters, a thin facade over the functions in `totp.ts`. */
import { createSecretKey } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { cryptoRandom, type Random } from '../crypto/random.js';
import { decodeBase32, encodeBase32NoPadding } from './base32.js';
import { assertOtpAlgorithm, assertOtpDigits, NODE_HASH_NAME, type OtpAlgorithm, type OtpDigits, type OtpKey } from './hotp.js';
import {
  assertPeriodInSeconds,
  assertTimeInSeconds,
  assertWindow,
  DEFAULT_PERIOD_IN_SECONDS,
  generateTotp,
  matchToken,
  MIN_SECRET_BYTES,
  SECRET_BYTES,
  totpStepAt,
} from './totp.js';
import { buildTotpUri } from './uri.js';

/** Options of the {@link Totp} class. */
export interface TotpOptions {
  /** HMAC hash; default `'SHA1'`. */
  algorithm?: OtpAlgorithm;
  /** Code length; default 6. */
  digits?: OtpDigits;
  /** Time step in seconds, an integer from 10 to 120; default 30. */
  period?: number;
  /** Where the current time comes from; default the system clock. */
  clock?: Clock;
  /** Where a new secret's bytes come from; default node:crypto's CSPRNG. */
  random?: Random;
}

/**
 * One TOTP secret with its parameters: the seed's `Totp`, a thin facade over {@link generateTotp} and
 * {@link matchTotpStep} that decodes the secret and prepares its HMAC key once.
 *
 * @example
 * ```ts
 * const totp = new Totp(decryptTotpSecret(user, security.keyring) as string); // a user with an authenticator
 * const step = totp.matchAfter(code, { window: 1, lastUsedStep: user.tfTotpLastStep });
 * ```
 */
export class Totp {
  /** The HMAC hash. */
  readonly algorithm: OtpAlgorithm;
  /** The code length. */
  readonly digits: OtpDigits;
  /** The time step, in seconds. */
  readonly period: number;
  readonly #clock: Clock;
  readonly #nodeHashName: string;
  #key: OtpKey = new Uint8Array(0);
  #secretBase32 = '';

  /**
   * @param secret - the Base32 secret (any case, spaces and padding allowed); when missing (or `null`),
   *   a new one of 20, 32 or 64 random bytes for SHA1, SHA256 or SHA512 is drawn from `options.random`.
   * @param options - see {@link TotpOptions}.
   * @throws TypeError on a bad option or a secret that is not Base32 or is shorter than 16 bytes.
   */
  constructor(secret?: string, options: TotpOptions = {}) {
    const { algorithm = 'SHA1', digits = 6, period = DEFAULT_PERIOD_IN_SECONDS } = options;
    const { clock = systemClock, random = cryptoRandom } = options;
    assertOtpAlgorithm(algorithm);
    assertOtpDigits(digits);
    assertPeriodInSeconds(period);
    this.algorithm = algorithm;
    this.digits = digits;
    this.period = period;
    this.#clock = clock;
    this.#nodeHashName = NODE_HASH_NAME[algorithm];
    this.secrets = secret ?? encodeBase32NoPadding(random.bytes(SECRET_BYTES[algorithm]));
  }

  /** The secret as upper-case Base32 without padding, as the datastore keeps it (encrypted). */
  get secrets(): string {
    return this.#secretBase32;
  }

  /** Replaces the secret. @throws TypeError when it is not Base32 or decodes to fewer than 16 bytes. */
  set secrets(secret: string) {
    let bytes: Uint8Array;
    try {
      bytes = decodeBase32(secret);
    } catch (error) {
      throw new TypeError(`secrets must be Base32 text: ${(error as Error).message}`, { cause: error });
    }
    if (bytes.length < MIN_SECRET_BYTES) {
      const minimum = `${MIN_SECRET_BYTES} bytes (128 bits, RFC 4226 §4)`;
      throw new TypeError(`secrets must decode to at least ${minimum}, got ${bytes.length}`);
    }
    // Made once here rather than per HMAC: the verification hot path then only hashes.
    this.#key = createSecretKey(bytes);
    this.#secretBase32 = encodeBase32NoPadding(bytes);
  }

  /** The code for `timestamp` (seconds since the epoch; default now, from the clock). */
  generatePassword(timestamp?: number): string {
    const nowInSeconds = timestamp ?? this.#clock.nowInSeconds();
    return generateTotp(this.#key, { algorithm: this.algorithm, digits: this.digits, periodInSeconds: this.period, nowInSeconds });
  }

  /** Whether `token` is the code of a step within `window` steps either side of `timestamp` (default now). */
  verify(token: unknown, window = 0, timestamp?: number): boolean {
    return this.#match(token, window, timestamp, null) !== null;
  }

  /** The step `token` belongs to, within `window` steps either side of `timestamp` (default now); else `null`. */
  match(token: unknown, window = 0, timestamp?: number): number | null {
    return this.#match(token, window, timestamp, null);
  }

  /**
   * Like {@link Totp.match}, refusing every step ≤ `lastUsedStep` (replay protection, checklist TOTP-04).
   * Store the returned step atomically as the new `lastUsedStep` (TOTP-05). `null` means no step is used yet.
   */
  matchAfter(token: unknown, options: { lastUsedStep: number | null; window?: number; timestamp?: number }): number | null {
    const { lastUsedStep, window = 0, timestamp } = options;
    if (lastUsedStep !== null && !Number.isSafeInteger(lastUsedStep)) {
      throw new TypeError(`lastUsedStep must be an integer or null, got ${String(lastUsedStep)}`);
    }
    return this.#match(token, window, timestamp, lastUsedStep);
  }

  /** The `otpauth://` URI for a QR code; see {@link buildTotpUri}. */
  getTotpUri(username: string, issuerName?: string): string {
    const { algorithm, digits, period: periodInSeconds } = this;
    return buildTotpUri({ secret: this.#secretBase32, accountName: username, issuer: issuerName, algorithm, digits, periodInSeconds });
  }

  #match(token: unknown, window: number, timestamp: number | undefined, afterStep: number | null): number | null {
    assertWindow(window);
    const nowInSeconds = timestamp ?? this.#clock.nowInSeconds();
    assertTimeInSeconds('timestamp', nowInSeconds);
    const currentStep = totpStepAt(nowInSeconds, this.period);
    return matchToken(this.#key, token, this.digits, this.#nodeHashName, currentStep, window, afterStep);
  }
}
