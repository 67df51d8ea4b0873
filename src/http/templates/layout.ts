/** The document shell every page shares: head, stylesheet, the card, the heading and the flashed messages. */
import type { MessageKey } from '../../messages.js';
import type { Flash, PageContext } from '../pages.js';
import { html, type Html } from './html.js';

/** What the shell needs from a page's context; an application's own pages can pass this much. */
export type LayoutContext = Pick<PageContext, 't' | 'locale' | 'flashes'> & { readonly urls: Pick<PageContext['urls'], 'stylesheet'> };

/** A page's content for {@link layout}. */
export interface LayoutPage {
  /** The document title, translated. */
  readonly title: string;
  /** The visible `<h1>`, translated; the title when absent. */
  readonly heading?: string;
  /** Everything below the heading. */
  readonly body: Html;
}

const FLASH_PREFIX: Readonly<Record<Flash['category'], MessageKey>> = {
  error: 'FLASH_PREFIX_ERROR',
  success: 'FLASH_PREFIX_SUCCESS',
  info: 'FLASH_PREFIX_INFO',
};

/** The flashed messages, each with its category as a class and a prefix only screen readers hear. */
export function flashList(context: Pick<PageContext, 't' | 'flashes'>): Html | null {
  if (context.flashes.length === 0) return null;
  // Errors interrupt (alert); other messages wait their turn (status).
  const role = context.flashes.some((flash) => flash.category === 'error') ? 'alert' : 'status';
  const items = context.flashes.map((flash) => {
    // A category from elsewhere than the contract still gets a known class and prefix.
    const category = Object.hasOwn(FLASH_PREFIX, flash.category) ? flash.category : 'info';
    return html`<li class="tf-flash tf-flash-${category}"><span class="tf-visually-hidden">${context.t(FLASH_PREFIX[category])} </span>${flash.text}</li>`;
  });
  return html`<ul class="tf-flashes" role="${role}">${items}</ul>`;
}

/**
 * A whole HTML document: language, viewport, title, the stylesheet at `context.urls.stylesheet`, and a centred
 * card holding the flashes, the heading and `page.body`. No script and no inline style: the pages are served
 * under `default-src 'none'; style-src 'self'`.
 *
 * @example
 * ```ts
 * layout(pageContext, { title: pageContext.t('TITLE_LOGIN'), body: html`<p>…</p>` });
 * ```
 */
export function layout(context: LayoutContext, page: LayoutPage): string {
  const lang = context.locale === 'fr' ? 'fr' : 'en';
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title>${page.title}</title>
<link rel="stylesheet" href="${context.urls.stylesheet}">
</head>
<body>
<main class="tf-card">
${flashList(context)}
<h1 class="tf-title">${page.heading ?? page.title}</h1>
${page.body}
</main>
</body>
</html>
`}`;
}
