// What the Host Dashboard shows, from the live figures' history: one row per guest of the last
// frame, sparklines of CPU and memory over the window, the host's free memory. Pure (no `vscode`).

import { formatCpuPercent, formatKiB, formatKiBRate, formatPerSecond } from '../figures/format';
import type { FiguresHistory } from '../figures/history';
import type { SamplerStatus } from '../figures/sampler';
import { MEMORY_HEIGHT, MEMORY_WIDTH, SPARK_HEIGHT, SPARK_WIDTH, type DashboardRow, type DashboardUpdate } from './protocol';

/**
 * Polyline points of a series in a width × height box: time runs left to right over the window
 * ending at `now`, values from 0 (bottom) to `max` (top). A point without a value breaks nothing:
 * it is left out. Empty when no point falls in the window.
 */
export function sparklinePoints(samples: readonly { at: number; value?: number }[], now: number, windowMs: number, max: number, width: number, height: number): string {
  const start = now - windowMs;
  const top = max > 0 ? max : 1;
  const points: string[] = [];
  for (const sample of samples) {
    if (sample.value === undefined || sample.at < start || sample.at > now) continue;
    const x = ((sample.at - start) / windowMs) * width;
    const y = height - (Math.min(Math.max(sample.value, 0), top) / top) * height;
    points.push(`${round(x)},${round(y)}`);
  }
  return points.join(' ');
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export interface DashboardInputs {
  hostLabel: string;
  history: FiguresHistory;
  hostId: string;
  now: number;
  windowMs: number;
  status: string;
  unavailable: boolean;
}

/** The message that brings the dashboard of one host up to date. */
export function dashboardUpdate(inputs: DashboardInputs): DashboardUpdate {
  const { history, hostId, now } = inputs;
  const latest = history.latest(hostId).map((entry) => ({ ...entry, samples: history.guestHistory(hostId, entry.name) }));
  const memory = history.hostMemory(hostId);
  const windowMs = shownWindowMs(now, inputs.windowMs, [...latest.map((entry) => entry.samples[0]?.at), memory[0]?.at]);
  const rows = latest.map<DashboardRow>(({ name, row, figures, samples }) => {
    // CPU is drawn against 100% per vCPU, memory against the guest's ceiling (or its highest point).
    const cpuMax = Math.max(100 * Math.max(figures.vcpus, 1), ...samples.map((sample) => sample.cpuPercent ?? 0));
    const memMax = Math.max(figures.maxMemKiB ?? 0, ...samples.map((sample) => sample.memKiB));
    return {
      name,
      state: row.state,
      ...(figures.cpuPercent === undefined ? {} : { cpuPercent: figures.cpuPercent }),
      memKiB: figures.memKiB,
      vcpus: figures.vcpus,
      ...pick(figures, ['netTxKiBps', 'netRxKiBps', 'diskReadsPerS', 'diskWritesPerS']),
      text: {
        cpu: formatCpuPercent(figures.cpuPercent),
        mem: formatKiB(figures.memKiB),
        net: `↑ ${formatKiBRate(figures.netTxKiBps)} ↓ ${formatKiBRate(figures.netRxKiBps)}`,
        disk: `${formatPerSecond(figures.diskReadsPerS)} r, ${formatPerSecond(figures.diskWritesPerS)} w`,
      },
      cpuSpark: sparklinePoints(samples.map((sample) => ({ at: sample.at, value: sample.cpuPercent })), now, windowMs, cpuMax, SPARK_WIDTH, SPARK_HEIGHT),
      memSpark: sparklinePoints(samples.map((sample) => ({ at: sample.at, value: sample.memKiB })), now, windowMs, memMax, SPARK_WIDTH, SPARK_HEIGHT),
    };
  });
  const last = memory[memory.length - 1];
  const total = last?.totalKiB ?? Math.max(0, ...memory.map((sample) => sample.freeKiB));
  return {
    type: 'update',
    hostLabel: inputs.hostLabel,
    status: inputs.status,
    unavailable: inputs.unavailable,
    rows,
    memorySpark: sparklinePoints(memory.map((sample) => ({ at: sample.at, value: sample.freeKiB })), now, windowMs, total, MEMORY_WIDTH, MEMORY_HEIGHT),
    memoryText: last === undefined ? '' : `${formatKiB(last.freeKiB)} free${last.totalKiB === undefined ? '' : ` of ${formatKiB(last.totalKiB)}`}`,
    windowText: windowMs <= 60_000 ? 'last minute' : `last ${Math.round(windowMs / 60_000)} minutes`,
  };
}

/** The shortest time the sparklines span, so the first samples do not huddle at the right edge. */
export const MIN_SHOWN_WINDOW_MS = 60_000;

/**
 * The time the sparklines span: since the oldest sample kept, rounded up to whole minutes, at
 * least a minute and at most the history's window. A dashboard opened a moment ago draws its
 * first minute across the whole width instead of a sliver at the right of ten minutes.
 */
export function shownWindowMs(now: number, windowMs: number, oldest: readonly (number | undefined)[]): number {
  const known = oldest.filter((at): at is number => at !== undefined);
  if (known.length === 0) return Math.min(MIN_SHOWN_WINDOW_MS, windowMs);
  const span = Math.ceil((now - Math.min(...known)) / 60_000) * 60_000;
  return Math.min(windowMs, Math.max(MIN_SHOWN_WINDOW_MS, span));
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

/** The dashboard's status line; `clock` turns the retry time into words (local time by default). */
export function statusText(status: SamplerStatus, intervalSeconds: number, clock: (at: number) => string = (at) => new Date(at).toLocaleTimeString()): string {
  switch (status.kind) {
    case 'off':
      return 'not sampled';
    case 'starting':
      return 'starting xentop…';
    case 'live':
      return `live, a sample every ${intervalSeconds} s`;
    case 'unavailable': {
      const retry = status.retryAt === undefined ? ' Open the dashboard again or press Refresh to try again.' : ` Trying again at ${clock(status.retryAt)}.`;
      return `Figures unavailable: ${status.reason}${retry}`;
    }
  }
}
