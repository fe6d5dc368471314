// Whether a config starts with its host: the entries of each host's autostart folder
// (/etc/xen/auto, which the xendomains service starts at boot) matched to a config of the
// workspace, and how the Configs view shows that. Pure: no `vscode` import.

import { posix } from 'node:path';
import { hostTools, type AutostartEntry } from '../xl';

/** The folder whose configs the xendomains service creates at boot. */
export const AUTOSTART_DIR = hostTools.AUTOSTART_DIR;

/** One host's autostart folder, or undefined entries when it could not be read (yet). */
export interface HostAutostartFacts {
  hostId: string;
  hostLabel: string;
  isLocal: boolean;
  entries?: readonly AutostartEntry[];
}

/**
 * How a host autostarts a config: `link` a symbolic link to this very file (this machine only),
 * `copy` a regular file with the config's file name (what Autostart On puts on an ssh host),
 * `other` a link with that file name to some other path.
 */
export type AutostartKind = 'link' | 'copy' | 'other';

export interface HostAutostart {
  hostId: string;
  hostLabel: string;
  kind: AutostartKind;
  /** The entry's path in the autostart folder. */
  entryPath: string;
  /** The link's target, resolved against the folder. */
  target?: string;
}

export interface AutostartSummary {
  /** The hosts that autostart the config. */
  on: HostAutostart[];
  /** The labels of hosts whose folder was read and has no entry for it. */
  off: string[];
  /** The labels of hosts whose folder could not be read. */
  unknown: string[];
}

/**
 * Matches a config (its path on this machine when it is a file here, and its file name) against
 * every host's autostart folder. On this machine a link to the config under any name counts; an
 * entry named like the config counts everywhere.
 */
export function autostartOf(configPath: string | undefined, fileName: string, hosts: readonly HostAutostartFacts[], dir = AUTOSTART_DIR): AutostartSummary {
  const summary: AutostartSummary = { on: [], off: [], unknown: [] };
  for (const host of hosts) {
    if (host.entries === undefined) {
      summary.unknown.push(host.hostLabel);
      continue;
    }
    const resolved = (entry: AutostartEntry) => (entry.target === undefined ? undefined : posix.resolve(dir, entry.target));
    const link = host.isLocal && configPath !== undefined ? host.entries.find((entry) => resolved(entry) === configPath) : undefined;
    const named = host.entries.find((entry) => entry.file === fileName);
    const entry = link ?? named;
    if (entry === undefined) {
      summary.off.push(host.hostLabel);
      continue;
    }
    const kind: AutostartKind = entry === link ? 'link' : entry.target === undefined ? 'copy' : 'other';
    const found: HostAutostart = { hostId: host.hostId, hostLabel: host.hostLabel, kind, entryPath: posix.join(dir, entry.file) };
    const target = resolved(entry);
    if (target !== undefined) found.target = target;
    summary.on.push(found);
  }
  return summary;
}

/**
 * The suffix of the Configs view's contextValue: `:autostart-on` (every host that answered
 * autostarts it), `:autostart-off` (none does), `:autostart-mixed`, or nothing when no host's
 * folder could be read. package.json's menus match these.
 */
export function autostartContextSuffix(summary: AutostartSummary | undefined): string {
  if (summary === undefined || (summary.on.length === 0 && summary.off.length === 0)) return '';
  if (summary.off.length === 0) return ':autostart-on';
  return summary.on.length === 0 ? ':autostart-off' : ':autostart-mixed';
}

/** For the description: `autostart`, `autostart on dom1, dom2`, or undefined when it has none. */
export function autostartDescription(summary: AutostartSummary | undefined, multiHost: boolean): string | undefined {
  if (summary === undefined || summary.on.length === 0) return undefined;
  return multiHost ? `autostart on ${summary.on.map((host) => host.hostLabel).join(', ')}` : 'autostart';
}

/** For the tooltip: one line per host that was read, saying what starts the guest at boot. */
export function autostartTooltip(summary: AutostartSummary | undefined): string[] {
  if (summary === undefined) return [];
  const lines = summary.on.map((host) => {
    switch (host.kind) {
      case 'link':
        return `Autostart on ${host.hostLabel}: ${host.entryPath} links to this file`;
      case 'copy':
        return `Autostart on ${host.hostLabel}: ${host.entryPath} is a copy of the config (edits here need Autostart again)`;
      case 'other':
        return `Autostart on ${host.hostLabel}: ${host.entryPath} links to ${host.target}, not to this file`;
    }
  });
  if (summary.off.length > 0) lines.push(`No autostart on ${summary.off.join(', ')}`);
  return lines;
}
