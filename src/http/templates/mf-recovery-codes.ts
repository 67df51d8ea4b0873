/** The `/mf-recovery-codes` page: the new codes (shown once), how many are left, and a button for a new set. */
import type { PageContext, Template } from '../pages.js';
import { postForm, submitButton } from './form.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';

/** "You have N recovery codes left", in the form that reads right for 0, 1 and more. */
function remainingText(context: Pick<PageContext, 't'>, remaining: number): string {
  if (remaining <= 0) return context.t('MF_RECOVERY_CODES_REMAINING_NONE');
  if (remaining === 1) return context.t('MF_RECOVERY_CODES_REMAINING_ONE');
  return context.t('MF_RECOVERY_CODES_REMAINING', { count: remaining });
}

function codeList(context: PageContext, codes: readonly string[]): Html {
  return html`<section aria-labelledby="mf-codes-save">
<p class="tf-notice tf-important" id="mf-codes-save">${context.t('MF_RECOVERY_CODES_SAVE')}</p>
<ol class="tf-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
</section>`;
}

/**
 * Renders `/mf-recovery-codes`. The codes are listed only right after they were made: they are stored as
 * hashes, so there is no "show codes" button as in FST. Errors (`generate_new_codes`, `show_codes`,
 * `csrf_token`) show above the button.
 */
export const mfRecoveryCodesTemplate: Template<'mfRecoveryCodes'> = (model, context) => {
  const { t } = context;
  const showCodes = model.codes !== null && model.codes.length > 0;
  const generate = html`<p>${t('MF_RECOVERY_CODES_REPLACE')}</p>
${submitButton(t('LABEL_GENERATE_RECOVERY_CODES'), { name: 'generate_new_codes', secondary: showCodes })}`;
  const body = html`${showCodes && codeList(context, model.codes ?? [])}
<p class="tf-current">${remainingText(context, model.remaining)}</p>
<section class="tf-section" aria-labelledby="mf-codes-generate-title">
<h2 id="mf-codes-generate-title">${t('MF_RECOVERY_CODES_GENERATE_HEADING')}</h2>
${postForm(context, { action: context.urls.mfRecoveryCodes, name: 'mf_recovery_codes_form', errors: model.errors, shownFields: [], body: generate })}
</section>`;
  return layout(context, { title: t('TITLE_MF_RECOVERY_CODES'), body });
};
