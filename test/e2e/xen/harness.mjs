// The workbench on a real Xen: code-server with the packaged extension, whose `xen.hosts` names
// the booted rig (test/xen/lib/session.mjs) through ssh Host aliases in the profile's
// ~/.ssh/config, exactly as a user sets it up. The extension-host suite (test/e2e/xen/suite,
// mocha with the real `vscode` API) drives the commands; what the API cannot do (click a modal
// dialog, right-click in the Explorer, read a terminal, take a screenshot) it asks of this harness
// through the bridge of lib/extensionHost.mjs, which does it with Playwright in the same page.
//
// Writes test-results/e2e-xen/report.json: the rig's Xen version and one entry per test with
// `name`, `command` (the command ids it drove), `status` and `screenshot`, and the screenshots
// next to it.

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExtension, sshUsingHome } from '../lib/codeServer.mjs';
import { runExtensionHostSuite } from '../lib/extensionHost.mjs';
import { clickWebviewButton, escapeRegExp, pickQuickPickEntry, quickInputStep, slug, webviewFrame } from '../lib/webview.mjs';
import { log, makeTempDir, run } from '../lib/processes.mjs';
import { MenuItemMissing, pickMenuItem, settle } from '../lib/menu.mjs';
import { ensureToolchain, ROOT } from '../lib/toolchain.mjs';
import { sshConfigBlock } from '../../xen/lib/session.mjs';
import { DOM0_USERS } from '../../xen/lib/rig.mjs';
import { runXenUiSuite, uiGuestConfig } from './ui.mjs';
import { runDom0LocalSuite } from './dom0Local.mjs';

export const RESULTS = join(ROOT, 'test-results', 'e2e-xen');
const MINUTE = 60_000;

/** The two Host aliases of the rig: root, and the sudoer (whose sudo calls dom0 logs). */
export const ALIASES = { a: 'xen-a', b: 'xen-b' };

/** The ssh config a user would write for the rig (both aliases). */
export function rigSshConfig(rig) {
  return sshConfigBlock(rig, ALIASES.a) + '\n' + sshConfigBlock(rig, ALIASES.b, { user: DOM0_USERS.sudoer.name });
}

/**
 * The files of the profile's home that connect it to the rig: ~/.ssh/config with the aliases, and
 * ~/bin/ssh so that ssh reads that config (OpenSSH ignores $HOME, see sshUsingHome), put on PATH
 * by ~/.profile: code-server gives the extension host the environment of a login shell.
 */
export function userHome(rig) {
  return {
    '.ssh/config': rigSshConfig(rig),
    'bin/ssh': sshUsingHome,
    '.profile': { text: '# the xen-xl test profile: its ~/bin first (ssh that reads ~/.ssh/config)\nPATH="$HOME/bin:$PATH"\nexport PATH\n', mode: 0o644 },
  };
}

/** Builds the VSIX (as a release does) and installs it into a throwaway extensions dir. */
export async function buildAndInstall(toolchain, { buildTests = true } = {}) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const extensionId = `${manifest.publisher}.${manifest.name}`;
  if (buildTests || !existsSync(join(ROOT, 'out/test/e2e/xen/suite/index.js'))) {
    await run('build the test bundles', process.execPath, ['scripts/build.mjs', '--tests'], { cwd: ROOT, timeoutMs: 3 * MINUTE });
  }
  await run('npm run package', 'npm', ['run', 'package', '--', '--no-rewrite-relative-links'], { cwd: ROOT, timeoutMs: 4 * MINUTE });
  const vsix = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  const extensionsDir = makeTempDir('xen-xl-e2e-xen-extensions-');
  const installed = await installExtension(toolchain, vsix, extensionsDir, extensionId);
  log(`installed ${extensionId}@${installed.version}`);
  return { extensionsDir, installed, manifest, vsix };
}

/**
 * Runs the workbench suites against a booted rig. Returns { passed, failed, skipped }; a suite
 * with no test, or one that ends without mocha's summary, counts as failed.
 */
export async function runWorkbenchOnXen(rig, { timeoutMs = 20 * MINUTE, buildTests = true, healthCheck } = {}) {
  const started = Date.now();
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const stages = {};
  const stage = async (name, fn) => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      stages[name] = (Date.now() - t) / 1000;
      log(`${name}: ${stages[name].toFixed(1)} s`);
    }
  };
  const toolchain = await stage('toolchain', () => ensureToolchain());
  const { extensionsDir, installed, vsix } = await stage('build and install the VSIX', () => buildAndInstall(toolchain, { buildTests }));

  // A throwaway copy of the suite (a concurrent `npm test` deletes out/test) and a workspace with
  // a `xen` folder (configs there are xl configs by their path).
  const scratch = makeTempDir('xen-xl-e2e-xen-');
  const suiteDir = join(scratch, 'suite');
  cpSync(join(ROOT, 'out/test/e2e/xen/suite'), suiteDir, { recursive: true });
  // mocha stays outside the bundles (as in test/integration): the copy finds it through this link.
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(join(workspace, 'xen'), { recursive: true });
  const bridgeDir = join(scratch, 'bridge');
  mkdirSync(bridgeDir);
  const suiteReport = join(scratch, 'suite-report.json');

  let shots = 0;
  const bridge = (request, { page }) => BRIDGE_OPS[request.op]?.(page, request, { next: () => ++shots, rig }) ?? Promise.reject(new Error(`unknown bridge op ${request.op}`));

  const result = await stage('extension-host suite on the rig', () =>
    runExtensionHostSuite(toolchain, {
      name: 'xen',
      workspace,
      extensionsDir,
      developmentPath: installed.folder,
      testsPath: join(suiteDir, 'index.js'),
      timeoutMs: Math.max(2 * MINUTE, timeoutMs - (Date.now() - started) - MINUTE),
      logDir: RESULTS,
      trust: true,
      homeFiles: userHome(rig),
      settings: {
        'xen.hosts': [ALIASES.a],
        // Only actions and the Refresh button refresh: a guest that shows up right after an
        // action shows up because the action refreshed, not because a timer happened to fire.
        'xen.refreshInterval': 0,
        'xen.detectXlConfigs': 'always',
        'files.autoSave': 'off',
        'workbench.editor.enablePreview': false,
        // The DOM renderer: the terminal's text is then in the page for the bridge to read.
        'terminal.integrated.gpuAcceleration': 'off',
        'terminal.integrated.enablePersistentSessions': false,
      },
      env: {
        XEN_XL_E2E_XEN: '1',
        XEN_XL_E2E_REPORT: suiteReport,
        XEN_XL_E2E_BRIDGE: bridgeDir,
        XEN_XL_E2E_GUEST_KERNEL: rig.guestKernel,
        XEN_XL_E2E_GUEST_BZIMAGE: rig.guestBzImage,
        XEN_XL_E2E_GUEST_DIR: rig.guestDir,
        XEN_XL_E2E_ALIASES: JSON.stringify(ALIASES),
        XEN_XL_E2E_VG: rig.volumeGroup ?? '',
        XEN_XL_E2E_ISO: rig.installerIso ?? '',
        XEN_XL_E2E_REQUIRE: process.env.XEN_XL_E2E_REQUIRE ?? process.env.XEN_TEST_REQUIRE ?? '',
        XEN_XL_E2E_FILES: process.env.XEN_XL_E2E_FILES ?? '',
        CI: process.env.CI ?? '',
      },
      bridge,
      bridgeDir,
    }),
  );

  const hostEntries = (existsSync(suiteReport) ? JSON.parse(readFileSync(suiteReport, 'utf8')).tests : []).map((e) => ({ suite: 'extension host', ...e }));

  // The UI suite in a plain window (modal dialogs are refused in an extension-tests window).
  writeFileSync(join(workspace, 'xen', 'wb-ui.cfg'), uiGuestConfig(rig, 'wb-ui'));
  writeFileSync(join(workspace, 'xen', 'wb-typo-ui.cfg'), uiGuestConfig(rig, 'wb-typo-ui', { extraLines: ['memroy = 256', 'on_reboot = "explode"'] }));
  const uiEntries = await stage('UI suite on the rig', () => runXenUiSuite(toolchain, { rig, extensionsDir, workspace, next: () => ++shots }));
  // Last, as it reboots dom0: VS Code inside dom0 itself, as under Remote-SSH (dom0Local.mjs).
  // The caller's check of dom0's kernel log comes first: the reboot ends that log.
  await healthCheck?.('before the dom0-local reboot');
  let dom0Local;
  try {
    dom0Local = await stage('dom0-local suite (VS Code inside dom0)', () => runDom0LocalSuite(toolchain, { rig, vsix, results: RESULTS, next: () => ++shots }));
  } catch (error) {
    // Its set-up failed (the disk, the reboot, code-server in dom0): one failed entry that says why.
    const message = error instanceof Error ? error.message : String(error);
    log(`dom0-local suite: ${message}`);
    dom0Local = { entries: [{ suite: 'dom0-local (playwright)', name: 'dom0-local: set-up', command: '', status: 'failed', error: message.slice(0, 2000) }], measurements: {} };
  }
  const entries = [...hostEntries, ...uiEntries, ...dom0Local.entries];
  const passed = entries.filter((e) => e.status === 'passed').length;
  const skipped = entries.filter((e) => e.status === 'skipped').length;
  let failed = entries.filter((e) => e.status === 'failed').length;
  const problems = [];
  if (hostEntries.length === 0) problems.push('the extension-host suite reported no test');
  if (result.exitCode !== 0 && failed === 0) problems.push(`the extension-host suite exited ${result.exitCode} without a failed test`);
  const hostPassed = hostEntries.filter((e) => e.status === 'passed').length;
  if (hostPassed !== result.passed) problems.push(`mocha said ${result.passed} passing, the report has ${hostPassed}`);
  if (uiEntries.length === 0) problems.push('the UI suite ran no step');
  if (dom0Local.entries.length === 0) problems.push('the dom0-local suite ran no step');
  if (problems.length > 0) failed += 1;
  const coverage = menuCoverage(entries);
  log(`menu commands of the Xen views and the Explorer driven: ${coverage.driven.length} of ${coverage.commands.length}${coverage.missing.length > 0 ? `; not driven: ${coverage.missing.join(', ')}` : ''}`);
  const report = {
    xenVersion: rig.xenVersion,
    accelerator: rig.accel,
    extension: installed.version,
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    stages,
    dom0Local: dom0Local.measurements,
    summary: { passed, failed, skipped },
    problems,
    coverage,
    tests: entries,
  };
  writeFileSync(join(RESULTS, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  for (const p of problems) log(`workbench on Xen: ${p}`);
  if (skipped > 0) console.log(`\n==== ${skipped} workbench-on-Xen test(s) SKIPPED (pending): ${entries.filter((e) => e.status === 'skipped').map((e) => e.name).join('; ')} ====\n`);
  log(`workbench on Xen ${rig.xenVersion}: ${passed} passed, ${failed} failed, ${skipped} skipped; report in ${join(RESULTS, 'report.json')}`);
  const failures = [...entries.filter((e) => e.status === 'failed').map((e) => ({ name: `${e.suite}: ${e.name}`, error: e.error ?? '' })), ...problems.map((p) => ({ name: 'workbench on Xen', error: p }))];
  return { passed, failed, skipped, failures };
}

/**
 * The commands a user reaches from the Guests and Configs views (their rows and title bars) and
 * from the Explorer's context menu, per package.json, against the ones a passed test drove.
 * Informational: which commands the suites have not run yet.
 */
function menuCoverage(entries) {
  const menus = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.menus;
  const reachable = [
    ...(menus['view/item/context'] ?? []).filter((m) => /xen\.(guests|configs)\b/.test(m.when ?? '') && !/viewItem == xen\.(error|untrusted)/.test(m.when ?? '')),
    ...(menus['view/title'] ?? []),
    ...(menus['explorer/context'] ?? []),
  ].map((m) => m.command);
  const commands = [...new Set(reachable)].sort();
  const driven = new Set(entries.filter((e) => e.status === 'passed').flatMap((e) => (Array.isArray(e.command) ? e.command : e.command ? [e.command] : [])));
  return { commands, driven: commands.filter((c) => driven.has(c)), missing: commands.filter((c) => !driven.has(c)) };
}

// --------------------------------------------------------------- the bridge's operations


/** Picks the item of the context menu that is open, by its exact label (lib/menu.mjs). */
function clickMenuItem(page, item, options) {
  return pickMenuItem(page, new RegExp(`^${escapeRegExp(item)}$`, 'i'), options);
}

const dialog = (page) => page.locator('.monaco-dialog-box');

/** The physical key (a KeyboardEvent code) and Shift for a character on a US keyboard. */
function usKey(char) {
  const shifted = '~!@#$%^&*()_+{}|:"<>?';
  const plain = '`1234567890-=[]\\;\',./';
  const codes = ['Backquote', 'Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8', 'Digit9', 'Digit0', 'Minus', 'Equal', 'BracketLeft', 'BracketRight', 'Backslash', 'Semicolon', 'Quote', 'Comma', 'Period', 'Slash'];
  if (/^[a-z]$/.test(char)) return { code: `Key${char.toUpperCase()}`, shift: false };
  if (/^[A-Z]$/.test(char)) return { code: `Key${char}`, shift: true };
  if (plain.includes(char)) return { code: codes[plain.indexOf(char)], shift: false };
  if (shifted.includes(char)) return { code: codes[shifted.indexOf(char)], shift: true };
  const named = { ' ': 'Space', '\n': 'Enter', '\t': 'Tab' }[char];
  if (named) return { code: named, shift: false };
  throw new Error(`webviewType: no US key types ${JSON.stringify(char)}`);
}


const BRIDGE_OPS = {
  /** { name } → the screenshot's path. */
  async screenshot(page, { name }, { next }) {
    await settle(page);
    const path = join(RESULTS, `${String(next()).padStart(2, '0')}-${slug(name)}.png`);
    await page.screenshot({ path });
    return path;
  },
  /** { click?, timeoutMs? } → the text of the modal dialog; clicks the button named `click`. */
  async dialog(page, { click, timeoutMs = 30_000 }) {
    const box = dialog(page);
    await box.waitFor({ timeout: timeoutMs });
    await settle(page);
    const text = (await box.innerText()).trim();
    if (click) {
      await box.getByRole('button', { name: click, exact: true }).click();
      await box.waitFor({ state: 'detached', timeout: 10_000 });
    }
    return text;
  },
  /** { file, item } → right-clicks the Explorer row of `file` and clicks the menu item. */
  async explorerMenu(page, { file, item }) {
    const row = page.locator('.explorer-folders-view').getByRole('treeitem', { name: file, exact: true });
    await row.waitFor({ timeout: 20_000 });
    await row.click({ button: 'right' });
    await clickMenuItem(page, item);
    return null;
  },
  /** { view, row, item } → right-clicks the row of a view in the side bar whose label is `row`, in the view titled `view`, and clicks the menu item. */
  async viewMenu(page, { view, row, item }) {
    const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(escapeRegExp(view), 'i') }) });
    const target = pane.locator('.monaco-list-row').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(row)}`) }).first();
    await target.waitFor({ timeout: 20_000 }).catch(async (error) => {
      // Say what the side bar has instead.
      const headers = await page.locator('.part.sidebar .pane-header').allTextContents();
      const rows = await page.locator('.part.sidebar .monaco-list-row').evaluateAll((found) => found.map((r) => `${r.getAttribute('aria-label')} | ${r.textContent}`));
      throw new Error(`${error.message}\nside bar view headers: ${JSON.stringify(headers)}\nrows: ${JSON.stringify(rows)}`);
    });
    // A row's menu follows its state (its contextValue), which the workbench draws a moment
    // after the extension changed it: a menu opened just before shows the old choices. As a
    // person would, close it and look again, for up to 30 s; then fail with what it offered.
    const started = Date.now();
    for (;;) {
      await target.click({ button: 'right' });
      try {
        await clickMenuItem(page, item, { timeoutMs: 5_000 });
        return null;
      } catch (error) {
        if (!(error instanceof MenuItemMissing) || Date.now() - started > 30_000) throw error;
        log(`viewMenu: ${view} / ${row} had no "${item}" yet (${error.items.join(' | ')}); opening it again`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  },
  /** { view, row } → left-clicks the row labelled `row` in the side-bar view titled `view` (a collapsed tree row expands). */
  async viewClick(page, { view, row }) {
    const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(escapeRegExp(view), 'i') }) });
    const target = pane.locator('.monaco-list-row').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(row)}`) }).first();
    await target.waitFor({ timeout: 20_000 });
    await target.click();
    return null;
  },
  /**
   * { pattern, timeoutMs? } → the text the panel's editor (the Output view) shows, once it matches
   * `pattern`. Its screen lines are joined without a separator: a long log line is wrapped over
   * several of them.
   */
  async panelText(page, { pattern, timeoutMs = 30_000 }) {
    const handle = await page.waitForFunction(
      (source) => {
        const rows = [...document.querySelectorAll('.part.panel .view-lines > .view-line')]
          .map((row) => ({ top: parseFloat(row.style.top) || 0, text: row.textContent ?? '' }))
          .sort((a, b) => a.top - b.top);
        // Monaco draws spaces as no-break spaces; the pattern is written with plain ones.
        const text = rows.map((row) => row.text).join('').replace(/\u00a0/g, ' ');
        return new RegExp(source).test(text) ? text : false;
      },
      pattern,
      { timeout: timeoutMs, polling: 250 },
    );
    return handle.jsonValue();
  },
  /** { pattern, timeoutMs? } → the text of the terminals once it matches `pattern` (a regexp source). */
  async terminal(page, { pattern, timeoutMs = 60_000 }) {
    const handle = await page.waitForFunction(
      (source) => {
        const text = [...document.querySelectorAll('.xterm-rows')].map((rows) => [...rows.children].map((row) => row.textContent).join('\n')).join('\n');
        return new RegExp(source).test(text) ? text : false;
      },
      pattern,
      { timeout: timeoutMs, polling: 250 },
    );
    return handle.jsonValue();
  },
  /** { label } → picks the quick-pick entry whose label starts with `label`; returns all labels. */
  async quickPick(page, { label }) {
    return pickQuickPickEntry(page, label);
  },
  /** { title, pick?, text?, timeoutMs? } → one step of a multi-step quick input: { title, labels, message }. */
  async quickInputStep(page, request) {
    return quickInputStep(page, request);
  },
  /** { pattern, timeoutMs? } → the text of the first notification (toast or list) that matches. */
  async notification(page, { pattern, timeoutMs = 30_000 }) {
    // Toasts, and the notification list (notifications.showList) where a window shows no toasts.
    const toast = page.locator('.notification-list-item').filter({ hasText: new RegExp(pattern) }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return (await toast.innerText()).trim();
  },
  /** { pattern, button, timeoutMs? } → clicks the button of the first notification that matches; returns its text. */
  async notificationButton(page, { pattern, button, timeoutMs = 30_000 }) {
    const toast = page.locator('.notification-list-item').filter({ hasText: new RegExp(pattern) }).first();
    await toast.waitFor({ timeout: timeoutMs });
    const text = (await toast.innerText()).trim();
    await toast.getByRole('button', { name: button, exact: true }).click();
    return text;
  },
  /** {} → brings the page to the front and focuses its window (polling pauses while VS Code is not focused). */
  async focus(page) {
    await page.bringToFront();
    await page.evaluate(() => window.focus());
    return page.evaluate(() => document.hasFocus());
  },
  /**
   * {} → reboots dom0 (rig.reboot(): QEMU off and on again, same port and host key); answers once
   * `xl list` answers over ssh again, with { downSeconds, bootSeconds, port, hostKeyUnchanged }.
   * Only this process owns QEMU, so the suite cannot do this over ssh itself.
   */
  async rebootDom0(_page, _request, { rig }) {
    const { hostKey: _key, ...result } = await rig.reboot();
    return result;
  },
  /** { label } → clicks the button labelled `label` in the webview in front (the graphical console's toolbar). */
  async webviewClick(page, { label }) {
    await clickWebviewButton(page, label);
    return null;
  },
  /**
   * { text, delayMs? } → clicks the screen of the webview in front (so it has the keyboard focus,
   * as a user would) and types `text` with the page's keyboard: real key events that go through
   * the webview to noVNC and on to the guest.
   */
  async webviewType(page, { text, delayMs = 40 }) {
    const screen = webviewFrame(page).locator('canvas').first();
    await screen.waitFor({ timeout: 20_000 });
    await screen.click();
    // Key by key as a person types on a US keyboard: Shift held for capitals and shifted symbols.
    // (keyboard.type() would send the character alone, without the Shift a real keyboard sends,
    // and a VNC server that takes scan codes, as QEMU's does, would then type the unshifted key.)
    for (const char of text) {
      const key = usKey(char);
      if (key.shift) await page.keyboard.down('Shift');
      await page.keyboard.press(key.code);
      if (key.shift) await page.keyboard.up('Shift');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    return null;
  },
  /** { key } → presses a key in the page. */
  async key(page, { key }) {
    await page.keyboard.press(key);
    return null;
  },
};
