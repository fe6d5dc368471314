#!/usr/bin/env node
// `npm run test:e2e:xen`: the workbench-on-Xen suites on their own. Boots the Xen rig
// (test/xen/lib/session.mjs), runs test/e2e/xen/harness.mjs against it, stops everything by PID
// (also on failure and Ctrl-C). CI runs the same suites on the boot of `test/xen/run.mjs
// --workbench` instead, so the rig boots once per run.
//
// Writes test-results/e2e-xen/report.json. Closes with "N passed, N failed, N skipped".
// XEN_TEST_REQUIRE=1 or XEN_XL_E2E_REQUIRE=1: a skip (no rig on this machine, a pending test)
// fails the run.

import { cleanupAll, installSignalHandlers, log } from '../lib/processes.mjs';
import { RigSkip } from '../../xen/lib/rig.mjs';
import { bootRig, killAllRigsNow, stopAllRigs } from '../../xen/lib/session.mjs';
import { runWorkbenchOnXen } from './harness.mjs';

const MINUTE = 60_000;
const OVERALL_MS = Number(process.env.XEN_WORKBENCH_TIMEOUT ?? 1500) * 1000;
const require = process.env.XEN_TEST_REQUIRE === '1' || process.env.XEN_XL_E2E_REQUIRE === '1';

let rig;
installSignalHandlers();
// The e2e handlers stop code-server and Chromium; the rig is ours to stop.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.prependListener(signal, () => void stopAllRigs(signal));
process.on('exit', () => killAllRigsNow());
const overall = setTimeout(() => {
  console.error(`\n[e2e-xen] the whole run exceeded ${OVERALL_MS / MINUTE} minutes; stopping.`);
  void cleanupAll()
    .then(() => stopAllRigs('timeout'))
    .finally(() => {
      console.log('\n0 passed, 1 failed, 0 skipped (timed out)');
      process.exit(124);
    });
}, OVERALL_MS);
overall.unref();

let outcome = { passed: 0, failed: 0, skipped: 0 };
const t = Date.now();
try {
  const timings = {};
  try {
    rig = await bootRig({ timings });
    log(`rig up (Xen ${rig.xenVersion}, ${rig.accel}) after ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } catch (error) {
    if (!(error instanceof RigSkip)) throw error;
    console.log(`\n==== SKIPPED: the workbench-on-Xen suites cannot run on this machine: ${error.message} ====\n`);
    outcome = { passed: 0, failed: 0, skipped: 1 };
  }
  if (rig) outcome = await runWorkbenchOnXen(rig, { timeoutMs: OVERALL_MS - (Date.now() - t) - MINUTE });
} catch (error) {
  console.error(`\n[e2e-xen] ${error instanceof Error ? error.stack : String(error)}`);
  outcome.failed += 1;
} finally {
  await cleanupAll();
  await rig?.stop('done');
}
log(`total ${((Date.now() - t) / 1000).toFixed(1)} s`);
console.log(`\n${outcome.passed} passed, ${outcome.failed} failed, ${outcome.skipped} skipped`);
if (outcome.skipped > 0 && require) console.log('XEN_TEST_REQUIRE / XEN_XL_E2E_REQUIRE: a skip counts as a failure');
process.exit(outcome.failed > 0 || outcome.passed === 0 || (outcome.skipped > 0 && require) ? 1 : 0);
