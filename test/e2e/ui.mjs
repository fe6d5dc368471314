// The UI suite: what a person does with the extension in the workbench, driven by playwright-core
// in headless Chromium against code-server with the VSIX installed (not a development path).
// Each step waits on a condition (never a fixed sleep), saves a screenshot in test-results/e2e/,
// and counts as one test. A failed step is recorded with its screenshot and the run goes on with
// the next step from a clean state (Escape, close widgets).
//
// The workspace is a temp copy of examples/ (still named `examples`) plus a notes.txt, so the
// steps can type into a config and right-click a non-config file without touching the repo.

import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { log, makeTempDir } from './lib/processes.mjs';
import { settle } from './lib/menu.mjs';
import { ROOT } from './lib/toolchain.mjs';

export const SCREENSHOTS = join(ROOT, 'test-results', 'e2e');
const CONFIG = 'c6-x8664.hvm.cfg';
const TEXT_FILE = 'notes.txt';
const STEP_TIMEOUT_MS = 30_000;

/** The Xen parts of package.json that the steps look for. */
function xenContributions(manifest) {
  const contributes = manifest.contributes ?? {};
  const container = (contributes.viewsContainers?.activitybar ?? []).find((c) => /xen/i.test(c.id) || /xen/i.test(c.title));
  const views = container ? contributes.views?.[container.id] ?? [] : [];
  const paletteWhen = new Map((contributes.menus?.commandPalette ?? []).map((entry) => [entry.command, entry.when]));
  const commands = (contributes.commands ?? []).map((c) => ({ ...c, paletteWhen: paletteWhen.get(c.command) }));
  return { container, views, commands };
}

export async function runUiSuite(toolchain, { extensionsDir, manifest }) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const workspace = join(makeTempDir('xen-xl-e2e-ui-'), 'examples');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  writeFileSync(join(workspace, TEXT_FILE), 'Not a guest config: the Xen commands must not be offered for this file.\n');
  const configs = readdirSync(workspace).filter((name) => name.endsWith('.cfg'));

  const server = await startCodeServer(toolchain, {
    name: 'ui',
    workspace,
    extensionsDir,
    settings: {
      // As on a machine without Xen: the Guests view must say that xl is missing.
      'xen.xlPath': '/nonexistent/xen-xl-e2e/xl',
      'files.autoSave': 'off',
      'editor.hover.delay': 200,
      'workbench.editor.enablePreview': false,
    },
  });
  const browser = await launchBrowser(toolchain.chromium);
  const { page } = browser;
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const xen = xenContributions(manifest);
  const results = [];
  let index = 0;

  async function step(name, body) {
    index += 1;
    const file = join(SCREENSHOTS, `${String(index).padStart(2, '0')}-${name}.png`);
    const started = Date.now();
    try {
      await body();
      await settle(page);
      await page.screenshot({ path: file });
      results.push({ name, ok: true });
      log(`  ✔ ${name} (${Date.now() - started} ms) → ${file}`);
    } catch (error) {
      await page.screenshot({ path: file.replace(/\.png$/, '-FAILED.png') }).catch(() => {});
      results.push({ name, ok: false, error });
      log(`  ✘ ${name}: ${(error instanceof Error ? error.message : String(error)).split('\n').slice(0, 6).join('\n      ')}`);
      // Back to a neutral state for the next step.
      for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {});
    }
  }

  const explorerRow = (name) => page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
  const editor = () => page.locator('.editor-instance .monaco-editor').first();
  const problems = () => page.locator('.markers-panel');

  try {
    await step('workbench-with-examples', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });
      for (const name of [...configs, TEXT_FILE]) await explorerRow(name).waitFor();
    });

    await step('config-opens-as-xl', async () => {
      await explorerRow(CONFIG).click();
      await editor().waitFor();
      // examples/ is not under /etc/xen or a `xen` folder: the extension recognises the content
      // and offers to switch the file (xen.detectXlConfigs = ask); a person answers "Yes".
      const language = page.locator('.statusbar').getByRole('button', { name: 'Xen xl config' });
      const offer = page.locator('.notifications-toasts').filter({ hasText: 'looks like a Xen guest config' });
      await language.or(offer).first().waitFor();
      if (await offer.isVisible()) {
        await offer.getByRole('button', { name: 'Yes', exact: true }).click();
      }
      await language.waitFor();
      await offer.waitFor({ state: 'hidden' });
    });

    await step('typo-gets-squiggle-and-problem', async () => {
      await editor().locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('Maxmem = 8192');
      await editor().locator('.squiggly-error').first().waitFor();
      await page.keyboard.press('Control+Shift+M');
      await problems().getByRole('treeitem').filter({ hasText: 'keys are lower-case' }).first().waitFor();
    });

    await step('problem-code-opens-its-rule', async () => {
      // The code of the diagnostic is a link to the rule reference the extension ships
      // (docs/rules.md, at the rule's line): a click opens it in an editor, next to the config.
      const row = problems().getByRole('treeitem').filter({ hasText: 'keys are lower-case' }).first();
      const code = row.locator('a, .monaco-link').filter({ hasText: 'xl.syntax.uppercase-key' }).first();
      await code.waitFor();
      await code.click();
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'rules.md' }).first();
      try {
        await tab.waitFor();
        // Monaco draws spaces as no-break spaces, hence \s.
        await page.locator('.editor-instance .view-line').filter({ hasText: /^###\s`xl\.syntax\.uppercase-key`\s*$/ }).first().waitFor();
        // The cursor is on the rule's heading: the line the link named.
        const headingLine = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8').split('\n').indexOf('### `xl.syntax.uppercase-key`') + 1;
        await page.locator('.statusbar').getByRole('button', { name: new RegExp(`^Ln ${headingLine}, Col 1\\b`) }).first().waitFor();
        await settle(page);
        await page.screenshot({ path: join(SCREENSHOTS, `${String(index).padStart(2, '0')}-rule-reference.png`) });
      } finally {
        // Back to the config for the next steps, whatever happened here.
        if (await tab.isVisible()) {
          await tab.click();
          await page.keyboard.press('Control+W');
          await tab.waitFor({ state: 'detached' });
        }
      }
    });

    await step('quick-fix-applies', async () => {
      // Put the cursor on the misspelt key (focus is in the Problems panel now).
      await editor().locator('.view-line').filter({ hasText: /^Maxmem\s=\s8192$/ }).locator('span > span').first().click();
      const fix = page.getByRole('option', { name: /Write `maxmem`/ });
      await pressUntilVisible(page, 'Control+.', fix);
      await settle(page);
      await page.screenshot({ path: join(SCREENSHOTS, `${String(index).padStart(2, '0')}-quick-fix-menu.png`) });
      await fix.click();
      await editor().locator('.view-line').filter({ hasText: /^maxmem\s=\s8192$/ }).waitFor();
      await editor().locator('.squiggly-error').first().waitFor({ state: 'detached' });
      await problems().getByRole('treeitem').filter({ hasText: 'keys are lower-case' }).first().waitFor({ state: 'detached' });
    });

    await step('hover-on-vif', async () => {
      const vifHover = page.locator('.monaco-hover').filter({ hasText: 'network interfaces' }).first();
      // The lines can move under the pointer (a CodeLens comes back after the quick fix's edit),
      // and then the hover is for the line above or below: point at `vif` again, from outside.
      for (let attempt = 1; ; attempt++) {
        await page.mouse.move(5, 5);
        await editor().locator('.view-line > span > span').filter({ hasText: /^vif$/ }).first().hover();
        try {
          await vifHover.waitFor({ timeout: attempt < 3 ? 5000 : STEP_TIMEOUT_MS });
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    });

    await step('completion-with-docs', async () => {
      await page.mouse.move(5, 5); // let the hover go
      await editor().locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('on_');
      const widget = page.locator('.suggest-widget');
      await pressUntilVisible(page, 'Control+Space', widget.getByRole('option', { name: /on_poweroff/ }));
      // The documentation of the focused item. It arrives with completionItem/resolve, so the
      // details pane can open a moment after the list. Control+Space toggles the pane: give it
      // time to show, and toggle only when it stays closed (or empty) that long.
      const docs = page.locator('.suggest-details .docs').filter({ hasText: /\w{4,}/ }).first();
      await pressUntilVisible(page, null, docs, { attempts: 3 });
    });

    await step('xen-activity-bar-views', async () => {
      await page.keyboard.press('Escape');
      if (!xen.container) throw new Error('package.json contributes no Xen view container to the activity bar (not built yet?)');
      await page.locator('.activitybar').getByRole('tab', { name: new RegExp(`^${escape(xen.container.title)}`) }).click();
      for (const view of xen.views) {
        await page.locator('.pane-header').filter({ hasText: view.name }).first().waitFor();
      }
      // No xl on this machine (xen.xlPath points nowhere): the Guests view says so.
      const guests = xen.views.find((v) => /guest/i.test(v.name));
      if (!guests) throw new Error(`no Guests view among ${xen.views.map((v) => v.name).join(', ')}`);
      const pane = page.locator('.pane').filter({ has: page.locator('.pane-header').filter({ hasText: guests.name }) });
      await pane.getByRole('treeitem').filter({ hasText: /^xl not found/ }).first().waitFor();
    });

    await step('context-menu-cfg-has-start-guest', async () => {
      await page.keyboard.press('Control+Shift+E');
      await explorerRow(CONFIG).click({ button: 'right' });
      await page.getByRole('menuitem', { name: /^Start guest$/i }).waitFor();
    });

    await step('context-menu-txt-has-no-start-guest', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-menu').waitFor({ state: 'detached' });
      await explorerRow(TEXT_FILE).click({ button: 'right' });
      await page.getByRole('menuitem', { name: /^Copy Path\b/ }).waitFor();
      const count = await page.getByRole('menuitem', { name: /^Start guest/i }).count();
      if (count !== 0) throw new Error('"Start guest" is offered for a .txt file');
    });

    await step('command-palette-lists-xen-commands', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-menu').waitFor({ state: 'detached' });
      // With a plain-text file active, "Treat this file as an xl config" is offered too.
      await explorerRow(TEXT_FILE).click();
      await page.locator('.statusbar').getByRole('button', { name: 'Plain Text' }).waitFor();
      const palette = page.locator('.quick-input-widget');
      const missing = [];
      const shown = [];
      for (const command of xen.commands) {
        if (command.paletteWhen === 'false') continue;
        const label = `${command.category ? `${command.category}: ` : ''}${command.title}`;
        await pressUntilVisible(page, 'F1', palette);
        await page.keyboard.type(label);
        const row = palette.getByRole('option', { name: new RegExp(`^${escape(label)}`) }).first();
        // A command whose palette entry has a when-clause may be hidden in this context; those
        // without one, and the one this context enables, must be there.
        const required = evaluateWhen(command.paletteWhen, PALETTE_CONTEXT) === true;
        const visible = await row.waitFor({ timeout: required ? 10_000 : 1500 }).then(() => true, () => false);
        (visible ? shown : required ? missing : []).push(label);
        if (visible && evaluateWhen(command.paletteWhen, PALETTE_CONTEXT) === false) missing.push(`${label} (shown although its when-clause is false here)`);
        await page.keyboard.press('Escape');
        await palette.waitFor({ state: 'hidden' });
      }
      if (missing.length > 0) throw new Error(`not in the command palette: ${missing.join(', ')}`);
      if (shown.length === 0) throw new Error('no Xen command in the command palette');
      // The palette filtered on "Xen:", for the screenshot.
      await page.keyboard.press('F1');
      await page.keyboard.type('Xen:');
      await palette.getByRole('option').filter({ hasText: 'Xen:' }).first().waitFor();
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  const failed = results.filter((r) => !r.ok);
  log(`UI suite: ${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${SCREENSHOTS}`);
  return { passed: results.length - failed.length, failed: failed.length };
}

/**
 * Presses `key` and waits for `target`; presses again (up to 5 times) when a key press was lost,
 * e.g. because the editor took focus a moment after the click or the language server was
 * still computing. Fails like `waitFor` when `target` never shows.
 */
/**
 * Presses `key` until `target` shows, waiting 4 s after each press (the whole step timeout after
 * the last). With `key` null the first wait comes before any press, and `toggle` is pressed
 * between waits: for a key that toggles something (Control+Space on an open suggest list shows
 * or hides its details pane).
 */
async function pressUntilVisible(page, key, target, { attempts = 5, toggle = 'Control+Space' } = {}) {
  for (let attempt = 1; ; attempt++) {
    const press = key ?? (attempt > 1 ? toggle : null);
    if (press !== null) await page.keyboard.press(press);
    try {
      await target.waitFor({ timeout: attempt < attempts ? 4000 : STEP_TIMEOUT_MS });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** The context of the palette step: a trusted folder with a plain-text file in the editor. */
const PALETTE_CONTEXT = { isWorkspaceTrusted: true, workbenchState: 'folder', editorIsOpen: true, editorLangId: 'plaintext' };

/**
 * A small evaluator for the when-clauses package.json uses on the palette: `true`, `false`,
 * names, `!`, `==`, `!=`, `&&`, `||`. Returns undefined for anything else (or an unknown
 * name), and the step then neither requires nor forbids the command.
 */
export function evaluateWhen(when, context) {
  if (when === undefined) return true;
  const term = (text) => {
    text = text.trim();
    if (text === 'true') return true;
    if (text === 'false') return false;
    let match = /^([\w.]+)\s*(==|!=)\s*([\w.]+)$/.exec(text);
    if (match) {
      if (!(match[1] in context)) return undefined;
      const equal = String(context[match[1]]) === match[3];
      return match[2] === '==' ? equal : !equal;
    }
    match = /^(!?)([\w.]+)$/.exec(text);
    if (match) return match[2] in context ? Boolean(context[match[2]]) !== (match[1] === '!') : undefined;
    return undefined;
  };
  if (/[()~]/.test(when)) return undefined;
  let any = false;
  for (const alternative of when.split('||')) {
    let all = true;
    for (const part of alternative.split('&&')) {
      const value = term(part);
      if (value === undefined) return undefined;
      all &&= value;
    }
    any ||= all;
  }
  return any;
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
