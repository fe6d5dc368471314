// Shared by the bridges of the code-server harnesses (test/e2e/run.mjs, test/e2e/xen/harness.mjs):
// the webview in front and its toolbar buttons, and the quick pick, found as a person finds them.

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

/** Picks the entry of the open quick pick whose label starts with `label`; returns every label it offered. */
export async function pickQuickPickEntry(page, label) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ timeout: 20_000 });
  const rows = widget.getByRole('option');
  await rows.first().waitFor({ timeout: 10_000 });
  const labels = await rows.allInnerTexts();
  await widget.getByRole('option', { name: new RegExp(`^${escapeRegExp(label)}\\b`) }).first().click();
  return labels;
}
