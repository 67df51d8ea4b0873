/** The `/tf-devices` page: the user's remembered browsers, each with a "Forget" button, and "Forget all". */
import type { PageContext, PageDevice, Template } from '../pages.js';
import { formAlert, hiddenInput, postForm, submitButton } from './form.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';

/** `2025-01-15 10:30` and its machine-readable `2025-01-15T10:30:00Z`, in UTC; the bare number if out of range. */
function utcTime(seconds: number): Html {
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(date.getTime())) return html`${seconds}`;
  const iso = date.toISOString();
  return html`<time datetime="${`${iso.slice(0, 19)}Z`}">${`${iso.slice(0, 10)} ${iso.slice(11, 16)}`}</time>`;
}

/**
 * One device: its user agent (escaped: the browser chose it) with the "this browser" badge, its times, and a
 * form posting `revoke` = its id. The button is described by the user agent, so that a screen reader says
 * which browser "Forget" forgets.
 */
function deviceItem(context: PageContext, device: PageDevice, index: number): Html {
  const { t } = context;
  const agentId = `tf-device-${index}-agent`;
  const agent = device.userAgent.trim() === '' ? t('TF_DEVICES_UNKNOWN_AGENT') : device.userAgent;
  const button = html`<div class="tf-actions"><button type="submit" class="tf-button tf-button-secondary" aria-describedby="${agentId}">${t('LABEL_FORGET_DEVICE')}</button></div>`;
  return html`<li class="tf-device${device.current ? ' tf-device-current' : ''}">
<p class="tf-device-agent" id="${agentId}">${agent}${device.current && html` <span class="tf-badge">${t('TF_DEVICES_CURRENT')}</span>`}</p>
<dl class="tf-device-times">
<dt>${t('LABEL_DEVICE_CREATED')}</dt><dd>${utcTime(device.createdAtInSeconds)}</dd>
<dt>${t('LABEL_DEVICE_LAST_USED')}</dt><dd>${utcTime(device.lastUsedAtInSeconds)}</dd>
<dt>${t('LABEL_DEVICE_EXPIRES')}</dt><dd>${utcTime(device.expiresAtInSeconds)}</dd>
</dl>
${postForm(context, { action: context.urls.tfDevices, name: 'tf_device_form', errors: {}, shownFields: [], body: html`${hiddenInput('revoke', device.id)}${button}` })}
</li>`;
}

/**
 * Renders `/tf-devices`. Errors (`revoke`, `csrf_token`, form-level) show once, above the list; with no
 * device the page says so and has no form.
 */
export const tfDevicesTemplate: Template<'tfDevices'> = (model, context) => {
  const { t } = context;
  const list =
    model.devices.length === 0
      ? html`<p class="tf-current">${t('TF_DEVICES_NONE')}</p>`
      : html`<p class="tf-hint">${t('TF_DEVICES_TIMES_UTC')}</p>
<ul class="tf-devices">${model.devices.map((device, index) => deviceItem(context, device, index))}</ul>
<section class="tf-section">
${postForm(context, {
  action: context.urls.tfDevices,
  name: 'tf_devices_all_form',
  errors: {},
  shownFields: [],
  body: html`${hiddenInput('revoke', 'all')}${submitButton(t('LABEL_FORGET_ALL_DEVICES'), { secondary: true })}`,
})}
</section>`;
  const body = html`<p>${t('TF_DEVICES_INTRO')}</p>
${formAlert(context, model.errors, [])}${list}`;
  return layout(context, { title: t('TITLE_TF_DEVICES'), body });
};
