/** Factor plugins for tests: stand-ins for an application's own factors. */
import { TfPluginBase, type TfSetupResult } from '../../src/factors/plugin.js';
import type { User } from '../../src/user.js';

/**
 * A second method, `always`, "set up" for every user whose e-mail starts with `select`, so their login must
 * choose between it and the authenticator. Its codes never verify; sending one always succeeds.
 */
export class AlwaysTfPlugin extends TfPluginBase {
  readonly methods = ['always'] as const;
  async setupTf(): Promise<TfSetupResult> {
    return { ok: false, error: 'TWO_FACTOR_METHOD_NOT_AVAILABLE' };
  }
  async sendToken(): Promise<boolean> {
    return true;
  }
  async verifyToken(): Promise<boolean> {
    return false;
  }
  async isSetup(user: User): Promise<boolean> {
    return user.email.startsWith('select');
  }
  async removeTf(): Promise<void> {}
}
