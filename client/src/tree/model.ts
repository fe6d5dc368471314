// What the Xen views show, as pure functions of xl data: a guest's state key (which drives its
// context menu), icon, description and tooltip, the Host view's rows, error-node wording, uptime
// estimates and the matching of config files to running domains. No `vscode` import.

import type { Domain, HostInfo, XlErrorKind } from '../xl';
import { DRIFT_CONTEXT_SUFFIX } from '../drift/presentation';
import { autostartContextSuffix, type AutostartSummary } from './autostart';

/** A guest's state as the menus see it; `running` covers xl's running, blocked and idle. */
export type GuestStateKey = 'dom0' | 'running' | 'paused' | 'shutdown' | 'crashed' | 'dying';

/** A theme icon: a codicon id and an optional theme colour id. */
export interface IconSpec {
  id: string;
  color?: string;
}

/** Domain 0 is the control domain: nothing destructive may be offered for it. */
export function isDom0(domain: Pick<Domain, 'id'>): boolean {
  return domain.id === 0;
}

export function guestStateKey(domain: Pick<Domain, 'id' | 'state'>): GuestStateKey {
  if (isDom0(domain)) return 'dom0';
  switch (domain.state) {
    case 'running':
    case 'blocked':
    case 'idle':
      return 'running';
    default:
      return domain.state;
  }
}

/**
 * The tree item's contextValue: `guest:<state>`, plus `:drift` when the guest runs something
 * other than its workspace config says. package.json menus match it with `viewItem =~
 * /^guest:(...)(:|$)/`, so renaming a state here means changing the manifest too (the manifest
 * test checks that every state has the menus it should, with and without the suffix).
 */
export function guestContextValue(domain: Pick<Domain, 'id' | 'state'>, drifted = false): string {
  return `guest:${guestStateKey(domain)}${drifted ? DRIFT_CONTEXT_SUFFIX : ''}`;
}

export function guestIcon(domain: Pick<Domain, 'id' | 'state'>): IconSpec {
  switch (guestStateKey(domain)) {
    case 'dom0':
      return { id: 'server' };
    case 'running':
      return { id: 'vm-running', color: 'charts.green' };
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'shutdown':
      return { id: 'vm-outline', color: 'disabledForeground' };
    case 'crashed':
      return { id: 'error', color: 'charts.red' };
    case 'dying':
      return { id: 'loading~spin' };
  }
}

/** Words for the state, e.g. `running`, `blocked`, `shut down (reboot)`. */
export function stateLabel(domain: Pick<Domain, 'state' | 'shutdownReason'>): string {
  switch (domain.state) {
    case 'idle':
      return 'running (idle)';
    case 'blocked':
      return 'running (blocked)';
    case 'shutdown':
      return domain.shutdownReason ? `shut down (${domain.shutdownReason})` : 'shut down';
    case 'crashed':
      return 'crashed';
    default:
      return domain.state;
  }
}

/** `id 3 · 1 GiB · 2 vCPUs · up 1:02:03`; the uptime part only when known. */
export function guestDescription(domain: Domain, uptimeSeconds?: number): string {
  const parts = [`id ${domain.id}`, formatMemory(domain.memoryMiB), `${domain.vcpus} vCPU${domain.vcpus === 1 ? '' : 's'}`];
  const key = guestStateKey(domain);
  if (key === 'paused' || key === 'shutdown' || key === 'crashed' || key === 'dying') parts.push(stateLabel(domain));
  if (uptimeSeconds !== undefined) parts.push(`up ${formatDuration(uptimeSeconds)}`);
  return parts.join(' · ');
}

/** Plain-text tooltip (never Markdown: guest names are arbitrary text). */
export function guestTooltip(domain: Domain, extra: { hostLabel?: string; uptimeSeconds?: number } = {}): string {
  const lines = [
    domain.name,
    `State: ${stateLabel(domain)} (${domain.flags})`,
    `Domain id: ${domain.id}`,
    `Memory: ${formatMemory(domain.memoryMiB)} (${domain.memoryMiB} MiB)`,
    `vCPUs: ${domain.vcpus}`,
    `CPU time: ${formatDuration(domain.cpuTimeSeconds)}`,
  ];
  if (extra.uptimeSeconds !== undefined) lines.push(`Uptime: ${formatDuration(extra.uptimeSeconds)}`);
  if (extra.hostLabel !== undefined) lines.push(`Host: ${extra.hostLabel}`);
  if (isDom0(domain)) lines.push('', 'The control domain: it cannot be shut down or destroyed from here.');
  return lines.join('\n');
}

/** 512 → `512 MiB`, 1024 → `1 GiB`, 1536 → `1.5 GiB`, 16252 → `15.9 GiB`. */
export function formatMemory(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  const text = gib >= 100 ? gib.toFixed(0) : gib.toFixed(1);
  return `${text.endsWith('.0') ? text.slice(0, -2) : text} GiB`;
}

/** `0:00:05`, `1:02:03`, `3d 4:05:06` (xl's own uptime style, shorter). */
export function formatDuration(totalSeconds: number): string {
  const whole = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(whole / 86400);
  const hours = Math.floor((whole % 86400) / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = whole % 60;
  const clock = `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** `xl uptime` as read at one moment: domain id → seconds. */
export interface UptimeSnapshot {
  /** Clock time (ms) when it was read. */
  at: number;
  byId: ReadonlyMap<number, number>;
}

/**
 * A domain's uptime now, without running xl: the last `xl uptime` reading plus the time since,
 * or, for a domain that appeared after that reading, the time since we first saw it in `xl list`
 * (accurate to one refresh interval). Domain ids are never reused while a host runs, so a
 * rebooted guest (new id) starts again from zero.
 */
export function estimateUptime(id: number, now: number, snapshot: UptimeSnapshot | undefined, firstSeenAt: number | undefined): number | undefined {
  const measured = snapshot?.byId.get(id);
  if (snapshot !== undefined && measured !== undefined) return measured + Math.max(0, now - snapshot.at) / 1000;
  if (firstSeenAt !== undefined && (snapshot === undefined || firstSeenAt > snapshot.at)) return Math.max(0, now - firstSeenAt) / 1000;
  return undefined;
}

/** A row of the Host view. */
export interface InfoRow {
  label: string;
  value: string;
  tooltip?: string;
}

/** The `xl info` essentials: Xen version, memory, CPUs, scheduler, and the dom0 kernel. */
export function hostInfoRows(info: HostInfo): InfoRow[] {
  const rows: InfoRow[] = [];
  if (info.xenVersion !== undefined) rows.push({ label: 'Xen', value: info.xenVersion, tooltip: info.xenCaps.join(' ') || undefined });
  if (info.totalMemoryMiB !== undefined) {
    const free = info.freeMemoryMiB === undefined ? '' : `${formatMemory(info.freeMemoryMiB)} free of `;
    rows.push({
      label: 'Memory',
      value: `${free}${formatMemory(info.totalMemoryMiB)}`,
      tooltip: `total_memory ${info.totalMemoryMiB} MiB, free_memory ${info.freeMemoryMiB ?? '?'} MiB`,
    });
  }
  if (info.nrCpus !== undefined) {
    const speed = info.cpuMhz === undefined ? '' : ` at ${Math.round(info.cpuMhz)} MHz`;
    const nodes = info.nrNodes !== undefined && info.nrNodes > 1 ? `, ${info.nrNodes} NUMA nodes` : '';
    rows.push({ label: 'CPUs', value: `${info.nrCpus}${speed}${nodes}` });
  }
  if (info.xenScheduler !== undefined) rows.push({ label: 'Scheduler', value: info.xenScheduler });
  if (info.virtCaps.length > 0) rows.push({ label: 'Virtualization', value: info.virtCaps.join(' ') });
  if (info.host !== undefined) rows.push({ label: 'Host', value: info.host, tooltip: [info.release, info.machine].filter(Boolean).join(' ') || undefined });
  if (info.xenCommandline) rows.push({ label: 'Command line', value: info.xenCommandline });
  return rows;
}

/** Status bar text for one or more hosts' free memory; undefined when nothing is known yet. */
export function freeMemoryStatus(hosts: { label: string; info?: HostInfo }[]): { text: string; tooltip: string } | undefined {
  const known = hosts.filter((host) => host.info?.freeMemoryMiB !== undefined);
  if (known.length === 0) return undefined;
  const lines = known.map((host) => {
    const info = host.info as HostInfo;
    const total = info.totalMemoryMiB === undefined ? '' : ` of ${formatMemory(info.totalMemoryMiB)}`;
    return `${host.label}: ${formatMemory(info.freeMemoryMiB as number)} free${total}`;
  });
  if (known.length === 1) {
    return { text: `$(server) ${formatMemory(known[0].info?.freeMemoryMiB as number)} free`, tooltip: `Xen memory\n${lines[0]}` };
  }
  const sum = known.reduce((total, host) => total + (host.info?.freeMemoryMiB ?? 0), 0);
  return { text: `$(server) ${formatMemory(sum)} free on ${known.length} hosts`, tooltip: `Xen memory\n${lines.join('\n')}` };
}

/** How an XlError appears in a tree: a short title, the explanation in lines, settings to open. */
export interface ErrorPresentation {
  title: string;
  lines: string[];
  /** Setting ids (`xen.xlPath`, ...) offered as "Open setting" actions. */
  settings: string[];
}

export function errorPresentation(kind: XlErrorKind, message: string): ErrorPresentation {
  const lines = splitSentences(message);
  switch (kind) {
    case 'not-found':
      return { title: /ssh was not found/.test(message) ? 'ssh not found' : /sudo was not found/.test(message) ? 'sudo not found' : 'xl not found', lines, settings: ['xen.xlPath'] };
    case 'not-root':
      return { title: 'xl must run as root', lines, settings: ['xen.sudo'] };
    case 'sudo-password':
      return { title: 'sudo wants a password', lines, settings: ['xen.sudo'] };
    case 'no-hypervisor':
      return { title: 'No Xen hypervisor', lines, settings: ['xen.hosts'] };
    case 'ssh':
      return { title: HOST_UNREACHABLE.test(message) ? 'Host not reachable' : 'ssh failed', lines, settings: ['xen.hosts'] };
    case 'timeout':
      return { title: 'xl timed out', lines, settings: ['xen.commandTimeout'] };
    case 'cancelled':
      return { title: 'Cancelled', lines, settings: [] };
    case 'bad-output':
      return { title: 'Unexpected xl output', lines, settings: [] };
    case 'failed':
      return { title: 'xl failed', lines, settings: [] };
  }
}

/** The openings of the runner's messages for a host that is down or a link that died. */
const HOST_UNREACHABLE = /did not answer: ssh could not reach it|^The connection to .* (was lost|ended without a message)|refused the ssh connection|^ssh could not find the host|ssh server hung up before logging in/;

/** Splits a message into sentences at `. ` before a capital letter (keeps `e.g. the` together). */
export function splitSentences(message: string): string[] {
  return message
    .split(/(?<=\.)\s+(?=[A-Z])/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** A host's polling state as the views need it (RefreshManager's HostHealth, structurally). */
export type HostHealthFacts =
  | { kind: 'ok' }
  | { kind: 'backoff'; failures: number; nextTryAt: number; errorKind: string }
  | { kind: 'stopped'; errorKind: string };

/** What a view says about a host that is backing off or no longer polled. */
export interface HealthText {
  /** For a host node's description: `not answering — next try in 40 s`. */
  short: string;
  /** For tooltips: why, and how to try again now. */
  long: string;
}

/**
 * The words for a host that keeps failing (`not answering` when ssh or a timeout is the cause,
 * `failing` otherwise) with the time to its next try, or that is no longer polled because sudo
 * refused. Undefined for a healthy host.
 */
export function hostHealthText(health: HostHealthFacts, now: number): HealthText | undefined {
  if (health.kind === 'ok') return undefined;
  if (health.kind === 'stopped') {
    const cause = health.errorKind === 'sudo-password' ? 'sudo wants a password' : 'not allowed to run xl';
    return {
      short: `${cause} — polling stopped`,
      long:
        'This host refused to run xl for this user, and every try would be written to its auth log, so it is not asked again by itself. ' +
        'Fix the sudo rule (or xen.sudo / xen.hosts), then press Refresh; a change to those settings also tries again.',
    };
  }
  const verb = health.errorKind === 'ssh' || health.errorKind === 'timeout' ? 'not answering' : 'failing';
  const seconds = Math.ceil((health.nextTryAt - now) / 1000);
  const times = health.failures === 1 ? 'once' : `${health.failures} times in a row`;
  return {
    short: seconds > 0 ? `${verb} — next try in ${seconds} s` : `${verb} — trying again`,
    long: `Failed ${times}, so it is tried less often (10 s after the first failure, doubling up to 60 s). Press Refresh to try now.`,
  };
}

/** Where a config's guest runs, if anywhere. */
export type ConfigStatus =
  | { kind: 'running'; matches: ConfigMatch[] }
  | { kind: 'stopped' }
  /** No host has answered yet (or every host failed): we cannot tell. */
  | { kind: 'unknown' }
  /** The file has no readable `name = "..."`. */
  | { kind: 'no-name' };

export interface ConfigMatch {
  hostId: string;
  hostLabel: string;
  domain: Domain;
}

/** What is known about one host's domains, for matching configs. */
export interface HostDomains {
  hostId: string;
  hostLabel: string;
  /** Undefined when the host has not answered (yet, or with an error). */
  domains?: readonly Domain[];
}

/**
 * Matches a config's guest name against every host's domains. xl compares names exactly
 * (case-sensitive); dying domains are left out because their name no longer blocks a start.
 */
export function configStatus(name: string | undefined, hosts: readonly HostDomains[]): ConfigStatus {
  if (name === undefined) return { kind: 'no-name' };
  const matches: ConfigMatch[] = [];
  let answered = false;
  for (const host of hosts) {
    if (host.domains === undefined) continue;
    answered = true;
    for (const domain of host.domains) {
      if (domain.name === name && domain.state !== 'dying') matches.push({ hostId: host.hostId, hostLabel: host.hostLabel, domain });
    }
  }
  if (matches.length > 0) return { kind: 'running', matches };
  return answered ? { kind: 'stopped' } : { kind: 'unknown' };
}

/** The Configs view's description: `"web" · running (id 7)`, `… running on dom1 (id 7)`, `stopped`. */
export function configDescription(name: string | undefined, status: ConfigStatus, multiHost: boolean): string {
  const quoted = name === undefined ? '' : `${JSON.stringify(name)} · `;
  switch (status.kind) {
    case 'no-name':
      return 'no name = "..." line';
    case 'unknown':
      return `${quoted}state unknown`;
    case 'stopped':
      return `${quoted}stopped`;
    case 'running': {
      const where = status.matches.map((match) => {
        const state = guestStateKey(match.domain) === 'running' ? 'running' : stateLabel(match.domain);
        return `${state}${multiHost ? ` on ${match.hostLabel}` : ''} (id ${match.domain.id})`;
      });
      return `${quoted}${where.join(', ')}`;
    }
  }
}

/**
 * The Configs view's contextValue: `config:running`, `config:stopped`, `config:unknown`,
 * `config:no-name`, followed by the autostart state when a host's autostart folder was read
 * (`config:stopped:autostart-on`, see autostartContextSuffix). Menus match the status with
 * `^config:STATUS(:|$)`.
 */
export function configContextValue(status: ConfigStatus, autostart?: AutostartSummary): string {
  return `config:${status.kind}${autostartContextSuffix(autostart)}`;
}

/**
 * Why a host's guests cannot be listed, if they cannot: the last `xl list` failure, or else, while
 * no list has been read, the failure of `xl info`. The Host view often asks first; when that fails
 * with a cause that stops polling (sudo wants a password, not root) the list is never tried, and
 * the same cause would fail it. Without this the Guests view said "Reading xl list…" for ever.
 */
export function guestListProblem<E>(host: { readonly domains?: unknown; readonly listError?: E; readonly infoError?: E }): E | undefined {
  if (host.listError !== undefined) return host.listError;
  return host.domains === undefined ? host.infoError : undefined;
}
