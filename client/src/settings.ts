// Typed, validated reads of the `xen.*` settings. Trust-aware: in an untrusted workspace the
// settings that choose what runs (xl path, ssh hosts, sudo) fall back to their defaults. No
// `vscode` import: callers pass the configuration and the trust flag, so this is unit-testable.

import type { SudoMode } from './xl';

export interface XenSettings {
  /** False in an untrusted workspace: then nothing may run xl or ssh. */
  trusted: boolean;
  xlPath: string;
  /** ssh destinations and/or `local`; never empty (defaults to this machine). */
  hosts: HostSetting[];
  sudo: SudoMode;
  commandTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** 0 means refresh only on request. */
  refreshIntervalSeconds: number;
  statusBarFreeMemory: boolean;
  confirmDestructiveActions: boolean;
  /** Absolute folders on each host where New Guest and Insert ISO look for installer ISOs. */
  isoDirectories: string[];
  /** Where New Guest writes configs; undefined = decide per host (see `newGuest`). */
  configDirectory: string | undefined;
}

export type HostSetting = { kind: 'local' } | { kind: 'ssh'; destination: string };

/** The part of `vscode.WorkspaceConfiguration` we use. */
export interface ConfigurationReader {
  get<T>(key: string): T | undefined;
}

export const DEFAULTS = {
  xlPath: 'xl',
  sudo: 'auto' as SudoMode,
  commandTimeoutSeconds: 30,
  shutdownTimeoutSeconds: 60,
  refreshIntervalSeconds: 5,
  isoDirectories: ['/opt/isos', '/var/lib/xen/images', '/srv/iso'],
};

/** Reads and validates every xen.* setting we use from a `xen` configuration section. */
export function readSettings(config: ConfigurationReader, trusted: boolean): XenSettings {
  const xlPath = trusted ? stringSetting(config.get('xlPath'), DEFAULTS.xlPath) : DEFAULTS.xlPath;
  const sudoRaw = config.get<unknown>('sudo');
  const sudo: SudoMode = trusted && (sudoRaw === 'never' || sudoRaw === 'auto' || sudoRaw === 'always') ? sudoRaw : DEFAULTS.sudo;
  return {
    trusted,
    xlPath,
    hosts: trusted ? parseHosts(config.get('hosts')) : [{ kind: 'local' }],
    sudo,
    commandTimeoutMs: seconds(config.get('commandTimeout'), DEFAULTS.commandTimeoutSeconds, 1) * 1000,
    shutdownTimeoutMs: seconds(config.get('shutdownTimeout'), DEFAULTS.shutdownTimeoutSeconds, 1) * 1000,
    refreshIntervalSeconds: seconds(config.get('refreshInterval'), DEFAULTS.refreshIntervalSeconds, 0),
    statusBarFreeMemory: config.get('statusBar.freeMemory') !== false,
    confirmDestructiveActions: config.get('confirmDestructiveActions') !== false,
    isoDirectories: absolutePaths(config.get('isoDirectories'), DEFAULTS.isoDirectories),
    configDirectory: absolutePath(config.get('configDirectory')),
  };
}

/**
 * `xen.hosts`: ssh destinations (`user@host` or a Host alias of ~/.ssh/config); the entry `local`
 * stands for this machine. An empty or missing list means this machine only. Duplicates and
 * blank entries are dropped; a destination that ssh would misread (a leading `-`) is kept so the
 * runner can report it in the tree rather than silently hiding a host.
 */
export function parseHosts(value: unknown): HostSetting[] {
  if (!Array.isArray(value)) return [{ kind: 'local' }];
  const hosts: HostSetting[] = [];
  const seen = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'string') continue;
    const text = entry.trim();
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    hosts.push(text === 'local' ? { kind: 'local' } : { kind: 'ssh', destination: text });
  }
  return hosts.length === 0 ? [{ kind: 'local' }] : hosts;
}

// --- helpers ---

/** Absolute, NUL-free, trimmed paths without duplicates; the fallback when none is usable. */
function absolutePaths(value: unknown, fallback: readonly string[]): string[] {
  if (!Array.isArray(value)) return [...fallback];
  const paths = [...new Set(value.map(absolutePath).filter((entry): entry is string => entry !== undefined))];
  return paths.length === 0 ? [...fallback] : paths;
}

/** An absolute path (a leading `/`, no NUL byte), trimmed and without a trailing `/`; else undefined. */
function absolutePath(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text.startsWith('/') || text.includes('\0')) return undefined;
  return text.length > 1 ? text.replace(/\/+$/, '') || '/' : text;
}

function stringSetting(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function seconds(value: unknown, fallback: number, minimum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) return fallback;
  return value;
}
