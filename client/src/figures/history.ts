// The live figures kept per host: the latest figures of each guest (from the last two xentop
// frames), a bounded history of CPU and memory per guest for the sparklines, and the host's free
// memory over time. Pure (no `vscode` import, no timers); the sampler feeds it.

import type { XentopFrame, XentopRow } from '../xl';
import { guestFigures, type GuestFigures, type TimedRow } from './format';

/** How far back the history reaches. */
export const HISTORY_WINDOW_MS = 10 * 60 * 1000;
/** The most samples kept per series whatever the interval: 10 minutes at one a second. */
export const HISTORY_MAX_SAMPLES = 600;

/** One point of a guest's history. */
export interface GuestSample {
  at: number;
  /** Undefined when xentop had no second sample yet. */
  cpuPercent?: number;
  memKiB: number;
}

/** One point of the host's free memory. */
export interface HostMemorySample {
  at: number;
  freeKiB: number;
  totalKiB?: number;
}

/** A series that keeps what falls in the window, and at most `limit` points. */
class Series<T extends { at: number }> {
  private points: T[] = [];
  constructor(private readonly limit: number) {}

  push(point: T): void {
    this.points.push(point);
    if (this.points.length > this.limit) this.points.splice(0, this.points.length - this.limit);
  }

  prune(oldest: number): void {
    let drop = 0;
    while (drop < this.points.length && this.points[drop].at < oldest) drop++;
    if (drop > 0) this.points.splice(0, drop);
  }

  get values(): readonly T[] {
    return this.points;
  }

  get last(): T | undefined {
    return this.points[this.points.length - 1];
  }
}

interface HostFigures {
  /** The guests of the last frame, by name, with their previous sample for rates. */
  latest: Map<string, { current: TimedRow; figures: GuestFigures }>;
  order: string[];
  lastFrameAt?: number;
  guests: Map<string, Series<GuestSample>>;
  memory: Series<HostMemorySample>;
}

export class FiguresHistory {
  private readonly hosts = new Map<string, HostFigures>();

  constructor(
    private readonly windowMs = HISTORY_WINDOW_MS,
    private readonly maxSamples = HISTORY_MAX_SAMPLES,
  ) {}

  /**
   * Takes one frame of a host: the guests in it become the latest figures (a guest missing from
   * it is dropped from them), each gets a history point, and history older than the window goes.
   */
  addFrame(hostId: string, frame: XentopFrame): void {
    const host = this.host(hostId);
    const latest = new Map<string, { current: TimedRow; figures: GuestFigures }>();
    for (const row of frame.guests) {
      const current: TimedRow = { at: frame.at, row };
      const previous = host.latest.get(row.name)?.current;
      latest.set(row.name, { current, figures: guestFigures(current, previous) });
      let series = host.guests.get(row.name);
      if (series === undefined) host.guests.set(row.name, (series = new Series(this.maxSamples)));
      const sample: GuestSample = { at: frame.at, memKiB: row.memKiB };
      if (row.cpuPercent !== undefined) sample.cpuPercent = row.cpuPercent;
      series.push(sample);
    }
    host.latest = latest;
    host.order = frame.guests.map((row) => row.name);
    host.lastFrameAt = frame.at;
    if (frame.host !== undefined) host.memory.push({ at: frame.at, freeKiB: frame.host.freeKiB, totalKiB: frame.host.totalKiB });
    this.prune(host, frame.at);
  }

  /** A reading of the host's free memory from elsewhere (`xl info`), when xentop's frames have none. */
  addHostMemory(hostId: string, sample: HostMemorySample): void {
    const host = this.host(hostId);
    const last = host.memory.last;
    // The same reading twice (a cached xl info) adds nothing.
    if (last !== undefined && last.at >= sample.at) return;
    host.memory.push(sample);
    this.prune(host, sample.at);
  }

  /** The latest figures of a guest, undefined when the host is not sampled or the guest was not in the last frame. */
  figures(hostId: string, name: string): GuestFigures | undefined {
    return this.hosts.get(hostId)?.latest.get(name)?.figures;
  }

  /** The guests of the host's last frame, in xentop's order, with their latest rows and figures. */
  latest(hostId: string): { name: string; row: XentopRow; figures: GuestFigures }[] {
    const host = this.hosts.get(hostId);
    if (host === undefined) return [];
    return host.order.flatMap((name) => {
      const entry = host.latest.get(name);
      return entry === undefined ? [] : [{ name, row: entry.current.row, figures: entry.figures }];
    });
  }

  lastFrameAt(hostId: string): number | undefined {
    return this.hosts.get(hostId)?.lastFrameAt;
  }

  guestHistory(hostId: string, name: string): readonly GuestSample[] {
    return this.hosts.get(hostId)?.guests.get(name)?.values ?? [];
  }

  hostMemory(hostId: string): readonly HostMemorySample[] {
    return this.hosts.get(hostId)?.memory.values ?? [];
  }

  /**
   * Forgets the latest figures of a host whose sampling stopped (they would go stale in the
   * views); its history stays for the sparklines until it ages out.
   */
  clearLatest(hostId: string): void {
    const host = this.hosts.get(hostId);
    if (host === undefined) return;
    host.latest = new Map();
    host.order = [];
  }

  /** Forgets a host entirely (it left xen.hosts). */
  forget(hostId: string): void {
    this.hosts.delete(hostId);
  }

  private host(hostId: string): HostFigures {
    let host = this.hosts.get(hostId);
    if (host === undefined) {
      host = { latest: new Map(), order: [], guests: new Map(), memory: new Series(this.maxSamples) };
      this.hosts.set(hostId, host);
    }
    return host;
  }

  private prune(host: HostFigures, now: number): void {
    const oldest = now - this.windowMs;
    for (const [name, series] of host.guests) {
      series.prune(oldest);
      // A guest gone for the whole window has nothing left to show.
      if (series.values.length === 0) host.guests.delete(name);
    }
    host.memory.prune(oldest);
  }
}
