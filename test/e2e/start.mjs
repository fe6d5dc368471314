#!/usr/bin/env node
// `npm start`: builds the extension (the VSIX, as `npm run package` does), installs it into a
// throwaway extensions dir and opens it in code-server (VS Code in the browser) on examples/.
// Prints the URL and stays up until Ctrl-C; then code-server and its temp dirs are removed.
//
//   npm start                      examples/ on a free port
//   npm start -- /etc/xen          another folder
//   npm start -- --xen             also boots the Xen rig (test/xen: Xen 4.17 + a Debian dom0 under
//                                  QEMU) and connects the Xen sidebar to it over ssh; the folder
//                                  opened is a scratch one with guest configs that run on the rig
//   PORT=8080 npm start            a fixed port
//
// code-server and Node 24 are installed on first use into node_modules/.cache/xen-xl-e2e (see
// test/e2e/lib/toolchain.mjs), and with --xen Debian's Xen, kernel, busybox, dropbear and sudo
// packages into node_modules/.cache/xen-xl-xen (see test/xen/README.md); nothing is added to the
// project's dependencies. Ctrl-C stops code-server and QEMU by PID.

import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installExtension, startCodeServer } from './lib/codeServer.mjs';
import { cleanupAll, installSignalHandlers, log, makeTempDir, run, shuttingDown } from './lib/processes.mjs';
import { ensureToolchain, ROOT } from './lib/toolchain.mjs';
import { killAllRigsNow, stopAllRigs } from '../xen/lib/session.mjs';
import { rigVncGuestConfig } from '../xen/lib/guestConfig.mjs';

const args = process.argv.slice(2);
const withXen = args.includes('--xen');
const positional = args.filter((arg) => arg !== '--xen');

let rig;
installSignalHandlers();
if (withXen) {
  // The e2e handlers stop code-server; the rig is stopped here (and killed at exit at the latest).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.prependListener(signal, () => void stopAllRigs(signal));
  process.on('exit', () => killAllRigsNow());
}

const folder = resolve(positional[0] ?? join(ROOT, 'examples'));
if (!withXen && !existsSync(folder)) {
  console.error(`npm start: ${folder} does not exist`);
  process.exit(2);
}

/** A scratch workspace: examples/ plus xen/ with guests that the rig can run. */
function rigWorkspace(session) {
  const workspace = join(makeTempDir('xen-xl-start-rig-'), 'xen-rig');
  cpSync(join(ROOT, 'examples'), join(workspace, 'examples'), { recursive: true });
  mkdirSync(join(workspace, 'xen'));
  for (const [name, type] of [['demo-pv', 'pv'], ['demo-pvh', 'pvh']]) {
    writeFileSync(
      join(workspace, 'xen', `${name}.cfg`),
      [
        `# A ${type.toUpperCase()} guest of the Xen rig: busybox in an initramfs. Its console prints`,
        `# XEN-XL-GUEST-UP tag=${name} when it has booted (Console in the Guests view shows it).`,
        `name = "${name}"`,
        `type = "${type}"`,
        `kernel = "${session.guestKernel}"`,
        `ramdisk = "${session.guestDir}/initrd.gz"`,
        `extra = "console=hvc0 quiet xenxl.tag=${name}"`,
        'memory = 128',
        'vcpus = 1',
        'on_poweroff = "destroy"',
        'on_crash = "destroy"',
        '',
      ].join('\n'),
    );
  }
  writeFileSync(
    join(workspace, 'xen', 'demo-screen.cfg'),
    rigVncGuestConfig({
      name: 'demo-screen',
      kernel: session.guestKernel,
      guestDir: session.guestDir,
      comment: 'A PV guest of the Xen rig with a screen (vfb): Start it, then Open Graphical Console in the Guests view.',
    }),
  );
  return workspace;
}

try {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const toolchain = await ensureToolchain({ browser: false });
  let settings = {};
  let homeFiles = {};
  let workspace = folder;
  if (withXen) {
    const { bootRig } = await import('../xen/lib/session.mjs');
    const { userHome, ALIASES } = await import('./xen/harness.mjs');
    log('booting the Xen rig (about 30 s with the packages cached; the first run downloads about 100 MB of Debian packages)');
    rig = await bootRig();
    homeFiles = userHome(rig);
    settings = { 'xen.hosts': [ALIASES.a] };
    workspace = positional[0] ? folder : rigWorkspace(rig);
  }
  log('building the VSIX (npm run package)');
  // See run.mjs for the extra vsce flag.
  await run('npm run package', 'npm', ['run', 'package', '--', '--no-rewrite-relative-links'], { cwd: ROOT, timeoutMs: 4 * 60_000 });
  const vsix = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
  const extensionsDir = makeTempDir('xen-xl-start-extensions-');
  const installed = await installExtension(toolchain, vsix, extensionsDir, `${manifest.publisher}.${manifest.name}`);
  log(`installed ${manifest.publisher}.${manifest.name}@${installed.version}`);
  const server = await startCodeServer(toolchain, {
    name: 'start',
    workspace,
    extensionsDir,
    settings,
    homeFiles,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
  });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  const xenLines = rig
    ? `\n  The Xen sidebar is connected to a real Xen ${rig.xenVersion} (QEMU pid ${rig.qemuPid}) through the ssh alias\n  "xen-a" (xen.hosts) in code-server's own ~/.ssh/config. Try Start Guest on xen/demo-pv.cfg, then Console,\n  Pause, Reboot, Shut Down and Destroy in the Guests view; xen/demo-screen.cfg has a screen (Open Graphical Console). From a shell: ${rig.sshWrapper} ${rig.hostAlias}\n`
    : '';
  console.log(`\n  xen-xl is running in code-server:\n\n    ${url}\n${xenLines}\n  Open it in a browser (from another machine: ssh -L ${server.port}:127.0.0.1:${server.port} this-host). Ctrl-C stops it.\n  code-server's log: ${server.profile.log}\n`);
  const code = await server.exited;
  // After Ctrl-C the signal handler is stopping everything and exits by itself.
  if (shuttingDown()) await new Promise(() => {});
  console.error(`code-server exited (${code}); its log:\n${server.logTail()}`);
  await cleanupAll();
  await stopAllRigs('code-server exited');
  process.exit(1);
} catch (error) {
  console.error(`\nnpm start: ${error instanceof Error ? error.message : String(error)}`);
  await cleanupAll();
  await stopAllRigs('npm start failed');
  process.exit(1);
}
