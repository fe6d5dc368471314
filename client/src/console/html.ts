// The graphical console panel's HTML: a strict Content Security Policy, the bundled script (by
// nonce) and style sheet from dist/webview, and the three regions main.ts fills in. Pure (no
// `vscode` import) so it is unit tested; the panel passes webview.cspSource and the asWebviewUri
// forms of dist/webview/console.{js,css}.
//
// What the CSP allows, and why that is enough for noVNC:
// - script-src: only the nonce'd module script (one esbuild bundle: no further imports, no eval).
// - style-src: only the extension's style sheet. noVNC and the script style elements through the
//   CSSOM (element.style.x = …), which CSP does not restrict; there is no <style> element and no
//   style attribute in the markup.
// - img-src data: and blob:: noVNC draws JPEG/PNG rectangles through Image elements with data:
//   URLs and sets the remote cursor as a data: URL.
// - No connect-src: the RFB stream goes over postMessage, not a WebSocket.

import { randomBytes } from 'node:crypto';

export interface ConsoleHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** From makeNonce(): fresh for every page. */
  nonce: string;
  /** webview.asWebviewUri(dist/webview/console.js), as a string. */
  scriptUri: string;
  /** webview.asWebviewUri(dist/webview/console.css), as a string. */
  styleUri: string;
  /** The page title (the guest's name); escaped here. */
  title: string;
}

/** A fresh CSP nonce: 24 random bytes in base64 (32 characters, no padding). */
export function makeNonce(): string {
  return randomBytes(24).toString('base64');
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
/**
 * One or more CSP source expressions separated by spaces, such as webview.cspSource
 * (`https://*.vscode-cdn.net`; code-server adds `'self'`): scheme and host sources, and the one
 * keyword 'self'. No semicolons, commas, other keywords or line breaks can get through.
 */
const SOURCE = String.raw`(?:'self'|[A-Za-z0-9:/*.+_%@?&=~-]+)`;
const SOURCE_LIST = new RegExp(`^${SOURCE}(?: ${SOURCE})*$`);

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The CSP for a console page. */
export function consoleCsp(cspSource: string, nonce: string): string {
  if (!SOURCE_LIST.test(cspSource)) throw new Error(`not a CSP source list: ${JSON.stringify(cspSource)}`);
  if (!NONCE.test(nonce)) throw new Error('the CSP nonce must be at least 16 base64 characters');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/**
 * A page of ours in a webview: the strict CSP, the style sheet, the title, the given body markup
 * (already escaped by the caller) and the nonce'd module script last. The console and the Host
 * Dashboard differ only in their bodies.
 */
export function webviewPage(options: ConsoleHtmlOptions, body: string): string {
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
${body}
<script type="module" nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}

export function consoleHtml(options: ConsoleHtmlOptions): string {
  return webviewPage(
    options,
    `<div id="toolbar"></div>
<main id="screen" aria-label="Guest screen"></main>
<div id="status" role="status" aria-live="polite"><span id="status-text"></span><span id="status-note" hidden></span></div>`,
  );
}
