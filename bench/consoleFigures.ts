// The graphical console's figure in code-server comes from `npm run bench -- --console`
// (bench/console.mjs, bench/consoleLatency.ts), which writes out/bench/console-results.json. A
// full `npm run bench` shows it only when it was measured on this very build: the same commit and
// the same bundle bytes as the VSIX the benchmark has just packaged (as with startup, activation.ts).

import { BUNDLES, type BuildIdentity } from './activation';

export interface ConsoleFigures {
  /** Post of a full-screen update's first byte → the webview's ack of its last, ms. */
  p50Ms: number;
  p90Ms: number;
  updates: number;
  width: number;
  height: number;
  bytesPerUpdate: number;
  date: string;
}

export type ConsoleReading = { figures: ConsoleFigures } | { notMeasured: string };

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Accepts the recorded console figures (`text`, the file's content) only if they belong to `current`. */
export function readConsoleFigures(text: string | undefined, current: BuildIdentity): ConsoleReading {
  const rerun = 'run `npm run bench -- --console` on this build first';
  if (text === undefined) return { notMeasured: `not measured in this run: no out/bench/console-results.json (${rerun})` };
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { notMeasured: 'not measured in this run: console-results.json is not a JSON object' };
    record = parsed as Record<string, unknown>;
  } catch (error) {
    return { notMeasured: `not measured in this run: console-results.json is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (current.commit === undefined) return { notMeasured: 'not measured in this run: the current commit is unknown (git rev-parse HEAD failed)' };
  if (typeof record.commit !== 'string') return { notMeasured: `not measured in this run: console-results.json names no commit (${rerun})` };
  if (record.commit !== current.commit) return { notMeasured: `not measured in this run: console-results.json is from commit ${record.commit.slice(0, 10)}, this is ${current.commit.slice(0, 10)} (${rerun})` };
  const bundles = record.bundles as Record<string, unknown> | undefined;
  const differing = BUNDLES.filter((bundle) => typeof bundles !== 'object' || bundles === null || bundles[bundle] !== current.bundles[bundle]);
  if (differing.length > 0) return { notMeasured: `not measured in this run: ${differing.join(' and ')} differ from the build console-results.json measured (uncommitted changes?; ${rerun})` };
  const figures = record.console as Record<string, unknown> | undefined;
  const { p50Ms, p90Ms, updates, width, height, bytesPerUpdate } = figures ?? {};
  if (![p50Ms, p90Ms, updates, width, height, bytesPerUpdate].every(isNumber)) {
    return { notMeasured: 'not measured in this run: console-results.json lacks one of p50Ms, p90Ms, updates, width, height, bytesPerUpdate' };
  }
  return {
    figures: {
      p50Ms: p50Ms as number,
      p90Ms: p90Ms as number,
      updates: updates as number,
      width: width as number,
      height: height as number,
      bytesPerUpdate: bytesPerUpdate as number,
      date: typeof record.date === 'string' ? record.date : 'unknown',
    },
  };
}
