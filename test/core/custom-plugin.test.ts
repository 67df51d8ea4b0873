/** A custom factor plugin, like the seed's EmailTfPlugin, registers beside the code plugin and works. */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { tfSendSecurityToken } from '../../src/delivery/token.js';
import { TwofoldError } from '../../src/errors.js';
import { TfPluginBase, type TfSetupData, type TfSetupResult } from '../../src/factors/plugin.js';
import { Totp } from '../../src/otp/totp-class.js';
import { openDatastore } from '../../src/store/kysely/connect.js';
import type { KyselyDatastore } from '../../src/store/kysely/datastore.js';
import type { User } from '../../src/user.js';
import { createTestUser, makeSecurity, reload, TEST_START_IN_SECONDS } from '../support/security.js';

/** The seed's example, in TypeScript: a code sent to the user, kept with its expiry, cleared when used. */
class MailCodeTfPlugin extends TfPluginBase {
  readonly methods: readonly string[] = ['mail-code'];
  readonly outbox: { to: string; code: string }[] = [];
  readonly #enabled = new Set<string>();
  readonly #codes = new Map<string, { code: string; expiresAtInSeconds: number }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  async setupTf(user: User, setupData: TfSetupData): Promise<TfSetupResult> {
    this.#enabled.add(user.id);
    return { ok: true, pending: { method: setupData.method } };
  }

  async sendToken(user: User): Promise<boolean> {
    const code = String(randomInt(1_000_000)).padStart(6, '0');
    this.#codes.set(user.id, { code, expiresAtInSeconds: this.clock.nowInSeconds() + 300 });
    this.outbox.push({ to: user.email, code });
    return true;
  }

  async verifyToken(user: User, token: unknown): Promise<boolean> {
    const stored = this.#codes.get(user.id);
    if (stored === undefined || stored.code !== token || stored.expiresAtInSeconds <= this.clock.nowInSeconds()) return false;
    this.#codes.delete(user.id);
    return true;
  }

  async isSetup(user: User): Promise<boolean> {
    return this.#enabled.has(user.id);
  }

  async removeTf(user: User): Promise<void> {
    this.#enabled.delete(user.id);
  }
}

let datastore: KyselyDatastore;
beforeAll(async () => {
  datastore = await openDatastore('sqlite::memory:');
  await datastore.migrate();
});
afterAll(() => datastore.close());

describe('a custom TfPlugin', () => {
  it('registers, sends and verifies through the registry and tfSendSecurityToken', async () => {
    const { security, clock } = makeSecurity(datastore);
    const plugin = new MailCodeTfPlugin(clock);
    security.plugins.registerPlugin('mail', plugin);
    expect(security.plugins.getPlugin('mail')).toBe(plugin);
    expect(security.plugins.pluginForMethod('mail-code')).toBe(plugin);
    expect(security.plugins.methods()).toEqual(['authenticator', 'sms', 'mail-code']);

    const user = await createTestUser(security);
    expect(await security.hasTfSetup(user)).toBe(false);
    await plugin.setupTf(user, { method: 'mail-code' });
    expect(await security.getTfMethods(user)).toEqual(['mail-code']);

    expect(await tfSendSecurityToken(user, 'mail-code', { security })).toBe(true);
    const { code } = plugin.outbox.at(-1) as { code: string };
    expect(await plugin.verifyToken(user, '000000' === code ? '000001' : '000000')).toBe(false);
    expect(await plugin.verifyToken(user, code)).toBe(true);
    expect(await plugin.verifyToken(user, code)).toBe(false);

    await plugin.sendToken(user);
    clock.advance(301);
    expect(await plugin.verifyToken(user, (plugin.outbox.at(-1) as { code: string }).code)).toBe(false);
  });

  it('lists methods across plugins when a user has several', async () => {
    const { security, clock } = makeSecurity(datastore);
    const plugin = new MailCodeTfPlugin(clock);
    security.plugins.registerPlugin('mail', plugin);
    const user = await createTestUser(security);
    const started = await security.codePlugin.setupTf(user, { method: 'authenticator' });
    if (!started.ok || started.authenticator === undefined) throw new Error('set-up did not start');
    const code = new Totp(started.authenticator.b32key).generatePassword(TEST_START_IN_SECONDS);
    expect(await security.codePlugin.verifyToken(user, code, { pending: started.pending })).toBe(true);
    await plugin.setupTf(user, { method: 'mail-code' });
    expect(await security.getTfMethods(await reload(security, user))).toEqual(['authenticator', 'mail-code']);
  });

  it('refuses a method that another plugin already serves, and a second plugin of the same name', () => {
    const { security, clock } = makeSecurity(datastore);
    class Impostor extends MailCodeTfPlugin {
      override readonly methods: readonly string[] = ['authenticator'];
    }
    const codeOf = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        return err instanceof TwofoldError ? err.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => security.plugins.registerPlugin('impostor', new Impostor(clock)))).toBe('PLUGIN_DUPLICATE_METHOD');
    expect(codeOf(() => security.plugins.registerPlugin('code', new MailCodeTfPlugin(clock)))).toBe('PLUGIN_DUPLICATE_METHOD');
    expect(security.plugins.methods()).toEqual(['authenticator', 'sms']);
  });

  it('names the registered plugins when an unknown one is asked for', () => {
    const { security } = makeSecurity(datastore);
    expect(() => security.plugins.getPlugin('webauthn')).toThrow(/No plugin named "webauthn"; registered: code/);
    expect(security.plugins.pluginForMethod('webauthn')).toBeNull();
  });
});
