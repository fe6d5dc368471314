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

/**
 * One step of a multi-step quick input (New Guest): waits until the widget's title matches
 * `title` (a regexp source; the previous step's title and rows can linger for a moment), then
 * picks the entry whose label starts with `pick`, or replaces the input's text with `text` and
 * presses Enter. Returns what the step showed: its title, its entries' labels, and the
 * validation message under the input (empty when none).
 */
export async function quickInputStep(page, { title, pick, text, timeoutMs = 60_000 }) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ timeout: timeoutMs });
  const titleBox = widget.locator('.quick-input-title');
  const wanted = new RegExp(title);
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    seen = ((await titleBox.innerText().catch(() => '')) || '').trim();
    // A step that is still loading shows the progress bar; wait until it is done.
    const busy = await widget.locator('.quick-input-progress.active, .monaco-progress-container.active').count();
    if (wanted.test(seen) && busy === 0) break;
    if (Date.now() > deadline) throw new Error(`quickInputStep: the title never matched /${title}/ (last: ${JSON.stringify(seen)})`);
    await page.waitForTimeout(100);
  }
  const rows = widget.getByRole('option');
  const labels = (await rows.count()) > 0 ? await rows.allInnerTexts() : [];
  const input = widget.locator('.quick-input-box input');
  if (pick !== undefined) {
    const entry = widget.getByRole('option', { name: new RegExp(`^${escapeRegExp(pick)}`) }).first();
    await entry.waitFor({ timeout: 10_000 });
    await entry.click();
  } else if (text !== undefined) {
    await input.fill(text);
    // Validation runs as the user types; give it a moment before reading its verdict.
    await page.waitForTimeout(300);
  }
  const message = ((await widget.locator('.quick-input-message').innerText().catch(() => '')) || '').trim();
  if (pick === undefined && text !== undefined) await input.press('Enter');
  return { title: seen, labels, message };
}
