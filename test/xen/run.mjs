// `npm run test:xen`: boots a real Xen 4.17 + Debian 12 dom0 (or, with XEN_TEST_VERSION=4.20,
// Xen 4.20 + Debian 13; see lib/rig.mjs RIG_VERSIONS) under QEMU, runs the test/xen suites
// (our own xl runner over ssh against that dom0), and tears everything down by PID, also on
// failure and on Ctrl-C. Prints a closing `N passed, N failed, N skipped` line.
//
//   node test/xen/run.mjs [--keep-work] [--shell] [--workbench] [-- node-test-args...]
//     --keep-work  keep the scratch folder (images, serial log, ssh config) after the run
//     --shell      boot, print how to ssh in, and wait for Ctrl-C instead of running tests
//     --workbench  after the node suites, run the workbench-on-Xen suites (test/e2e/xen) on the
//                  same boot: code-server with the VSIX and xen.hosts pointing at this rig
//
// Environment: XEN_TEST_CACHE (folder for the .debs; default $XDG_CACHE_HOME/xen-xl-xen or
// node_modules/.cache/xen-xl-xen), XEN_TEST_REQUIRE=1 (a skip fails the run), XEN_TEST_ACCEL=tcg
// (never try KVM), XEN_TEST_TIMEOUT (whole run, seconds, default 570, or 3000 with --workbench),
// XEN_WORKBENCH_TIMEOUT (the workbench stage, seconds, default 1560), XEN_TEST_DISABLE=<why>
// (report every test as skipped, for machines known to be unable), XEN_TEST_CPU / XEN_TEST_TCG
// (QEMU -cpu / -accel values, for experiments), XEN_TEST_SUITES=newGuest,vncGuest (run only
// these suites: file names without .test.ts), XEN_TEST_VERSION=4.20 (the Xen to boot; 4.17 by
// default).
//
// When the machine cannot run the rig (not x86_64 Linux, no apt/Debian, QEMU cannot be
// installed, packages cannot be fetched) the suites still run, every test is reported as skipped
// with the reason, and a SKIPPED banner is printed: never a silent pass.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanupAll, killAllNow } from '../e2e/lib/processes.mjs';
import { RigSkip, log } from './lib/rig.mjs';
import { bootRig, defaultCacheDir, killAllRigsNow, stopAllRigs } from './lib/session.mjs';

const repo = resolve(new URL('../..', import.meta.url).pathname);
process.chdir(repo);
const argv = process.argv.slice(2);
const dashDash = argv.indexOf('--');
const flags = new Set(dashDash === -1 ? argv : argv.slice(0, dashDash));
const nodeTestArgs = dashDash === -1 ? [] : argv.slice(dashDash + 1);
const keepWork = flags.has('--keep-work');
const shellMode = flags.has('--shell');
const workbench = flags.has('--workbench');
const totalTimeoutS = Number(process.env.XEN_TEST_TIMEOUT ?? (workbench ? 3000 : 570));
/** The workbench stage's own limit (seconds): code-server, the VSIX and the suites on the rig. */
const workbenchTimeoutS = Number(process.env.XEN_WORKBENCH_TIMEOUT ?? 1560);
const resultsDir = join(repo, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const cacheDir = defaultCacheDir();
const work = mkdtempSync(join(tmpdir(), 'xen-xl-xen-suites-'));

// ------------------------------------------------------------------ teardown

let rig; // the booted session (lib/session.mjs)
let tornDown = false;

/** Stops the rig (by PID, see lib/session.mjs) and removes the scratch folder. Idempotent. */
async function teardown(reason) {
  if (tornDown) return;
  tornDown = true;
  // code-server, Chromium and their temp dirs (the workbench stage) go before the rig.
  await cleanupAll();
  // Every rig of this process, also one still booting (`rig` is set only once it is up).
  if (!rig && reason) log(`teardown: ${reason}`);
  await stopAllRigs(reason);
  rmSync(work, { recursive: true, force: true });
}

function emergencyStop() {
  killAllNow();
  killAllRigsNow();
  rmSync(work, { recursive: true, force: true });
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

/** XEN_TEST_SUITES=a,b: run only those suites (file names without `.test.ts`), to iterate on one. */
const onlySuites = process.env.XEN_TEST_SUITES ? new Set(process.env.XEN_TEST_SUITES.split(',').map((name) => name.trim()).filter(Boolean)) : undefined;

function testFiles(dir = join(repo, 'out/test/xen')) {
  const all = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
  return all.filter((f) => !onlySuites || onlySuites.has(f.slice(0, -'.test.js'.length))).map((f) => join(dir, f));
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
      resolveRun({ status, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: Math.max(count('skipped'), skipLines) + count('todo'), failures: tapFailures(report) });
    });
  });
}

/**
 * The failed tests of a TAP report, each with the start of its error: `not ok` lines and their
 * YAML blocks, without the suites that failed only because a test inside them did.
 */
function tapFailures(report) {
  const lines = report.split('\n');
  const failures = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*?)(?: # .*)?$/.exec(lines[i]);
    if (!head) continue;
    const indent = head[1].length;
    const block = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j];
      if (line.trim() === '...' && line.length - line.trimStart().length === indent + 2) break;
      if (line.trim() !== '---') block.push(line.slice(indent + 2));
    }
    const yaml = block.join('\n');
    if (/failureType: '?subtestsFailed/.test(yaml)) continue;
    const error = /(?:^|\n)error: \|-?\n((?: {2}.*\n?)*)/.exec(yaml)?.[1] ?? /(?:^|\n)error: (.*)/.exec(yaml)?.[1] ?? yaml;
    failures.push({ name: head[2], error: error.replace(/^ {2}/gm, '').trim() });
  }
  return failures;
}

/**
 * Every failure of the run again, at its end, with the first lines of its error: CI keeps only
 * the tail of a long log, and the details above may be thousands of lines up.
 */
function printFailures(failures) {
  if (failures.length === 0) return;
  console.log(`\n==== ${failures.length} failure(s) of this run, again (the full output is above) ====`);
  for (const [index, failure] of failures.entries()) {
    const text = failure.error.split('\n').slice(0, 24).map((line) => `    ${line.slice(0, 300)}`).join('\n');
    console.log(`  ${index + 1}) ${failure.name}\n${text}`);
  }
}

// ------------------------------------------------------------------ main

async function main() {
  const runStarted = Date.now();
  let skipReason;
  if (!shellMode) {
    await step('build test bundles', () => {
      const built = spawnSync(process.execPath, ['scripts/build.mjs', '--tests'], { stdio: 'inherit', timeout: 180_000 });
      if (built.status !== 0) throw new Error('node scripts/build.mjs --tests failed');
    });
    if (testFiles().length === 0) {
      throw new Error(onlySuites ? `XEN_TEST_SUITES=${process.env.XEN_TEST_SUITES} names no suite in out/test/xen` : 'no out/test/xen/*.test.js after the build: is test/xen in scripts/build.mjs?');
    }
    if (onlySuites) log(`XEN_TEST_SUITES: only ${testFiles().map((f) => f.split('/').pop()).join(', ')}`);
    stagedTests = stageTests();
  }
  try {
    if (process.env.XEN_TEST_DISABLE) throw new RigSkip(`disabled by XEN_TEST_DISABLE (${process.env.XEN_TEST_DISABLE})`);
    rig = await bootRig({ cacheDir, resultsDir, keepWork: keepWork || shellMode, timings });
  } catch (error) {
    if (error instanceof RigSkip) skipReason = error.message;
    else if (error instanceof Error && error.message.startsWith('dom0 did not come up')) {
      console.log('\n0 passed, 1 failed, 0 skipped (xen: dom0 did not boot; serial log in test-results/xen-serial.log)');
      return 1;
    } else throw error;
  }

  let env;
  if (!skipReason) {
    env = rig.env();
    if (shellMode) {
      clearTimeout(watchdog);
      console.log(`\ndom0 is up (Xen ${rig.xenVersion}). In another terminal:\n  ${rig.sshWrapper} ${rig.hostAlias}\nCtrl-C here stops QEMU.`);
      await new Promise(() => {});
    }
  } else {
    console.log(`\n==== SKIPPED: the Xen end-to-end tests cannot run on this machine: ${skipReason} ====\n`);
    env = { XEN_TEST_SKIP: skipReason };
  }

  const workbenchReserveMs = workbench && !skipReason ? workbenchTimeoutS * 1000 : 0;
  const remainingMs = totalTimeoutS * 1000 - (Date.now() - runStarted) - 30_000 - workbenchReserveMs;
  const t = Date.now();
  // At most 15 minutes: they take 5 to 9 (the conformance suite's real `xl create`s are 2 to 3 of them).
  const result = await runSuites(env, Math.max(60_000, Math.min(remainingMs, 900_000)));
  timings['test suites'] = (Date.now() - t) / 1000;
  log(`node --test suites: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${timings['test suites'].toFixed(1)} s)`);
  // dom0 user space must not have crashed behind the tests' backs (see TCG_CPU in lib/rig.mjs).
  const healthFailures = [];
  const healthCheck = async (when) => {
    // The whole kernel log is kept (a reboot, as in the fault and dom0-local suites, ends it).
    const kernelLog = await rig.dom0('dmesg', 20_000);
    writeFileSync(join(resultsDir, `xen-dom0-dmesg-${when.replace(/[^a-z0-9]+/gi, '-')}.log`), kernelLog.stdout);
    // An OOM kill is a crash too: a device model killed in dom0 takes its guest's screen and disks.
    const crashes = kernelLog.stdout.split('\n').filter((line) => /segfault|general protection|traps:|Oops|BUG:|Out of memory|oom-kill|Killed process/.test(line));
    if (kernelLog.status !== 0 || crashes.length > 0) {
      const found = kernelLog.status !== 0 ? `dmesg failed: ${kernelLog.stderr.trim()}` : crashes.join('\n');
      healthFailures.push({ name: `dom0 health check ${when}`, error: found });
      log(`dom0 health check ${when} FAILED: crashes in dom0's kernel log:\n${found}`);
    } else {
      log(`dom0 health check ${when}: no crashes in dom0's kernel log`);
    }
  };
  if (!skipReason) await healthCheck('after the node suites');

  // The workbench stage on the same boot: code-server with the VSIX, xen.hosts → this rig.
  let bench = { passed: 0, failed: 0, skipped: 0 };
  if (workbench) {
    if (skipReason) {
      bench = { passed: 0, failed: 0, skipped: 1 };
      console.log(`\n==== SKIPPED: the workbench-on-Xen suites (no rig: ${skipReason}) ====\n`);
    } else {
      const { runWorkbenchOnXen } = await import('../e2e/xen/harness.mjs');
      const tw = Date.now();
      try {
        bench = await runWorkbenchOnXen(rig, { timeoutMs: workbenchTimeoutS * 1000, buildTests: false, healthCheck });
      } catch (error) {
        log(`workbench stage failed: ${error instanceof Error ? error.stack : error}`);
        bench = { passed: 0, failed: 1, skipped: 0, failures: [{ name: 'the workbench stage', error: error instanceof Error ? error.stack ?? error.message : String(error) }] };
      }
      timings['workbench suites'] = (Date.now() - tw) / 1000;
      log(`workbench suites: ${bench.passed} passed, ${bench.failed} failed, ${bench.skipped} skipped (${timings['workbench suites'].toFixed(1)} s)`);
      await healthCheck('after the workbench suites');
    }
  }
  const peakRss = rig?.peakRssMiB();
  await teardown('tests finished');
  timings.total = (Date.now() - runStarted) / 1000;
  if (peakRss) log(`QEMU peak RSS: ${peakRss} MiB`);
  log(`timings (s): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' | ')}`);
  writeFileSync(join(resultsDir, 'xen-timings.json'), JSON.stringify({ ...timings, qemuPeakRssMiB: peakRss, skipped: skipReason }, null, 2) + '\n');
  if (skipReason) console.log(`\n==== SKIPPED (${skipReason}) ====`);
  const passed = result.passed + bench.passed;
  const failedCount = result.failed + (healthFailures.length > 0 ? 1 : 0) + bench.failed;
  const skipped = result.skipped + bench.skipped;
  printFailures([...(result.failures ?? []), ...healthFailures, ...(bench.failures ?? [])]);
  console.log(`\n${passed} passed, ${failedCount} failed, ${skipped} skipped${skipReason ? ` (xen: SKIPPED: ${skipReason})` : ''}`);
  if (failedCount > 0 || result.status !== 0) return 1;
  if ((skipReason || skipped > 0) && process.env.XEN_TEST_REQUIRE === '1') {
    console.log(`XEN_TEST_REQUIRE=1: ${skipped} skipped test(s) count as a failure`);
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
    await teardown('error');
    console.log('\n0 passed, 1 failed, 0 skipped (xen: the rig failed, see above)');
    process.exit(1);
  });
