/** The CSS of twofold's pages, served as a file: the pages carry no inline style (`style-src 'self'`). */

/**
 * The stylesheet the pages link at `context.urls.stylesheet`; serve it as `text/css; charset=utf-8`.
 *
 * Plain CSS, no build step: a centred card, the system font, visible focus rings, error colours with at least
 * WCAG AA contrast (4.5:1, checked by `stylesheet.test.ts`) in light and dark schemes, down to 320px wide.
 */
export const STYLESHEET = `/* twofold */
:root {
  color-scheme: light dark;
  --tf-bg: #f3f4f6;
  --tf-card: #ffffff;
  --tf-text: #1b1f24;
  --tf-muted: #57606a;
  --tf-border: #d0d7de;
  --tf-input-border: #8c959f;
  --tf-input-bg: #ffffff;
  --tf-code-bg: #f3f4f6;
  --tf-selected-bg: #eef4ff;
  --tf-link: #0b57d0;
  --tf-accent: #0b57d0;
  --tf-accent-hover: #0842a0;
  --tf-on-accent: #ffffff;
  --tf-focus: #0b57d0;
  --tf-error: #b3261e;
  --tf-error-bg: #fdecea;
  --tf-success: #1a6b34;
  --tf-success-bg: #e6f4ea;
  --tf-info: #0b57d0;
  --tf-info-bg: #e8f0fe;
  --tf-warn: #8a4b00;
  --tf-warn-bg: #fff4e0;
  --tf-mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}

@media (prefers-color-scheme: dark) {
  :root {
    --tf-bg: #0d1117;
    --tf-card: #161b22;
    --tf-text: #e6edf3;
    --tf-muted: #9da7b3;
    --tf-border: #30363d;
    --tf-input-border: #6e7681;
    --tf-input-bg: #0d1117;
    --tf-code-bg: #0d1117;
    --tf-selected-bg: #1b2a41;
    --tf-link: #79b8ff;
    --tf-accent: #4493f8;
    --tf-accent-hover: #79b8ff;
    --tf-on-accent: #0d1117;
    --tf-focus: #79b8ff;
    --tf-error: #ff9492;
    --tf-error-bg: #3b1219;
    --tf-success: #6fdd8b;
    --tf-success-bg: #0f2d1a;
    --tf-info: #79b8ff;
    --tf-info-bg: #102a4c;
    --tf-warn: #f0b72f;
    --tf-warn-bg: #2e2107;
  }
}

*, *::before, *::after { box-sizing: border-box; }

html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }

body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  justify-content: center;
  align-items: flex-start;
  padding: clamp(1rem, 6vh, 4rem) 1rem;
  background: var(--tf-bg);
  color: var(--tf-text);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}

.tf-card {
  width: 100%;
  max-width: 28rem;
  padding: 2rem;
  background: var(--tf-card);
  border: 1px solid var(--tf-border);
  border-radius: 12px;
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.08), 0 8px 24px rgb(0 0 0 / 0.06);
}

.tf-title { margin: 0 0 1rem; font-size: 1.5rem; line-height: 1.25; }
h2 { margin: 0 0 0.75rem; font-size: 1.125rem; line-height: 1.3; }
p { margin: 0 0 1rem; }
.tf-lead { font-size: 1.0625rem; font-weight: 500; }
.tf-current { color: var(--tf-muted); }
a { color: var(--tf-link); text-underline-offset: 0.15em; }
code { font-family: var(--tf-mono); font-size: 0.9375em; }

.tf-section { margin-top: 1.5rem; padding-top: 1.5rem; border-top: 1px solid var(--tf-border); }
.tf-form { margin: 0; }

/* Messages: flashes at the top, form-level alerts, notices. Colour is never the only signal. */
.tf-flashes { margin: 0 0 1.25rem; padding: 0; list-style: none; }
.tf-flash, .tf-alert, .tf-notice {
  margin: 0 0 0.75rem;
  padding: 0.75rem 1rem;
  border: 1px solid currentColor;
  border-left-width: 4px;
  border-radius: 6px;
}
.tf-flash-error, .tf-alert { color: var(--tf-error); background: var(--tf-error-bg); }
.tf-flash-success { color: var(--tf-success); background: var(--tf-success-bg); }
.tf-flash-info, .tf-notice { color: var(--tf-info); background: var(--tf-info-bg); }
.tf-alert { margin-bottom: 1rem; font-weight: 600; }
.tf-alert ul { margin: 0; padding: 0; list-style: none; }
.tf-important { color: var(--tf-warn); background: var(--tf-warn-bg); font-weight: 600; }

.tf-visually-hidden {
  position: absolute !important;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  clip-path: inset(50%);
  white-space: nowrap;
  border: 0;
}

/* Fields */
.tf-field { margin: 0 0 1rem; }
.tf-field > label { display: block; margin-bottom: 0.375rem; font-weight: 600; }
.tf-hint { margin: -0.125rem 0 0.5rem; color: var(--tf-muted); font-size: 0.9375rem; }
.tf-field-errors { margin: 0 0 0.5rem; padding: 0; list-style: none; color: var(--tf-error); font-weight: 600; font-size: 0.9375rem; }

input[type="text"], input[type="email"], input[type="password"], input[type="tel"] {
  display: block;
  width: 100%;
  min-height: 2.75rem;
  padding: 0.5rem 0.75rem;
  font: inherit;
  color: var(--tf-text);
  background: var(--tf-input-bg);
  border: 1px solid var(--tf-input-border);
  border-radius: 6px;
}
input[autocomplete="one-time-code"] { font-family: var(--tf-mono); font-size: 1.25rem; letter-spacing: 0.2em; }
input[autocapitalize="characters"] { font-family: var(--tf-mono); letter-spacing: 0.08em; }
.tf-field-invalid input[type="text"], .tf-field-invalid input[type="email"],
.tf-field-invalid input[type="password"], .tf-field-invalid input[type="tel"] {
  border: 2px solid var(--tf-error);
}

input[type="radio"], input[type="checkbox"] {
  flex: none;
  width: 1.125rem;
  height: 1.125rem;
  margin: 0.1875rem 0 0;
  accent-color: var(--tf-accent);
}
.tf-check { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.5rem; margin: 0 0 1rem; }
.tf-check .tf-field-errors { flex-basis: 100%; }

/* Radio options: a tidy bordered list, the chosen one highlighted. */
.tf-choices { min-width: 0; margin: 0 0 1rem; padding: 0; border: 0; }
.tf-choices legend { margin-bottom: 0.5rem; padding: 0; font-weight: 600; }
.tf-options { margin: 0; padding: 0; list-style: none; border: 1px solid var(--tf-border); border-radius: 8px; overflow: hidden; }
.tf-options li { display: flex; align-items: flex-start; gap: 0.625rem; padding: 0.75rem 0.875rem; border-top: 1px solid var(--tf-border); }
.tf-options li:first-child { border-top: 0; }
.tf-options li:has(input:checked) { background: var(--tf-selected-bg); }
.tf-options label { flex: 1; cursor: pointer; }
.tf-field-invalid .tf-options { border: 2px solid var(--tf-error); }

/* Buttons */
.tf-actions { margin-top: 1.25rem; }
.tf-button {
  display: inline-flex;
  justify-content: center;
  align-items: center;
  width: 100%;
  min-height: 2.75rem;
  padding: 0.5rem 1.25rem;
  font: inherit;
  font-weight: 600;
  color: var(--tf-on-accent);
  background: var(--tf-accent);
  border: 1px solid var(--tf-accent);
  border-radius: 6px;
  cursor: pointer;
}
.tf-button:hover { background: var(--tf-accent-hover); border-color: var(--tf-accent-hover); }
.tf-button-secondary { color: var(--tf-link); background: transparent; border-color: var(--tf-input-border); }
.tf-button-secondary:hover { color: var(--tf-link); background: var(--tf-selected-bg); border-color: var(--tf-accent); }

/* Focus: a ring that shows on every background, for keyboard users. */
:focus-visible { outline: 3px solid var(--tf-focus); outline-offset: 2px; }
input:focus-visible { outline-offset: 1px; border-color: var(--tf-accent); }

/* Authenticator set-up: the QR code (white quiet zone in both schemes) beside the key. */
.tf-authenticator { display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: 1rem 1.25rem; margin: 0 0 1rem; }
.tf-qr { flex: none; width: 200px; max-width: 100%; padding: 8px; line-height: 0; background: #ffffff; border: 1px solid var(--tf-border); border-radius: 8px; }
.tf-qr svg { display: block; width: 100%; height: auto; }
.tf-key-details { flex: 1 1 10rem; min-width: 0; margin: 0; }
.tf-key-details dt { color: var(--tf-muted); font-size: 0.8125rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
.tf-key-details dd { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.tf-key { display: inline-block; padding: 0.25rem 0.5rem; font-size: 1.0625rem; letter-spacing: 0.05em; word-spacing: 0.2em; background: var(--tf-code-bg); border-radius: 4px; user-select: all; }

/* Recovery codes: a monospace grid, two columns where they fit. */
.tf-codes {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
  gap: 0.5rem 1rem;
  margin: 0 0 1rem;
  padding: 0.875rem 1rem;
  list-style: none;
  background: var(--tf-code-bg);
  border: 1px solid var(--tf-border);
  border-radius: 8px;
}
.tf-codes code { font-size: 0.9375rem; letter-spacing: 0.02em; white-space: nowrap; user-select: all; }

/* Remembered browsers: one bordered entry each, the user agent first, its times, its "Forget" button. */
.tf-devices { margin: 0 0 1rem; padding: 0; list-style: none; }
.tf-device { margin: 0 0 0.75rem; padding: 0.875rem 1rem; border: 1px solid var(--tf-border); border-radius: 8px; }
.tf-device-current { background: var(--tf-selected-bg); }
.tf-device-agent { margin: 0 0 0.5rem; font-weight: 600; overflow-wrap: anywhere; }
.tf-badge { display: inline-block; margin-left: 0.5rem; padding: 0 0.5rem; font-size: 0.8125rem; font-weight: 600; color: var(--tf-text); background: var(--tf-selected-bg); border: 1px solid var(--tf-input-border); border-radius: 999px; }
.tf-device-times { display: grid; grid-template-columns: max-content 1fr; gap: 0.125rem 0.75rem; margin: 0; font-size: 0.9375rem; }
.tf-device-times dt { color: var(--tf-muted); }
.tf-device-times dd { margin: 0; font-variant-numeric: tabular-nums; }
.tf-device .tf-actions { margin-top: 0.75rem; }

@media (max-width: 400px) {
  body { padding: 0.75rem 0.5rem; }
  .tf-card { padding: 1.25rem 1rem; border-radius: 8px; }
  .tf-title { font-size: 1.3125rem; }
  .tf-codes { padding: 0.75rem; }
}

@media (forced-colors: active) {
  .tf-button, .tf-options, .tf-flash, .tf-alert, .tf-notice { border: 1px solid CanvasText; }
}

@media print {
  body { padding: 0; background: none; color: #000000; }
  .tf-card { max-width: none; border: 0; box-shadow: none; }
  .tf-form, .tf-flashes { display: none; }
}
`;
