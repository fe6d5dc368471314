// The UI suite on the rig: what a person does in the Xen sidebar, driven by Playwright in a plain
// code-server window (not an extension-tests window: there VS Code refuses modal dialogs, so the
// confirmations are clicked here). Each step waits on a condition, saves a screenshot in
// test-results/e2e-xen/ and becomes one report entry with the command it drove.
//
// Guests the steps act on are created in dom0 over plain ssh first (set-up, not under test; the
// extension-host suite covers Start itself).

import { join } from 'node:path';
import { startCodeServer } from '../lib/codeServer.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { log } from '../lib/processes.mjs';
import { pickMenuItem, settle } from '../lib/menu.mjs';
import { ALIASES, RESULTS, userHome } from './harness.mjs';
import { rigGuestConfig } from '../../xen/lib/guestConfig.mjs';

const STEP_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_S = 15;

function guestConfig(rig, name, { ignoreShutdown = false, extraLines = [] } = {}) {
  return rigGuestConfig({ name, ignoreShutdown, extraLines, kernel: rig.guestKernel, guestDir: rig.guestDir });
}

/** Creates a guest in dom0 over plain ssh (set-up). */
async function createInDom0(rig, name, options) {
  const script = `cat > /tmp/${name}.cfg <<'XEOF'\n${guestConfig(rig, name, options)}XEOF\nxl destroy -- ${name} 2>/dev/null; xl create /tmp/${name}.cfg`;
  const result = await rig.dom0(script, 180_000);
  if (result.status !== 0) throw new Error(`set-up: xl create ${name} in dom0 failed: ${result.stderr}${result.stdout}`);
}

async function listedInDom0(rig, name) {
  const result = await rig.dom0(`xl list -- ${name} >/dev/null 2>&1 && echo yes || echo no`);
  return result.stdout.trim() === 'yes';
}

/** Runs the steps; returns report entries ({ name, command, status, screenshot, error }). */
export async function runXenUiSuite(toolchain, { rig, extensionsDir, workspace, next }) {
  const server = await startCodeServer(toolchain, {
    name: 'xen-ui',
    workspace,
    extensionsDir,
    homeFiles: userHome(rig),
    settings: {
      'xen.hosts': [ALIASES.a],
      'xen.refreshInterval': 0,
      'xen.shutdownTimeout': SHUTDOWN_TIMEOUT_S,
      'xen.detectXlConfigs': 'always',
      'files.autoSave': 'off',
      'workbench.editor.enablePreview': false,
      'terminal.integrated.gpuAcceleration': 'off',
      'terminal.integrated.enablePersistentSessions': false,
    },
  });
  const browser = await launchBrowser(toolchain.chromium);
  const { page } = browser;
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const entries = [];

  const guestsPane = () => page.locator('.pane').filter({ has: page.locator('.pane-header').filter({ hasText: /^Guests/i }) });
  const guestRow = (name) => guestsPane().getByRole('treeitem', { name: new RegExp(`^${name}\\b`) });
  const dialog = () => page.locator('.monaco-dialog-box');
  const terminalText = (pattern, timeout) =>
    page.waitForFunction(
      (source) => {
        const text = [...document.querySelectorAll('.xterm-rows')].map((rows) => [...rows.children].map((row) => row.textContent).join('\n')).join('\n');
        return new RegExp(source).test(text);
      },
      pattern,
      { timeout, polling: 250 },
    );

  /** Shows the Xen sidebar (clicking its tab when it is already shown would hide it). */
  async function showXen() {
    if (!(await guestsPane().isVisible())) await page.locator('.activitybar').getByRole('tab', { name: /^Xen/ }).click();
    await guestsPane().waitFor();
  }

  /** Runs a command from the palette; tries again while the extension is still registering it. */
  async function palette(label) {
    const widget = page.locator('.quick-input-widget');
    const option = widget.getByRole('option', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      await widget.waitFor();
      await page.keyboard.type(label);
      try {
        await option.waitFor({ timeout: attempt < 6 ? 5000 : STEP_TIMEOUT_MS });
        break;
      } catch (error) {
        if (attempt >= 6) throw error;
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden' });
      }
    }
    await page.keyboard.press('Enter');
  }

  async function refreshView() {
    await palette('Xen: Refresh');
  }

  async function guestMenu(name, item) {
    await guestRow(name).first().click({ button: 'right' });
    await pickMenuItem(page, new RegExp(`^${item}$`, 'i'));
  }

  async function step(name, command, body) {
    const started = Date.now();
    const file = join(RESULTS, `${String(next()).padStart(2, '0')}-ui-${name}.png`);
    try {
      await body();
      await settle(page);
      await page.screenshot({ path: file });
      entries.push({ suite: 'UI (playwright)', name, command, status: 'passed', screenshot: file, durationMs: Date.now() - started });
      log(`  ✔ ${name} (${Date.now() - started} ms) → ${file}`);
    } catch (error) {
      const failedShot = file.replace(/\.png$/, '-FAILED.png');
      await page.screenshot({ path: failedShot }).catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      entries.push({ suite: 'UI (playwright)', name, command, status: 'failed', screenshot: failedShot, durationMs: Date.now() - started, error: message.slice(0, 2000) });
      log(`  ✘ ${name}: ${message.split('\n').slice(0, 6).join('\n      ')}`);
      for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {});
    }
  }

  try {
    await step('workbench-with-the-rig', 'xen.refresh', async () => {
      await createInDom0(rig, 'wb-ui');
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
      await showXen();
      await refreshView();
      await guestRow('Domain-0').first().waitFor();
      await guestRow('wb-ui').first().waitFor();
      // The README's picture: the guest's config in the editor, the guest running in the sidebar.
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget').waitFor();
      await page.keyboard.type('wb-ui.cfg');
      await page.locator('.quick-input-widget').getByRole('option', { name: /wb-ui\.cfg/ }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-line').filter({ hasText: 'name = "wb-ui"' }).first().waitFor();
      await showXen();
      await page.locator('.pane .monaco-list-row').filter({ hasText: 'wb-ui.cfg' }).filter({ hasText: 'running on' }).first().waitFor();
      // The CodeLens over `name` says where it runs (it follows the view's refresh).
      await page.locator('.editor-instance').getByText(/running on xen-a/).first().waitFor();
      await page.mouse.move(700, 600); // no hover tooltip in the picture
    });

    await step('console-from-the-guests-view', 'xen.guest.console', async () => {
      await guestMenu('wb-ui', 'Open Console');
      await terminalText('XEN-XL-GUEST-UP tag=wb-ui', 150_000);
    });

    await step('destroy-asks-then-destroys', 'xen.guest.destroy', async () => {
      await showXen();
      await guestMenu('wb-ui', 'Destroy Guest');
      await dialog().waitFor();
      const text = await dialog().innerText();
      if (!/Destroy guest "wb-ui"/.test(text) || !/power cord/.test(text)) throw new Error(`the confirmation does not name the guest and what Destroy does: ${text}`);
      if (!(await listedInDom0(rig, 'wb-ui'))) throw new Error('the guest is gone before the confirmation');
      await settle(page);
      await page.screenshot({ path: join(RESULTS, `${String(next()).padStart(2, '0')}-ui-destroy-confirmation.png`) });
      await dialog().getByRole('button', { name: 'Destroy', exact: true }).click();
      await guestRow('wb-ui').first().waitFor({ state: 'detached' });
      if (await listedInDom0(rig, 'wb-ui')) throw new Error('dom0 still lists wb-ui after Destroy');
    });

    await step('shutdown-ignored-then-destroy-offered', 'xen.guest.shutdown', async () => {
      await createInDom0(rig, 'wb-stubborn-ui', { ignoreShutdown: true });
      await refreshView();
      await guestRow('wb-stubborn-ui').first().waitFor();
      // The request must come after the guest removed its poweroff (during boot it powers off).
      await guestMenu('wb-stubborn-ui', 'Open Console');
      await terminalText('XEN-XL-GUEST-IGNORES-SHUTDOWN', 150_000);
      await showXen();
      const asked = Date.now();
      await guestMenu('wb-stubborn-ui', 'Shut Down Guest');
      await dialog().waitFor({ timeout: (SHUTDOWN_TIMEOUT_S + 60) * 1000 });
      const waited = (Date.now() - asked) / 1000;
      const text = await dialog().innerText();
      if (!text.includes(`"wb-stubborn-ui" did not shut down within ${SHUTDOWN_TIMEOUT_S} s`)) throw new Error(`unexpected dialog: ${text}`);
      if (waited < SHUTDOWN_TIMEOUT_S - 1) throw new Error(`the dialog came after ${waited.toFixed(1)} s, before the timeout`);
      if (!(await listedInDom0(rig, 'wb-stubborn-ui'))) throw new Error('the guest is gone before Destroy was chosen');
      await settle(page);
      await page.screenshot({ path: join(RESULTS, `${String(next()).padStart(2, '0')}-ui-shutdown-timed-out.png`) });
      await dialog().getByRole('button', { name: 'Destroy', exact: true }).click();
      await guestRow('wb-stubborn-ui').first().waitFor({ state: 'detached' });
      if (await listedInDom0(rig, 'wb-stubborn-ui')) throw new Error('dom0 still lists wb-stubborn-ui after Destroy');
    });

    await step('start-with-errors-asks-then-shows-the-cause', 'xen.config.start', async () => {
      await page.keyboard.press('Control+Shift+E');
      const explorer = page.locator('.explorer-folders-view');
      const folder = explorer.getByRole('treeitem', { name: 'xen', exact: true });
      await folder.waitFor();
      const row = explorer.getByRole('treeitem', { name: 'wb-typo-ui.cfg', exact: true });
      if (!(await row.isVisible())) await folder.click();
      await row.click();
      // Before Start: the misspelt key and the bad value are marked in the editor.
      await page.locator('.editor-instance .squiggly-error').first().waitFor();
      await row.click({ button: 'right' });
      const start = page.getByRole('menuitem', { name: /^Start Guest$/i });
      await start.waitFor();
      await settle(page);
      await start.hover();
      await start.click();
      await dialog().waitFor();
      const question = await dialog().innerText();
      if (!/explode|on_reboot/.test(question)) throw new Error(`the question does not name the error: ${question}`);
      await settle(page);
      await page.screenshot({ path: join(RESULTS, `${String(next()).padStart(2, '0')}-ui-start-asks-about-errors.png`) });
      await dialog().getByRole('button', { name: 'Start Anyway', exact: true }).click();
      // After: xl refuses it, and the message names the cause.
      await page.locator('.notification-toast').filter({ hasText: /explode/ }).first().waitFor({ timeout: 120_000 });
      if (await listedInDom0(rig, 'wb-typo-ui')) throw new Error('a guest was created from a config xl refuses');
    });
  } finally {
    await browser.close();
    await server.stop();
    await rig.dom0('for n in wb-ui wb-stubborn-ui wb-typo-ui; do xl destroy -- $n 2>/dev/null; done; true');
  }
  return entries;
}

export { guestConfig as uiGuestConfig };
