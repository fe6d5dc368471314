// The live figures kept per host: the latest figures of each guest (from the last two xentop
// frames), a bounded history of CPU and memory per guest for the sparklines, and the host's free
// memory over time. Pure (no `vscode` import, no timers); the sampler feeds it.

import type { XentopFrame, XentopRow } from '../xl';
import { guestFigures, type GuestFigures, type TimedRow } from './format';

/** How far back the history reaches. */
export const HISTORY_WINDOW_MS = 10 * 60 * 1000;
/**
 * About how many points a guest's series keeps over the window: a sparkline is 120 pixels wide,
 * so more would not show. Frames closer together than the window / this are not all recorded.
 */
export const HISTORY_MAX_SAMPLES = 150;

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

/** A series that keeps what falls in the window, and at most `limit` points (few points: host memory). */
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

/**
 * A guest's series in typed arrays used as a ring (time, CPU %, memory; NaN for "no CPU % yet"):
 * 8 hosts of 200 guests keep some 5 MB instead of tens of MB of small objects.
 */
class GuestRing {
  private readonly at: Float64Array;
  private readonly cpu: Float32Array;
  private readonly mem: Float64Array;
  private start = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.at = new Float64Array(capacity);
    this.cpu = new Float32Array(capacity);
    this.mem = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  get lastAt(): number | undefined {
    return this.count === 0 ? undefined : this.at[(this.start + this.count - 1) % this.capacity];
  }

  push(sample: GuestSample): void {
    const index = (this.start + this.count) % this.capacity;
    this.at[index] = sample.at;
    this.cpu[index] = sample.cpuPercent ?? Number.NaN;
    this.mem[index] = sample.memKiB;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  prune(oldest: number): void {
    while (this.count > 0 && this.at[this.start] < oldest) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** The points, oldest first (made when asked: only a visible dashboard asks). */
  samples(): GuestSample[] {
    const out: GuestSample[] = [];
    for (let offset = 0; offset < this.count; offset++) {
      const index = (this.start + offset) % this.capacity;
      const cpu = this.cpu[index];
      out.push(Number.isNaN(cpu) ? { at: this.at[index], memKiB: this.mem[index] } : { at: this.at[index], cpuPercent: cpu, memKiB: this.mem[index] });
    }
    return out;
  }
}

interface HostFigures {
  /** The guests of the last frame, by name, with their previous sample for rates. */
  latest: Map<string, { current: TimedRow; figures: GuestFigures }>;
  order: string[];
  lastFrameAt?: number;
  guests: Map<string, GuestRing>;
  memory: Series<HostMemorySample>;
}

export class FiguresHistory {
  private readonly hosts = new Map<string, HostFigures>();

  private readonly spacingMs: number;
  /** Room for the points of a whole window even when they come at the shortest spacing kept. */
  private readonly ringCapacity: number;

  constructor(
    private readonly windowMs = HISTORY_WINDOW_MS,
    maxSamples = HISTORY_MAX_SAMPLES,
  ) {
    this.spacingMs = windowMs / maxSamples;
    this.ringCapacity = Math.ceil((maxSamples * 4) / 3) + 1;
  }

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
      if (series === undefined) host.guests.set(row.name, (series = new GuestRing(this.ringCapacity)));
      const last = series.lastAt;
      // Frames closer than the spacing (a short interval) are not all kept; a quarter of slack
      // keeps a steady interval from skipping every other point over jitter.
      if (last === undefined || frame.at - last >= this.spacingMs * 0.75) series.push({ at: frame.at, memKiB: row.memKiB, ...(row.cpuPercent === undefined ? {} : { cpuPercent: row.cpuPercent }) });
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
    return this.hosts.get(hostId)?.guests.get(name)?.samples() ?? [];
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
      host = { latest: new Map(), order: [], guests: new Map(), memory: new Series(this.ringCapacity) };
      this.hosts.set(hostId, host);
    }
    return host;
  }

  private prune(host: HostFigures, now: number): void {
    const oldest = now - this.windowMs;
    for (const [name, series] of host.guests) {
      series.prune(oldest);
      // A guest gone for the whole window has nothing left to show.
      if (series.length === 0) host.guests.delete(name);
    }
    host.memory.prune(oldest);
  }
}
