/** The built-in code plugin: authenticator apps (TOTP), e-mail codes and SMS codes. */
import { nowInWholeSeconds, type Clock } from '../../clock.js';
import type { KeyRing } from '../../crypto/keyring.js';
import type { Random } from '../../crypto/random.js';
import { normalizePhoneNumber } from '../../delivery/phone.js';
import { eventUser, type EventClient } from '../../events.js';
import { Totp } from '../../otp/totp-class.js';
import type { User } from '../../user.js';
import { decryptTotpSecret, totpSecretContext } from '../../users.js';
import {
  TfPluginBase,
  type AuthenticatorSetupValues,
  type TfPendingSetup,
  type TfSetupData,
  type TfSendOutcome,
  type TfSetupResult,
  type TfTokenContext,
} from '../plugin.js';
import type { TwofoldConfig } from '../../config/types.js';
import { CODE_METHODS } from './methods.js';
import { verifyOneTimeCode } from './one-time-code.js';
import { sendCode, type SendCodeConfig, type SendCodeDeps } from './send-code.js';

export { CODE_METHODS, type CodeMethod } from './methods.js';

/**
 * How much each method is worth as a second factor (checklist OOB-07, OOB-08): an authenticator app is a
 * NIST SP 800-63B OTP device; SMS is "restricted" (SIM swap, interception); e-mail is no out-of-band
 * authenticator at all, only as safe as the mailbox. SMS and e-mail are off unless enabled.
 */
export const METHOD_ASSURANCE = Object.freeze({ authenticator: 'otp', sms: 'restricted', email: 'weak' } as const);

/** The options the code plugin reads. */
export type CodeFactorConfig = SendCodeConfig &
  Pick<
    TwofoldConfig,
    | 'twoFactorEnabledMethods'
    | 'twoFactorRescueEmail'
    | 'twoFactorSetupWithin'
    | 'phoneRegionDefault'
    | 'totpIssuer'
    | 'totpAlgorithm'
    | 'totpDigits'
    | 'totpPeriod'
    | 'twoFactorAuthenticatorValidity'
    | 'twoFactorMaxCodeAttempts'
  >;

/** What the code plugin needs; a `Security` instance provides all of it. */
export interface CodeFactorDeps extends SendCodeDeps {
  readonly config: CodeFactorConfig;
  readonly keyring: KeyRing;
  readonly clock: Clock;
  readonly random: Random;
}

/**
 * FST's `CodeTfPlugin`, stricter: a TOTP code works once (the matched step is stored with a guarded UPDATE),
 * e-mail and SMS codes are random, single-use, and bound to their method, destination and login attempt,
 * a login accepts only a method the user set up (or e-mail rescue, when on), and nothing is active until a
 * code for it was confirmed, within `twoFactorSetupWithin`.
 */
export class CodeTfPlugin extends TfPluginBase {
  readonly methods: readonly string[];
  readonly #deps: CodeFactorDeps;

  constructor(deps: CodeFactorDeps) {
    super();
    this.#deps = deps;
    this.methods = CODE_METHODS.filter((method) => deps.config.twoFactorEnabledMethods.includes(method));
  }

  override getSetupForm(): { readonly fields: readonly string[] } {
    return { fields: this.methods.includes('sms') ? ['setup', 'phone'] : ['setup'] };
  }

  async setupTf(user: User, setupData: TfSetupData): Promise<TfSetupResult> {
    const { method } = setupData;
    if (!this.methods.includes(method)) return { ok: false, error: 'TWO_FACTOR_METHOD_NOT_AVAILABLE' };
    const startedAtInSeconds = nowInWholeSeconds(this.#deps.clock);
    if (method === 'authenticator') {
      const totp = this.#newTotp();
      const pending: TfPendingSetup = {
        method,
        startedAtInSeconds,
        totpSecretEncrypted: this.#deps.keyring.encrypt(totp.secrets, totpSecretContext(user.id)),
      };
      return { ok: true, pending, authenticator: this.#authenticatorValues(user, totp) };
    }
    let phoneNumber: string | null = null;
    if (method === 'sms') {
      phoneNumber = normalizePhoneNumber(setupData.phone ?? null, { defaultRegion: this.#deps.config.phoneRegionDefault });
      if (phoneNumber === null) return { ok: false, error: 'PHONE_INVALID' };
    }
    const channel = method === 'sms' ? 'sms' : 'email';
    const pending: TfPendingSetup = { method: channel, startedAtInSeconds, phoneNumber };
    const client = setupData.client ?? null;
    const outcome = await sendCode(this.#deps, user, { method: channel, phoneNumber, purpose: setupPurpose(channel, phoneNumber), kind: 'setup', client });
    if (outcome.sent) return { ok: true, pending };
    if (outcome.retryAfterInSeconds !== null) return { ok: false, error: 'TOO_MANY_CODES_SENT', retryAfterInSeconds: outcome.retryAfterInSeconds };
    return { ok: false, error: 'FAILED_TO_SEND_CODE' };
  }

  /**
   * What the authenticator app needs for a pending set-up, to show its QR code and key again: after a wrong
   * code the phone already holds this secret, so a new one would make that entry useless. `null` for another
   * method, a set-up past `twoFactorSetupWithin`, or a secret that no longer decrypts for this user.
   */
  override pendingAuthenticatorValues(user: User, pending: TfPendingSetup): AuthenticatorSetupValues | null {
    const encrypted = pending.totpSecretEncrypted;
    if (pending.method !== 'authenticator' || typeof encrypted !== 'string' || !this.#isLive(pending)) return null;
    try {
      return this.#authenticatorValues(user, this.#totp(this.#deps.keyring.decrypt(encrypted, totpSecretContext(user.id))));
    } catch {
      return null;
    }
  }

  async sendToken(user: User, context: TfTokenContext = {}): Promise<boolean> {
    return (await this.deliverToken(user, context)).sent;
  }

  override async deliverToken(user: User, context: TfTokenContext = {}): Promise<TfSendOutcome> {
    const failed = { sent: false, retryAfterInSeconds: null } as const;
    const { pending } = context;
    const client = context.client ?? null;
    if (pending !== undefined) {
      if (!this.#isLive(pending) || (pending.method !== 'email' && pending.method !== 'sms')) return failed;
      const phoneNumber = phoneOf(pending);
      return sendCode(this.#deps, user, { method: pending.method, phoneNumber, purpose: setupPurpose(pending.method, phoneNumber), kind: 'setup', client });
    }
    const method = context.method ?? user.tfPrimaryMethod;
    if (method === null || !(await this.#loginMethods(user)).includes(method)) return failed;
    if (method === 'authenticator') {
      this.#deps.events.emit('tfSecurityTokenSent', { user: eventUser(user), method, phoneNumber: null, ...(client === null ? {} : { client }) });
      return { sent: true };
    }
    const phoneNumber = method === 'sms' ? user.tfPhoneNumber : null;
    return sendCode(this.#deps, user, { method: method as 'email' | 'sms', phoneNumber, purpose: loginPurpose(method, context.challenge), kind: 'login', client });
  }

  /**
   * The engine of `tfSendSecurityToken`. A `phoneNumber` other than the user's confirmed one makes a set-up
   * code, good only to confirm a pending SMS set-up of that very number; likewise an e-mail code for a user
   * who may not log in by e-mail. Anything else is a login code for a method the user set up.
   */
  async sendCodeTo(user: User, method: string, options: { phoneNumber?: string | null; challenge?: string } = {}): Promise<boolean> {
    const phoneNumber = options.phoneNumber ?? null;
    const forLogin = (await this.#loginMethods(user)).includes(method);
    if (method === 'sms' && phoneNumber !== null && phoneNumber !== user.tfPhoneNumber && this.methods.includes('sms')) {
      return (await sendCode(this.#deps, user, { method, phoneNumber, purpose: setupPurpose(method, phoneNumber), kind: 'setup', client: null })).sent;
    }
    if (method === 'email' && !forLogin && this.methods.includes('email')) {
      return (await sendCode(this.#deps, user, { method, phoneNumber: null, purpose: setupPurpose(method, null), kind: 'setup', client: null })).sent;
    }
    if (!forLogin) return false;
    return this.sendToken(user, { method, ...(options.challenge === undefined ? {} : { challenge: options.challenge }) });
  }

  async verifyToken(user: User, token: unknown, context: TfTokenContext = {}): Promise<boolean> {
    if (context.pending !== undefined) return this.#confirmSetup(user, token, context.pending, context.client);
    const method = context.method ?? user.tfPrimaryMethod;
    if (method === null || !(await this.#loginMethods(user)).includes(method)) return false;
    if (method === 'authenticator') return this.#verifyTotp(user, token, context.client);
    return this.#checkCode(user, token, loginPurpose(method, context.challenge));
  }

  /** Whether the user's method is one this plugin serves now, with what it needs: a secret whose key is in the ring, a number. */
  async isSetup(user: User): Promise<boolean> {
    const method = user.tfPrimaryMethod;
    if (method === null || !this.methods.includes(method)) return false;
    if (method === 'authenticator') return this.#keyKnown(user);
    if (method === 'sms') return user.tfPhoneNumber !== null;
    return true;
  }

  override async getSetupMethods(user: User): Promise<string[]> {
    return (await this.isSetup(user)) && user.tfPrimaryMethod !== null ? [user.tfPrimaryMethod] : [];
  }

  /** The user's code method as stored, served or not: one no longer enabled still blocks the login. */
  override async getStoredMethods(user: User): Promise<string[]> {
    const method = user.tfPrimaryMethod;
    return method !== null && (CODE_METHODS as readonly string[]).includes(method) ? [method] : [];
  }

  async removeTf(user: User): Promise<void> {
    await this.#deps.datastore.resetTwoFactor(user.id);
  }

  /** The methods a login may use: the one set up, and e-mail when e-mail rescue is on. */
  async #loginMethods(user: User): Promise<string[]> {
    const methods = await this.getSetupMethods(user);
    if (this.#deps.config.twoFactorRescueEmail && this.#deps.mailer !== null && !methods.includes('email')) methods.push('email');
    return methods;
  }

  async #verifyTotp(user: User, token: unknown, client?: EventClient): Promise<boolean> {
    const secret = this.#secretOf(user);
    if (secret === null) return false;
    const totp = this.#totp(secret);
    const window = this.#authenticatorWindow();
    const timestamp = this.#deps.clock.nowInSeconds();
    const step = totp.matchAfter(token, { window, timestamp, lastUsedStep: user.tfTotpLastStep });
    // The guarded UPDATE decides: of two requests with one code, in one process or two, one wins.
    if (step !== null && (await this.#deps.datastore.advanceTotpStep(user.id, step, user.tfTotpSecretEncrypted))) return true;
    // A right code for a step already used is a replay: someone else may have seen it (checklist TOTP-11).
    if (step !== null || (user.tfTotpLastStep !== null && totp.match(token, window, timestamp) !== null)) {
      this.#deps.events.emit('tfCodeReplayed', { user: eventUser(user), method: 'authenticator', ...(client === undefined ? {} : { client }) });
    }
    return false;
  }

  async #confirmSetup(user: User, token: unknown, pending: TfPendingSetup, client?: EventClient): Promise<boolean> {
    const { method } = pending;
    // When and from where the factor was bound, for the user's list of factors (checklist MGT-04).
    const bound = { setAtInSeconds: nowInWholeSeconds(this.#deps.clock), ...(client === undefined ? {} : { setFrom: client }) };
    if (!this.methods.includes(method) || !this.#isLive(pending)) return false;
    if (method === 'authenticator') {
      const encrypted = pending.totpSecretEncrypted;
      if (typeof encrypted !== 'string') return false;
      let secret: string;
      try {
        secret = this.#deps.keyring.decrypt(encrypted, totpSecretContext(user.id));
      } catch {
        return false; // made for another user, or under a key since removed: the set-up must start over
      }
      const step = this.#totp(secret).match(token, this.#authenticatorWindow(), this.#deps.clock.nowInSeconds());
      if (step === null) return false;
      // The confirming code's step is stored too, so the same code cannot then be replayed to log in.
      await this.#deps.datastore.setTwoFactor(user.id, { method, totpSecretEncrypted: encrypted, phoneNumber: null, lastStep: step, ...bound });
      return true;
    }
    const phoneNumber = method === 'sms' ? phoneOf(pending) : null;
    if (method === 'sms' && phoneNumber === null) return false;
    if (!(await this.#checkCode(user, token, setupPurpose(method, phoneNumber)))) return false;
    await this.#deps.datastore.setTwoFactor(user.id, { method, totpSecretEncrypted: null, phoneNumber, lastStep: null, ...bound });
    return true;
  }

  /**
   * Whether the key of the user's TOTP secret is still in the ring: a removed key makes the factor unservable
   * (fail closed). Checked by tag, not by decrypting, since guards ask on every request; a value altered
   * under a known tag fails at the code instead, which passes nothing either.
   */
  #keyKnown(user: User): boolean {
    return user.tfTotpSecretEncrypted !== null && this.#deps.keyring.hasKeyFor(user.tfTotpSecretEncrypted);
  }

  /** The user's TOTP secret, or null when it cannot be read (no secret, its key gone, the value altered). */
  #secretOf(user: User): string | null {
    try {
      return decryptTotpSecret(user, this.#deps.keyring);
    } catch {
      return null;
    }
  }

  /** A pending set-up counts only within `twoFactorSetupWithin` of its start (checklist ENR-02). */
  #isLive(pending: TfPendingSetup): boolean {
    const started = pending.startedAtInSeconds;
    if (typeof started !== 'number') return false;
    const age = this.#deps.clock.nowInSeconds() - started;
    return age >= 0 && age <= this.#deps.config.twoFactorSetupWithin;
  }

  #checkCode(user: User, token: unknown, purpose: string): Promise<boolean> {
    return verifyOneTimeCode(this.#deps, { userId: user.id, purpose, token, maxAttempts: this.#deps.config.twoFactorMaxCodeAttempts });
  }

  #newTotp(): Totp {
    const { config, clock, random } = this.#deps;
    return new Totp(undefined, { algorithm: config.totpAlgorithm, digits: config.totpDigits, period: config.totpPeriod, clock, random });
  }

  #totp(secret: string): Totp {
    const { config, clock } = this.#deps;
    return new Totp(secret, { algorithm: config.totpAlgorithm, digits: config.totpDigits, period: config.totpPeriod, clock });
  }

  /** The validity in seconds either side, as whole time steps (RFC 6238 §5.2: one step either side by default). */
  #authenticatorWindow(): number {
    return Math.floor(this.#deps.config.twoFactorAuthenticatorValidity / this.#deps.config.totpPeriod);
  }

  #authenticatorValues(user: User, totp: Totp): AuthenticatorSetupValues {
    const issuer = this.#deps.config.totpIssuer;
    return {
      key: totp.secrets.match(/.{1,4}/g)?.join('-') ?? totp.secrets,
      b32key: totp.secrets,
      username: user.email,
      issuer,
      uri: totp.getTotpUri(user.email, issuer),
    };
  }
}

/** A login code is bound to its method and its login attempt (checklist OOB-03). */
function loginPurpose(method: string, challenge: string | undefined): string {
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{1,43}$/.test(challenge)) throw new TypeError('challenge must be 1-43 base64url characters');
  return `login:${method}:${challenge ?? '-'}`;
}

/** A set-up code is bound to its method and, for SMS, to the number it was sent to. */
function setupPurpose(method: string, phoneNumber: string | null): string {
  return `setup:${method}:${phoneNumber ?? ''}`;
}

function phoneOf(pending: TfPendingSetup): string | null {
  return typeof pending.phoneNumber === 'string' ? pending.phoneNumber : null;
}
