/** The URLs of twofold's pages, from the options: one place, which the handler and the error pages both read. */
import type { Security } from '../security.js';
import type { PageUrls } from './pages.js';

/** The URLs of every endpoint, with the prefix applied. */
export function pageUrls(security: Security): PageUrls {
  const c = security.config;
  const p = c.urlPrefix;
  return {
    login: p + c.loginUrl,
    logout: p + c.logoutUrl,
    verify: p + c.verifyUrl,
    tfSetup: p + c.twoFactorSetupUrl,
    tfValidate: p + c.twoFactorTokenValidationUrl,
    tfRescue: p + c.twoFactorRescueUrl,
    tfSelect: p + c.twoFactorSelectUrl,
    tfDevices: p + c.twoFactorDevicesUrl,
    mfRecoveryCodes: p + c.multiFactorRecoveryCodesUrl,
    mfRecovery: p + c.multiFactorRecoveryUrl,
    stylesheet: `${p}/static/twofold.css`,
  };
}
