// Finds the xl configs of the workspace folders and keeps the facts the cross-file rules need
// (guest names, MACs, VNC displays). Read-only and bounded, so a huge folder (or `/` opened as
// the workspace) cannot stall the server: pseudo file systems and well-known system trees are
// not entered, and the walk stops at a number of config files read, of directory entries
// visited, of folders deep, and of wall time, saying in the server log which limit it hit.

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { extractFacts, type ConfigFacts, type WorkspaceFacts } from '../analysis/checks/workspace';
import { parseConfig, type XlDocument } from '../syntax';
import { isGuestConfigPath, isSniffCandidatePath } from '../../../common/configPaths';
import { looksLikeGuestConfig } from '../../../common/guestSniff';
import { CONFIG_MAX_BYTES, MAX_CONFIG_FILES } from '../../../common/limits';

export interface ScanLimits {
  /** Config files read (each at most CONFIG_MAX_BYTES). */
  maxFiles: number;
  /** Directory entries looked at, files and folders alike. */
  maxEntries: number;
  /** Folders below a workspace folder. */
  maxDepth: number;
  /** Wall time of one scan, in ms. */
  maxMs: number;
}

/**
 * A workspace of xl configs (/etc/xen, a project) has tens to hundreds of entries; 50,000
 * entries or 5 s is far beyond that and is what `/` reaches once the system trees are skipped.
 */
export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxFiles: MAX_CONFIG_FILES, maxEntries: 50_000, maxDepth: 8, maxMs: 5000 };

export interface WorkspaceIndexOptions {
  limits?: Partial<ScanLimits>;
  /** The server log, told when a scan stops at a limit. */
  log?: (message: string) => void;
  /** Clock for the time limit (ms). */
  now?: () => number;
  /** Absolute paths never entered below a workspace folder (default SKIP_ABSOLUTE). */
  skipPaths?: readonly string[];
  /** Observes each directory the scan reads (for tests and diagnostics). */
  onDirectory?: (directory: string) => void;
}

/** Folder names never entered anywhere: tool and VCS trees that hold no configs. */
const SKIP_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.cache', '__pycache__', '.venv', '.tox']);
/**
 * System trees that hold no guest configs but up to millions of files, or whose files are not
 * files (/proc, /sys, /dev): skipped when a scan reaches them (a workspace folder that *is* one
 * of them is still read). /etc, /home, /root, /srv, /opt and /var/lib/xen-like places stay in.
 */
export const SKIP_ABSOLUTE: readonly string[] = [
  '/proc', '/sys', '/dev', '/run', '/usr', '/lib', '/lib32', '/lib64', '/libx32', '/bin', '/sbin', '/boot',
  '/snap', '/nix', '/var/cache', '/var/log', '/var/tmp', '/var/lib/docker', '/var/lib/containers', '/lost+found',
];
/**
 * statfs magic numbers of kernel pseudo file systems (proc, sysfs, devpts, cgroup 1 and 2,
 * debugfs, tracefs, securityfs, pstore, bpf, configfs, fusectl, binfmt_misc, autofs (entering it
 * would mount things), mqueue, hugetlbfs, nsfs, efivarfs, and xenfs, mounted on a dom0's
 * /proc/xen): never entered, wherever they are mounted.
 */
const PSEUDO_FILE_SYSTEMS = new Set([
  0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673, 0x6165676c, 0xcafe4a11, 0x62656570,
  0x65735543, 0x42494e4d, 0x0187, 0x19800202, 0x958458f6, 0x6e736673, 0xde5e81e4, 0xabba1974,
]);

/** True when the directory is on a kernel pseudo file system (false when that cannot be told). */
export async function isPseudoFileSystem(directory: string): Promise<boolean> {
  try {
    return PSEUDO_FILE_SYSTEMS.has(Number((await fs.statfs(directory)).type));
  } catch {
    // No statfs (not Linux) or unreadable: the readdir that follows decides.
    return false;
  }
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, { label: string; facts: ConfigFacts }>();
  private readonly limits: ScanLimits;

  constructor(private readonly options: WorkspaceIndexOptions = {}) {
    this.limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  }

  /** The facts of every known config, keyed by absolute path. */
  get facts(): WorkspaceFacts {
    return this.entries;
  }

  /** MACs (lower case) claimed by the configs of the workspace other than `except` (a path). */
  usedMacs(except?: string): Set<string> {
    const macs = new Set<string>();
    for (const [path, entry] of this.entries) if (path !== except) for (const mac of entry.facts.macs) macs.add(mac.value);
    return macs;
  }

  /** VNC displays claimed by the configs of the workspace other than `except` (a path). */
  usedVncDisplays(except?: string): Set<number> {
    const displays = new Set<number>();
    for (const [path, entry] of this.entries) if (path !== except) for (const display of entry.facts.vncDisplays) displays.add(display.value);
    return displays;
  }

  /**
   * Scans folders (absolute paths) for configs, breadth first (shallow configs first when a limit
   * stops the walk). Never throws; unreadable entries are skipped.
   */
  async scan(folders: readonly string[]): Promise<number> {
    const limits = this.limits;
    const now = this.options.now ?? Date.now;
    const skipPaths = new Set(this.options.skipPaths ?? SKIP_ABSOLUTE);
    const started = now();
    let files = 0;
    let entries = 0;
    let deepest = false;
    let stoppedBy: string | undefined;
    const queue: { directory: string; depth: number }[] = folders.map((directory) => ({ directory, depth: 0 }));
    while (queue.length > 0 && stoppedBy === undefined) {
      const { directory, depth } = queue.shift() as { directory: string; depth: number };
      if (now() - started > limits.maxMs) {
        stoppedBy = `it ran for ${limits.maxMs} ms`;
        break;
      }
      if (await isPseudoFileSystem(directory)) continue;
      let children;
      try {
        children = await fs.readdir(directory, { withFileTypes: true });
      } catch {
        continue;
      }
      this.options.onDirectory?.(directory);
      for (const child of children) {
        if (++entries > limits.maxEntries) {
          stoppedBy = `it looked at ${limits.maxEntries} directory entries`;
          break;
        }
        if (files >= limits.maxFiles) {
          stoppedBy = `it read ${limits.maxFiles} config files`;
          break;
        }
        const path = join(directory, child.name);
        if (child.isDirectory()) {
          if (SKIP_DIRECTORIES.has(child.name) || skipPaths.has(path)) continue;
          if (depth + 1 > limits.maxDepth) deepest = true;
          else queue.push({ directory: path, depth: depth + 1 });
        } else if (child.isFile() && isGuestConfigPath(path)) {
          files++;
          await this.readFile(path, false);
        } else if (child.isFile() && isSniffCandidatePath(path)) {
          // Any other .cfg counts when its content is a guest config (as in the client's Configs view).
          files++;
          await this.readFile(path, true);
        }
      }
    }
    if (stoppedBy !== undefined) {
      this.options.log?.(
        `xl: the workspace scan stopped early because ${stoppedBy} (found ${this.entries.size} configs); ` +
          'configs further in are checked only when opened. Open a smaller folder (such as /etc/xen) for a complete index.',
      );
    } else if (deepest) {
      this.options.log?.(`xl: the workspace scan did not enter folders more than ${limits.maxDepth} levels deep.`);
    }
    return this.entries.size;
  }

  /** Records (or refreshes) the facts of one config. Returns true when the claimed values changed. */
  update(path: string, text: string): boolean {
    return this.updateDocument(path, parseConfig(text));
  }

  /** The same, from a document already parsed. */
  updateDocument(path: string, document: XlDocument): boolean {
    const facts = extractFacts(document);
    const previous = this.entries.get(path);
    this.entries.set(path, { label: path, facts });
    return previous === undefined || claims(previous.facts) !== claims(facts);
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  private async readFile(path: string, sniff: boolean): Promise<void> {
    try {
      const stat = await fs.stat(path);
      if (stat.size > CONFIG_MAX_BYTES) return;
      const text = await fs.readFile(path, 'utf8');
      if (sniff && !looksLikeGuestConfig(text)) return;
      this.update(path, text);
    } catch {
      // Unreadable (permissions, vanished): not part of the index.
    }
  }
}

/** The values a config claims, without their ranges, as a comparable string. */
function claims(facts: ConfigFacts): string {
  return JSON.stringify([facts.name?.value, facts.macs.map((mac) => mac.value), facts.vncDisplays.map((display) => display.value)]);
}

/** The absolute path of a `file:` URI, or undefined for other schemes. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file://')) return undefined;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}
