#!/usr/bin/env node
// `npm run bench -- --console [--updates N]`: a full-screen update of the graphical console reaching
// the canvas in code-server, as bench/consoleLatency.ts measures it inside the extension host.
//
// Builds the VSIX as a release does (`npm run package`), installs it into a throwaway code-server
// (the toolchain and harness of test/e2e), puts the xenstore-read stand-in on the extension host's
// PATH, runs the measurement as the window's extension tests, and prints the figures with the
// target. Writes out/bench/console-results.json, tagged with the commit and the digests of the
// bundles that were measured, so that `npm run bench` can show the figure for the same build only.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { installExtension } from '../test/e2e/lib/codeServer.mjs';
import { runExtensionHostSuite } from '../test/e2e/lib/extensionHost.mjs';
import { fakeXenstore } from '../test/e2e/lib/fakeXenstore.mjs';
import { cleanupAll, installSignalHandlers, log, makeTempDir, run } from '../test/e2e/lib/processes.mjs';
import { ensureToolchain, ROOT } from '../test/e2e/lib/toolchain.mjs';

const MINUTE = 60_000;
const TARGET_MS = 100;
const args = process.argv.slice(2);
const updates = args.includes('--updates') ? Number(args[args.indexOf('--updates') + 1]) : 100;
const screen = args.includes('--screen') ? args[args.indexOf('--screen') + 1] : 'paced';
/** `--websocket-compression off`: the VS Code server in code-server without permessage-deflate (its --disable-websocket-compression). */
const compression = args.includes('--websocket-compression') ? args[args.indexOf('--websocket-compression') + 1] : 'on';
if (!Number.isInteger(updates) || updates < 10 || (screen !== 'paced' && screen !== 'moving') || (compression !== 'on' && compression !== 'off')) {
  console.error('usage: npm run bench -- --console [--updates N (≥ 10)] [--screen paced|moving] [--websocket-compression on|off]');
  process.exit(2);
}
const RESULTS = join(ROOT, 'out/bench/console-results.json');

installSignalHandlers();
const overall = setTimeout(() => {
  console.error('\n[bench] the console benchmark exceeded 12 minutes; stopping.');
  void cleanupAll().finally(() => process.exit(124));
}, 12 * MINUTE);
overall.unref();

function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    log(`git rev-parse HEAD failed, so the figures name no commit: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function main() {
  const loadBefore = loadavg().map((value) => Math.round(value * 100) / 100);
  log(`console benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}; load average ${loadBefore.join(', ')}`);
  const toolchain = await ensureToolchain();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const extensionId = `${manifest.publisher}.${manifest.name}`;

  // The measurement, bundled for the extension host (`vscode` comes from the host).
  const scratch = makeTempDir('xen-xl-bench-console-');
  const entry = join(scratch, 'measure', 'index.js');
  await esbuild.build({
    entryPoints: [join(ROOT, 'bench/consoleLatency.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  await run('npm run package', 'npm', ['run', 'package', '--', '--no-rewrite-relative-links'], { cwd: ROOT, timeoutMs: 4 * MINUTE });
  const vsix = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  const { buildIdentity } = await loadActivationHelpers();
  const identity = buildIdentity(ROOT, gitHead());
  const extensionsDir = makeTempDir('xen-xl-bench-extensions-');
  const installed = await installExtension(toolchain, vsix, extensionsDir, extensionId);
  log(`installed ${extensionId}@${installed.version}`);

  const workspace = join(scratch, 'workspace');
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  const xenstore = fakeXenstore();
  const out = join(scratch, 'result.json');
  const result = await runExtensionHostSuite(toolchain, {
    name: 'bench-console',
    workspace,
    extensionsDir,
    developmentPath: installed.folder,
    testsPath: entry,
    timeoutMs: 8 * MINUTE,
    trust: true,
    settings: { 'xen.xlPath': '/nonexistent/xen-xl-e2e/xl', 'files.autoSave': 'off' },
    env: { XEN_XL_E2E_XENSTORE: xenstore.store, XEN_XL_BENCH_OUT: out, XEN_XL_BENCH_REPOSITORY: ROOT, XEN_XL_BENCH_UPDATES: String(updates), XEN_XL_BENCH_SCREEN: screen },
    homeFiles: xenstore.homeFiles,
    vscodeOptions: compression === 'off' ? ['disable-websocket-compression'] : [],
  });
  if (result.exitCode !== 0 || !existsSync(out)) {
    throw new Error(`the measurement in code-server failed (exit ${result.exitCode}):\n${result.output.split('\n').slice(-40).join('\n')}`);
  }
  const figures = JSON.parse(readFileSync(out, 'utf8'));
  const loadAfter = loadavg().map((value) => Math.round(value * 100) / 100);
  const record = { date: new Date().toISOString(), commit: identity.commit ?? null, bundles: identity.bundles, loadAverage: { before: loadBefore, after: loadAfter }, websocketCompression: compression, console: figures };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(record, null, 2) + '\n');
  console.log(JSON.stringify(figures, null, 2));
  console.log('\nTargets:');
  console.log(
    `  ${figures.p50Ms <= TARGET_MS ? 'PASS' : 'MISS'}  a full-screen update reaches the canvas in code-server in ≤ ${TARGET_MS} ms p50: ` +
      `${figures.p50Ms} ms p50, ${figures.p90Ms} ms p90 over ${figures.updates} updates of ${figures.width}x${figures.height} ` +
      `(post of the first byte → ack of the last, an upper bound; ${figures.bytesPerUpdate} bytes in ${figures.chunksPerUpdate} messages per update)`,
  );
  console.log(`\nWrote ${RESULTS}. Load average before ${loadBefore.join(', ')}, after ${loadAfter.join(', ')}.`);
}

/** bench/activation.ts (TypeScript), bundled on the fly for its buildIdentity. */
async function loadActivationHelpers() {
  const file = join(makeTempDir('xen-xl-bench-activation-'), 'activation.mjs');
  await esbuild.build({ entryPoints: [join(ROOT, 'bench/activation.ts')], outfile: file, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return import(file);
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\n[bench] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanupAll();
}
process.exit(failed ? 1 : 0);
