// Live figures of one guest as the views show them: rates from two xentop frames, and the words
// for the Guests view's description and tooltip. Pure (no `vscode` import).

import type { XentopRow } from '../xl';

/** What the views show of a guest's latest xentop sample. Rates are undefined until a second frame. */
export interface GuestFigures {
  /** Undefined in the first frame (xentop needs two samples): shown as "…". */
  cpuPercent?: number;
  memKiB: number;
  maxMemKiB?: number;
  vcpus: number;
  netTxKiBps?: number;
  netRxKiBps?: number;
  diskReadsPerS?: number;
  diskWritesPerS?: number;
}

/** A sample of a guest with the time of its frame (ms). */
export interface TimedRow {
  at: number;
  row: XentopRow;
}

/**
 * The figures of `current`, with rates from the change since `previous` (the same guest in the
 * frame before). A counter that went back (the guest restarted under the same name) or no time
 * between the two gives no rate rather than a wrong one.
 */
export function guestFigures(current: TimedRow, previous?: TimedRow): GuestFigures {
  const { row } = current;
  // Built field by field: this runs for every guest of every frame (8 hosts x 200 guests every 2 s).
  const figures: GuestFigures = { memKiB: row.memKiB, vcpus: row.vcpus };
  if (row.cpuPercent !== undefined) figures.cpuPercent = row.cpuPercent;
  if (row.maxMemKiB !== undefined) figures.maxMemKiB = row.maxMemKiB;
  if (previous === undefined) return figures;
  const seconds = (current.at - previous.at) / 1000;
  if (seconds <= 0) return figures;
  const before = previous.row;
  const rate = (now: number, then: number): number | undefined => (now < then ? undefined : (now - then) / seconds);
  const netTx = rate(row.netTxKiB, before.netTxKiB);
  const netRx = rate(row.netRxKiB, before.netRxKiB);
  const reads = rate(row.vbdRd, before.vbdRd);
  const writes = rate(row.vbdWr, before.vbdWr);
  if (netTx !== undefined) figures.netTxKiBps = netTx;
  if (netRx !== undefined) figures.netRxKiBps = netRx;
  if (reads !== undefined) figures.diskReadsPerS = reads;
  if (writes !== undefined) figures.diskWritesPerS = writes;
  return figures;
}

/** `3%`, `0.4%`, `152%` (a guest with several vCPUs can use more than one CPU); `…` before the second frame. */
export function formatCpuPercent(percent: number | undefined): string {
  if (percent === undefined) return '…';
  if (percent < 10 && percent !== 0) return `${percent.toFixed(1).replace(/\.0$/, '')}%`;
  return `${Math.round(percent)}%`;
}

/** KiB as `512 MiB`, `1.5 GiB`, `800 KiB`. */
export function formatKiB(kib: number): string {
  if (kib < 1024) return `${Math.round(kib)} KiB`;
  const mib = kib / 1024;
  if (mib < 1024) return `${trimZero(mib < 10 ? mib.toFixed(1) : mib.toFixed(0))} MiB`;
  const gib = mib / 1024;
  return `${trimZero(gib < 100 ? gib.toFixed(1) : gib.toFixed(0))} GiB`;
}

/** KiB per second as `12 KiB/s`, `1.2 MiB/s`; `…` when not known yet. */
export function formatKiBRate(kibPerSecond: number | undefined): string {
  if (kibPerSecond === undefined) return '…';
  return `${formatKiB(kibPerSecond)}/s`;
}

/** Requests per second as `3/s`, `0.5/s`; `…` when not known yet. */
export function formatPerSecond(perSecond: number | undefined): string {
  if (perSecond === undefined) return '…';
  return `${trimZero(perSecond < 10 ? perSecond.toFixed(1) : perSecond.toFixed(0))}/s`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** What the Guests view appends to a guest's description: `CPU 3%` (`CPU …` before the second frame). */
export function figuresDescription(figures: GuestFigures): string {
  return `CPU ${formatCpuPercent(figures.cpuPercent)}`;
}

/** The tooltip's lines about the live figures. */
export function figuresTooltipLines(figures: GuestFigures, intervalSeconds?: number): string[] {
  const cpu = figures.cpuPercent === undefined ? '… (known after the second sample)' : `${formatCpuPercent(figures.cpuPercent)} of one CPU`;
  const max = figures.maxMemKiB === undefined ? ' (no limit)' : ` of at most ${formatKiB(figures.maxMemKiB)}`;
  return [
    `Live figures (xentop${intervalSeconds === undefined ? '' : `, every ${intervalSeconds} s`}):`,
    `  CPU: ${cpu}`,
    `  Memory: ${formatKiB(figures.memKiB)}${max}`,
    `  vCPUs: ${figures.vcpus}`,
    `  Network: sent ${formatKiBRate(figures.netTxKiBps)}, received ${formatKiBRate(figures.netRxKiBps)}`,
    `  Disk: ${formatPerSecond(figures.diskReadsPerS)} reads, ${formatPerSecond(figures.diskWritesPerS)} writes`,
  ];
}
