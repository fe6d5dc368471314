// The one owner of "when do we run xl to refresh the views": polling while a view is visible and
// the window focused, coalesced requests after our own actions, never two refreshes at once, and
// `xl info` at most once a minute, and per-host back-off: a failing host is tried less and less
// often (10 s doubling to 60 s), a host whose sudo refused is not tried again until the user asks.
// Pure policy: timers and clock are injected, no `vscode` import.

/** What one refresh fetches. `list`: one `xl list` per host; `info`: `xl info` (and uptimes). */
export interface RefreshScope {
  list: boolean;
  info: boolean;
  /** Hosts to leave alone this time: backing off after failures, or stopped (see HostHealth). */
  skip?: ReadonlySet<string>;
}

/** How one host fared in a refresh: `errorKind` is the XlError kind when it failed. */
export interface HostOutcome {
  hostId: string;
  errorKind?: string;
}

/**
 * A host's polling state. `backoff`: it failed `failures` times in a row and is next tried at
 * `nextTryAt`; `stopped`: sudo refused (each try would write the host's auth log), so it is
 * not polled until a manual refresh or a settings change.
 */
export type HostHealth =
  | { kind: 'ok' }
  | { kind: 'backoff'; failures: number; nextTryAt: number; errorKind: string }
  | { kind: 'stopped'; errorKind: string };

/** Error kinds that trying again cannot fix and that cost the host an auth-log entry per try. */
export const STOP_POLLING_KINDS: ReadonlySet<string> = new Set(['sudo-password', 'not-root']);
/** The longest wait between two tries of a failing host (unless the poll interval is longer). */
export const MAX_BACKOFF_MS = 60_000;

/**
 * The wait after the n-th failure in a row: twice the poll interval (at least 5 s), doubling
 * with each failure, capped at 60 s. With the default 5 s interval: 10, 20, 40, 60, 60, … s.
 */
export function backoffDelayMs(failures: number, intervalMs: number): number {
  const base = Math.max(intervalMs, 5000);
  const cap = Math.max(MAX_BACKOFF_MS, intervalMs);
  return Math.min(cap, base * 2 ** Math.min(Math.max(failures, 1), 16));
}

/**
 * `user`: the Refresh button (also fetches `xl info` even if it is not due); `action`: after one
 * of our own commands; `visible`/`focus`: a view was shown or the window regained focus and the
 * data is stale; `lens`: an editor asked for CodeLenses.
 */
export type RefreshReason = 'user' | 'action' | 'visible' | 'focus' | 'lens' | 'settings';

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RefreshManagerOptions {
  /**
   * Runs one refresh; must not reject (errors belong in the state it updates). Returns how each
   * host it tried fared, which drives the back-off (nothing returned: no back-off).
   */
  refresh: (scope: RefreshScope) => Promise<void | readonly HostOutcome[]>;
  /** Seconds between polls; 0 means refresh only on request. */
  intervalSeconds: number;
  clock?: Clock;
  /** Requests within this window share one refresh. */
  debounceMs?: number;
  /** Minimum time between two automatic `xl info` runs. */
  infoEveryMs?: number;
}

export const DEFAULT_DEBOUNCE_MS = 250;
export const DEFAULT_INFO_EVERY_MS = 60_000;

export class RefreshManager {
  private readonly run: (scope: RefreshScope) => Promise<void | readonly HostOutcome[]>;
  private readonly clock: Clock;
  private readonly debounceMs: number;
  private readonly infoEveryMs: number;
  private intervalMs: number;

  private listWanted = false;
  private infoWanted = false;
  private focused = true;
  private enabled = true;
  private disposed = false;

  private lastListAt: number | undefined;
  private lastInfoAt: number | undefined;
  private inFlight = false;
  /** What the next run must do beyond the automatic policy. */
  private queued: { list: boolean; forceInfo: boolean } | undefined;
  private waiters: (() => void)[] = [];
  private debounceHandle: unknown;
  private pollHandle: unknown;
  /** Per host: failures in a row and when to try next; hosts absent here are healthy. */
  private readonly health = new Map<string, Exclude<HostHealth, { kind: 'ok' }>>();
  /** The hosts of the last refresh, to know when every one of them is backing off. */
  private knownHosts: string[] = [];
  /** Number of refreshes started, for tests and the output channel. */
  runs = 0;

  constructor(options: RefreshManagerOptions) {
    this.run = options.refresh;
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.infoEveryMs = options.infoEveryMs ?? DEFAULT_INFO_EVERY_MS;
    this.intervalMs = Math.max(0, options.intervalSeconds) * 1000;
  }

  /**
   * Who is looking: `list` when the Guests or Configs view is visible, `info` when the Host view
   * is visible or the status bar shows free memory. Becoming visible with stale data refreshes.
   */
  setDemand(demand: { list: boolean; info: boolean }): void {
    const newlyListed = demand.list && !this.listWanted;
    const newlyInfo = demand.info && !this.infoWanted;
    this.listWanted = demand.list;
    this.infoWanted = demand.info;
    if ((newlyListed && this.isListStale()) || (newlyInfo && this.isInfoDue())) {
      void this.enqueue({ list: this.listWanted, forceInfo: false });
    }
    this.schedulePoll();
  }

  /** Polling pauses while the window is not focused, and catches up on focus. */
  setFocused(focused: boolean): void {
    const regained = focused && !this.focused;
    this.focused = focused;
    if (regained && ((this.listWanted && this.isListStale()) || (this.infoWanted && this.isInfoDue()))) {
      void this.enqueue({ list: this.listWanted, forceInfo: false });
    }
    this.schedulePoll();
  }

  /** Disabled (an untrusted workspace): nothing runs, pending requests resolve at once. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (!enabled) {
      this.clearTimers();
      this.queued = undefined;
      this.releaseWaiters(this.waiters.splice(0));
      return;
    }
    this.lastListAt = undefined;
    this.lastInfoAt = undefined;
    this.health.clear();
    if (this.listWanted || this.infoWanted) void this.enqueue({ list: this.listWanted, forceInfo: false });
    this.schedulePoll();
  }

  setIntervalSeconds(seconds: number): void {
    this.intervalMs = Math.max(0, seconds) * 1000;
    this.schedulePoll();
  }

  /**
   * Asks for a refresh soon (after the debounce window). The promise resolves when a refresh
   * that started after this call has finished, so a caller can then read fresh state.
   */
  request(reason: RefreshReason): Promise<void> {
    if (!this.enabled || this.disposed) return Promise.resolve();
    // The Refresh button tries every host now, also those backing off or stopped.
    if (reason === 'user') this.health.clear();
    return this.enqueue({ list: true, forceInfo: reason === 'user' });
  }

  /** A host's polling state now (hosts never seen are `ok`). */
  healthOf(hostId: string): HostHealth {
    return this.health.get(hostId) ?? { kind: 'ok' };
  }

  /** True when some host is backing off or stopped (the views then show a countdown). */
  get anyHostUnhealthy(): boolean {
    return this.health.size > 0;
  }

  /** Like `request`, but only when the list is older than one interval (or never fetched). */
  requestIfStale(reason: RefreshReason): Promise<void> {
    if (!this.isListStale()) return Promise.resolve();
    return this.request(reason);
  }

  /** Forget timestamps, e.g. after the host list changed, and refresh what is visible. */
  reset(): void {
    this.lastListAt = undefined;
    this.lastInfoAt = undefined;
    this.health.clear();
    if (this.listWanted || this.infoWanted) void this.enqueue({ list: this.listWanted, forceInfo: true });
    this.schedulePoll();
  }

  get isRunning(): boolean {
    return this.inFlight;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    this.queued = undefined;
    this.releaseWaiters(this.waiters.splice(0));
  }

  // --- internals ---

  private enqueue(request: { list: boolean; forceInfo: boolean }): Promise<void> {
    if (!this.enabled || this.disposed) return Promise.resolve();
    this.queued = {
      list: (this.queued?.list ?? false) || request.list,
      forceInfo: (this.queued?.forceInfo ?? false) || request.forceInfo,
    };
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    // Coalesce rather than restart the window, so a stream of requests cannot starve the refresh.
    if (this.debounceHandle === undefined && !this.inFlight) {
      this.debounceHandle = this.clock.setTimeout(() => {
        this.debounceHandle = undefined;
        void this.flush();
      }, this.debounceMs);
    }
    return done;
  }

  private async flush(): Promise<void> {
    // A refresh in flight picks up the queue when it finishes: refreshes never overlap.
    if (this.inFlight || this.queued === undefined || !this.enabled || this.disposed) return;
    const queued = this.queued;
    this.queued = undefined;
    const waiters = this.waiters.splice(0);
    const now = this.clock.now();
    const scope: RefreshScope = {
      list: queued.list,
      info: this.infoWanted && (queued.forceInfo || this.isInfoDue()),
      skip: this.hostsToSkip(now),
    };
    if (!scope.list && !scope.info) {
      this.releaseWaiters(waiters);
      this.schedulePoll();
      return;
    }
    this.inFlight = true;
    this.clearPoll();
    if (scope.list) this.lastListAt = now;
    if (scope.info) this.lastInfoAt = now;
    this.runs++;
    try {
      const outcomes = await this.run(scope);
      if (outcomes) this.record(outcomes, scope.skip ?? new Set());
    } catch {
      // The refresh function reports its own errors; a throw must not stop polling.
    } finally {
      this.inFlight = false;
      this.releaseWaiters(waiters);
    }
    if (this.queued !== undefined) void this.flush();
    else this.schedulePoll();
  }

  private schedulePoll(): void {
    this.clearPoll();
    if (!this.enabled || this.disposed || !this.focused || this.intervalMs <= 0 || this.inFlight) return;
    const now = this.clock.now();
    let dueAt: number | undefined;
    if (this.listWanted) dueAt = (this.lastListAt ?? -Infinity) + this.intervalMs;
    else if (this.infoWanted) dueAt = (this.lastInfoAt ?? -Infinity) + this.infoEveryMs;
    if (dueAt === undefined) return;
    // When every host is backing off or stopped, wake up only for the first one due again.
    if (this.knownHosts.length > 0 && this.knownHosts.every((id) => this.health.has(id))) {
      const retries = this.knownHosts.map((id) => this.health.get(id)).flatMap((health) => (health?.kind === 'backoff' ? [health.nextTryAt] : []));
      if (retries.length === 0) return;
      dueAt = Math.max(dueAt, Math.min(...retries));
    }
    const delay = Math.max(0, dueAt - now);
    this.pollHandle = this.clock.setTimeout(() => {
      this.pollHandle = undefined;
      this.queued = { list: (this.queued?.list ?? false) || this.listWanted, forceInfo: this.queued?.forceInfo ?? false };
      if (this.debounceHandle !== undefined) {
        this.clock.clearTimeout(this.debounceHandle);
        this.debounceHandle = undefined;
      }
      void this.flush();
    }, delay);
  }

  private hostsToSkip(now: number): Set<string> {
    const skip = new Set<string>();
    for (const [id, health] of this.health) {
      if (health.kind === 'stopped' || health.nextTryAt > now) skip.add(id);
    }
    return skip;
  }

  /** Counts failures in a row per host; a success, or a cancelled call, changes nothing bad. */
  private record(outcomes: readonly HostOutcome[], skipped: ReadonlySet<string>): void {
    const now = this.clock.now();
    this.knownHosts = [...new Set([...outcomes.map((outcome) => outcome.hostId), ...skipped])];
    for (const { hostId, errorKind } of outcomes) {
      if (skipped.has(hostId)) continue;
      if (errorKind === undefined) this.health.delete(hostId);
      else if (errorKind === 'cancelled') continue;
      else if (STOP_POLLING_KINDS.has(errorKind)) this.health.set(hostId, { kind: 'stopped', errorKind });
      // Manual refresh only (interval 0): nothing is retried by itself, so there is no next try to announce.
      else if (this.intervalMs <= 0) this.health.delete(hostId);
      else {
        const previous = this.health.get(hostId);
        const failures = previous?.kind === 'backoff' ? previous.failures + 1 : 1;
        this.health.set(hostId, { kind: 'backoff', failures, nextTryAt: now + backoffDelayMs(failures, this.intervalMs), errorKind });
      }
    }
  }

  private isListStale(): boolean {
    if (this.lastListAt === undefined) return true;
    // With manual refresh (interval 0) data is only stale when it was never fetched.
    return this.intervalMs > 0 && this.clock.now() - this.lastListAt >= this.intervalMs;
  }

  private isInfoDue(): boolean {
    return this.lastInfoAt === undefined || this.clock.now() - this.lastInfoAt >= this.infoEveryMs;
  }

  private clearPoll(): void {
    if (this.pollHandle !== undefined) this.clock.clearTimeout(this.pollHandle);
    this.pollHandle = undefined;
  }

  private clearTimers(): void {
    this.clearPoll();
    if (this.debounceHandle !== undefined) this.clock.clearTimeout(this.debounceHandle);
    this.debounceHandle = undefined;
  }

  private releaseWaiters(waiters: (() => void)[]): void {
    for (const resolve of waiters) resolve();
  }
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
