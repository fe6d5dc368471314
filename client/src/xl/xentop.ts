// `xentop` in batch mode: the command that streams live figures (CPU, memory, network and disk
// counters per domain), and an incremental reader that turns its output into frames.
//
// What batch output looks like (Xen 4.17, tools/xentop): every iteration prints the column header
// line, then one line per domain, and nothing else unless -n/-x/-v ask for detail lines; there is
// no summary (host memory) in batch mode. With -f the NAME column is as wide as the longest name
// and names are right-aligned in it; without -f they are cut to 10 characters, so we always pass
// -f. The columns after the name have fixed meanings, so a row is read from its right end. The
// first iteration has no previous sample, and xentop prints 0.0 for CPU(%) there, as it does for
// a domain it had not seen before: those are "not known yet", not 0.

import { XlError } from './errors';
import type { DomainState } from './types';
import type { StreamCommand } from './runner';

/** One domain in one xentop iteration. Counters are totals since the domain started. */
export interface XentopRow {
  name: string;
  state: string;
  cpuSeconds: number;
  /** Undefined in the first frame, and for a domain that was not in the previous one. */
  cpuPercent?: number;
  memKiB: number;
  /** Undefined for "no limit". */
  maxMemKiB?: number;
  vcpus: number;
  nets: number;
  netTxKiB: number;
  netRxKiB: number;
  vbds: number;
  vbdRd: number;
  vbdWr: number;
  vbdRsect: number;
  vbdWsect: number;
}

/** One iteration of xentop: when it arrived, and its domains (dying and nameless ones left out). */
export interface XentopFrame {
  at: number;
  /** Only when xentop printed its summary line (interactive mode does; batch mode in 4.17 does not). */
  host?: { totalKiB: number; usedKiB: number; freeKiB: number; cpus?: number };
  guests: XentopRow[];
}

/** The accepted range of the delay between two samples, in seconds. */
export const XENTOP_DELAY_RANGE = { min: 1, max: 3600 } as const;

/**
 * `xentop -b -f -d N`: batch mode (plain lines, no terminal), full names, a sample every N
 * seconds, until it is stopped. Throws XlError for a delay that is not a whole number in range.
 */
export function xentopStream(delaySeconds: number): StreamCommand {
  if (!Number.isInteger(delaySeconds) || delaySeconds < XENTOP_DELAY_RANGE.min || delaySeconds > XENTOP_DELAY_RANGE.max) {
    throw new XlError('failed', `The figures interval must be a whole number of seconds from ${XENTOP_DELAY_RANGE.min} to ${XENTOP_DELAY_RANGE.max}, not ${String(delaySeconds)}.`);
  }
  return { args: ['-b', '-f', '-d', String(delaySeconds)], program: 'xentop', privileged: true, description: `read live figures (xentop every ${delaySeconds} s)` };
}

/** The header line that opens every iteration. */
const HEADER = /^\s*NAME\s+STATE\s+CPU\(sec\)\s+CPU\(%\)/;
/** The summary line of interactive mode (not printed in batch mode by Xen 4.17). */
const SUMMARY = /^Mem:\s+(\d+)k total,\s+(\d+)k used,\s+(\d+)k free(?:\s+CPUs:\s+(\d+))?/;
const COUNT = String.raw`(\d+|-)`;
/**
 * A domain line, anchored at its right end: NAME STATE CPU(sec) CPU(%) MEM(k) MEM(%) MAXMEM(k)
 * MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS VBD_OO VBD_RD VBD_WR VBD_RSECT VBD_WSECT SSID.
 * The name is whatever comes before the state (it may hold spaces).
 */
const ROW = new RegExp(
  String.raw`^\s*(.+?)\s+([-dsbcpr]{6})\s+(\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(no limit|\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)` +
    String.raw`\s+${COUNT}\s+${COUNT}\s+${COUNT}\s+${COUNT}\s+${COUNT}\s+(\d+)\s*$`,
);

/** xentop's six state letters (d s b c p r, `-` when off) as one state word. */
export function xentopState(flags: string): DomainState {
  if (flags[0] === 'd') return 'dying';
  if (flags[3] === 'c') return 'crashed';
  if (flags[1] === 's') return 'shutdown';
  if (flags[4] === 'p') return 'paused';
  if (flags[5] === 'r') return 'running';
  if (flags[2] === 'b') return 'blocked';
  return 'idle';
}

/**
 * One domain line, or undefined when the line is not one. The CPU(%) column is taken as printed;
 * the parser decides whether it means anything.
 */
export function parseXentopRow(line: string): (XentopRow & { flags: string }) | undefined {
  const match = ROW.exec(line);
  if (match === null) return undefined;
  const count = (text: string): number => (text === '-' ? 0 : Number(text));
  const cpuPercent = Number(match[4]);
  return {
    name: match[1],
    flags: match[2],
    state: xentopState(match[2]),
    cpuSeconds: Number(match[3]),
    cpuPercent: Number.isFinite(cpuPercent) && cpuPercent >= 0 ? cpuPercent : undefined,
    memKiB: Number(match[5]),
    maxMemKiB: match[7] === 'no limit' ? undefined : Number(match[7]),
    vcpus: Number(match[9]),
    nets: Number(match[10]),
    netTxKiB: Number(match[11]),
    netRxKiB: Number(match[12]),
    vbds: Number(match[13]),
    vbdRd: count(match[15]),
    vbdWr: count(match[16]),
    vbdRsect: count(match[17]),
    vbdWsect: count(match[18]),
  };
}

/**
 * Reads xentop's batch output as it arrives. `feed` returns the frames that the chunk completed
 * (a frame is complete when the next header line starts); `flush` completes the frame in
 * progress, for a caller that saw the output go quiet (xentop writes a whole iteration at once,
 * then sleeps). Lines that are neither header nor domain (detail lines, noise) are skipped.
 */
export class XentopParser {
  private partial = '';
  private current: { at: number; host?: XentopFrame['host']; guests: XentopRow[]; names: Set<string> } | undefined;
  private pendingHost: XentopFrame['host'];
  /** The previous frame's CPU seconds per name: CPU(%) means something only for names in it. */
  private previous: Map<string, number> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  feed(chunk: string): XentopFrame[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    // A line without an end that grows without bound is not xentop output: drop it.
    if (this.partial.length > 65_536) this.partial = '';
    const frames: XentopFrame[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (HEADER.test(line)) {
        const done = this.complete();
        if (done !== undefined) frames.push(done);
        this.current = { at: this.now(), host: this.pendingHost, guests: [], names: new Set() };
        this.pendingHost = undefined;
        continue;
      }
      const summary = SUMMARY.exec(line);
      if (summary !== null) {
        this.pendingHost = { totalKiB: Number(summary[1]), usedKiB: Number(summary[2]), freeKiB: Number(summary[3]), ...(summary[4] === undefined ? {} : { cpus: Number(summary[4]) }) };
        continue;
      }
      if (this.current === undefined) continue;
      const row = parseXentopRow(line);
      // A dying domain has no meaningful figures, often no name ("(null)"), and its name may
      // already belong to its successor (a reboot).
      if (row === undefined || row.name === '(null)' || row.state === 'dying' || this.current.names.has(row.name)) continue;
      this.current.names.add(row.name);
      const { flags: _flags, ...figures } = row;
      this.current.guests.push(figures);
    }
    return frames;
  }

  /** Completes the frame in progress, if any (and if its last line has arrived whole). */
  flush(): XentopFrame | undefined {
    if (this.partial !== '') return undefined;
    return this.complete();
  }

  private complete(): XentopFrame | undefined {
    const frame = this.current;
    if (frame === undefined) return undefined;
    this.current = undefined;
    const previous = this.previous;
    const guests = frame.guests.map((row) => {
      const before = previous?.get(row.name);
      // Not in the previous frame, or its CPU time went back (a new domain of the same name).
      if (before === undefined || row.cpuSeconds < before) return { ...row, cpuPercent: undefined };
      return row;
    });
    this.previous = new Map(frame.guests.map((row) => [row.name, row.cpuSeconds]));
    return { at: frame.at, ...(frame.host === undefined ? {} : { host: frame.host }), guests };
  }
}
