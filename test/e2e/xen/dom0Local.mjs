// The Remote-SSH way on the real rig (issue 21): VS Code runs on the dom0 itself. code-server
// (the same VS Code server Remote-SSH starts on a host) runs inside the rig's dom0 with the
// packaged VSIX installed there as a user installs it, on /etc/xen, with no `xen.hosts`: the
// extension runs `xl` locally and the language server reads the dom0's own volumes, bridges and
// ISOs. Chromium on this machine reaches it through `ssh -L`, as Remote-SSH tunnels its server.
//
// How it gets there: the rig reboots with a second, read-only disk (lib/vscodeDisk.mjs: Node,
// code-server, the VSIX) and 2 GiB for dom0. Each session is one code-server started over ssh as
// one dom0 user: root; `xenadmin` (sudo NOPASSWD for xl); `xenuser` (no sudo); and xenadmin
// again on an untrusted /etc/xen. Every step is one report entry named `dom0-local: …` with a
// screenshot, and the measured costs (boot, install, start, memory) go into the report's
// `dom0Local` section.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { log } from '../lib/processes.mjs';
import { pickMenuItem, settle } from '../lib/menu.mjs';
import { escapeRegExp, slug } from '../lib/webview.mjs';
import { runAsync, freePort, DOM0_USERS } from '../../xen/lib/rig.mjs';
import { rigGuestConfig } from '../../xen/lib/guestConfig.mjs';
import { buildVscodeDisk, CODE_SERVER_ENTRY, VSCODE_MOUNT, VSIX_NAME } from '../../xen/lib/vscodeDisk.mjs';

const STEP_TIMEOUT_MS = 90_000;
/** dom0's memory while VS Code runs in it (measured: code-server, its extension host and our
 * language server use about 400 MiB of it), and QEMU's, which leaves guests what they had. */
export const DOM0_LOCAL_MEMORY = { dom0MemMiB: 2048, memoryMiB: 3328 };
const CODE_SERVER_PORT = 8080;
const WORKSPACE = '/etc/xen';

/** The configs set up in /etc/xen (over plain ssh, not under test). */
const GUEST = 'dl-guest';
const VOLUME = 'dl-root';
/** A MAC and VNC display another config of /etc/xen already uses: completion must offer others. */
const USED_MAC = '00:16:3e:0d:0d:01';
const USED_DISPLAY = 0;

function completionConfig() {
  return [
    'name = "dl-complete"',
    'type = "hvm"',
    'memory = 256',
    // Holes the steps complete: a logical volume, an ISO, a bridge, a MAC, a VNC display.
    'disk = [ "phy:/dev/xenvg/,xvda,w", "file:/opt/isos/,hdc:cdrom,r" ]',
    'vif = [ "bridge=", "mac=" ]',
    'vncdisplay = ',
    '',
  ].join('\n');
}

function missingPathConfig(rig) {
  return rigGuestConfig({
    name: 'dl-missing',
    kernel: rig.guestKernel,
    guestDir: rig.guestDir,
    extraLines: ['disk = [ "phy:/dev/xenvg/no-such-volume,xvda,w" ]'],
  });
}

function usedConfig() {
  return ['name = "dl-web"', 'type = "hvm"', 'memory = 256', `vif = [ "mac=${USED_MAC},bridge=xenbr0" ]`, 'vnc = 1', `vncdisplay = ${USED_DISPLAY}`, ''].join('\n');
}

/** A here-document that writes `text` to `path` in dom0. */
function writeFile(path, text) {
  return `cat > '${path}' <<'XEOF'\n${text}XEOF\n`;
}

/** The user settings each session's code-server gets (as a user's settings.json). */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'files.autoSave': 'off',
  'workbench.editor.enablePreview': false,
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  // Only actions and Refresh refresh, as in the other workbench suites.
  'xen.refreshInterval': 0,
};

/**
 * Runs the dom0-local sessions on `rig` (booted by lib/session.mjs). `vsix`: the packaged
 * extension. Returns { entries, measurements }.
 */
export async function runDom0LocalSuite(toolchain, { rig, vsix, results, next }) {
  const entries = [];
  const measurements = {};
  const measure = (name, seconds) => {
    measurements[name] = Math.round(seconds * 10) / 10;
    log(`dom0-local: ${name}: ${measurements[name]}`);
  };
  const timed = async (name, fn) => {
    const t = Date.now();
    const value = await fn();
    measure(`${name} (s)`, (Date.now() - t) / 1000);
    return value;
  };

  const disk = await timed('build the VS Code disk', () =>
    buildVscodeDisk({
      toolchain,
      vsix,
      image: join(rig.work, 'vscode.img'),
      scratch: rig.work,
    }),
  );
  measure('VS Code disk (MiB)', disk.bytes / 1048576);
  await timed('reboot dom0 with the disk and 2 GiB', () => rig.reboot({ vscodeDisk: disk.image, ...DOM0_LOCAL_MEMORY }));
  const mounted = await rig.dom0(`grep -q ' ${VSCODE_MOUNT} ' /proc/mounts && test -x ${VSCODE_MOUNT}/node && echo mounted`);
  if (!mounted.stdout.includes('mounted')) throw new Error(`dom0 did not mount the VS Code disk at ${VSCODE_MOUNT}: ${mounted.stderr}${mounted.stdout}`);

  // Set-up (not under test): the configs in /etc/xen, a logical volume to complete.
  const setup = await rig.dom0(
    [
      writeFile(
        `${WORKSPACE}/${GUEST}.cfg`,
        rigGuestConfig({
          name: GUEST,
          kernel: rig.guestKernel,
          guestDir: rig.guestDir,
        }),
      ),
      writeFile(`${WORKSPACE}/dl-web.cfg`, usedConfig()),
      writeFile(`${WORKSPACE}/dl-complete.cfg`, completionConfig()),
      writeFile(`${WORKSPACE}/dl-missing.cfg`, missingPathConfig(rig)),
      `lvm lvcreate -q -y -L 8m -n ${VOLUME} ${rig.volumeGroup} >/dev/null`,
      `test -b /dev/${rig.volumeGroup}/${VOLUME} && ls ${rig.isoDir}`,
    ].join('\n'),
    60_000,
  );
  if (setup.status !== 0) throw new Error(`set-up in dom0 failed: ${setup.stderr}${setup.stdout}`);
  const iso = setup.stdout
    .trim()
    .split('\n')
    .find((name) => name.endsWith('.iso'));
  if (!iso) throw new Error(`no ISO in ${rig.isoDir}: ${setup.stdout}`);

  const installed = new Set();
  /** One code-server in dom0 as `user`, reached through ssh -L; { page, close }. */
  async function openSession(label, { user = 'root', trust = true } = {}) {
    const home = user === 'root' ? '/root' : `/home/${user}`;
    const ssh = (script, timeoutMs = 60_000) => runAsync(rig.sshWrapper, ['-o', 'ControlPath=none', '-l', user, rig.hostAlias, script], { timeoutMs });
    const node = `env LD_LIBRARY_PATH=${VSCODE_MOUNT}/lib ${VSCODE_MOUNT}/node ${VSCODE_MOUNT}/${CODE_SERVER_ENTRY}`;
    // One user-data folder per session: a second code-server of the same user would otherwise hand
    // its folder to the first one's socket (or a stale one) and exit. One extensions folder per user.
    const labelSlug = slug(label);
    const userData = `${home}/.local/share/code-server-${labelSlug}`;
    const folders = `--user-data-dir ${userData} --extensions-dir ${home}/.local/share/code-server/extensions`;
    const logFile = `/tmp/code-server-${labelSlug}.log`;
    const pidFile = `/tmp/code-server-${labelSlug}.pid`;
    const settings = `${userData}/User/settings.json`;
    const prepare = await ssh(`set -e\ncd ${home}\nmkdir -p ${userData}/User\n${writeFile(settings, JSON.stringify(SETTINGS, null, 2) + '\n')}`);
    if (prepare.status !== 0) throw new Error(`writing ${settings} failed: ${prepare.stderr}`);
    if (!installed.has(user)) {
      // As a user installs a VSIX: code-server --install-extension, in dom0.
      const install = await timed(`${label}: code-server --install-extension in dom0`, () => ssh(`cd ${home} && ${node} ${folders} --install-extension ${VSCODE_MOUNT}/${VSIX_NAME} 2>&1`, 300_000));
      if (!/successfully installed/i.test(install.stdout)) throw new Error(`installing the VSIX in dom0 failed (${install.status}): ${install.stdout}${install.stderr}`);
      installed.add(user);
    }
    const started = Date.now();
    const flags = [
      folders,
      '--auth none',
      `--bind-addr 127.0.0.1:${CODE_SERVER_PORT}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--ignore-last-opened',
      ...(trust ? ['--disable-workspace-trust'] : []),
    ].join(' ');
    // setsid: its own process group, so that close() stops code-server and every child at once.
    const startServer = async () => {
      const start = await ssh(`cd ${home} && (setsid ${node} ${flags} ${WORKSPACE} >> ${logFile} 2>&1 < /dev/null & echo $! > ${pidFile})`);
      if (start.status !== 0) throw new Error(`starting code-server in dom0 failed: ${start.stderr}`);
    };
    await startServer();
    // code-server gives its own server process a limited time to come up and otherwise exits
    // ("error timed out"); on a CPU-starved TCG dom0 that happened once. Then it is started once
    // more, as a user would, and the report says so.
    let restarted = false;
    const answering = async () => {
      if ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true) return true;
      const alive = await ssh(`kill -0 $(cat ${pidFile}) 2>/dev/null && echo alive`, 20_000);
      if (alive.stdout.includes('alive') || restarted) return false;
      restarted = true;
      measure(`${label}: code-server restarts (it exited before answering)`, 1);
      await startServer();
      return false;
    };
    const stop = async () => {
      const memory = await ssh(`free -m | awk '/^Mem:/ {print $3}'; kill -TERM -- -$(cat ${pidFile}) 2>/dev/null; sleep 1; kill -KILL -- -$(cat ${pidFile}) 2>/dev/null; true`);
      return Number(memory.stdout.trim().split('\n')[0]);
    };
    const localPort = await freePort();
    const forward = spawn(rig.sshWrapper, ['-N', '-o', 'ControlPath=none', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${localPort}:127.0.0.1:${CODE_SERVER_PORT}`, rig.hostAlias], {
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${localPort}`;
    let browser;
    try {
      try {
        await waitFor('code-server in dom0 answering through ssh -L', 240_000, answering);
      } catch (error) {
        const why = await rig.dom0(
          `tail -n 20 ${logFile}; echo '-- listening:'; netstat -ltn 2>/dev/null | grep ':${CODE_SERVER_PORT} '; echo '-- processes:'; ps -o pid,user,args | grep -v grep | grep code-server | cut -c1-160`,
        );
        throw new Error(`${error instanceof Error ? error.message : error}; forward ${forward.exitCode === null ? 'running' : `exited ${forward.exitCode}`}; in dom0:\n${why.stdout}${why.stderr}`, { cause: error });
      }
      measure(`${label}: code-server start to answering (s)`, (Date.now() - started) / 1000);
      browser = await launchBrowser(toolchain.chromium);
      const { page } = browser;
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const opened = Date.now();
      await page.goto(`${url}/?folder=${encodeURIComponent(WORKSPACE)}`, {
        timeout: 120_000,
      });
      await page.locator('.monaco-workbench').waitFor({ timeout: 180_000 });
      measure(`${label}: workbench shown (s)`, (Date.now() - opened) / 1000);
      // The session is open when the extension answers in the Guests view (any row: a guest, an
      // error, "Workspace not trusted"). Under a heavily loaded TCG dom0 the browser's connection
      // to code-server can drop and come back, and once (seen with two rigs on two cores) the
      // extension host then never activated anything: the views said "There is no data provider
      // registered". That is VS Code's reconnection, not the extension (its log had no activation
      // request at all), so the page is reloaded once, as a user would, and the report says so.
      const answered = async (timeout) => {
        const views = workbench(page);
        await views.showXen();
        return views
          .pane('Guests')
          .locator('.monaco-list-row')
          .first()
          .waitFor({ timeout })
          .then(
            () => true,
            () => false,
          );
      };
      if (!(await answered(150_000))) {
        measure(`${label}: page reloads (the extension did not answer within 150 s)`, 1);
        await page.reload({ timeout: 120_000 });
        await page.locator('.monaco-workbench').waitFor({ timeout: 180_000 });
        if (!(await answered(240_000))) throw new Error('the Xen views had no data 150 s after the workbench showed, nor 240 s after a reload: the extension did not activate in dom0');
      }
      measure(`${label}: Xen views answering (s)`, (Date.now() - opened) / 1000);
      const close = async () => {
        await browser.close();
        forward.kill('SIGTERM');
        const used = await stop();
        if (Number.isFinite(used)) measure(`${label}: dom0 memory in use with VS Code running (MiB)`, used);
      };
      return { page, close, user };
    } catch (error) {
      await browser?.close();
      forward.kill('SIGTERM');
      await stop();
      throw error;
    }
  }

  /**
   * One session: opens it, runs `body(session)`, closes it. A session that cannot open is one
   * failed entry (the steps it would have run do not run), and the next session still runs.
   */
  async function session(label, options, body) {
    let opened;
    try {
      opened = await openSession(label, options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      entries.push({
        suite: 'dom0-local (playwright)',
        name: `dom0-local: ${label}: VS Code starts in dom0`,
        command: '',
        status: 'failed',
        error: message.slice(0, 3000),
      });
      log(`  ✘ dom0-local: ${label}: VS Code did not start in dom0: ${message.split('\n').slice(0, 12).join('\n      ')}`);
      return;
    }
    try {
      await body(opened);
    } finally {
      await opened.close();
    }
  }

  async function step(name, command, page, body) {
    const started = Date.now();
    const file = join(results, `${String(next()).padStart(2, '0')}-dom0-local-${slug(name)}.png`);
    const full = `dom0-local: ${name}`;
    try {
      await body();
      await settle(page);
      await page.screenshot({ path: file });
      entries.push({
        suite: 'dom0-local (playwright)',
        name: full,
        command,
        status: 'passed',
        screenshot: file,
        durationMs: Date.now() - started,
      });
      log(`  ✔ ${full} (${Date.now() - started} ms) → ${file}`);
    } catch (error) {
      const failedShot = file.replace(/\.png$/, '-FAILED.png');
      await page.screenshot({ path: failedShot }).catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      entries.push({
        suite: 'dom0-local (playwright)',
        name: full,
        command,
        status: 'failed',
        screenshot: failedShot,
        durationMs: Date.now() - started,
        error: message.slice(0, 2000),
      });
      log(`  ✘ ${full}: ${message.split('\n').slice(0, 6).join('\n      ')}`);
      for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {});
    }
  }

  const listed = async (name) => (await rig.dom0(`xl list -- ${name} >/dev/null 2>&1 && echo yes || echo no`)).stdout.trim() === 'yes';

  // ------------------------------------------------------------------ root: the main session
  await session('root', {}, async (root) => {
    const ui = workbench(root.page);
    try {
      await step('the Xen sidebar shows the dom0 itself', 'xen.refresh', root.page, async () => {
        await ui.showXen();
        await ui.guestRow('Domain-0').waitFor({ timeout: 180_000 });
        await ui.configRow(`${GUEST}.cfg`).waitFor();
        await ui
          .pane('Host')
          .locator('.monaco-list-row')
          .filter({ hasText: /Xen\s*4\.\d+/ })
          .first()
          .waitFor();
        // No xen.hosts: the rows belong to the machine itself, not to an ssh alias.
        const text = await ui.pane('Guests').innerText();
        if (/xen-test|xen-a\b/.test(text)) throw new Error(`the Guests view names an ssh host: ${text}`);
      });

      await step('Start Guest on /etc/xen config runs xl locally', 'xen.config.start', root.page, async () => {
        await ui.configRow(`${GUEST}.cfg`).click({ button: 'right' });
        await pickMenuItem(root.page, /^Start Guest$/i);
        await ui.guestRow(GUEST).waitFor({ timeout: 180_000 });
        if (!(await listed(GUEST))) throw new Error(`dom0's xl does not list ${GUEST} after Start`);
      });

      await step('console of the guest', 'xen.guest.console', root.page, async () => {
        await ui.guestMenu(GUEST, 'Open Console');
        await ui.terminalText(`XEN-XL-GUEST-UP tag=${GUEST}`, 180_000);
      });

      await step('Shut Down Guest', 'xen.guest.shutdown', root.page, async () => {
        await ui.showXen();
        await ui.guestMenu(GUEST, 'Shut Down Guest');
        await ui.confirmIfAsked(/Shut Down/);
        await ui.guestRow(GUEST).waitFor({ state: 'detached', timeout: 180_000 });
        if (await listed(GUEST)) throw new Error(`dom0 still lists ${GUEST} after Shut Down`);
      });

      await step('Destroy Guest asks, then destroys', 'xen.guest.destroy', root.page, async () => {
        await ui.configRow(`${GUEST}.cfg`).click({ button: 'right' });
        await pickMenuItem(root.page, /^Start Guest$/i);
        await ui.guestRow(GUEST).waitFor({ timeout: 180_000 });
        await ui.guestMenu(GUEST, 'Destroy Guest');
        await ui.dialog().waitFor();
        const text = await ui.dialog().innerText();
        if (!text.includes(`"${GUEST}"`)) throw new Error(`the confirmation does not name the guest: ${text}`);
        await ui.dialog().getByRole('button', { name: 'Destroy', exact: true }).click();
        await ui.guestRow(GUEST).waitFor({ state: 'detached', timeout: 120_000 });
        if (await listed(GUEST)) throw new Error(`dom0 still lists ${GUEST} after Destroy`);
      });

      await ui.openFile('dl-complete.cfg', 'name = "dl-complete"');
      await step('completion offers a logical volume of the dom0', 'editor.action.triggerSuggest', root.page, async () => {
        await ui.suggestAt('phy:/dev/xenvg/', 0, VOLUME);
        await root.page.mouse.move(10, 880); // no hover tooltip in the README's picture
      });
      await step('completion offers an ISO of the dom0', 'editor.action.triggerSuggest', root.page, async () => {
        await ui.suggestAt('file:/opt/isos/', 0, iso);
      });
      await step('completion offers a bridge of the dom0', 'editor.action.triggerSuggest', root.page, async () => {
        await ui.suggestAt('bridge=', 0, 'xenbr0');
      });
      await step('completion offers a MAC no config of /etc/xen uses', 'editor.action.triggerSuggest', root.page, async () => {
        const labels = await ui.suggestAt('mac=', 0, /^00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
        if (labels.includes(USED_MAC)) throw new Error(`the MAC of dl-web.cfg is offered: ${labels.join(', ')}`);
      });
      await step('completion offers the next free VNC display', 'editor.action.triggerSuggest', root.page, async () => {
        await ui.suggestAt('vncdisplay = ', 0, String(USED_DISPLAY + 1));
      });
      await ui.closeEditorsWithoutSaving();

      await step('a disk path missing on the dom0 gets a diagnostic', 'xen.problems', root.page, async () => {
        await ui.openFile('dl-missing.cfg', 'name = "dl-missing"');
        await root.page.locator('.editor-instance .squiggly-warning, .editor-instance .squiggly-error').first().waitFor({ timeout: 60_000 });
        await root.page.keyboard.press('Control+Shift+M');
        await root.page
          .locator('.markers-panel')
          .getByText(/no-such-volume/)
          .first()
          .waitFor({ timeout: 60_000 });
        await root.page
          .locator('.markers-panel')
          .getByText(/does not exist on this host/)
          .first()
          .waitFor({ timeout: 60_000 });
      });
    } finally {
      await rig.dom0(`xl destroy -- ${GUEST} 2>/dev/null; true`);
    }
  });

  // ---------------------------------------------------------- xenadmin: sudo NOPASSWD for xl
  const sudoLog = async () => (await rig.dom0('cat /var/log/sudo.log 2>/dev/null')).stdout;
  await session('sudoer', { user: DOM0_USERS.sudoer.name }, async (sudoer) => {
    const admin = workbench(sudoer.page);
    try {
      await step('as a sudoer: the sidebar, Start and Destroy through sudo', 'xen.config.start', sudoer.page, async () => {
        await admin.showXen();
        await admin.guestRow('Domain-0').waitFor({ timeout: 180_000 });
        await admin.configRow(`${GUEST}.cfg`).click({ button: 'right' });
        await pickMenuItem(sudoer.page, /^Start Guest$/i);
        await admin.guestRow(GUEST).waitFor({ timeout: 180_000 });
        await admin.guestMenu(GUEST, 'Destroy Guest');
        await admin.dialog().getByRole('button', { name: 'Destroy', exact: true }).click();
        await admin.guestRow(GUEST).waitFor({ state: 'detached', timeout: 120_000 });
        const calls = (await sudoLog()).split('\n').filter((line) => line.includes(`${DOM0_USERS.sudoer.name} :`));
        if (!calls.some((line) => /COMMAND=\/usr\/sbin\/xl create/.test(line))) throw new Error(`sudo.log has no xl create by ${DOM0_USERS.sudoer.name}:\n${calls.slice(-5).join('\n')}`);
      });
      await step('as a sudoer: completion of a logical volume', 'editor.action.triggerSuggest', sudoer.page, async () => {
        await admin.openFile('dl-complete.cfg', 'name = "dl-complete"');
        await admin.suggestAt('phy:/dev/xenvg/', 0, VOLUME);
        await admin.closeEditorsWithoutSaving();
      });
    } finally {
      await rig.dom0(`xl destroy -- ${GUEST} 2>/dev/null; true`);
    }
  });

  // ------------------------------------------------------------------ xenuser: no sudo at all
  await session('plain user', { user: DOM0_USERS.plain.name }, async (plain) => {
    await step('as a user without sudo: a clear error instead of guests', 'xen.refresh', plain.page, async () => {
      const view = workbench(plain.page);
      await view.showXen();
      await view.pane('Guests').getByText(/sudo/i).first().waitFor({ timeout: 180_000 });
      if (await view.guestRow('Domain-0').isVisible()) throw new Error('a user without sudo sees Domain-0');
    });
  });

  // ----------------------------------------------------------- an untrusted /etc/xen runs nothing
  const before = (await sudoLog()).length;
  await session('untrusted', { user: DOM0_USERS.sudoer.name, trust: false }, async (untrusted) => {
    await step('an untrusted /etc/xen runs no command', 'xen.refresh', untrusted.page, async () => {
      const view = workbench(untrusted.page);
      // The folder opens in Restricted Mode; if code-server asks whether to trust it, the user says no.
      const no = untrusted.page.getByRole('button', {
        name: /^No, I don.t trust the authors$/,
      });
      const restricted = untrusted.page.locator('.statusbar').getByText('Restricted Mode');
      await Promise.race([no.waitFor({ timeout: 180_000 }), restricted.waitFor({ timeout: 180_000 })]);
      if (await no.isVisible()) await no.click();
      await restricted.waitFor();
      await view.showXen();
      await view.pane('Guests').getByText('Workspace not trusted').first().waitFor({ timeout: 120_000 });
      await view.openFile('dl-complete.cfg', 'name = "dl-complete"');
      const after = (await sudoLog()).slice(before);
      if (after.includes(DOM0_USERS.sudoer.name)) throw new Error(`sudo ran for the untrusted window:\n${after}`);
      const xl = await rig.dom0('ps -o user,args | grep -v grep | grep -c "[/ ]xl " || true');
      if (Number(xl.stdout.trim()) > 0) throw new Error('an xl process runs for the untrusted window');
    });
  });
  return { entries, measurements };
}

/** Polls `probe` until it is true, for at most `ms`. */
async function waitFor(what, ms, probe) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what}: not within ${ms / 1000} s`);
}

/** The workbench's parts the steps use, for one page. */
function workbench(page) {
  const pane = (title) =>
    page.locator('.pane').filter({
      has: page.locator('.pane-header').filter({ hasText: new RegExp(`^${title}`, 'i') }),
    });
  const guestRow = (name) =>
    pane('Guests')
      .getByRole('treeitem', { name: new RegExp(`^${name}\\b`) })
      .first();
  const dialog = () => page.locator('.monaco-dialog-box');
  const ui = {
    pane,
    guestRow,
    configRow: (file) =>
      pane('Configs')
        .locator('.monaco-list-row')
        .filter({ hasText: new RegExp(`^${escapeRegExp(file)}\\b`) })
        .first(),
    dialog,
    async showXen() {
      if (!(await pane('Guests').isVisible())) await page.locator('.activitybar').getByRole('tab', { name: /^Xen/ }).click({ timeout: 180_000 });
      await pane('Guests').waitFor();
    },
    async guestMenu(name, item) {
      await guestRow(name).click({ button: 'right' });
      await pickMenuItem(page, new RegExp(`^${item}$`, 'i'));
    },
    async confirmIfAsked(button) {
      const shown = await dialog()
        .waitFor({ timeout: 5000 })
        .then(
          () => true,
          () => false,
        );
      if (shown) await dialog().getByRole('button', { name: button }).first().click();
    },
    terminalText(pattern, timeout) {
      return page.waitForFunction(
        (source) => new RegExp(source).test([...document.querySelectorAll('.xterm-rows')].map((rows) => [...rows.children].map((row) => row.textContent).join('\n')).join('\n')),
        pattern,
        { timeout, polling: 250 },
      );
    },
    /** Opens /etc/xen/<file> with Quick Open and waits for a line of it. */
    async openFile(file, line) {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget').waitFor();
      await page.keyboard.type(file);
      await page
        .locator('.quick-input-widget')
        .getByRole('option', { name: new RegExp(escapeRegExp(file)) })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-line').filter({ hasText: line }).first().waitFor();
    },
    /**
     * Puts the cursor right after `anchor` (its `nth` occurrence in the open file, by line and
     * column through Go to Line), asks for suggestions, and waits for one labelled `expected`.
     * Returns the labels shown.
     */
    async suggestAt(anchor, nth, expected) {
      const text = await page.evaluate(() => [...document.querySelectorAll('.editor-instance .view-line')].map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n'));
      const lines = text.split('\n');
      let seen = 0;
      let at;
      lines.forEach((content, index) => {
        let from = 0;
        for (;;) {
          const column = content.indexOf(anchor, from);
          if (column < 0) break;
          if (seen++ === nth && at === undefined) at = { line: index + 1, column: column + anchor.length + 1 };
          from = column + 1;
        }
      });
      if (!at) throw new Error(`"${anchor}" is not in the editor:\n${text}`);
      await page.keyboard.press('Escape'); // the previous step's suggestions
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget').waitFor();
      await page.keyboard.type(`${at.line}:${at.column}`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const widget = page.locator('.editor-widget.suggest-widget.visible');
      const row = widget.locator('.monaco-list-row').filter({
        hasText: expected instanceof RegExp ? expected : new RegExp(escapeRegExp(expected)),
      });
      // The server's host probes answer within 150 ms or not at all; on a loaded TCG dom0 the first
      // look at /dev or /sys can take longer. Its answer is kept for 3 s, so asking again, as a user
      // presses Ctrl+Space again, shows it. Up to 60 s.
      const until = Date.now() + 60_000;
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+Space');
        const shown = await row.first().waitFor({ timeout: 2500 }).then(() => true, () => false);
        if (shown) break;
        if (Date.now() > until) throw new Error(`no suggestion "${expected}" after ${attempt} requests in 60 s; shown: ${(await widget.locator('.monaco-list-row .label-name').allInnerTexts()).join(', ')}`);
        await page.keyboard.press('Escape');
      }
      const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
      if (expected instanceof RegExp ? !labels.some((l) => expected.test(l.trim())) : !labels.some((l) => l.trim() === expected)) {
        throw new Error(`no suggestion "${expected}"; shown: ${labels.join(', ')}`);
      }
      await settle(page);
      return labels.map((l) => l.trim());
    },
    async closeEditorsWithoutSaving() {
      await page.keyboard.press('Escape');
      // Nothing was typed into the files, so closing asks nothing.
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+W');
    },
  };
  return ui;
}
