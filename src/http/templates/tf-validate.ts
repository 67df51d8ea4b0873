/** The `/tf-validate` page (also `/tf-rescue`'s): enter the code, or ask for help when the device is lost. */
import type { MessageKey } from '../../messages.js';
import type { PageContext, PageModels, Template } from '../pages.js';
import { codeField, errorsFor, hiddenInput, postForm, radioGroup, submitButton } from './form.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';

type Rescue = NonNullable<PageModels['tfValidate']['rescue']>;

const PROBLEM_TEXT: Readonly<Record<NonNullable<Rescue['problem']>, MessageKey>> = {
  email: 'TF_RESCUE_EMAIL_SENT',
  help: 'TF_RESCUE_HELP_SENT',
};

function rescueSection(context: PageContext, rescue: Rescue): Html {
  const { t } = context;
  const body = html`${radioGroup(context, {
    id: 'tf-rescue-choice',
    name: 'help_setup',
    legend: 'LABEL_RESCUE',
    choices: rescue.choices,
    selected: null,
    errors: errorsFor(rescue.errors, 'help_setup'),
  })}
${submitButton(t('LABEL_SUBMIT'), { secondary: true })}`;
  // What the last rescue did is news the user waits for: a status region announces it.
  return html`<section class="tf-section">
${rescue.problem !== null && html`<p class="tf-notice" role="status">${t(PROBLEM_TEXT[rescue.problem])}</p>`}
${postForm(context, { action: rescue.action, name: 'two_factor_rescue_form', errors: rescue.errors, shownFields: ['help_setup'], body })}
</section>`;
}

/** "Send a new code": a button posting `resend=1` (an e-mail or SMS code that did not come, or came too late). */
function resendForm(context: PageContext, action: string): Html {
  const body = html`${hiddenInput('resend', '1')}
${submitButton(context.t('LABEL_RESEND_CODE'), { secondary: true })}`;
  return postForm(context, { action, name: 'two_factor_resend_form', errors: {}, shownFields: [], body });
}

/** Renders `/tf-validate`: "enter your code generated via <method>", the code form, and in a login the rescue form. */
export const tfValidateTemplate: Template<'tfValidate'> = (model, context) => {
  const { t } = context;
  const method = model.methodLabel === null ? model.method : t(model.methodLabel);
  const codeForm = html`${codeField(context, {
    id: 'tf-validate-code',
    errors: errorsFor(model.errors, 'code'),
    hint: t('TF_VALIDATE_PROMPT', { method }),
    autofocus: true,
  })}
${submitButton(t('LABEL_SUBMIT_CODE'))}`;
  // A factor out of service gets no code field: no code could pass it, only the rescue options can.
  const main =
    model.unavailable === true
      ? html`<p class="tf-notice" role="alert">${t('TWO_FACTOR_FACTOR_UNAVAILABLE')}</p>`
      : postForm(context, { action: model.action, name: 'two_factor_verify_code_form', errors: model.errors, shownFields: ['code'], body: codeForm });
  const resend = model.unavailable === true ? null : (model.resend ?? null);
  const body = html`${main}
${resend !== null && resendForm(context, resend.action)}
${model.rescue !== null && rescueSection(context, model.rescue)}`;
  return layout(context, { title: t('TITLE_TF_VALIDATE'), body });
};
