/** The built-in code plugin: authenticator apps (TOTP), e-mail codes and SMS codes. */
import type { Clock } from '../../clock.js';
import type { KeyRing } from '../../crypto/keyring.js';
import type { Random } from '../../crypto/random.js';
import type { SmsSenderBase } from '../../delivery/sms.js';
import type { Mailer } from '../../delivery/mail.js';
import type { TwofoldEvents } from '../../events.js';
import { messageText } from '../../messages.js';
import { Totp } from '../../otp/totp-class.js';
import type { Datastore } from '../../store/datastore.js';
import type { User } from '../../user.js';
import { totpSecretContext } from '../../users.js';
import {
  TfPluginBase,
  type AuthenticatorSetupValues,
  type TfPendingSetup,
  type TfSetupData,
  type TfSetupResult,
  type TfTokenContext,
} from '../plugin.js';
import { issueOneTimeCode, verifyOneTimeCode } from './one-time-code.js';

/** The methods this plugin can serve; which of them are on is `twoFactorEnabledMethods`. */
export const CODE_METHODS = ['authenticator', 'email', 'sms'] as const;

/** The options the code plugin reads. */
export interface CodeFactorConfig {
  readonly twoFactorEnabledMethods: readonly string[];
  readonly totpIssuer: string;
  readonly totpAlgorithm: 'SHA1' | 'SHA256' | 'SHA512';
  readonly totpDigits: 6 | 8;
  readonly totpPeriod: number;
  readonly twoFactorAuthenticatorValidity: number;
  readonly twoFactorMailValidity: number;
  readonly twoFactorSmsValidity: number;
  readonly twoFactorMaxCodeAttempts: number;
  readonly emailSubjectTwoFactor: string;
  readonly smsServiceConfig: { readonly [key: string]: unknown };
}

/** What the code plugin needs; a `Security` instance provides all of it. */
export interface CodeFactorDeps {
  readonly config: CodeFactorConfig;
  readonly datastore: Datastore;
  readonly keyring: KeyRing;
  readonly clock: Clock;
  readonly random: Random;
  readonly events: TwofoldEvents;
  readonly mailer: Mailer | null;
  readonly smsSender: SmsSenderBase | null;
}

/**
 * FST's `CodeTfPlugin`, stricter: a TOTP code works once (the matched step is stored with a guarded UPDATE),
 * e-mail and SMS codes are random and single-use rather than derived from the TOTP secret, and nothing is
 * active until a code for it was confirmed.
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
    if (method === 'authenticator') {
      const totp = this.#newTotp();
      const pending: TfPendingSetup = {
        method,
        totpSecretEncrypted: this.#deps.keyring.encrypt(totp.secrets, totpSecretContext(user.id)),
      };
      return { ok: true, pending, authenticator: this.#authenticatorValues(user, totp) };
    }
    const phone = method === 'sms' ? (setupData.phone ?? null) : null;
    if (method === 'sms' && phone === null) return { ok: false, error: 'PHONE_INVALID' };
    const pending: TfPendingSetup = { method, phoneNumber: phone };
    const sent = await this.#sendCode(user, method, { phoneNumber: phone, purpose: setupPurpose(pending) });
    return sent ? { ok: true, pending } : { ok: false, error: 'FAILED_TO_SEND_CODE' };
  }

  async sendToken(user: User, context: TfTokenContext = {}): Promise<boolean> {
    const method = context.method ?? user.tfPrimaryMethod;
    if (method === null || !this.methods.includes(method)) return false;
    if (context.pending !== undefined) {
      return this.#sendCode(user, method, { phoneNumber: phoneOf(context.pending), purpose: setupPurpose(context.pending) });
    }
    return this.#sendCode(user, method, { phoneNumber: null, purpose: loginPurpose(context.challenge) });
  }

  /** Sends a code by `method` to `phoneNumber` or the user's own address; the engine of `tfSendSecurityToken`. */
  sendCodeTo(user: User, method: string, options: { phoneNumber?: string | null; challenge?: string } = {}): Promise<boolean> {
    if (!this.methods.includes(method)) return Promise.resolve(false);
    return this.#sendCode(user, method, { phoneNumber: options.phoneNumber ?? null, purpose: loginPurpose(options.challenge) });
  }

  async verifyToken(user: User, token: unknown, context: TfTokenContext = {}): Promise<boolean> {
    const { pending } = context;
    if (pending !== undefined) return this.#confirmSetup(user, token, pending);
    const method = context.method ?? user.tfPrimaryMethod;
    if (method === null || !this.methods.includes(method)) return false;
    if (method === 'authenticator') {
      if (user.tfTotpSecret === null) return false;
      const step = this.#totp(user.tfTotpSecret).matchAfter(token, {
        window: this.#authenticatorWindow(),
        timestamp: this.#deps.clock.nowInSeconds(),
        lastUsedStep: user.tfTotpLastStep,
      });
      // The guarded UPDATE decides: of two requests with one code, in one process or two, one wins.
      return step !== null && this.#deps.datastore.advanceTotpStep(user.id, step);
    }
    return this.#checkCode(user, token, loginPurpose(context.challenge));
  }

  async isSetup(user: User): Promise<boolean> {
    const method = user.tfPrimaryMethod;
    if (method === null || !this.methods.includes(method)) return false;
    if (method === 'authenticator') return user.tfTotpSecret !== null;
    if (method === 'sms') return user.tfPhoneNumber !== null;
    return true;
  }

  override async getSetupMethods(user: User): Promise<string[]> {
    return (await this.isSetup(user)) && user.tfPrimaryMethod !== null ? [user.tfPrimaryMethod] : [];
  }

  async removeTf(user: User): Promise<void> {
    await this.#deps.datastore.resetTwoFactor(user.id);
  }

  async #confirmSetup(user: User, token: unknown, pending: TfPendingSetup): Promise<boolean> {
    const { method } = pending;
    if (!this.methods.includes(method)) return false;
    if (method === 'authenticator') {
      const encrypted = pending.totpSecretEncrypted;
      if (typeof encrypted !== 'string') return false;
      const secret = this.#deps.keyring.decrypt(encrypted, totpSecretContext(user.id));
      const step = this.#totp(secret).match(token, this.#authenticatorWindow(), this.#deps.clock.nowInSeconds());
      if (step === null) return false;
      // The confirming code's step is stored too, so the same code cannot then be replayed to log in.
      await this.#deps.datastore.setTwoFactor(user.id, { method, totpSecretEncrypted: encrypted, phoneNumber: null, lastStep: step });
      return true;
    }
    if (!(await this.#checkCode(user, token, setupPurpose(pending)))) return false;
    await this.#deps.datastore.setTwoFactor(user.id, {
      method,
      totpSecretEncrypted: null,
      phoneNumber: method === 'sms' ? phoneOf(pending) : null,
      lastStep: null,
    });
    return true;
  }

  #checkCode(user: User, token: unknown, purpose: string): Promise<boolean> {
    return verifyOneTimeCode(this.#deps, {
      userId: user.id,
      purpose,
      token,
      maxAttempts: this.#deps.config.twoFactorMaxCodeAttempts,
    });
  }

  async #sendCode(user: User, method: string, options: { phoneNumber: string | null; purpose: string }): Promise<boolean> {
    const { config, mailer, smsSender, events } = this.#deps;
    if (method === 'authenticator') {
      events.emit('tfSecurityTokenSent', { user, method, phoneNumber: null });
      return true;
    }
    const phoneNumber = method === 'sms' ? (options.phoneNumber ?? user.tfPhoneNumber) : null;
    if (method === 'sms' && phoneNumber === null) return false;
    const lifetimeInSeconds = method === 'sms' ? config.twoFactorSmsValidity : config.twoFactorMailValidity;
    const code = await issueOneTimeCode(this.#deps, { userId: user.id, purpose: options.purpose, lifetimeInSeconds });
    try {
      if (method === 'email') {
        if (mailer === null) return false;
        await mailer.send({
          to: user.email,
          subject: config.emailSubjectTwoFactor,
          text: `${messageText('USE_CODE', { code })}\n\n${messageText('CODE_EXPIRES', { within: humanDuration(lifetimeInSeconds) })}\n`,
        });
      } else {
        if (smsSender === null || phoneNumber === null) return false;
        await smsSender.sendSms(String(config.smsServiceConfig.phoneNumber ?? config.smsServiceConfig.PHONE_NUMBER ?? ''), phoneNumber, messageText('USE_CODE', { code }));
      }
    } catch {
      // The provider's error is the delivery layer's to report (without the code); here it is just "not sent".
      return false;
    }
    events.emit('tfSecurityTokenSent', { user, method, phoneNumber });
    return true;
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

function loginPurpose(challenge: string | undefined): string {
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{1,43}$/.test(challenge)) throw new TypeError('challenge must be 1-43 base64url characters');
  return `login:${challenge ?? '-'}`;
}

function setupPurpose(pending: TfPendingSetup): string {
  return `setup:${pending.method}`;
}

function phoneOf(pending: TfPendingSetup): string | null {
  return typeof pending.phoneNumber === 'string' ? pending.phoneNumber : null;
}

function humanDuration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
}
