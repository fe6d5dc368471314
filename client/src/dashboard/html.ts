// The Host Dashboard's HTML: the same strict Content Security Policy as the graphical console
// (only the nonce'd bundled script, only the extension's style sheet, nothing else), and the
// regions webview/main.ts fills in. Pure, so it is unit tested.

import { escapeHtml, webviewPage, type ConsoleHtmlOptions } from '../console/html';

/** The console's page options: the same CSP source, nonce, bundle and style URIs, and the host's label as title. */
export type DashboardHtmlOptions = ConsoleHtmlOptions;

export function dashboardHtml(options: DashboardHtmlOptions): string {
  return webviewPage(
    options,
    `<header><h1 id="title">${escapeHtml(options.title)}</h1><span id="status" role="status" aria-live="polite"></span></header>
<section id="memory" aria-label="Free memory of the host"></section>
<section id="guests" aria-label="Guests"></section>`,
  );
}
