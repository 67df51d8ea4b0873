/** The default HTML templates, one per page, and the helpers an application's own pages can reuse. */
import type { Templates } from '../pages.js';
import { errorTemplate } from './error.js';
import { loginTemplate } from './login.js';
import { logoutTemplate } from './logout.js';
import { mfRecoveryCodesTemplate } from './mf-recovery-codes.js';
import { mfRecoveryTemplate } from './mf-recovery.js';
import { tfDevicesTemplate } from './tf-devices.js';
import { tfSelectTemplate } from './tf-select.js';
import { tfSetupTemplate } from './tf-setup.js';
import { tfValidateTemplate } from './tf-validate.js';
import { verifyTemplate } from './verify.js';

/** twofold's pages; an application replaces some with `{ ...defaultTemplates, login: myLogin }`. */
export const defaultTemplates: Templates = Object.freeze({
  login: loginTemplate,
  verify: verifyTemplate,
  tfSetup: tfSetupTemplate,
  tfValidate: tfValidateTemplate,
  tfSelect: tfSelectTemplate,
  tfDevices: tfDevicesTemplate,
  mfRecoveryCodes: mfRecoveryCodesTemplate,
  mfRecovery: mfRecoveryTemplate,
  logout: logoutTemplate,
  error: errorTemplate,
});

export { attributes, escapeHtml, html, Html, raw, type AttributeValue, type HtmlValue } from './html.js';
export {
  checkboxField,
  codeField,
  errorsFor,
  formAlert,
  hiddenInput,
  inputField,
  postForm,
  radioGroup,
  submitButton,
  type FormContext,
  type InputOptions,
  type RadioGroupOptions,
} from './form.js';
export { flashList, layout, type LayoutContext, type LayoutPage } from './layout.js';
export { STYLESHEET } from './stylesheet.js';
