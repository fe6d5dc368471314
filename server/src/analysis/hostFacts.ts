// Facts about the host and the workspace that some features use (paths, bridges, MACs in use).
// The server gathers them with the probes in `host/`; analysis functions only receive them as data.

/** One entry of a host directory. Links are reported as what they point at. */
export interface DirEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'block' | 'other';
}

export interface HostFacts {
  /** The entries of the directory a path completion asked for (see `CompletionNeeds.directory`). */
  readonly directory?: { readonly path: string; readonly entries: readonly DirEntry[] };
  /** Linux bridges on the host, for vif `bridge=`. */
  readonly bridges?: readonly string[];
  /** LVM volumes (`/dev/<vg>/<lv>`) and `/dev/mapper/*` nodes, for disk targets. */
  readonly blockDevices?: readonly string[];
  /** MAC addresses (lower case) used by the other configs of the workspace. */
  readonly usedMacs?: ReadonlySet<string>;
  /** VNC displays used by the other configs of the workspace. */
  readonly usedVncDisplays?: ReadonlySet<number>;
  /** A source of numbers in [0, 1), for fresh MAC addresses; injected so tests are deterministic. */
  readonly random?: () => number;
}

/** The Xen organisationally unique identifier: MACs starting with it are Xen's own range. */
export const XEN_OUI = '00:16:3e';

/** A random MAC in the Xen range (00:16:3e, locally unique) that is neither in `used` nor in `avoid`. */
export function freshMac(random: () => number, used: ReadonlySet<string>, avoid: ReadonlySet<string> = new Set()): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const octets = [0, 1, 2].map(() => Math.floor(random() * 256) & 0xff);
    const mac = `${XEN_OUI}:${octets.map((octet) => octet.toString(16).padStart(2, '0')).join(':')}`;
    if (!used.has(mac) && !avoid.has(mac)) return mac;
  }
  // The range has 2^23 addresses; a thousand misses in a row means the random source is stuck.
  return `${XEN_OUI}:00:00:00`;
}
