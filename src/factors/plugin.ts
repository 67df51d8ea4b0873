/** The factor plugin contract (FST's TfPluginBase) and the registry that maps method names to plugins. */
import { TwofoldError } from '../errors.js';
import type { EventClient } from '../events.js';
import type { User } from '../user.js';

/** A JSON value; pending set-up state is stored server-side as JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A set-up that was started but not yet confirmed with a code. Serialisable, kept server-side (never in a
 * cookie), and holding secrets only in encrypted form.
 */
export interface TfPendingSetup {
  readonly method: string;
  readonly [key: string]: JsonValue;
}

/** What the user chose on the set-up form. `phone`, when present, is already E.164. */
export interface TfSetupData {
  readonly method: string;
  readonly phone?: string | null;
  /** The request it comes from: its address counts for the per-address send limit, and events carry it. */
  readonly client?: EventClient;
}

/** What an authenticator app needs, for the set-up page and JSON (`tf_authr_*`). */
export interface AuthenticatorSetupValues {
  /** The key in groups of four for typing by hand, e.g. `ABCD-EFGH-…`. */
  readonly key: string;
  /** The key as plain base32, no padding. */
  readonly b32key: string;
  readonly username: string;
  readonly issuer: string;
  /** `otpauth://totp/…`, for the QR code. */
  readonly uri: string;
}

/** The reasons a set-up cannot start. */
export type TfSetupFailure = 'TWO_FACTOR_METHOD_NOT_AVAILABLE' | 'PHONE_INVALID' | 'FAILED_TO_SEND_CODE' | 'TOO_MANY_CODES_SENT';

/** The outcome of {@link TfPluginBase.setupTf}; `retryAfterInSeconds` comes with `TOO_MANY_CODES_SENT`. */
export type TfSetupResult =
  | { readonly ok: true; readonly pending: TfPendingSetup; readonly authenticator?: AuthenticatorSetupValues }
  | { readonly ok: false; readonly error: TfSetupFailure; readonly retryAfterInSeconds?: number };

/**
 * How a send went: sent, failed (`retryAfterInSeconds` null), or refused by the send limits until
 * `retryAfterInSeconds` have passed (checklist RL-08).
 */
export type TfSendOutcome = { readonly sent: true } | { readonly sent: false; readonly retryAfterInSeconds: number | null };

/** Which code is meant, when a plugin sends or verifies one. */
export interface TfTokenContext {
  /** The method to use; defaults to the user's primary method. */
  readonly method?: string;
  /** A pending set-up: the code confirms it, and a right code activates it. */
  readonly pending?: TfPendingSetup;
  /**
   * An id binding a sent code to one login attempt (checklist OOB-03): a code sent for one challenge does not
   * verify for another. Defaults to a per-user login challenge.
   */
  readonly challenge?: string;
  /** The request it comes from: its address counts for the per-address send limit, and events carry it. */
  readonly client?: EventClient;
}

/**
 * A second factor. Subclass it and register the instance with {@link TfPlugin.registerPlugin}.
 * The six seed methods, plus `methods` (the method names this plugin serves, each unique across plugins)
 * and `getSetupMethods` (which of them this user has set up).
 */
export abstract class TfPluginBase {
  /** The method names this plugin serves, e.g. `['authenticator', 'email', 'sms']`. */
  abstract readonly methods: readonly string[];

  /** The set-up form fields this plugin needs beyond `setup`; the code plugin needs `phone`. */
  getSetupForm(): { readonly fields: readonly string[] } {
    return { fields: ['setup'] };
  }

  /** Starts setting up `setupData.method` for `user`; nothing is active until a code confirms it. */
  abstract setupTf(user: User, setupData: TfSetupData): Promise<TfSetupResult>;

  /** Sends a code if the method delivers one. @returns false when sending failed or was refused. */
  abstract sendToken(user: User, context?: TfTokenContext): Promise<boolean>;

  /**
   * {@link sendToken}, telling a send refused by rate limits (with how long to wait) from one that failed.
   * The built-in plugin limits sends; a plugin that does not keeps this default.
   */
  async deliverToken(user: User, context?: TfTokenContext): Promise<TfSendOutcome> {
    return (await this.sendToken(user, context)) ? { sent: true } : { sent: false, retryAfterInSeconds: null };
  }

  /**
   * Checks a code. With `context.pending`, a right code also activates that set-up, in the same step, so a
   * confirmed set-up cannot be lost between two calls. Malformed input is `false`, never an exception.
   */
  abstract verifyToken(user: User, token: unknown, context?: TfTokenContext): Promise<boolean>;

  /** Whether the user has this plugin's factor set up. */
  abstract isSetup(user: User): Promise<boolean>;

  /** Removes this plugin's factor from the user. */
  abstract removeTf(user: User): Promise<void>;

  /**
   * What an authenticator app needs to show again for a set-up still pending (the same key, so an entry the
   * phone already holds stays good), or null when the plugin has none for it. The code plugin overrides it.
   */
  pendingAuthenticatorValues(_user: User, _pending: TfPendingSetup): AuthenticatorSetupValues | null {
    return null;
  }

  /** The methods of this plugin the user has set up; by default all of them when {@link isSetup}. */
  async getSetupMethods(user: User): Promise<string[]> {
    return (await this.isSetup(user)) ? [...this.methods] : [];
  }

  /**
   * The methods of this plugin the user has stored, whether or not they can be served now (a method since
   * dropped from `twoFactorEnabledMethods`, a key since removed from the key ring). A stored factor that
   * cannot be served blocks the login; it never counts as no factor. By default {@link getSetupMethods}:
   * a plugin whose factors can become unservable overrides it.
   */
  async getStoredMethods(user: User): Promise<string[]> {
    return this.getSetupMethods(user);
  }
}

/**
 * The plugin registry (FST's `TfPlugin`): plugins by name, and each method name owned by exactly one plugin.
 *
 * @example
 * ```ts
 * security.plugins.registerPlugin('pin', new PinTfPlugin());
 * security.plugins.getPlugin('pin');
 * ```
 */
export class TfPlugin {
  readonly #plugins = new Map<string, TfPluginBase>();
  readonly #byMethod = new Map<string, string>();

  /**
   * Adds a plugin under `name`.
   * @throws TwofoldError `PLUGIN_DUPLICATE_METHOD` when the name or one of its methods is already taken.
   */
  registerPlugin(name: string, plugin: TfPluginBase): void {
    if (this.#plugins.has(name)) {
      throw new TwofoldError('PLUGIN_DUPLICATE_METHOD', `A plugin named "${name}" is already registered`);
    }
    if (plugin.methods.length === 0) throw new TypeError(`Plugin "${name}" serves no methods`);
    for (const method of plugin.methods) {
      const owner = this.#byMethod.get(method);
      if (owner !== undefined || plugin.methods.indexOf(method) !== plugin.methods.lastIndexOf(method)) {
        throw new TwofoldError(
          'PLUGIN_DUPLICATE_METHOD',
          `Method "${method}" of plugin "${name}" already belongs to plugin "${owner ?? name}"; give it another name`,
        );
      }
    }
    this.#plugins.set(name, plugin);
    for (const method of plugin.methods) this.#byMethod.set(method, name);
  }

  /** @throws TwofoldError `PLUGIN_UNKNOWN` naming the registered plugins. */
  getPlugin(name: string): TfPluginBase {
    const plugin = this.#plugins.get(name);
    if (plugin === undefined) {
      throw new TwofoldError('PLUGIN_UNKNOWN', `No plugin named "${name}"; registered: ${[...this.#plugins.keys()].join(', ') || 'none'}`);
    }
    return plugin;
  }

  /** The plugin that serves `method`, or `null` when none does (a method name from the wire is untrusted). */
  pluginForMethod(method: string): TfPluginBase | null {
    const name = this.#byMethod.get(method);
    return name === undefined ? null : (this.#plugins.get(name) ?? null);
  }

  /** Every method every plugin serves, in registration order. */
  methods(): string[] {
    return [...this.#byMethod.keys()];
  }

  /** Removes every plugin's factor from the user (turning 2FA off). */
  async removeAll(user: User): Promise<void> {
    for (const plugin of this.#plugins.values()) await plugin.removeTf(user);
  }

  /** The methods the user has set up, across all plugins, in registration order. */
  async getSetupMethods(user: User): Promise<string[]> {
    const perPlugin = await Promise.all([...this.#plugins.values()].map((plugin) => plugin.getSetupMethods(user)));
    return perPlugin.flat();
  }

  /**
   * The user's factors split into those a login can use now and those stored but out of service: a method
   * no plugin stores or serves any more, or one its plugin cannot serve (see {@link TfPluginBase.getStoredMethods}).
   * `tfPrimaryMethod` counts as stored whatever plugin once wrote it, so removing a plugin fails closed too.
   */
  async getFactorMethods(user: User): Promise<{ readonly usable: string[]; readonly unusable: string[] }> {
    const plugins = [...this.#plugins.values()];
    const [usable, stored] = await Promise.all([this.getSetupMethods(user), Promise.all(plugins.map((plugin) => plugin.getStoredMethods(user)))]);
    const all = new Set(stored.flat());
    if (user.tfPrimaryMethod !== null) all.add(user.tfPrimaryMethod);
    return { usable, unusable: [...all].filter((method) => !usable.includes(method)) };
  }
}
