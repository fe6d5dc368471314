#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code (code-server), end to end.
//
//   node test/e2e/run.mjs [--only extension-host|ui] [--keep-screenshots-on-pass]
//
// 1. Installs what is missing (test/e2e/lib/toolchain.mjs): chromium and libkrb5-dev with apt,
//    Node 24 and code-server from npm into a cache folder.
// 2. Builds the VSIX (`npm run package`) and the extension-host test bundles, and installs the
//    VSIX into a throwaway extensions dir with `code-server --install-extension`.
// 3. Extension-host suite (test/integration, mocha, the real `vscode` API) in two windows: a
//    trusted one on test/fixtures/workspace, and an untrusted one for the *.untrusted.test.js files.
//    The trusted window has a xenstore-read stand-in on its PATH (lib/fakeXenstore.mjs) and a
//    bridge (screenshots into test-results/e2e/, clicks in a webview, a quick pick, the window's
//    log files) for graphicalConsole.test.ts, which runs real QEMU VNC servers.
// 4. UI suite (test/e2e/ui.mjs): a person's path through the workbench, driven by playwright-core
//    in headless Chromium, with a screenshot per step in test-results/e2e/.
// Closes with "N passed, N failed". Every step has a hard timeout; code-server, the browser and
// the temp dirs are cleaned up on success, failure and Ctrl-C.

import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installExtension } from './lib/codeServer.mjs';
import { fakeXenstore } from './lib/fakeXenstore.mjs';
import { runExtensionHostSuite } from './lib/extensionHost.mjs';
import { clickWebviewButton, pickQuickPickEntry, slug } from './lib/webview.mjs';
import { cleanupAll, elapsed, installSignalHandlers, log, makeTempDir, run } from './lib/processes.mjs';
import { ensureToolchain, ROOT } from './lib/toolchain.mjs';
import { runUiSuite, SCREENSHOTS } from './ui.mjs';

const MINUTE = 60_000;
/** The whole run, install included, must end within this (a cold machine needs about 4 minutes). */
const OVERALL_TIMEOUT_MS = 13 * MINUTE;

const args = process.argv.slice(2);
/** XEN_XL_E2E_REQUIRE=1 (set by .ci/run): a pending test is a failure. */
const requireAll = process.env.XEN_XL_E2E_REQUIRE === '1';
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'extension-host' && only !== 'ui') {
  console.error('usage: node test/e2e/run.mjs [--only extension-host|ui]');
  process.exit(2);
}

installSignalHandlers();
const overall = setTimeout(() => {
  console.error(`\n[e2e] the whole run exceeded ${OVERALL_TIMEOUT_MS / MINUTE} minutes; stopping.`);
  void cleanupAll().finally(() => process.exit(124));
}, OVERALL_TIMEOUT_MS);
overall.unref();

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
/** Suite name → { passed, failed } */
const results = [];

async function main() {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  log(`node ${process.version}; cache, installs and builds first`);
  const toolchain = await ensureToolchain();
  log('toolchain ready');

  // Build the VSIX the way a release does, and the test bundles (out/test/integration).
  await run('build the test bundles', process.execPath, ['scripts/build.mjs', '--tests'], { cwd: ROOT, timeoutMs: 3 * MINUTE });
  const vsix = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
  // The extra flag reaches `vsce package` (the script's last command): vsce refuses README's
  // relative links (ARCHITECTURE.md) when package.json names no GitHub/GitLab repository.
  await run('npm run package', 'npm', ['run', 'package', '--', '--no-rewrite-relative-links'], { cwd: ROOT, timeoutMs: 4 * MINUTE });
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  log(`built ${vsix}`);

  const extensionsDir = makeTempDir('xen-xl-e2e-extensions-');
  const installed = await installExtension(toolchain, vsix, extensionsDir, extensionId);
  log(`installed ${extensionId}@${installed.version} into ${installed.folder}`);

  if (only !== 'ui') await extensionHostSuites(toolchain, extensionsDir, installed.folder);
  if (only !== 'extension-host') {
    const ui = await runUiSuite(toolchain, { extensionsDir, manifest });
    results.push({ suite: 'UI (playwright)', ...ui });
  }
}

async function extensionHostSuites(toolchain, extensionsDir, installedFolder) {
  const testsPath = join(ROOT, 'out', 'test', 'integration', 'index.js');
  // A throwaway copy: the suites write files and workspace settings there (safety.test.ts).
  const workspace = join(makeTempDir('workspace-'), 'workspace');
  cpSync(join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  // Which copy of the extension the suite exercises: with the smoke-test-driver route the
  // workbench loads the extension under test from `extensionDevelopmentPath`. We point that at
  // the folder `--install-extension` unpacked from the VSIX (not at the repo), so the suite tests
  // exactly what ships: the production bundles and only the files .vscodeignore lets through
  // (a missing dist/server.js would fail here). contributions.test.ts checks the path.
  const common = { workspace, extensionsDir, developmentPath: installedFolder, testsPath, timeoutMs: 4 * MINUTE, logDir: SCREENSHOTS };

  // Trusted window. xen.xlPath names a program that does not exist, as on a machine without Xen
  // (suites that need an xl point the workspace setting at their own stand-in). A stand-in for
  // xenstore-read is on the extension host's PATH (see fakeXenstore), and the bridge takes
  // screenshots and reads the window's log files for the suites.
  const xenstore = fakeXenstore();
  const bridgeDir = makeTempDir('xen-xl-e2e-bridge-');
  const trusted = await runExtensionHostSuite(toolchain, {
    ...common,
    name: 'trusted',
    trust: true,
    settings: { 'xen.xlPath': '/nonexistent/xen-xl-e2e/xl', 'files.autoSave': 'off' },
    env: { XEN_XL_EXPECT_TRUST: 'trusted', XEN_XL_EXPECT_EXTENSION_PATH: installedFolder, XEN_XL_E2E_XENSTORE: xenstore.store, XEN_XL_E2E_BRIDGE: bridgeDir },
    homeFiles: xenstore.homeFiles,
    bridge: (request, { page, server }) => (BRIDGE_OPS[request.op] ?? unknownOp)(page, request, server),
    bridgeDir,
  });
  report('extension host (trusted window)', trusted);

  // Untrusted window. xen.xlPath (a user setting, which restricted mode still reads) names a fake
  // xl that writes a marker file whenever anything runs it.
  const fakeDir = makeTempDir('xen-xl-e2e-fake-xl-');
  const marker = join(fakeDir, 'xl-was-run');
  const fakeXl = join(fakeDir, 'xl');
  writeFileSync(fakeXl, `#!/bin/sh\necho "xl $*" >> '${marker}'\n`);
  chmodSync(fakeXl, 0o755);
  const untrusted = await runExtensionHostSuite(toolchain, {
    ...common,
    name: 'untrusted',
    trust: false,
    settings: { 'xen.xlPath': fakeXl, 'files.autoSave': 'off' },
    env: { XEN_XL_EXPECT_TRUST: 'untrusted', XEN_XL_SPAWN_MARKER: marker },
  });
  report('extension host (untrusted window)', untrusted);
}

const unknownOp = (_page, request) => Promise.reject(new Error(`unknown bridge op ${request.op}`));

/** What the extension-host suites may ask of the page and the server (see lib/extensionHost.mjs). */
const BRIDGE_OPS = {
  /** { name } → saves a screenshot of the workbench as test-results/e2e/extension-host-<name>.png; returns its path. */
  async screenshot(page, { name }) {
    const path = join(SCREENSHOTS, `extension-host-${slug(name)}.png`);
    await page.screenshot({ path });
    return path;
  },
  /** { label } → clicks the toolbar button whose text is `label` in the webview in front (the graphical console). */
  async webviewClick(page, { label }) {
    await clickWebviewButton(page, label);
    return null;
  },
  /** { label } → picks the quick-pick entry whose label starts with `label`; returns all labels. */
  async quickPick(page, { label }) {
    return pickQuickPickEntry(page, label);
  },
  /** {} → every log file the window wrote (code-server's user data logs), as { path, text }. */
  async logs(_page, _request, server) {
    const root = join(server.profile.userData, 'logs');
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
      }
    };
    if (existsSync(root)) walk(root);
    return files;
  },
};

function report(suite, result) {
  // A run that ends badly before mocha's summary (e.g. run() threw) still counts as a failure,
  // and so does a suite that ran no test at all.
  let failed = result.exitCode === 0 ? result.failed : Math.max(result.failed, 1);
  if (result.passed + result.failed === 0) {
    log(`${suite}: ran no test at all: counted as a failure`);
    failed = Math.max(failed, 1);
  }
  // Pending (skipped) tests are shown, and fail the run when skips must not happen (CI).
  const pending = result.pending ?? 0;
  if (pending > 0) {
    console.log(`\n==== ${suite}: ${pending} pending (skipped) test(s) ====\n`);
    if (requireAll) failed += pending;
  }
  results.push({ suite, passed: result.passed, failed, pending });
  log(`${suite}: ${result.passed} passed, ${failed} failed, ${pending} pending (exit ${result.exitCode})`);
}

let crashed;
try {
  await main();
} catch (error) {
  crashed = error;
  console.error(`\n[e2e] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanupAll();
}

console.log('\n== e2e summary');
for (const r of results) console.log(`   ${r.suite}: ${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} pending` : ''}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + (crashed ? 1 : 0);
console.log(`   total time ${elapsed()}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
