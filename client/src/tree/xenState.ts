// The last known answer of every host (domains, `xl info`, uptimes, or the error instead), shared
// by the three views, the status bar and the CodeLenses. Only RefreshManager calls `refresh`.

import * as vscode from 'vscode';
import type { XenHost, XenService } from '../xenService';
import { XlError, hostTools, xl, type AutostartEntry, type Domain, type HostInfo } from '../xl';
import type { HostOutcome, RefreshScope } from './refreshManager';
import { estimateUptime, type HostDomains, type UptimeSnapshot } from './model';

export interface HostState {
  host: XenHost;
  domains?: Domain[];
  listError?: XlError;
  info?: HostInfo;
  infoError?: XlError;
  uptime?: UptimeSnapshot;
  /** When each domain id was first seen in `xl list`, for uptimes of domains newer than `uptime`. */
  firstSeen: Map<number, number>;
  /** The entries of the host's /etc/xen/auto, read with each list; undefined when that failed. */
  autostart?: AutostartEntry[];
}

export class XenState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private states: HostState[] = [];
  private readonly abort = new AbortController();
  /** Hosts whose /etc/xen/auto our commands changed: read again at the next refresh. */
  private readonly autostartStale = new Set<string>();

  constructor(private readonly service: XenService) {
    this.syncHosts();
  }

  /** Re-reads the host list from the settings, keeping what is known about unchanged hosts. */
  syncHosts(): void {
    const previous = new Map(this.states.map((state) => [state.host.id, state]));
    this.states = this.service.hosts().map((host) => {
      const known = previous.get(host.id);
      return known ? { ...known, host } : { host, firstSeen: new Map() };
    });
    this.changed.fire();
  }

  hosts(): readonly HostState[] {
    return this.states;
  }

  hostState(hostId: string): HostState | undefined {
    return this.states.find((state) => state.host.id === hostId);
  }

  /** True when the views show hosts as roots (more than one host, or a remote one). */
  get multiHost(): boolean {
    return this.states.length > 1 || this.states.some((state) => !state.host.isLocal);
  }

  findDomain(hostId: string, name: string): Domain | undefined {
    return this.hostState(hostId)?.domains?.find((domain) => domain.name === name && domain.state !== 'dying');
  }

  /** Every host's domains, for matching configs to guests. */
  hostDomains(): HostDomains[] {
    return this.states.map((state) => ({ hostId: state.host.id, hostLabel: state.host.label, domains: state.domains }));
  }

  uptimeOf(hostId: string, domain: Domain, now = Date.now()): number | undefined {
    const state = this.hostState(hostId);
    if (state === undefined) return undefined;
    return estimateUptime(domain.id, now, state.uptime, state.firstSeen.get(domain.id));
  }

  /**
   * One refresh of every host in parallel (except those in `scope.skip`, which keep what they
   * showed): `xl list`, and `xl info` + `xl uptime` when asked. Says how each host fared.
   */
  async refresh(scope: RefreshScope): Promise<HostOutcome[]> {
    const tried = this.states.filter((state) => !scope.skip?.has(state.host.id));
    const outcomes = await Promise.all(
      tried.map(async (state): Promise<HostOutcome> => {
        await this.refreshHost(state, scope);
        const error = scope.list ? state.listError : state.infoError;
        return { hostId: state.host.id, errorKind: error?.kind };
      }),
    );
    this.changed.fire();
    return outcomes;
  }

  /** Makes the next refresh read the host's /etc/xen/auto again (after Autostart or Delete Guest changed it). */
  markAutostartStale(hostId: string): void {
    this.autostartStale.add(hostId);
  }

  dispose(): void {
    this.abort.abort();
    this.changed.dispose();
  }

  // --- internals ---

  private async refreshHost(state: HostState, scope: RefreshScope): Promise<void> {
    const signal = this.abort.signal;
    if (scope.list) {
      try {
        const domains = await this.service.run(state.host, xl.list(), { signal });
        const now = Date.now();
        const ids = new Set(domains.map((domain) => domain.id));
        for (const id of state.firstSeen.keys()) if (!ids.has(id)) state.firstSeen.delete(id);
        for (const id of ids) if (!state.firstSeen.has(id)) state.firstSeen.set(id, now);
        state.domains = domains;
        state.listError = undefined;
      } catch (error) {
        state.domains = undefined;
        state.listError = asXlError(error);
        state.autostart = undefined;
        // The same cause (no xl, no root, no ssh) would only fail again for info.
        return;
      }
      // The Configs view shows which configs start at boot. /etc/xen/auto changes rarely, so a
      // timed refresh stays one xl call: the folder is read the first time, with xl info (the
      // Refresh button, the slower cadence), and after our own commands changed it. Only after a
      // list that worked: a host that is down costs nothing more.
      if (state.autostart === undefined || scope.info || this.autostartStale.has(state.host.id)) {
        this.autostartStale.delete(state.host.id);
        try {
          state.autostart = await this.service.run(state.host, hostTools.autostartEntries(), { signal });
        } catch {
          // Unknown is shown as unknown (no autostart mark, both menu entries); the log has the error.
          state.autostart = undefined;
        }
      }
    }
    if (scope.info) {
      // Uptimes only refine the descriptions: their failure must not hide the host's info.
      const [info, uptimes] = await Promise.allSettled([
        this.service.run(state.host, xl.info(), { signal }),
        this.service.run(state.host, xl.uptime(), { signal }),
      ]);
      if (info.status === 'fulfilled') {
        state.info = info.value;
        state.infoError = undefined;
      } else {
        state.infoError = asXlError(info.reason);
      }
      if (uptimes.status === 'fulfilled') {
        state.uptime = { at: Date.now(), byId: new Map(uptimes.value.map((entry) => [entry.id, entry.uptimeSeconds])) };
      }
    }
  }
}

function asXlError(error: unknown): XlError {
  if (error instanceof XlError) return error;
  return new XlError('failed', error instanceof Error ? error.message : String(error), { cause: error });
}
