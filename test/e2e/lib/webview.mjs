// Shared by the bridges of the code-server harnesses (test/e2e/run.mjs, test/e2e/xen/harness.mjs):
// the webview in front and its toolbar buttons, found as a person finds them.

export const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The content of the webview in front: VS Code puts each webview in an iframe with the page in an inner one. */
export const webviewFrame = (page) => page.frameLocator('iframe.webview.ready:visible').first().frameLocator('#active-frame');

/**
 * Clicks the visible toolbar button whose text is `label` in the webview in front (the graphical
 * console): by the text on it, as a person finds it (its accessible name is the longer tooltip,
 * and the closed Send Key menu has buttons with the same texts).
 */
export async function clickWebviewButton(page, label) {
  const button = webviewFrame(page).locator('#toolbar button:visible').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) });
  await button.waitFor({ timeout: 20_000 });
  await button.click();
}
