// `npm run test:integration`: runs the extension-host suite (test/integration) in VS Code desktop
// through @vscode/test-electron.
//
// VS Code is taken from VSCODE_EXECUTABLE when set (a local install), otherwise @vscode/test-electron
// downloads it. Where neither works (no network, as on our CI machines) this fails within
// DOWNLOAD_TIMEOUT_MS with a clear message instead of hanging; the same suite then runs under
// code-server (see README, "Testing").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DOWNLOAD_TIMEOUT_MS = 90_000;
const root = resolve(import.meta.dirname, '../..');

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');

function fail(message) {
  console.error(`\ntest:integration: ${message}`);
  process.exit(1);
}

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
if (vscodeExecutablePath !== undefined && !existsSync(vscodeExecutablePath)) {
  fail(`VSCODE_EXECUTABLE points to ${vscodeExecutablePath}, which does not exist.`);
}
if (vscodeExecutablePath === undefined) {
  console.log('test:integration: VSCODE_EXECUTABLE is not set; downloading VS Code with @vscode/test-electron...');
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS);
  });
  try {
    vscodeExecutablePath = await Promise.race([downloadAndUnzipVSCode({ version: 'stable', timeout: DOWNLOAD_TIMEOUT_MS }), timeout]);
  } catch (error) {
    fail(
      `VS Code could not be downloaded (${error instanceof Error ? error.message : String(error)}).\n` +
        'This machine cannot reach the VS Code download servers. Either set VSCODE_EXECUTABLE to a local\n' +
        'VS Code binary (e.g. VSCODE_EXECUTABLE=/usr/share/code/code npm run test:integration), or run the\n' +
        'same suite inside code-server with `npm run test:e2e` where available.',
    );
  } finally {
    clearTimeout(timer);
  }
}

// The same user settings as the code-server run (test/e2e/run.mjs): no xl on this machine.
const userData = mkdtempSync(join(tmpdir(), 'xen-xl-test-electron-'));
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'xen.xlPath': '/nonexistent/xen-xl-e2e/xl', 'security.workspace.trust.enabled': false }, null, 2));
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(root, 'out/test/integration/index.js'),
    extensionTestsEnv: { XEN_XL_EXPECT_TRUST: 'trusted' },
    launchArgs: [resolve(root, 'test/fixtures/workspace'), '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData],
  });
} catch (error) {
  rmSync(userData, { recursive: true, force: true });
  fail(`the extension-host suite failed: ${error instanceof Error ? error.message : String(error)}`);
}
rmSync(userData, { recursive: true, force: true });
// The download keeps sockets alive; exit explicitly.
process.exit(0);
