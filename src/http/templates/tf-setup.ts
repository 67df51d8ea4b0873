/** The `/tf-setup` page: choose, change or disable the second factor, then confirm it with a code. */
import { methodLabel, type MessageKey } from '../../messages.js';
import { PHONE_MAX_LENGTH } from '../../forms/two-factor-setup.js';
import type { PageContext, PageModels, Template } from '../pages.js';
import { codeField, errorsFor, inputField, postForm, radioGroup, submitButton } from './form.js';
import { html, raw, type Html } from './html.js';
import { layout } from './layout.js';

type SetupModel = PageModels['tfSetup'];
type Pending = NonNullable<SetupModel['pending']>;

/** A method's name for a sentence: translated for the built-in ones, the raw value for a plugin's, "none" for null. */
export function methodName(context: Pick<PageContext, 't'>, method: string | null): string {
  if (method === null) return context.t('METHOD_NONE');
  const label = methodLabel(method);
  return label === null ? method : context.t(label);
}

/** The key in groups of four, for typing by hand; the dashes of FST's "pretty" key become spaces. */
export function keyGroups(key: string): string {
  const compact = key.replace(/[\s-]+/g, '');
  return compact.match(/.{1,4}/g)?.join(' ') ?? compact;
}

function authenticatorDetails(context: PageContext, authenticator: NonNullable<Pending['authenticator']>): Html {
  const { t } = context;
  // The SVG is trusted markup from the `qrcode` package (model contract); role="img" makes it one image to
  // assistive technology, named by aria-label.
  return html`<p>${t('TF_SETUP_SCAN_QR')}</p>
<div class="tf-authenticator">
<div class="tf-qr" role="img" aria-label="${t('TF_SETUP_QR_LABEL')}">${raw(authenticator.qrSvg)}</div>
<dl class="tf-key-details">
<dt>${t('LABEL_AUTHENTICATOR_KEY')}</dt><dd><code class="tf-key">${keyGroups(authenticator.key)}</code></dd>
<dt>${t('LABEL_AUTHENTICATOR_ISSUER')}</dt><dd>${authenticator.issuer}</dd>
<dt>${t('LABEL_AUTHENTICATOR_ACCOUNT')}</dt><dd>${authenticator.username}</dd>
</dl>
</div>`;
}

function pendingSection(context: PageContext, pending: Pending): Html {
  const { t } = context;
  const sent: MessageKey | null = pending.method === 'email' ? 'TF_SETUP_CODE_SENT_EMAIL' : pending.method === 'sms' ? 'TF_SETUP_CODE_SENT_SMS' : null;
  const body = html`${codeField(context, { id: 'tf-setup-code', errors: errorsFor(pending.codeErrors, 'code'), autofocus: true })}
${submitButton(t('LABEL_SUBMIT_CODE'))}`;
  return html`<section class="tf-section" aria-labelledby="tf-setup-pending-title">
<h2 id="tf-setup-pending-title">${t('TF_SETUP_ENTER_CODE')}</h2>
${pending.authenticator !== null && authenticatorDetails(context, pending.authenticator)}
${sent !== null && html`<p>${t(sent)}</p>`}
${postForm(context, { action: pending.codeAction, name: 'two_factor_verify_code_form', errors: pending.codeErrors, shownFields: ['code'], body })}
</section>`;
}

function choiceForm(model: SetupModel, context: PageContext): Html {
  const { t } = context;
  const body = html`${radioGroup(context, {
    id: 'tf-setup-method',
    name: 'setup',
    legend: 'LABEL_AVAILABLE_METHODS',
    choices: model.choices,
    selected: model.selected,
    errors: errorsFor(model.errors, 'setup'),
  })}
${model.choices.some((choice) => choice.value === 'sms') && html`<p class="tf-hint">${t('TF_SETUP_SMS_RISK')}</p>`}
${model.choices.some((choice) => choice.value === 'email') && html`<p class="tf-hint">${t('TF_SETUP_EMAIL_RISK')}</p>`}
${model.choices.some((choice) => choice.value === 'sms') &&
  inputField(context, {
    id: 'tf-setup-phone',
    name: 'phone',
    type: 'tel',
    label: 'LABEL_PHONE',
    value: model.phone,
    hint: t('TF_SETUP_PHONE_HINT'),
    errors: errorsFor(model.errors, 'phone'),
    attributes: { autocomplete: 'tel', maxlength: PHONE_MAX_LENGTH },
  })}
${submitButton(t('LABEL_SUBMIT'), { secondary: model.pending !== null })}`;
  return postForm(context, { action: model.action, name: 'two_factor_setup_form', errors: model.errors, shownFields: ['setup', 'phone'], body });
}

/**
 * Renders `/tf-setup`: FST's headline, the current method, the choice form; with `pending`, the code form
 * (and for an authenticator the QR code beside the key); links to the recovery codes and the remembered
 * browsers when given.
 */
export const tfSetupTemplate: Template<'tfSetup'> = (model, context) => {
  const { t } = context;
  const body = html`<p class="tf-lead">${t('TF_SETUP_HEADLINE')}</p>
<p>${t('TF_SETUP_INTRO')}</p>
<p class="tf-current">${t('TF_SETUP_CURRENT_METHOD', { method: methodName(context, model.currentMethod) })}</p>
${choiceForm(model, context)}
${model.pending !== null && pendingSection(context, model.pending)}
${model.recoveryCodesUrl !== null &&
  html`<section class="tf-section" aria-labelledby="tf-setup-recovery-title">
<h2 id="tf-setup-recovery-title">${t('TITLE_MF_RECOVERY_CODES')}</h2>
${model.backupMissing && html`<p class="tf-lead">${t('TF_SETUP_BACKUP_MISSING')}</p>`}
<p>${t('TF_SETUP_RECOVERY_CODES')} <a href="${model.recoveryCodesUrl}">${t('TF_SETUP_RECOVERY_CODES_LINK')}</a></p>
</section>`}
${model.devicesUrl !== null &&
  html`<section class="tf-section" aria-labelledby="tf-setup-devices-title">
<h2 id="tf-setup-devices-title">${t('TITLE_TF_DEVICES')}</h2>
<p>${t('TF_SETUP_DEVICES')} <a href="${model.devicesUrl}">${t('TF_SETUP_DEVICES_LINK')}</a></p>
</section>`}`;
  return layout(context, { title: t('TITLE_TF_SETUP'), body });
};
