// Runs one `xentop -b -f -d N` per host that something shows, and only while it is shown: the
// demand (which hosts) comes from the views and dashboards, the frames go to a callback. A stream
// that fails marks the host's figures unavailable with the reason and is tried again later
// (never in a loop); one refused by sudo or root is tried again only when the demand comes back.
// No `vscode` import: the clock and the way to start a stream are handed in.

import type { RunningStream, StreamCommand, StreamEnd, StreamHandlers, XentopFrame, XlErrorKind } from '../xl';
import { XentopParser } from '../xl';

/** What a host's figures are doing, for the views' words. */
export type SamplerStatus =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'live' }
  | { kind: 'unavailable'; reason: string; errorKind?: XlErrorKind; retryAt?: number };

export interface SamplerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SamplerDeps {
  /** Starts the stream on a host (XenService.stream); may throw (untrusted workspace). */
  start(hostId: string, command: StreamCommand, handlers: StreamHandlers): RunningStream;
  /** The command to run (xentopStream with the interval). */
  command(): StreamCommand;
  onFrame(hostId: string, frame: XentopFrame): void;
  onStatus(hostId: string, status: SamplerStatus): void;
  clock?: SamplerClock;
}

/** After this long without output, the frame in progress is complete (xentop prints one at once). */
export const FRAME_QUIET_MS = 150;
/** The first retry after a failure; it doubles up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 30_000;
export const RETRY_MAX_MS = 5 * 60_000;
/** Failures that a retry would only repeat (and, for sudo, write to the host's auth log again). */
const NO_RETRY_KINDS: ReadonlySet<XlErrorKind> = new Set(['sudo-password', 'not-root']);

interface HostSampling {
  stream?: RunningStream;
  parser?: XentopParser;
  quiet?: unknown;
  retry?: unknown;
  failures: number;
  status: SamplerStatus;
}

/** How a host last failed, kept while nothing wants it (see FiguresSampler.forget). */
interface HostFailure {
  failures: number;
  status: Extract<SamplerStatus, { kind: 'unavailable' }>;
}

export class FiguresSampler {
  private readonly hosts = new Map<string, HostSampling>();
  /**
   * Failures outlive the demand: hiding and showing the view (or a focus change) must not retry
   * a host that refused sudo (each try is an auth-log line) or one still backing off.
   */
  private readonly failed = new Map<string, HostFailure>();
  private readonly clock: SamplerClock;
  private disposed = false;

  constructor(private readonly deps: SamplerDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** The hosts whose figures are wanted now: streams start for new ones and stop for the rest. */
  setDemand(hostIds: Iterable<string>): void {
    if (this.disposed) return;
    const next = new Set(hostIds);
    for (const [hostId, host] of this.hosts) {
      if (!next.has(hostId)) {
        this.stopHost(hostId, host);
        this.hosts.delete(hostId);
      }
    }
    for (const hostId of next) {
      if (!this.hosts.has(hostId)) this.resumeHost(hostId, this.entry(hostId));
    }
  }

  /**
   * Forgets how a host (or every host) failed, so the next demand tries it at once: the user
   * reopened its dashboard, pressed Refresh, or changed the settings.
   */
  forget(hostId?: string): void {
    if (hostId === undefined) this.failed.clear();
    else this.failed.delete(hostId);
  }

  /** Forgets the host's failures and, when it is wanted but not sampling, starts it now. */
  retryNow(hostId: string): void {
    this.forget(hostId);
    const host = this.hosts.get(hostId);
    if (host === undefined || host.stream !== undefined || this.disposed) return;
    if (host.retry !== undefined) this.clock.clearTimeout(host.retry);
    host.retry = undefined;
    host.failures = 0;
    this.startHost(hostId, host);
  }

  status(hostId: string): SamplerStatus {
    return this.hosts.get(hostId)?.status ?? { kind: 'off' };
  }

  /** How many streams run now (for tests and the bench). */
  get running(): number {
    return [...this.hosts.values()].filter((host) => host.stream !== undefined).length;
  }

  dispose(): void {
    this.setDemand([]);
    this.disposed = true;
  }

  // --- internals ---

  private entry(hostId: string): HostSampling {
    const host: HostSampling = { failures: 0, status: { kind: 'off' } };
    this.hosts.set(hostId, host);
    return host;
  }

  private setStatus(hostId: string, host: HostSampling, status: SamplerStatus): void {
    host.status = status;
    this.deps.onStatus(hostId, status);
  }

  /** Starts a newly wanted host, unless it failed before: then its status and back-off stand. */
  private resumeHost(hostId: string, host: HostSampling): void {
    const failure = this.failed.get(hostId);
    if (failure === undefined) return this.startHost(hostId, host);
    host.failures = failure.failures;
    this.setStatus(hostId, host, failure.status);
    const retryAt = failure.status.retryAt;
    // No retryAt: a refusal that trying again cannot fix, until forget().
    if (retryAt === undefined) return;
    host.retry = this.clock.setTimeout(() => {
      if (this.hosts.get(hostId) === host && host.stream === undefined && !this.disposed) this.startHost(hostId, host);
    }, Math.max(0, retryAt - this.clock.now()));
  }

  private startHost(hostId: string, host: HostSampling): void {
    host.retry = undefined;
    const parser = new XentopParser(() => this.clock.now());
    let stream: RunningStream;
    this.setStatus(hostId, host, { kind: 'starting' });
    try {
      stream = this.deps.start(hostId, this.deps.command(), { onData: (chunk) => this.onData(hostId, host, parser, chunk) });
    } catch (error) {
      // Untrusted workspace or a bad interval: nothing ran, and trying again changes nothing until the demand does.
      this.setStatus(hostId, host, { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    host.stream = stream;
    host.parser = parser;
    void stream.ended.then((end) => this.onEnded(hostId, host, stream, end));
  }

  private onData(hostId: string, host: HostSampling, parser: XentopParser, chunk: string): void {
    if (host.parser !== parser) return;
    for (const frame of parser.feed(chunk)) this.deliver(hostId, host, frame);
    if (host.quiet !== undefined) this.clock.clearTimeout(host.quiet);
    host.quiet = this.clock.setTimeout(() => {
      host.quiet = undefined;
      if (host.parser !== parser) return;
      const frame = parser.flush();
      if (frame !== undefined) this.deliver(hostId, host, frame);
    }, FRAME_QUIET_MS);
  }

  private deliver(hostId: string, host: HostSampling, frame: XentopFrame): void {
    host.failures = 0;
    this.failed.delete(hostId);
    if (host.status.kind !== 'live') this.setStatus(hostId, host, { kind: 'live' });
    this.deps.onFrame(hostId, frame);
  }

  private onEnded(hostId: string, host: HostSampling, stream: RunningStream, end: StreamEnd): void {
    // A stream we stopped, or one replaced since, says nothing about the host now.
    if (end.stoppedByUs || host.stream !== stream || this.hosts.get(hostId) !== host) return;
    host.stream = undefined;
    host.parser = undefined;
    if (host.quiet !== undefined) this.clock.clearTimeout(host.quiet);
    host.quiet = undefined;
    host.failures++;
    const reason = end.error?.message ?? `xentop ended by itself (exit status ${end.exitCode ?? 'unknown'}).`;
    if (end.error !== undefined && NO_RETRY_KINDS.has(end.error.kind)) {
      const status = { kind: 'unavailable' as const, reason, errorKind: end.error.kind };
      this.failed.set(hostId, { failures: host.failures, status });
      this.setStatus(hostId, host, status);
      return;
    }
    const delay = Math.min(RETRY_FIRST_MS * 2 ** (host.failures - 1), RETRY_MAX_MS);
    const retryAt = this.clock.now() + delay;
    const status = { kind: 'unavailable' as const, reason, errorKind: end.error?.kind, retryAt };
    this.failed.set(hostId, { failures: host.failures, status });
    this.setStatus(hostId, host, status);
    host.retry = this.clock.setTimeout(() => {
      if (this.hosts.get(hostId) === host && host.stream === undefined && !this.disposed) this.startHost(hostId, host);
    }, delay);
  }

  private stopHost(hostId: string, host: HostSampling): void {
    if (host.retry !== undefined) this.clock.clearTimeout(host.retry);
    if (host.quiet !== undefined) this.clock.clearTimeout(host.quiet);
    host.retry = undefined;
    host.quiet = undefined;
    host.parser = undefined;
    host.stream?.stop();
    host.stream = undefined;
    this.setStatus(hostId, host, { kind: 'off' });
  }
}

const systemClock: SamplerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The default seconds between two samples, and the accepted range of xen.figuresInterval. */
export const FIGURES_INTERVAL = { default: 2, min: 1, max: 60 } as const;

/** xen.figuresInterval as a whole number of seconds in range (the default for anything else). */
export function figuresIntervalSeconds(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return FIGURES_INTERVAL.default;
  return Math.min(FIGURES_INTERVAL.max, Math.max(FIGURES_INTERVAL.min, Math.round(raw)));
}
