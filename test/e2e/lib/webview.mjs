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
 * picks the entry whose label starts with `pick`, or types `text` and presses Enter until the
 * step is taken (a step still loading ignores Enter, as a person would notice and press again).
 * With `expectMessage` (a regexp source) it types `text`, waits until the message under the input
 * matches, and leaves the step as it is: for checks as the user types. Returns what the step
 * showed: its title, its entries' labels, and the message under the input.
 */
export async function quickInputStep(page, { title, pick, text, expectMessage, timeoutMs = 60_000 }) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ timeout: timeoutMs });
  const titleBox = widget.locator('.quick-input-title');
  const titleNow = async () => ((await titleBox.innerText().catch(() => '')) || '').trim();
  const messageNow = async () => ((await widget.locator('.quick-input-message').innerText().catch(() => '')) || '').trim();
  const wanted = new RegExp(title);
  const deadline = Date.now() + timeoutMs;
  let seen;
  while (!wanted.test((seen = await titleNow()))) {
    if (Date.now() > deadline) throw new Error(`quickInputStep: the title never matched /${title}/ (last: ${JSON.stringify(seen)})`);
    await page.waitForTimeout(100);
  }
  const rows = widget.getByRole('option');
  if (pick !== undefined) {
    const entry = widget.getByRole('option', { name: new RegExp(`^${escapeRegExp(pick)}`) }).first();
    // The entries of a step that is still loading arrive when it is done.
    await entry.waitFor({ timeout: Math.max(1000, deadline - Date.now()) });
    const labels = await rows.allInnerTexts();
    await entry.click();
    return { title: seen, labels, message: await messageNow() };
  }
  const labels = (await rows.count()) > 0 ? await rows.allInnerTexts() : [];
  if (text === undefined) return { title: seen, labels, message: await messageNow() };
  const input = widget.locator('.quick-input-box input');
  await input.fill(text);
  if (expectMessage !== undefined) {
    const expected = new RegExp(expectMessage);
    let message;
    while (!expected.test((message = await messageNow()))) {
      if (Date.now() > deadline) throw new Error(`quickInputStep: the message never matched /${expectMessage}/ (last: ${JSON.stringify(message)})`);
      await page.waitForTimeout(100);
    }
    return { title: seen, labels, message };
  }
  for (;;) {
    const message = await messageNow();
    await input.press('Enter');
    const pressed = Date.now();
    while (Date.now() - pressed < 1500) {
      if (!(await widget.isVisible()) || (await titleNow()) !== seen) return { title: seen, labels, message };
      await page.waitForTimeout(100);
    }
    if ((await widget.locator('.quick-input-box .monaco-inputbox.error').count()) > 0) {
      throw new Error(`quickInputStep: ${JSON.stringify(text)} was refused at "${seen}": ${await messageNow()}`);
    }
    if (Date.now() > deadline) throw new Error(`quickInputStep: "${seen}" never took ${JSON.stringify(text)} (message: ${JSON.stringify(message)})`);
  }
}
