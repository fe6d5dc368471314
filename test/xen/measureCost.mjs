// dom0's CPU cost of the extension's figures and polling, on the real rig (for BENCHMARKS.md):
//
//   node test/xen/measureCost.mjs
//
// Boots the rig (lib/session.mjs), starts the same two guests for every phase (a PV and a PVH
// guest, 128 MiB each), bundles test/xen/costProbe.ts and runs it: 60 s of nothing, 60 s of
// `xl list` every 5 s through the runner, 60 s of one `xentop -b -d 2` stream plus that `xl list`,
// 60 s of a fresh `xentop -i 2 -d 1` every 2 s plus the same `xl list`. It prints dom0's busy % of one CPU per
// phase and xentop's own share, and writes test-results/xen-cost.json. Then it stops the rig.
//
// With XEN_TEST_SSH (and the other XEN_TEST_* variables run.mjs gives its suites) set, it uses
// that rig as it is instead (e.g. one booted by `node test/xen/run.mjs --shell`) and starts no
// guests. XEN_COST_SECONDS changes the length of each phase. Under TCG every figure is far above
// what a real host spends: compare the phases with each other, not with hardware.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { rigGuestConfig } from './lib/guestConfig.mjs';
import { bootRig, defaultCacheDir, killAllRigsNow, stopAllRigs } from './lib/session.mjs';

const repo = resolve(new URL('../..', import.meta.url).pathname);
process.chdir(repo);
const resultsDir = join(repo, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const bundle = join(repo, 'out/xen-cost/costProbe.js');

const GUESTS = [
  { name: 'xen-xl-cost-pv', type: 'pv' },
  { name: 'xen-xl-cost-pvh', type: 'pvh' },
];

async function main() {
  await build({ entryPoints: ['test/xen/costProbe.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, sourcemap: true, logLevel: 'warning' });
  let rig;
  let env = {};
  if (!process.env.XEN_TEST_SSH) {
    process.on('SIGINT', () => {
      killAllRigsNow();
      process.exit(130);
    });
    rig = await bootRig({ cacheDir: defaultCacheDir(), resultsDir });
    env = rig.env();
    for (const guest of GUESTS) {
      const config = rigGuestConfig({ ...guest, kernel: env.XEN_TEST_GUEST_KERNEL, guestDir: env.XEN_TEST_GUEST_DIR, memory: 128, comment: 'measureCost.mjs: a guest that runs during every phase' });
      const made = await rig.dom0(`mkdir -p /tmp/xen-xl-cost && printf '%s' '${config.replace(/'/g, `'\\''`)}' > /tmp/xen-xl-cost/${guest.name}.cfg && xl create /tmp/xen-xl-cost/${guest.name}.cfg`, 120_000);
      if (made.status !== 0) throw new Error(`could not start ${guest.name}: ${made.stderr}`);
    }
    // Let the guests finish booting before the idle phase.
    await new Promise((r) => setTimeout(r, 30_000));
  }
  try {
    const result = spawnSync(process.execPath, ['--enable-source-maps', bundle], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 30 * 60_000 });
    process.stdout.write(result.stdout);
    const json = /^\{[\s\S]*?^\}/m.exec(result.stdout ?? '');
    if (json) writeFileSync(join(resultsDir, 'xen-cost.json'), `${json[0]}\n`);
    if (result.status !== 0) process.exitCode = 1;
  } finally {
    if (rig) await stopAllRigs('measureCost done');
  }
}

main().catch(async (error) => {
  console.error(error);
  await stopAllRigs('error');
  process.exit(1);
});
