// Read-only looks at the host the server runs on (under Remote-SSH that is the dom0): directory
// entries for path completion, network bridges, LVM volumes, whether a linked file or a config's
// path exists, and whether the host is a Xen control domain.
// Every probe is bounded in time and cached briefly, so a slow disk cannot stall an editor request.

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { DirEntry } from '../analysis/hostFacts';

/** How long one probe may take before its request goes on with what it has. */
export const PROBE_TIMEOUT_MS = 150;
/** How long a probe's answer is reused. */
export const PROBE_CACHE_MS = 3000;
/** At most this many entries of one directory are returned (and stat'ed). */
const MAX_ENTRIES = 1000;

export interface ProbeOptions {
  /** Prefix of every absolute path read, for tests (`''` reads the real root). */
  readonly root?: string;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
  readonly now?: () => number;
  /** The `stat` behind `pathExists`, replaced by tests to play a slow or failing disk. */
  readonly stat?: (path: string) => Promise<unknown>;
}

export class HostProbes {
  private readonly root: string;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly stat: (path: string) => Promise<unknown>;
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();
  private controlDomain: Promise<boolean> | undefined;

  constructor(options: ProbeOptions = {}) {
    this.root = options.root ?? '';
    this.timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
    this.cacheMs = options.cacheMs ?? PROBE_CACHE_MS;
    this.now = options.now ?? Date.now;
    this.stat = options.stat ?? ((path) => fs.stat(path));
  }

  /** The entries of an absolute directory path; empty when it is missing, unreadable or slow. */
  listDirectory(path: string): Promise<DirEntry[]> {
    return this.cached(`dir:${path}`, [], () => this.readDirectory(path));
  }

  /** Names of the Linux bridges on the host (interfaces with a `bridge` folder in sysfs). */
  listBridges(): Promise<string[]> {
    return this.cached('bridges', [], async () => {
      const names = await fs.readdir(this.real('/sys/class/net'));
      const found: string[] = [];
      await Promise.all(
        names.slice(0, MAX_ENTRIES).map(async (name) => {
          if (await exists(this.real(`/sys/class/net/${name}/bridge`))) found.push(name);
        }),
      );
      return found.sort();
    });
  }

  /**
   * Block devices a disk can name: LVM logical volumes as `/dev/<vg>/<lv>` and every device-mapper
   * node as `/dev/mapper/<name>`. LVM names its mapper nodes `<vg>-<lv>` with `-` doubled inside
   * names, which is how the volume group is found without running `lvs`.
   */
  listBlockDevices(): Promise<string[]> {
    return this.cached('block', [], async () => {
      const names = (await fs.readdir(this.real('/dev/mapper'))).filter((name) => name !== 'control').slice(0, MAX_ENTRIES);
      const found: string[] = [];
      await Promise.all(
        names.map(async (name) => {
          found.push(`/dev/mapper/${name}`);
          const split = splitMapperName(name);
          if (split !== undefined && (await exists(this.real(`/dev/${split.vg}/${split.lv}`)))) found.push(`/dev/${split.vg}/${split.lv}`);
        }),
      );
      return found.sort();
    });
  }

  /** Whether an absolute path is a regular file (following links); undefined when it took too long. */
  isFile(path: string): Promise<boolean | undefined> {
    return this.cached<boolean | undefined>(`file:${path}`, undefined, async () => {
      try {
        return (await fs.stat(this.real(path))).isFile();
      } catch {
        return false;
      }
    });
  }

  /**
   * Whether an absolute path names anything on the host (a file, a folder, a block device; links
   * followed): `false` only when the system says it is not there (ENOENT, ENOTDIR), `undefined`
   * when the answer is unknown (too slow, no permission, any other error).
   */
  pathExists(path: string): Promise<boolean | undefined> {
    return this.cached<boolean | undefined>(`exists:${path}`, undefined, async () => {
      try {
        await this.stat(this.real(path));
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return false;
        // `cached` turns the error into its fallback, `undefined`.
        throw error;
      }
    });
  }

  /**
   * Whether the host is a Xen control domain (dom0): its `/proc/xen/capabilities` says `control_d`.
   * Read once; a host without the file (no Xen, or a guest) is not one.
   */
  isControlDomain(): Promise<boolean> {
    this.controlDomain ??= fs.readFile(this.real('/proc/xen/capabilities'), 'utf8').then(
      (text) => /\bcontrol_d\b/.test(text),
      () => false,
    );
    return this.controlDomain;
  }

  private async readDirectory(path: string): Promise<DirEntry[]> {
    const entries = (await fs.readdir(this.real(path), { withFileTypes: true })).slice(0, MAX_ENTRIES);
    return Promise.all(
      entries.map(async (entry): Promise<DirEntry> => {
        let kind: DirEntry['kind'] = entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : entry.isBlockDevice() ? 'block' : 'other';
        if (entry.isSymbolicLink()) {
          // LVM volumes and /dev/disk/by-* are links: report what they point at.
          try {
            const stat = await fs.stat(this.real(join(path, entry.name)));
            kind = stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : stat.isBlockDevice() ? 'block' : 'other';
          } catch {
            kind = 'other';
          }
        }
        return { name: entry.name, kind };
      }),
    );
  }

  /**
   * Runs `compute` at most once per cache period for `key`, and gives up waiting after the timeout
   * with `fallback` (the computation goes on and fills the cache for the next request).
   */
  private cached<T>(key: string, fallback: T, compute: () => Promise<T>): Promise<T> {
    const now = this.now();
    let entry = this.cache.get(key);
    if (entry === undefined || now - entry.at > this.cacheMs) {
      const value = compute().catch(() => fallback);
      entry = { at: now, value };
      this.cache.set(key, entry);
      if (this.cache.size > 500) this.prune(now);
    }
    return withTimeout(entry.value as Promise<T>, this.timeoutMs, fallback);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.cache) if (now - entry.at > this.cacheMs) this.cache.delete(key);
  }

  private real(path: string): string {
    return this.root + path;
  }
}

/** Splits an LVM device-mapper name `vg-lv` (with `--` standing for a `-` inside a name). */
export function splitMapperName(name: string): { vg: string; lv: string } | undefined {
  for (let index = 1; index < name.length - 1; index++) {
    if (name[index] !== '-') continue;
    if (name[index + 1] === '-') {
      index++;
      continue;
    }
    return { vg: name.slice(0, index).replace(/--/g, '-'), lv: name.slice(index + 1).replace(/--/g, '-') };
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
