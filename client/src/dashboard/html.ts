// The Host Dashboard's HTML: the same strict Content Security Policy as the graphical console
// (only the nonce'd bundled script, only the extension's style sheet, nothing else), and the
// regions webview/main.ts fills in. Pure, so it is unit tested.

import { consoleCsp, escapeHtml } from '../console/html';

export interface DashboardHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The host's label; escaped here. */
  title: string;
}

export function dashboardHtml(options: DashboardHtmlOptions): string {
  const csp = consoleCsp(options.cspSource, options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<header><h1 id="title">${escapeHtml(options.title)}</h1><span id="status" role="status" aria-live="polite"></span></header>
<section id="memory" aria-label="Free memory of the host"></section>
<section id="guests" aria-label="Guests"></section>
<script type="module" nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
