// Runs the extension-host suite (test/integration, the `extensionTestsPath` contract of
// @vscode/test-electron) inside code-server. code-server is started with the smoke-test driver
// enabled, which makes its workbench honour `?payload=[["extensionDevelopmentPath",…],
// ["extensionTestsPath",…]]`; the extension host then loads the test entry and awaits `run()`,
// and the workbench reports the outcome through `window.codeAutomationExit(code)` and the host's
// console through `window.codeAutomationLog(type, args)`, which we expose to the page.

import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { log } from './processes.mjs';

const NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin extensions cache|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|.*ENOTFOUND open-vsx\.org|Started local extension host|Extension host .* started|\[Extension Host\]|Timed out waiting for authentication provider)/;

/** A console line from the suite that starts with this is a request to the harness. */
export const BRIDGE_PREFIX = '@@XEN-XL-E2E ';

/**
 * Options: `name`, `workspace`, `extensionsDir`, `developmentPath` (the extension under test),
 * `testsPath` (the compiled index.js), `settings`, `trust`, `env` (reaches the extension host),
 * `homeFiles` (files to write into the profile's HOME, e.g. `.ssh/config`), `vscodeOptions` (flags
 * for the VS Code server, see startCodeServer), `timeoutMs`.
 *
 * The bridge, for what the `vscode` API cannot do (click a modal dialog's button, right-click in
 * the Explorer, read a terminal, take a screenshot): the suite logs `BRIDGE_PREFIX + JSON
 * {id, op, ...}`; `bridge(request, { page, server })` does it in the browser, and its result is
 * written as `{ok, value | error}` to `<bridgeDir>/<id>.json`, which the suite polls.
 *
 * Resolves to { exitCode, passed, failed, pending, output }.
 */
export async function runExtensionHostSuite(toolchain, options) {
  const server = await startCodeServer(toolchain, {
    name: options.name,
    workspace: options.workspace,
    extensionsDir: options.extensionsDir,
    settings: options.settings,
    trust: options.trust,
    env: options.env,
    homeFiles: options.homeFiles,
    vscodeOptions: options.vscodeOptions,
    smokeTestDriver: true,
  });
  const browser = await launchBrowser(toolchain.chromium);
  const lines = [];
  try {
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    let noisy = false;
    await browser.page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      // A request from the suite to the harness (see `bridge` above): handled, not printed.
      if (options.bridge && text.startsWith(BRIDGE_PREFIX)) {
        void answer(text.slice(BRIDGE_PREFIX.length));
        return;
      }
      lines.push(text);
      // The workbench's own chatter (connection setup, the unreachable extension gallery and
      // its stack) goes to the log file only; mocha's report goes to the terminal as well.
      for (const line of text.split('\n')) {
        if (NOISE.test(line)) noisy = true;
        else if (!(noisy && /^\s+at /.test(line))) noisy = false;
        if (!noisy || process.env.XEN_XL_E2E_VERBOSE) console.log(`  │ ${line}`);
      }
    });
    await browser.page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    /** Runs one bridge request and writes its answer where the suite polls for it. */
    async function answer(json) {
      let request;
      try {
        request = JSON.parse(json);
        const value = await options.bridge(request, { page: browser.page, server });
        writeFileSync(join(options.bridgeDir, `${request.id}.json`), JSON.stringify({ ok: true, value: value ?? null }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (request?.id !== undefined) writeFileSync(join(options.bridgeDir, `${request.id}.json`), JSON.stringify({ ok: false, error: message }));
        else console.error(`[e2e] bad bridge request ${json.slice(0, 200)}: ${message}`);
      }
    }
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(options.developmentPath)],
      ['extensionTestsPath', remote(options.testsPath)],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`extension-host suite (${options.name}): opening the workbench`);
    await browser.page.goto(url, { timeout: 60_000 });
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 180_000)));
    const exitCode = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    const output = lines.join('\n');
    if (options.logDir) writeFileSync(join(options.logDir, `extension-host-${options.name}.log`), `${output}\n\n== code-server\n${server.logTail()}\n`);
    if (exitCode === 'timeout') {
      throw new Error(`the extension-host suite (${options.name}) did not finish within ${(options.timeoutMs ?? 180_000) / 1000} s.\ncode-server log:\n${server.logTail()}`);
    }
    // Mocha's spec reporter closes with "N passing" and, when any failed, "N failing".
    const count = (word) => Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm').exec(output)?.[1] ?? 0);
    return { exitCode, passed: count('passing'), failed: count('failing'), pending: count('pending'), output };
  } finally {
    await browser.close();
    // The extension's own output channels (the "Xen" log names every xl call and its stderr),
    // kept beside the suite's log: they say what a hung or failed command was doing.
    if (options.logDir) copyOutputLogs(server.profile.userData, join(options.logDir, `output-${options.name}`));
    await server.stop();
  }
}

/**
 * Copies the workbench's output-channel log files of a profile, flat: plain channels
 * (`output_logging_*`) and log channels (`exthostN/<extension id>/<channel>.log`, the "Xen" log).
 */
function copyOutputLogs(userData, into) {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return;
  for (const entry of readdirSync(logs, { recursive: true })) {
    const file = String(entry);
    if (!/(output_logging_[^/]+|exthost\d+\/xen-xl-tools\.xen-xl)\/[^/]+\.log$/.test(file)) continue;
    mkdirSync(into, { recursive: true });
    cpSync(join(logs, file), join(into, file.replace(/\//g, '_')));
  }
}
