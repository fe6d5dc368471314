// `npm run bench`: measures the language core in-process and the language server over LSP, side by
// side with yaml-language-server on the same machine in the same run, plus the extension's
// footprint. Prints a table with PASS/MISS per target and writes bench/results.json.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeDiagnostics } from '../server/src/analysis/diagnostics';
import { format as formatDocument } from '../server/src/analysis/format';
import { clearSpecMemo } from '../server/src/specs';
import { parseConfig } from '../server/src/syntax';
import { generateConfig, generateSchema, generateYaml, pathologicalInputs } from './inputs';
import { buildIdentity, readStartupFigures, type StartupReading } from './activation';
import { readConsoleFigures, type ConsoleReading } from './consoleFigures';
import { bareNodeIdleRssMiB, BenchClient, sleep } from './lsp';
import { measureGuestsRender } from './guestsRender';
import { measureRefresh } from './refresh';
import { measureRelay, type RelayFigures } from './relay';

const SIZES = [100, 1_000, 10_000, 100_000];
// Run from the repository (bench/run.mjs sets the working directory); the bundle lives in out/bench.
const root = resolve(process.env.XEN_XL_ROOT ?? process.cwd());
const quick = process.argv.includes('--quick');

interface Stats {
  median: number;
  p95: number;
  runs: number;
}

/**
 * Runs `fn` repeatedly (at least 5 times, up to `maxRuns` or `budgetMs`) and returns ms statistics.
 * Two untimed runs come first, so that code not compiled yet is not billed to the series. (No
 * forced collection: it shrinks V8's young generation, which slows the runs after it.)
 */
async function measure(fn: () => unknown, budgetMs = quick ? 300 : 1500, maxRuns = 60): Promise<Stats> {
  const samples: number[] = [];
  for (let warmUp = 0; warmUp < 2; warmUp++) await fn();
  const started = performance.now();
  while (samples.length < 5 || (samples.length < maxRuns && performance.now() - started < budgetMs)) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p95: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))], runs: samples.length };
}

/** The "physical limit" reference: a loop over the characters that counts newlines. */
function scan(text: string): number {
  let lines = 0;
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) lines++;
  return lines;
}

/** Least-squares slope of log(time) against log(size): 1.0 is linear. */
function exponent(points: { size: number; ms: number }[]): number {
  const usable = points.filter((point) => point.ms > 0);
  const xs = usable.map((point) => Math.log(point.size));
  const ys = usable.map((point) => Math.log(point.ms));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let numerator = 0;
  let denominator = 0;
  for (let index = 0; index < xs.length; index++) {
    numerator += (xs[index] - meanX) * (ys[index] - meanY);
    denominator += (xs[index] - meanX) ** 2;
  }
  return numerator / denominator;
}

const round = (value: number | undefined, digits = 2): number | undefined => (value === undefined ? undefined : Number(value.toFixed(digits)));

/** One row per size: every figure is a number (ms, bytes, MB/s or a ratio), undefined when not measured. */
async function inProcess(): Promise<Record<string, number | undefined>[]> {
  const rows: Record<string, number | undefined>[] = [];
  for (const lines of SIZES) {
    const { text } = generateConfig(lines);
    const bytes = Buffer.byteLength(text);
    const scanStats = await measure(() => scan(text));
    const parse = await measure(() => parseConfig(text));
    const document = parseConfig(text);
    // As the server analyses a config: when it opens (spec parses not remembered), at its first
    // change (every spec parse remembered from then on) and at each later change (the parses of
    // unchanged strings come from the memo).
    const analysis = await measure(() => {
      clearSpecMemo();
      return computeDiagnostics(parseConfig(text), { rememberSpecs: false });
    });
    const firstChange = await measure(() => {
      clearSpecMemo();
      return computeDiagnostics(parseConfig(text), { rememberSpecs: true });
    });
    computeDiagnostics(parseConfig(text));
    const reanalysis = await measure(() => computeDiagnostics(parseConfig(text), { rememberSpecs: true }));
    const format = await measure(() => formatDocument(document));
    rows.push({
      lines,
      bytes,
      scanMs: round(scanStats.median, 3),
      parseMs: round(parse.median, 3),
      parseP95Ms: round(parse.p95, 3),
      analysisMs: round(analysis.median, 3),
      analysisP95Ms: round(analysis.p95, 3),
      firstChangeMs: round(firstChange.median, 3),
      reanalysisMs: round(reanalysis.median, 3),
      formatMs: round(format.median, 3),
      formatP95Ms: round(format.p95, 3),
      parseMBps: round(bytes / 1e6 / (parse.median / 1000), 1),
      analysisMBps: round(bytes / 1e6 / (analysis.median / 1000), 1),
      parseVsScan: round(parse.median / scanStats.median, 1),
      analysisVsScan: round(analysis.median / scanStats.median, 1),
    });
  }
  return rows;
}

interface PathologicalRow {
  input: string;
  bytes: number;
  analysisMs: number | undefined;
  formatMs: number | undefined;
  msPer100KB: number | undefined;
}

async function pathological(): Promise<PathologicalRow[]> {
  const rows: PathologicalRow[] = [];
  for (const { name, text } of pathologicalInputs()) {
    const analysis = await measure(() => computeDiagnostics(parseConfig(text)), 600, 10);
    const format = await measure(() => formatDocument(parseConfig(text)), 600, 10);
    const bytes = Buffer.byteLength(text);
    rows.push({ input: name, bytes, analysisMs: round(analysis.median), formatMs: round(format.median), msPer100KB: round((Math.max(analysis.median, format.median) / bytes) * 100_000) });
  }
  return rows;
}

interface LspFigures {
  lines: number;
  /** Lines of the document the server was given (the YAML twin has no closing brackets). */
  documentLines?: number;
  /** Diagnostics the server published for the changed document. */
  diagnostics?: number;
  /** Change → diagnostics without the server's validation delay (see changeWaitP50). */
  changeP50?: number;
  changeP95?: number;
  /** yaml-language-server only: the round trip as measured, before its timer wait is subtracted. */
  changeRawP50?: number;
  /** yaml-language-server only: how long its validation still waited on its (0 ms) timer. */
  changeWaitP50?: number;
  completionP50?: number;
  completionP95?: number;
  hoverP50?: number;
  hoverP95?: number;
  /** A hover on the comment of line 0, which has nothing to show: the round trip of a request doing no work. */
  emptyHoverP50?: number;
  /** RSS with the document open, IDLE_SETTLE_MS after the last request. */
  rssMiB?: number;
  /** The highest RSS the process reached (VmHWM), for context. */
  peakRssMiB?: number;
  /** RSS IDLE_SETTLE_MS after `initialize`, before any document: the floor the runtime itself sets. */
  rssIdleMiB?: number;
}

/** How long a process idles before its idle RSS is read: the servers after `initialize`, bare node after its first statement. */
const IDLE_SETTLE_MS = 500;
/** The V8 flags the extension starts the server with (client/src/languageClient.ts). */
const SERVER_FLAGS = ['--max-semi-space-size=16'];

/** Untimed completion and hover requests before the timed ones. */
const WARM_UP_REQUESTS = 20;

async function lspFigures(server: 'xl' | 'yaml', lines: number, iterations: number, requestIterations: number): Promise<LspFigures> {
  const folder = join(tmpdir(), 'xen-xl-bench');
  mkdirSync(folder, { recursive: true });
  const generated = generateConfig(lines);
  let client: BenchClient;
  let uri: string;
  let text: string;
  let languageId: string;
  let keyLine: number;
  if (server === 'xl') {
    client = new BenchClient(process.execPath, [...SERVER_FLAGS, join(root, 'dist/server.js'), '--stdio']);
    await client.initialize({ diagnosticsDebounceMs: 0 });
    uri = `file://${folder}/bench-${lines}.cfg`;
    text = generated.text;
    languageId = 'xl';
    keyLine = 3; // `memory = 4096`
  } else {
    const schemaPath = join(folder, 'schema.json');
    writeFileSync(schemaPath, JSON.stringify(generateSchema(generated)));
    const yamlServer = require.resolve('yaml-language-server/bin/yaml-language-server', { paths: [root, ...(process.env.YAML_LS_PATH ? [process.env.YAML_LS_PATH] : [])] });
    // The preload takes its 200 ms validation delay out and reports the timer wait that remains.
    // XEN_BENCH_YAML_DELAY_MS=200 keeps the delay, to check that subtracting the wait gives the same figure.
    client = new BenchClient(
      process.execPath,
      ['--require', join(root, 'bench/yamlPreload.cjs'), yamlServer, '--stdio'],
      { yaml: { validate: true, hover: true, completion: true, schemas: { [`file://${schemaPath}`]: '*.yaml' }, schemaStore: { enable: false } } },
      { ...process.env, XEN_BENCH_YAML_SRC: join(dirname(yamlServer), '../out/server/src'), XEN_BENCH_YAML_DELAY_MS: process.env.XEN_BENCH_YAML_DELAY_MS ?? '0' },
    );
    await client.initialize();
    uri = `file://${folder}/bench-${lines}.yaml`;
    text = generateYaml(generated, lines);
    languageId = 'yaml';
    keyLine = 3; // `memory: 4096`
  }
  const figures: LspFigures = { lines, documentLines: text.split('\n').length - 1 };
  try {
    await sleep(IDLE_SETTLE_MS);
    figures.rssIdleMiB = round(client.rssMiB(), 1);
    await client.open(uri, text, 1, languageId);
    const changes: number[] = [];
    const rawChanges: number[] = [];
    const waits: number[] = [];
    for (let version = 2; version < 2 + iterations; version++) {
      // Alternate one value so every change really changes the document.
      const changed = version % 2 === 0 ? text.replace(/memory(\s*[=:]\s*)4096/, 'memory$14097') : text;
      const change = await client.change(uri, version, changed);
      // Ours publishes at once with its debounce at 0; yaml-language-server's timer wait is
      // measured inside it and subtracted. Without that measurement its figure would be unfair.
      if (server === 'yaml' && change.waitedMs === undefined) throw new Error(`yaml-language-server did not report when its validation of version ${version} started (bench/yamlPreload.cjs)`);
      rawChanges.push(change.ms);
      waits.push(change.waitedMs ?? 0);
      changes.push(change.ms - (change.waitedMs ?? 0));
      figures.diagnostics = change.diagnostics;
    }
    const position = { line: keyLine, character: 2 };
    const completions: number[] = [];
    const hovers: number[] = [];
    const emptyHovers: number[] = [];
    const nothing = { line: 0, character: 3 };
    // Both servers get the same warm-up, untimed, so the figures compare steady states rather
    // than how soon each JIT compiles its handlers.
    for (let index = 0; index < WARM_UP_REQUESTS; index++) {
      await client.time('textDocument/completion', { textDocument: { uri }, position: { line: keyLine + 1, character: 0 } });
      await client.time('textDocument/hover', { textDocument: { uri }, position });
    }
    for (let index = 0; index < requestIterations; index++) {
      completions.push((await client.time('textDocument/completion', { textDocument: { uri }, position: { line: keyLine + 1, character: 0 } })).ms);
      hovers.push((await client.time('textDocument/hover', { textDocument: { uri }, position })).ms);
      emptyHovers.push((await client.time('textDocument/hover', { textDocument: { uri }, position: nothing })).ms);
    }
    const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
    figures.changeP50 = round(percentile(changes, 0.5));
    figures.changeP95 = round(percentile(changes, 0.95));
    if (server === 'yaml') {
      figures.changeRawP50 = round(percentile(rawChanges, 0.5));
      figures.changeWaitP50 = round(percentile(waits, 0.5));
    }
    figures.completionP50 = round(percentile(completions, 0.5), 3);
    figures.completionP95 = round(percentile(completions, 0.95), 3);
    figures.hoverP50 = round(percentile(hovers, 0.5), 3);
    figures.hoverP95 = round(percentile(hovers, 0.95), 3);
    figures.emptyHoverP50 = round(percentile(emptyHovers, 0.5), 3);
    // Read as the idle figure is: after the same quiet time.
    await sleep(IDLE_SETTLE_MS);
    figures.rssMiB = round(client.rssMiB(), 1);
    figures.peakRssMiB = round(client.peakRssMiB(), 1);
  } finally {
    await client.stop();
  }
  return figures;
}

interface Footprint {
  vsixKB: number | undefined;
  extensionJsKB: number | undefined;
  serverJsKB: number | undefined;
  /** Reading and compiling dist/extension.js in a fresh Node process (median of 5): what comes before its first statement. */
  extensionReadAndCompileMs: number | undefined;
  commit: string | undefined;
  startup: StartupReading;
  /** The graphical console in code-server (`npm run bench -- --console`), when measured on this build. */
  console: ConsoleReading;
}

function footprint(): Footprint {
  const size = (path: string): number | undefined => (existsSync(path) ? statSync(path).size : undefined);
  // Always a fresh production package: a VSIX left over from an older build would mislead.
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'ignore' });
  const vsix = readdirSync(root).find((name) => /^xen-xl-.*\.vsix$/.test(name));
  // Startup is measured in code-server by the extension-host suite; its figures count only if they
  // were taken on exactly the bundles just packaged (bench/activation.ts).
  const commit = gitHead();
  const activationFile = join(root, 'test-results/e2e/activation.json');
  const identity = buildIdentity(root, commit);
  const startup = readStartupFigures(existsSync(activationFile) ? readFileSync(activationFile, 'utf8') : undefined, identity);
  const consoleFile = join(root, 'out/bench/console-results.json');
  const consoleReading = readConsoleFigures(existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : undefined, identity);
  return {
    vsixKB: vsix === undefined ? undefined : round(size(join(root, vsix))! / 1024, 1),
    extensionJsKB: round((size(join(root, 'dist/extension.js')) ?? 0) / 1024, 1),
    serverJsKB: round((size(join(root, 'dist/server.js')) ?? 0) / 1024, 1),
    extensionReadAndCompileMs: readAndCompileMs(join(root, 'dist/extension.js')),
    commit,
    startup,
    console: consoleReading,
  };
}

/** `git rev-parse HEAD` of the repository, or undefined when git cannot say. */
function gitHead(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    console.log(`git rev-parse HEAD failed, so no startup figures can be matched to this build: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * Time to read a bundle and compile it as Node's loader does (a function wrapper around the
 * module), each time in a fresh process so V8's compilation cache cannot help: median of 5, ms.
 */
function readAndCompileMs(path: string): number | undefined {
  const script = [
    "const { performance } = require('node:perf_hooks');",
    "const { readFileSync } = require('node:fs');",
    "const vm = require('node:vm');",
    'const start = performance.now();',
    "vm.compileFunction(readFileSync(process.argv[1], 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: process.argv[1] });",
    'process.stdout.write(String(performance.now() - start));',
  ].join('\n');
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) samples.push(Number(execFileSync(process.execPath, ['-e', script, path], { encoding: 'utf8' })));
  samples.sort((a, b) => a - b);
  return Number.isFinite(samples[2]) ? round(samples[2], 1) : undefined;
}

/** The console relay's rows of the target table (bench/relay.ts). */
function relayTargets(relay: RelayFigures | { notMeasured: string }): [string, boolean | undefined, string][] {
  if ('notMeasured' in relay) {
    return [
      ['console relay throughput ≥ 80% of reading the same VNC stream directly over TCP', undefined, relay.notMeasured],
      ['console relay adds ≤ 0.5 ms p50 per message', undefined, relay.notMeasured],
    ];
  }
  const worst = Math.min(relay.live.ratio, relay.replay.ratio);
  return [
    [
      'console relay throughput ≥ 80% of reading the same VNC stream directly over TCP',
      worst >= 0.8,
      `replayed QEMU updates: ${relay.replay.relayMBps} vs ${relay.replay.directMBps} MB/s (${Math.round(relay.replay.ratio * 100)}%); live QEMU ${relay.width}x${relay.height}: ${relay.live.relayMBps} vs ${relay.live.directMBps} MB/s (${Math.round(relay.live.ratio * 100)}%)`,
    ],
    [
      'console relay adds ≤ 0.5 ms p50 per message',
      relay.latency.addedPerMessageMs <= 0.5,
      `${relay.latency.addedPerMessageMs} ms (echo round trip p50 ${relay.latency.relayP50Ms} ms through the relay, ${relay.latency.directP50Ms} ms direct)`,
    ],
  ];
}

/** The graphical console in code-server, measured by `npm run bench -- --console` on this build. */
function consoleTarget(reading: ConsoleReading): [string, boolean | undefined, string] {
  const name = 'a full-screen console update reaches the canvas in code-server in ≤ 100 ms p50';
  if ('notMeasured' in reading) return [name, undefined, reading.notMeasured];
  const { figures } = reading;
  return [
    name,
    figures.p50Ms <= 100,
    `${figures.p50Ms} ms p50, ${figures.p90Ms} ms p90 over ${figures.updates} updates of ${figures.width}x${figures.height} (${figures.bytesPerUpdate} bytes each; post of the first byte → ack of the last, an upper bound; ${figures.date})`,
  ];
}

/** `--relay-only`: the console relay's figures alone, written to out/bench/relay-results.json. */
async function relayOnly(): Promise<void> {
  const loadBefore = loadavg().map((value) => round(value));
  console.log(`console relay benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, node ${process.version}${quick ? ' (quick)' : ''}; load average ${loadBefore.join(', ')}\n`);
  const relay = await measureRelay(root, quick);
  console.log(JSON.stringify(relay, null, 2));
  console.log('\nTargets:');
  for (const [name, ok, value] of relayTargets(relay)) console.log(`  ${ok === undefined ? 'N/A ' : ok ? 'PASS' : 'MISS'}  ${name}: ${value}`);
  const out = join(root, 'out/bench/relay-results.json');
  mkdirSync(dirname(out), { recursive: true });
  const loadAfter = loadavg().map((value) => round(value));
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), loadAverage: { before: loadBefore, after: loadAfter }, relay }, null, 2) + '\n');
  console.log(`\nWrote ${out}. Load average before ${loadBefore.join(', ')}, after ${loadAfter.join(', ')}.`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--relay-only')) return relayOnly();
  const started = Date.now();
  // Keeps the process alive while it only waits on a language server's pipes.
  const keepAlive = setInterval(() => undefined, 1000);
  // The machine may be shared: its load before and after goes with the figures.
  const loadBefore = loadavg().map((value) => round(value));
  console.log(`xen-xl benchmark on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${quick ? ' (quick)' : ''}; load average ${loadBefore.join(', ')}\n`);
  const lspOnly = process.argv.includes('--lsp-only');
  const inproc = lspOnly ? [] : await inProcess();
  console.log('In-process (median ms):');
  console.table(inproc);
  const scaling = {
    parse: round(exponent(inproc.slice(1).map((row) => ({ size: row.bytes as number, ms: row.parseMs as number })))),
    analysis: round(exponent(inproc.slice(1).map((row) => ({ size: row.bytes as number, ms: row.analysisMs as number })))),
    format: round(exponent(inproc.slice(1).map((row) => ({ size: row.bytes as number, ms: row.formatMs as number })))),
  };
  console.log('Scaling exponents (1.0 = linear), fitted over 1,000-100,000 lines:', scaling);
  const patho = lspOnly ? [] : await pathological();
  console.log('\nPathological inputs:');
  console.table(patho);

  // Changes re-analyse the whole file (slow for yaml-language-server); requests are cheap, so
  // more of them are timed for steadier percentiles.
  const iterations = quick ? 10 : 30;
  const requestIterations = quick ? 30 : 100;
  const lsp: { xl: LspFigures[]; yaml: LspFigures[] } = { xl: [], yaml: [] };
  for (const lines of [1_000, 10_000]) {
    console.log(`LSP round trips with ${lines} lines…`);
    lsp.xl.push(await lspFigures('xl', lines, iterations, requestIterations));
    try {
      lsp.yaml.push(await lspFigures('yaml', lines, iterations, requestIterations));
    } catch (error) {
      console.log(`yaml-language-server could not be measured: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A bare idle node, measured as the servers' idle RSS is (same flags, same idle time, /proc).
  const bareSamples: number[] = [];
  for (let sample = 0; sample < 3; sample++) {
    const rss = await bareNodeIdleRssMiB(SERVER_FLAGS, IDLE_SETTLE_MS);
    if (rss !== undefined) bareSamples.push(rss);
  }
  bareSamples.sort((a, b) => a - b);
  const bareNodeMiB = bareSamples.length === 0 ? undefined : round(bareSamples[Math.floor(bareSamples.length / 2)], 1);
  console.log(`A bare idle node: ${bareNodeMiB} MiB (median of ${JSON.stringify(bareSamples.map((value) => round(value, 1)))})`);
  const ratios = lsp.xl.map((ours) => {
    const theirs = lsp.yaml.find((figures) => figures.lines === ours.lines);
    const ratio = (key: keyof LspFigures): number | undefined => (theirs?.[key] && ours[key] ? round(ours[key] / theirs[key], 3) : undefined);
    return { lines: ours.lines, change: ratio('changeP50'), completion: ratio('completionP50'), hover: ratio('hoverP50'), rss: ratio('rssMiB') };
  });
  console.log('\nOver LSP (ms; RSS in MiB), ours vs yaml-language-server:');
  console.table([...lsp.xl.map((row) => ({ server: 'xen-xl', ...row })), ...lsp.yaml.map((row) => ({ server: 'yaml-ls', ...row }))]);
  console.log('Ratio ours/theirs (lower is better):');
  console.table(ratios);

  const foot = footprint();
  const refresh = await measureRefresh(200);
  const guestsRender = await measureGuestsRender(8, 200, quick ? 11 : 31);
  console.log('\nOne render of the Guests view, 8 hosts × 200 guests with live figures:', guestsRender);
  console.log('\nConsole relay against direct TCP (bench/relay.ts)…');
  const relay = await measureRelay(root, quick);
  console.log(JSON.stringify(relay, null, 2));
  console.log('\nFootprint:', { ...foot, xlProcessesPerRefresh200Guests: refresh.spawnedPerRefresh });
  const startup = 'figures' in foot.startup ? foot.startup.figures : undefined;
  const notMeasured = 'notMeasured' in foot.startup ? foot.startup.notMeasured : '';

  const row10k = inproc.find((row) => row.lines === 10_000);
  const xl1k = lsp.xl.find((row) => row.lines === 1_000);
  const xl10k = lsp.xl.find((row) => row.lines === 10_000);
  const yaml10k = lsp.yaml.find((row) => row.lines === 10_000);
  // Each of our server runs is judged; the worst idle figure counts.
  const idleFigures = lsp.xl.map((row) => row.rssIdleMiB).filter((value): value is number => value !== undefined);
  const worstIdle = idleFigures.length === 0 ? undefined : Math.max(...idleFigures);
  /** 15 MB, in MiB. */
  const idleAllowanceMiB = 15e6 / 2 ** 20;
  const targets: [string, boolean | undefined, string][] = [
    ['full analysis of 10,000 lines ≤ 15 ms median', row10k === undefined ? undefined : (row10k.analysisMs as number) <= 15, row10k === undefined ? 'not measured (--lsp-only)' : `${row10k.analysisMs} ms when the file opens; ${row10k.firstChangeMs} ms at its first change (spec parses remembered), ${row10k.reanalysisMs} ms at each later change`],
    ['diagnostics round trip, 1,000 lines ≤ 10 ms (debounce excluded)', xl1k?.changeP50 !== undefined ? xl1k.changeP50 <= 10 : undefined, `${xl1k?.changeP50} ms (the editor's debounce, 50 ms, comes on top)`],
    ['completion p50 ≤ 2 ms, 1,000 lines', xl1k?.completionP50 !== undefined ? xl1k.completionP50 <= 2 : undefined, `${xl1k?.completionP50} ms`],
    ['hover p50 ≤ 2 ms, 1,000 lines', xl1k?.hoverP50 !== undefined ? xl1k.hoverP50 <= 2 : undefined, `${xl1k?.hoverP50} ms`],
    ['≥ 10× faster than yaml-language-server on every LSP figure', ratios.length === 0 || ratios.some((r) => r.change === undefined) ? undefined : ratios.every((r) => [r.change, r.completion, r.hover].every((value) => value !== undefined && value <= 0.1)), JSON.stringify(ratios.map((r) => [r.lines, r.change, r.completion, r.hover]))],
    [
      'idle server RSS ≤ a bare idle node + 15 MB (14.3 MiB)',
      worstIdle !== undefined && bareNodeMiB !== undefined ? worstIdle <= bareNodeMiB + idleAllowanceMiB : undefined,
      `${worstIdle} MiB (worst of ${JSON.stringify(idleFigures)}); bare node ${bareNodeMiB} MiB, so ${round(bareNodeMiB === undefined || worstIdle === undefined ? undefined : worstIdle - bareNodeMiB, 1)} MiB above it`,
    ],
    [
      "RSS with 10,000 lines open ≤ 0.5× yaml-language-server's",
      xl10k?.rssMiB !== undefined && yaml10k?.rssMiB !== undefined ? xl10k.rssMiB <= 0.5 * yaml10k.rssMiB : undefined,
      `${xl10k?.rssMiB} MiB vs ${yaml10k?.rssMiB} MiB: ${round(xl10k?.rssMiB !== undefined && yaml10k?.rssMiB !== undefined ? xl10k.rssMiB / yaml10k.rssMiB : undefined)}×`,
    ],
    ['VSIX ≤ 300 KB', foot.vsixKB !== undefined ? foot.vsixKB <= 300 : undefined, `${foot.vsixKB} KB`],
    ['VSIX ≤ 700 KB (with the console webview, issue #16)', foot.vsixKB !== undefined ? foot.vsixKB <= 700 : undefined, `${foot.vsixKB} KB`],
    [
      'activation ≤ 30 ms (bundle load → end of activate())',
      startup !== undefined ? startup.bundleToActivateEndMs <= 30 : undefined,
      startup !== undefined
        ? `${startup.bundleToActivateEndMs} ms: running the bundle ${startup.bundleEvaluationMs} ms, the host's wait before activate() ${startup.waitBeforeActivateMs} ms, activate() ${startup.activateMs} ms; the language server's first answer ${startup.bundleToServerAnswerMs} ms after bundle load (code-server, ${startup.at}; before the first statement, reading and compiling the bundle takes ${foot.extensionReadAndCompileMs} ms in plain Node)`
        : notMeasured,
    ],
    ['scaling exponent ≤ 1.15 everywhere', lspOnly ? undefined : Math.max(scaling.parse!, scaling.analysis!, scaling.format!) <= 1.15, JSON.stringify(scaling)],
    ['no pathological input over 50 ms per 100 KB', lspOnly ? undefined : patho.every((row) => (row.msPer100KB as number) <= 50), patho.map((row) => `${row.input}: ${row.msPer100KB}`).join('; ')],
    ['one refresh of 200 guests spawns one xl process', refresh.spawnedPerRefresh === 1, `${refresh.spawnedPerRefresh}`],
    [
      'one render of the Guests view, 8 hosts × 200 guests with figures, < 50 ms',
      guestsRender.medianMs < 50,
      `${guestsRender.medianMs} ms median, ${guestsRender.p90Ms} ms p90 over ${guestsRender.runs} runs (getChildren of every host + getTreeItem of ${guestsRender.nodes} nodes)`,
    ],
    ...relayTargets(relay),
    consoleTarget(foot.console),
  ];
  console.log('\nTargets:');
  for (const [name, ok, value] of targets) console.log(`  ${ok === undefined ? 'N/A ' : ok ? 'PASS' : 'MISS'}  ${name}: ${value}`);
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    loadAverage: { before: loadBefore, after: loadavg().map((value) => round(value)) },
    bareNodeIdleRssMiB: bareNodeMiB,
    inProcess: inproc,
    scaling,
    pathological: patho,
    lsp,
    ratios,
    footprint: { ...foot, xlProcessesPerRefresh200Guests: refresh.spawnedPerRefresh },
    relay,
    guestsRender,
    targets: targets.map(([name, ok, value]) => ({ name, result: ok === undefined ? 'N/A' : ok ? 'PASS' : 'MISS', value })),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  const out = join(root, 'bench/results.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nWrote ${out} in ${results.seconds} s. Load average before ${results.loadAverage.before.join(', ')}, after ${results.loadAverage.after.join(', ')}.`);
  const busiest = Math.max(results.loadAverage.before[0]!, results.loadAverage.after[0]!);
  if (busiest > cpus().length) console.log(`The machine was busy (load ${busiest} on ${cpus().length} cores): other processes took CPU time during the run, so the times are likely inflated.`);
  clearInterval(keepAlive);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
