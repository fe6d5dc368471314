// `npm run test:xen`: boots a real Xen 4.17 + Debian dom0 under QEMU, runs the test/xen suites
// (our own xl runner over ssh against that dom0), and tears everything down by PID, also on
// failure and on Ctrl-C. Prints a closing `N passed, N failed, N skipped` line.
//
//   node test/xen/run.mjs [--keep-work] [--shell] [-- node-test-args...]
//     --keep-work  keep the scratch folder (images, serial log, ssh config) after the run
//     --shell      boot, print how to ssh in, and wait for Ctrl-C instead of running tests
//
// Environment: XEN_TEST_CACHE (folder for the .debs; default $XDG_CACHE_HOME/xen-xl-xen or
// node_modules/.cache/xen-xl-xen), XEN_TEST_REQUIRE=1 (a skip fails the run), XEN_TEST_ACCEL=tcg
// (never try KVM), XEN_TEST_TIMEOUT (whole run, seconds, default 570), XEN_TEST_DISABLE=<why>
// (report every test as skipped, for machines known to be unable), XEN_TEST_CPU / XEN_TEST_TCG
// (QEMU -cpu / -accel values, for experiments).
//
// When the machine cannot run the rig (not x86_64 Linux, no apt/Debian, QEMU cannot be
// installed, packages cannot be fetched) the suites still run, every test is reported as skipped
// with the reason, and a SKIPPED banner is printed: never a silent pass.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  GUEST_DIR,
  RigSkip,
  SSH_HOST,
  buildDom0Initrd,
  buildGuestInitrd,
  chooseAccelerator,
  ensureHostTools,
  fatalSerialLine,
  extractPackages,
  extractVmlinux,
  fetchPackages,
  freePort,
  log,
  makeKeys,
  runAsync,
  serialTail,
  startQemu,
  writeSshConfig,
} from './lib/rig.mjs';

const repo = resolve(new URL('../..', import.meta.url).pathname);
process.chdir(repo);
const argv = process.argv.slice(2);
const dashDash = argv.indexOf('--');
const flags = new Set(dashDash === -1 ? argv : argv.slice(0, dashDash));
const nodeTestArgs = dashDash === -1 ? [] : argv.slice(dashDash + 1);
const keepWork = flags.has('--keep-work');
const shellMode = flags.has('--shell');
const totalTimeoutS = Number(process.env.XEN_TEST_TIMEOUT ?? 570);
const resultsDir = join(repo, 'test-results');
mkdirSync(resultsDir, { recursive: true });

const cacheDir = resolve(
  process.env.XEN_TEST_CACHE ?? (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'xen-xl-xen') : join(repo, 'node_modules/.cache/xen-xl-xen')),
);
const work = mkdtempSync(join(tmpdir(), 'xen-xl-xen-'));
const controlDir = join(work, 'cm');
mkdirSync(controlDir, { mode: 0o700 });

// ------------------------------------------------------------------ teardown

let qemu; // { child, serialLog }
let sshWrapper;
let dom0Ready = false;
let failed = false;
let tornDown = false;

/** Stops QEMU by PID: ask dom0 to power off, then TERM, then KILL. Idempotent. */
async function teardown(reason) {
  if (tornDown) return;
  tornDown = true;
  if (reason) log(`teardown: ${reason}`);
  if (qemu && qemu.child.exitCode === null && qemu.child.signalCode === null) {
    const pid = qemu.child.pid;
    if (sshWrapper && dom0Ready) await runAsync(sshWrapper, ['-o', 'ControlMaster=no', '-o', 'ControlPath=none', SSH_HOST, 'poweroff -f'], { timeoutMs: 6000 });
    if (!(await exited(qemu.child, dom0Ready ? 5000 : 0))) {
      log(`QEMU (pid ${pid}) still running: SIGTERM`);
      qemu.child.kill('SIGTERM');
      if (!(await exited(qemu.child, 5000))) {
        log(`QEMU (pid ${pid}) ignores SIGTERM: SIGKILL`);
        qemu.child.kill('SIGKILL');
        await exited(qemu.child, 5000);
      }
    }
    log(`QEMU (pid ${pid}) stopped`);
  }
  closeSshMasters();
  if (qemu?.serialLog && existsSync(qemu.serialLog)) copyFileSync(qemu.serialLog, join(resultsDir, 'xen-serial.log'));
  if (keepWork || shellMode) log(`scratch folder kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/** The xl runner's ssh uses ControlPersist: stop every master it left in our control folder. */
function closeSshMasters() {
  if (!sshWrapper || !existsSync(controlDir)) return;
  for (const name of readdirSync(controlDir)) {
    spawnSync(sshWrapper, ['-o', `ControlPath=${join(controlDir, name)}`, '-O', 'exit', SSH_HOST], { timeout: 5000, stdio: 'ignore' });
  }
}

/** Last resort on a signal or crash: kill QEMU synchronously. */
function emergencyStop() {
  if (qemu && qemu.child.exitCode === null) {
    try {
      qemu.child.kill('SIGKILL');
    } catch {
      // gone
    }
  }
  closeSshMasters();
  if (!keepWork) rmSync(work, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    teardown(signal)
      .catch(() => emergencyStop())
      .finally(() => process.exit(130));
    setTimeout(() => {
      emergencyStop();
      process.exit(130);
    }, 15_000).unref();
  });
}
process.on('uncaughtException', (error) => {
  console.error(error);
  emergencyStop();
  process.exit(1);
});
const watchdog = setTimeout(() => {
  log(`the whole run exceeded ${totalTimeoutS} s: giving up`);
  failed = true;
  teardown('timeout').finally(() => {
    console.log('\n0 passed, 1 failed, 0 skipped (xen: timed out)');
    process.exit(1);
  });
}, totalTimeoutS * 1000);
watchdog.unref();

// ------------------------------------------------------------------ steps

const timings = {};
async function step(name, fn) {
  const t = Date.now();
  const value = await fn();
  timings[name] = (Date.now() - t) / 1000;
  log(`${name}: ${timings[name].toFixed(1)} s`);
  return value;
}

async function prepare() {
  await step('host tools', () => ensureHostTools());
  const { debs, versions, kernelPackage } = await step('fetch packages', () => fetchPackages(cacheDir));
  log(`xen-utils-4.17 ${versions['xen-utils-4.17']}, ${kernelPackage} ${versions[kernelPackage]}`);
  const x = join(work, 'x');
  const { kernelVersion } = await step('extract packages', () => extractPackages(debs, x));
  return step('build images', () => {
    const img = join(work, 'img');
    mkdirSync(img);
    const xen = join(img, 'xen');
    // QEMU's multiboot loader wants the plain 32-bit ELF, not the gzip Debian ships.
    writeFileSync(xen, gunzipSync(readFileSync(join(x, `boot/xen-4.17-amd64.gz`))));
    const kernel = join(img, 'vmlinuz');
    copyFileSync(join(x, `boot/vmlinuz-${kernelVersion}`), kernel);
    const keys = makeKeys(work, x);
    const guestInitrd = buildGuestInitrd(x);
    const vmlinux = extractVmlinux(readFileSync(kernel));
    const guestKernel = vmlinux ? { name: 'vmlinux', data: vmlinux.elf } : { name: 'vmlinuz', data: readFileSync(kernel) };
    log(vmlinux ? `guest kernel: the ELF inside vmlinuz (${vmlinux.compression}, ${(vmlinux.elf.length / 1048576).toFixed(0)} MiB)` : 'guest kernel: vmlinuz (no ELF found inside; guests will start slowly)');
    const dom0Initrd = join(img, 'dom0-initrd.gz');
    const image = buildDom0Initrd({ x, kernelVersion, publicKey: keys.publicKey, hostKey: keys.hostKey, guestKernel, guestInitrd });
    writeFileSync(dom0Initrd, image);
    rmSync(x, { recursive: true, force: true });
    log(`images: xen ${mib(xen)}, vmlinuz ${mib(kernel)}, dom0 initramfs ${mib(dom0Initrd)}, guest initramfs ${(guestInitrd.length / 1048576).toFixed(1)} MiB`);
    return { xen, kernel, dom0Initrd, key: keys.key, kernelVersion, versions, guestKernel: `${GUEST_DIR}/${guestKernel.name}` };
  });
}

function mib(file) {
  return `${(readFileSync(file).length / 1048576).toFixed(1)} MiB`;
}

/** Boots and waits until `xl list` answers over ssh. Returns false if dom0 never came up. */
async function boot(images, accel, deadlineS) {
  const port = await freePort();
  const ssh = writeSshConfig(work, { port, key: images.key });
  sshWrapper = ssh.wrapper;
  log(`starting QEMU (${accel}), ssh on 127.0.0.1:${port}`);
  qemu = startQemu({ work, xen: images.xen, dom0Kernel: images.kernel, dom0Initrd: images.dom0Initrd, port, accel });
  log(`QEMU pid ${qemu.child.pid}, serial log ${qemu.serialLog}`);
  const t = Date.now();
  while ((Date.now() - t) / 1000 < deadlineS) {
    if (qemu.child.exitCode !== null || qemu.child.signalCode !== null) {
      log(`QEMU exited early (${qemu.child.exitCode ?? qemu.child.signalCode}): ${qemu.output().trim()}`);
      return false;
    }
    const fatal = fatalSerialLine(qemu.serialLog);
    if (fatal) {
      log(`dom0 died during boot: ${fatal.trim()}; serial log tail:\n${serialTail(qemu.serialLog)}`);
      return false;
    }
    const probe = await runAsync(ssh.wrapper, ['-o', 'ConnectTimeout=5', '-o', 'ControlPath=none', SSH_HOST, 'xl list'], { timeoutMs: 20_000 });
    if (probe.status === 0 && /Domain-0/.test(probe.stdout)) {
      dom0Ready = true;
      timings['boot to xl list over ssh'] = (Date.now() - t) / 1000;
      log(`dom0 ready after ${timings['boot to xl list over ssh'].toFixed(1)} s`);
      return true;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  log(`dom0 did not answer within ${deadlineS} s; serial log tail:\n${serialTail(qemu.serialLog)}`);
  return false;
}

function testFiles(dir = join(repo, 'out/test/xen')) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(dir, f)) : [];
}

/**
 * Copies the built suites into the scratch folder: `npm test` elsewhere on the machine starts by
 * deleting out/test, which must not pull the files from under a running suite.
 */
function stageTests() {
  const dir = join(work, 'tests');
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(join(repo, 'out/test/xen'))) copyFileSync(join(repo, 'out/test/xen', file), join(dir, file));
  return testFiles(dir);
}
let stagedTests = [];

/** Runs the suites with node --test; returns pass/fail/skip counts from the TAP copy. */
function runSuites(env, timeoutMs) {
  const tap = join(repo, 'out/xen-test-results.tap');
  rmSync(tap, { force: true });
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-concurrency=1',
        `--test-timeout=${Math.max(60_000, timeoutMs - 10_000)}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...nodeTestArgs,
        ...stagedTests,
      ],
      { stdio: 'inherit', env: { ...process.env, ...env }, cwd: repo },
    );
    const timer = setTimeout(() => {
      log(`test suites exceeded ${timeoutMs / 1000} s: stopping them`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
      // A skipped suite is not counted among `# skipped` tests: count every `# SKIP` line instead.
      const skipLines = (report.match(/^\s*ok \d+ - .*# SKIP/gm) ?? []).length;
      resolveRun({ status, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: Math.max(count('skipped'), skipLines) + count('todo') });
    });
  });
}

// ------------------------------------------------------------------ main

async function main() {
  const runStarted = Date.now();
  let skipReason;
  let images;
  try {
    if (process.env.XEN_TEST_DISABLE) throw new RigSkip(`disabled by XEN_TEST_DISABLE (${process.env.XEN_TEST_DISABLE})`);
    images = await prepare();
  } catch (error) {
    if (!(error instanceof RigSkip)) throw error;
    skipReason = error.message;
  }

  if (!shellMode) {
    await step('build test bundles', () => {
      const built = spawnSync(process.execPath, ['scripts/build.mjs', '--tests'], { stdio: 'inherit', timeout: 180_000 });
      if (built.status !== 0) throw new Error('node scripts/build.mjs --tests failed');
    });
    if (testFiles().length === 0) throw new Error('no out/test/xen/*.test.js after the build: is test/xen in scripts/build.mjs?');
    stagedTests = stageTests();
  }

  let env = {};
  if (!skipReason) {
    const accel = chooseAccelerator();
    log(`accelerator: ${accel.accel} (${accel.why})`);
    let up = false;
    if (accel.accel === 'kvm') {
      up = await boot(images, 'kvm', 90);
      if (!up) {
        await teardown('KVM boot failed, falling back to TCG');
        tornDown = false;
        dom0Ready = false;
        qemu = undefined;
      }
    }
    if (!up) up = await boot(images, 'tcg', 240);
    if (!up) {
      failed = true;
      await teardown('dom0 did not come up');
      console.log('\n0 passed, 1 failed, 0 skipped (xen: dom0 did not boot; serial log in test-results/xen-serial.log)');
      return 1;
    }
    env = {
      XEN_TEST_SSH: sshWrapper,
      XEN_TEST_HOST: SSH_HOST,
      XEN_TEST_CONTROL_DIR: controlDir,
      XEN_TEST_GUEST_DIR: GUEST_DIR,
      XEN_TEST_GUEST_KERNEL: images.guestKernel,
      XEN_TEST_RESULTS_DIR: resultsDir,
      XEN_TEST_SERIAL_LOG: qemu.serialLog,
    };
    if (shellMode) {
      clearTimeout(watchdog);
      console.log(`\ndom0 is up. In another terminal:\n  ${sshWrapper} ${SSH_HOST}\nCtrl-C here stops QEMU.`);
      await new Promise(() => {});
    }
  } else {
    console.log(`\n==== SKIPPED: the Xen end-to-end tests cannot run on this machine: ${skipReason} ====\n`);
    env = { XEN_TEST_SKIP: skipReason };
  }

  const remainingMs = totalTimeoutS * 1000 - (Date.now() - runStarted) - 30_000;
  const t = Date.now();
  const result = await runSuites(env, Math.max(60_000, remainingMs));
  timings['test suites'] = (Date.now() - t) / 1000;
  // dom0 user space must not have crashed behind the tests' backs (see TCG_CPU in lib/rig.mjs).
  let healthFailed = 0;
  if (!skipReason) {
    const health = await runAsync(sshWrapper, ['-o', 'ControlPath=none', SSH_HOST, 'dmesg | grep -E "segfault|general protection|traps:|Oops|BUG:" ; true'], { timeoutMs: 20_000 });
    if (health.status !== 0 || health.stdout.trim() !== '') {
      healthFailed = 1;
      log(`dom0 health check FAILED: crashes in dom0's kernel log:\n${(health.stdout || health.stderr).trim()}`);
    } else {
      log('dom0 health check: no crashes in dom0\'s kernel log');
    }
  }
  let peakRss;
  if (qemu?.child.pid) {
    try {
      peakRss = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${qemu.child.pid}/status`, 'utf8'))?.[1];
    } catch {
      // already gone
    }
  }
  await teardown('tests finished');
  timings.total = (Date.now() - runStarted) / 1000;
  if (peakRss) log(`QEMU peak RSS: ${(Number(peakRss) / 1024).toFixed(0)} MiB`);
  log(`timings (s): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' | ')}`);
  writeFileSync(join(resultsDir, 'xen-timings.json'), JSON.stringify({ ...timings, qemuPeakRssMiB: peakRss ? Math.round(Number(peakRss) / 1024) : undefined, skipped: skipReason }, null, 2) + '\n');
  if (skipReason) console.log(`\n==== SKIPPED (${skipReason}) ====`);
  console.log(`\n${result.passed} passed, ${result.failed + healthFailed} failed, ${result.skipped} skipped${skipReason ? ` (xen: SKIPPED: ${skipReason})` : ''}`);
  if (result.failed > 0 || healthFailed > 0 || result.status !== 0) return 1;
  if (skipReason && process.env.XEN_TEST_REQUIRE === '1') {
    console.log('XEN_TEST_REQUIRE=1: a skipped run counts as a failure');
    return 1;
  }
  return 0;
}

main()
  .then(async (code) => {
    await teardown();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(error instanceof Error ? error.stack : error);
    failed = true;
    await teardown('error');
    console.log('\n0 passed, 1 failed, 0 skipped (xen: the rig failed, see above)');
    process.exit(1);
  });
