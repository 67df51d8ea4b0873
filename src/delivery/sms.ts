/** SMS senders: the SmsSenderBase contract, the name → sender registry (SmsSenderFactory) and the dummy sender. */

import { systemClock, type Clock } from '../clock.js';
import { TwofoldError } from '../errors.js';
import { TwilioSmsSender, type TwilioSmsSenderConfig } from './twilio.js';

/**
 * Sends one text message. Subclass it to plug in a provider (Flask-Security-Too's `SmsSenderBaseClass`).
 *
 * @example
 * ```ts
 * class AcmeSmsSender extends SmsSenderBase {
 *   constructor(private readonly apiKey: string) {
 *     super();
 *   }
 *   async sendSms(fromNumber: string, toNumber: string, message: string): Promise<void> {
 *     const response = await fetch('https://sms.acme.example/v1/send', {
 *       method: 'POST',
 *       headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
 *       body: JSON.stringify({ from: fromNumber, to: toNumber, text: message }),
 *     });
 *     // Never put `message` in the error: it holds the one-time code.
 *     if (!response.ok) throw new TwofoldError('SMS_SEND_FAILED', `Acme answered HTTP ${response.status}`);
 *   }
 * }
 * ```
 */
export abstract class SmsSenderBase {
  /**
   * Sends `message` from `fromNumber` to `toNumber` (both E.164). Resolves once the provider accepted the
   * message; a failure is signalled by rejecting, for twofold's own senders with `TwofoldError('SMS_SEND_FAILED')`.
   */
  abstract sendSms(fromNumber: string, toNumber: string, message: string): Promise<void>;
}

/** A sender's settings, as in `SECURITY_SMS_SERVICE_CONFIG` (keys as the sender documents them). */
export type SmsSenderConfig = Readonly<Record<string, unknown>>;

/** Makes a sender from its settings; throws `TypeError` when a setting is missing or wrong. */
export type SmsSenderCreator = (config: SmsSenderConfig) => SmsSenderBase;

/** One text message the {@link DummySmsSender} was given. */
export interface DummySms {
  readonly from: string;
  readonly to: string;
  readonly message: string;
  /** When `sendSms` was called, from the sender's clock. */
  readonly sentAtInSeconds: number;
}

/** How many messages the dummy sender keeps; older ones are forgotten. */
export const DUMMY_MESSAGES_KEPT = 1000;

/**
 * A sender that sends nothing and keeps every message, so tests and development can read the codes
 * (Flask-Security-Too's `DummySmsSender`, which keeps nothing).
 *
 * Reach the instance twofold uses through the registry: `create('dummy')` always returns the registry's one
 * {@link SmsSenderRegistry.dummy}, so `SmsSenderFactory.dummy.messages` (or `myRegistry.dummy.messages`) shows
 * what the library sent.
 *
 * @example
 * ```ts
 * const sms = SmsSenderFactory.dummy;
 * sms.clear();
 * // … run a flow that texts a code …
 * const code = /\d{6}/.exec(sms.lastMessage('+16505551212')?.message ?? '')?.[0];
 * ```
 */
export class DummySmsSender extends SmsSenderBase {
  /** Every message given to `sendSms`, oldest first. */
  readonly messages: DummySms[] = [];
  readonly #clock: Clock;
  #failuresToSimulate = 0;

  constructor(options: { clock?: Clock } = {}) {
    super();
    this.#clock = options.clock ?? systemClock;
  }

  /** Records the message; rejects with `SMS_SEND_FAILED` (and records nothing) while failures are pending. */
  async sendSms(fromNumber: string, toNumber: string, message: string): Promise<void> {
    if (this.#failuresToSimulate > 0) {
      this.#failuresToSimulate -= 1;
      throw new TwofoldError('SMS_SEND_FAILED', 'SMS not sent: the dummy sender was told to fail');
    }
    this.messages.push({ from: fromNumber, to: toNumber, message, sentAtInSeconds: this.#clock.nowInSeconds() });
    // A development server left running must not keep every code it ever made.
    if (this.messages.length > DUMMY_MESSAGES_KEPT) this.messages.splice(0, this.messages.length - DUMMY_MESSAGES_KEPT);
  }

  /** The newest message, or the newest one to `toNumber` when given; `undefined` when there is none. */
  lastMessage(toNumber?: string): DummySms | undefined {
    return this.messages.findLast((sms) => toNumber === undefined || sms.to === toNumber);
  }

  /** Makes the next `count` sends reject with `SMS_SEND_FAILED`, to test how a flow handles a provider outage. */
  failNextSends(count = 1): void {
    if (!Number.isInteger(count) || count < 0) throw new TypeError("Argument 'count' must be a whole number ≥ 0");
    this.#failuresToSimulate = count;
  }

  /** Forgets every message and pending failure. */
  clear(): void {
    this.messages.length = 0;
    this.#failuresToSimulate = 0;
  }
}

/*
 * Why an instance and not Flask-Security-Too's class-level dict: a registry is state, and a global one leaks
 * between tests and between two apps in one process. Each SmsSenderRegistry owns its names and its dummy
 * sender; `SmsSenderFactory` below is just the default instance, so FST-style code (`SmsSenderFactory.register`,
 * `SmsSenderFactory.create('Twilio', …)`) still reads the same, while a test or a second app makes its own
 * `new SmsSenderRegistry()` and hands twofold a sender from it (or its own DummySmsSender) instead.
 */

/**
 * Senders by name. Names are compared case-insensitively, so Flask-Security-Too's `'Dummy'` and `'Twilio'`
 * work. Comes with `dummy` ({@link DummySmsSender}) and `twilio` ({@link TwilioSmsSender}).
 *
 * @example
 * ```ts
 * const registry = new SmsSenderRegistry();
 * registry.register('acme', (config) => new AcmeSmsSender(String(config.API_KEY)));
 * const sender = registry.create('Twilio', { ACCOUNT_SID: 'AC…', AUTH_TOKEN: '…', PHONE_NUMBER: '+15005550006' });
 * ```
 */
export class SmsSenderRegistry {
  /** The one dummy sender this registry hands out for `create('dummy')`; read its `messages` in tests. */
  readonly dummy: DummySmsSender;
  readonly #creators = new Map<string, { name: string; create: SmsSenderCreator }>();

  /** @param options - `clock` stamps the dummy sender's messages. */
  constructor(options: { clock?: Clock } = {}) {
    this.dummy = new DummySmsSender(options);
    this.register('dummy', () => this.dummy);
    this.register('twilio', (config) => new TwilioSmsSender(config as TwilioSmsSenderConfig));
  }

  /**
   * Adds a sender under `name`, replacing one registered under the same name (in any case), as assigning to
   * Flask-Security-Too's `SmsSenderFactory.senders[name]` does.
   *
   * @throws TypeError when `name` is empty or `create` is not a function.
   */
  register(name: string, create: SmsSenderCreator): this {
    if (typeof name !== 'string' || name.trim() === '') throw new TypeError("Argument 'name' must be a non-empty string");
    if (typeof create !== 'function') throw new TypeError("Argument 'create' must be a function (config) => SmsSenderBase");
    this.#creators.set(name.toLowerCase(), { name, create });
    return this;
  }

  /**
   * Makes the sender registered under `name` (any case) from `config`.
   *
   * @param name - The sender's name, e.g. `SECURITY_SMS_SERVICE`.
   * @param config - Its settings, e.g. `SECURITY_SMS_SERVICE_CONFIG`.
   * @throws TwofoldError `SMS_SENDER_UNKNOWN` when no sender has that name; the message lists the registered ones.
   * @throws TypeError when the sender's settings are wrong (from its creator) or the creator returned no sender.
   */
  create(name: string, config: SmsSenderConfig = {}): SmsSenderBase {
    const entry = typeof name === 'string' ? this.#creators.get(name.toLowerCase()) : undefined;
    if (entry === undefined) {
      throw new TwofoldError(
        'SMS_SENDER_UNKNOWN',
        `No SMS sender is registered as ${JSON.stringify(name)}; registered: ${this.names.join(', ')}`,
      );
    }
    const sender: unknown = entry.create(config);
    // A creator written in JavaScript can return anything; catch that here rather than at the first send.
    if (typeof (sender as Partial<SmsSenderBase> | null)?.sendSms !== 'function') {
      throw new TypeError(`The SMS sender creator registered as '${entry.name}' did not return an object with sendSms()`);
    }
    return sender as SmsSenderBase;
  }

  /** Whether a sender is registered under `name` (any case). */
  has(name: string): boolean {
    return typeof name === 'string' && this.#creators.has(name.toLowerCase());
  }

  /** The registered names, as they were registered. */
  get names(): string[] {
    return [...this.#creators.values()].map((entry) => entry.name);
  }
}

/**
 * The default, process-wide {@link SmsSenderRegistry}, under Flask-Security-Too's name. twofold uses it unless
 * given another registry.
 *
 * @example
 * ```ts
 * SmsSenderFactory.register('acme', (config) => new AcmeSmsSender(String(config.API_KEY)));
 * const sender = SmsSenderFactory.create('Dummy');
 * await sender.sendSms('+15005550006', '+16505551212', 'Use this code to sign in: 123456');
 * SmsSenderFactory.dummy.messages; // [{ from: '+15005550006', to: '+16505551212', message: '…', sentAtInSeconds: … }]
 * ```
 */
export const SmsSenderFactory: SmsSenderRegistry = new SmsSenderRegistry();

/** The type of {@link SmsSenderFactory}: any {@link SmsSenderRegistry}. */
export type SmsSenderFactory = SmsSenderRegistry;
