// The live figures of the extension: decides which hosts are sampled (the Guests view while it is
// visible in a focused window, any host whose dashboard is visible), keeps their history, and
// tells the Guests view and the dashboards when new figures arrived. While a dashboard shows a
// host, its free memory is read with `xl info` every 30 s (xentop's batch mode does not print it).

import * as vscode from 'vscode';
import type { XenState } from '../tree/xenState';
import type { XenService } from '../xenService';
import { xentopStream, xl } from '../xl';
import type { GuestFigures } from './format';
import { FiguresHistory } from './history';
import { FiguresSampler, figuresIntervalSeconds, type SamplerStatus } from './sampler';

/** How often a visible dashboard reads its host's free memory. */
const HOST_MEMORY_EVERY_MS = 30_000;
/** Frames of several hosts within this time redraw the Guests view once. */
const VIEW_REDRAW_MS = 300;

export class LiveFigures implements vscode.Disposable {
  readonly history = new FiguresHistory();
  private readonly sampler: FiguresSampler;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires a host id when its figures or their status changed. */
  readonly onDidChange = this.changed.event;
  private guestsVisible = false;
  private focused = true;
  private dashboardHosts = new Set<string>();
  private knownHosts: string[] = [];
  private redrawGuests: (() => void) | undefined;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private memoryTimers = new Map<string, ReturnType<typeof setInterval>>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly service: XenService,
    private readonly state: XenState,
  ) {
    this.sampler = new FiguresSampler({
      start: (hostId, command, handlers) => {
        const host = this.state.hostState(hostId)?.host;
        if (host === undefined) throw new Error('This host is no longer in xen.hosts.');
        return this.service.stream(host, command, handlers);
      },
      command: () => xentopStream(this.intervalSeconds()),
      onFrame: (hostId, frame) => {
        this.history.addFrame(hostId, frame);
        this.changed.fire(hostId);
        this.scheduleGuestsRedraw();
      },
      onStatus: (hostId, status) => {
        if (status.kind === 'off' || status.kind === 'unavailable') this.history.clearLatest(hostId);
        this.changed.fire(hostId);
        this.scheduleGuestsRedraw();
      },
    });
    // Hosts added or removed in xen.hosts change what is wanted.
    this.subscription = state.onDidChange(() => this.updateDemand());
  }

  /** Seconds between samples: xen.figuresInterval. */
  intervalSeconds(): number {
    return figuresIntervalSeconds(vscode.workspace.getConfiguration('xen').get('figuresInterval'));
  }

  /** How the Guests view redraws itself (its provider's refreshView). */
  setGuestsRedraw(redraw: () => void): void {
    this.redrawGuests = redraw;
  }

  setGuestsVisible(visible: boolean): void {
    this.guestsVisible = visible;
    this.updateDemand();
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.updateDemand();
  }

  /** The hosts whose dashboard is visible now. */
  setDashboardHosts(hostIds: Iterable<string>): void {
    this.dashboardHosts = new Set(hostIds);
    this.updateDemand();
    this.updateMemoryReads();
  }

  /** After xen.hosts, xen.sudo, xen.xlPath or xen.figuresInterval changed: start again with the new settings. */
  restart(): void {
    this.sampler.setDemand([]);
    this.sampler.forget();
    this.updateDemand();
  }

  /** Tries a host again at once, whatever it failed with before (its dashboard was opened). */
  retry(hostId: string): void {
    this.sampler.retryNow(hostId);
    this.updateDemand();
  }

  /** Whether the Guests view counts as showing figures now (visible in a focused window). */
  get guestsViewShowing(): boolean {
    return this.guestsVisible && this.focused;
  }

  status(hostId: string): SamplerStatus {
    return this.sampler.status(hostId);
  }

  /** What the Guests view shows of a guest: its figures, or why there are none. */
  guestFigures(hostId: string, name: string): { figures?: GuestFigures; unavailable?: string } | undefined {
    const status = this.sampler.status(hostId);
    if (status.kind === 'unavailable') return { unavailable: status.reason };
    const figures = this.history.figures(hostId, name);
    return figures === undefined ? undefined : { figures };
  }

  dispose(): void {
    this.subscription.dispose();
    this.sampler.dispose();
    if (this.redrawTimer !== undefined) clearTimeout(this.redrawTimer);
    for (const timer of this.memoryTimers.values()) clearInterval(timer);
    this.memoryTimers.clear();
    this.changed.dispose();
  }

  // --- internals ---

  private updateDemand(): void {
    const known = this.state.hosts().map((host) => host.host.id);
    // A host that left xen.hosts takes its history along.
    for (const id of this.knownHosts) if (!known.includes(id)) this.history.forget(id);
    this.knownHosts = known;
    const wanted = new Set<string>();
    // The Guests view follows the refresh of the views: not while the window is in the background.
    if (this.guestsVisible && this.focused && vscode.workspace.isTrusted) for (const id of known) wanted.add(id);
    // A visible dashboard is watched on purpose, also from another window.
    for (const id of this.dashboardHosts) if (known.includes(id)) wanted.add(id);
    this.sampler.setDemand(wanted);
  }

  private scheduleGuestsRedraw(): void {
    if (!this.guestsVisible || this.redrawTimer !== undefined) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      if (this.guestsVisible) this.redrawGuests?.();
    }, VIEW_REDRAW_MS);
  }

  private updateMemoryReads(): void {
    for (const [hostId, timer] of this.memoryTimers) {
      if (!this.dashboardHosts.has(hostId)) {
        clearInterval(timer);
        this.memoryTimers.delete(hostId);
      }
    }
    for (const hostId of this.dashboardHosts) {
      if (this.memoryTimers.has(hostId)) continue;
      void this.readHostMemory(hostId);
      this.memoryTimers.set(hostId, setInterval(() => void this.readHostMemory(hostId), HOST_MEMORY_EVERY_MS));
    }
  }

  private async readHostMemory(hostId: string): Promise<void> {
    const host = this.state.hostState(hostId)?.host;
    if (host === undefined || !vscode.workspace.isTrusted) return;
    try {
      const info = await this.service.run(host, xl.info(), { timeoutMs: 20_000 });
      if (info.freeMemoryMiB === undefined) return;
      this.history.addHostMemory(hostId, { at: Date.now(), freeKiB: info.freeMemoryMiB * 1024, ...(info.totalMemoryMiB === undefined ? {} : { totalKiB: info.totalMemoryMiB * 1024 }) });
      this.changed.fire(hostId);
    } catch {
      // The Xen log has the failure; the memory line just gets no new point.
    }
  }
}
