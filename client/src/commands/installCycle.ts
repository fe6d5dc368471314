// The pure decisions of the install cycle (Insert ISO, Eject ISO, Finish Install): which CD
// drives a running guest has, what to say when the ISO folders hold nothing, and whether a
// config's text still boots from its CD first (for the "Installed? Finish install" CodeLens).
// No `vscode` import.

import type { DomainConfig, IsoListing } from '../xl';

/** A CD drive of a running guest, as `xl list -l` reports it. */
export interface CdDrive {
  vdev: string;
  /** The ISO (or device) in the drive; undefined when the drive is empty. */
  media?: string;
}

/** The CD drives of a guest's configuration, in the order xl lists them. */
export function cdDrives(config: Pick<DomainConfig, 'disks'>): CdDrive[] {
  const drives: CdDrive[] = [];
  for (const disk of config.disks) {
    if (disk.isCdrom !== true || disk.vdev === undefined || disk.vdev === '') continue;
    drives.push(disk.target ? { vdev: disk.vdev, media: disk.target } : { vdev: disk.vdev });
  }
  return drives;
}

/**
 * Why a guest cannot take an ISO: it is not HVM (only HVM guests have emulated CD drives that
 * `xl cd-insert` can change) or it has no CD drive. Undefined when it can.
 */
export function cdProblem(name: string, config: Pick<DomainConfig, 'type' | 'disks'>): string | undefined {
  const hvm = config.type === undefined || config.type === 'hvm';
  if (hvm && cdDrives(config).length > 0) return undefined;
  const why = !hvm ? `it is a ${config.type} guest` : 'its configuration has no CD drive (a disk with devtype=cdrom)';
  return `${JSON.stringify(name)} is not an HVM guest with a CD drive: ${why}.`;
}

/** The message when the listing offers nothing to insert; undefined when there are ISOs. */
export function isoListingProblem(listing: Pick<IsoListing, 'folders' | 'isos'>, hostLabel: string): string | undefined {
  if (listing.isos.length > 0) return undefined;
  const existing = listing.folders.filter((folder) => folder.exists).map((folder) => folder.path);
  const missing = listing.folders.filter((folder) => !folder.exists).map((folder) => folder.path);
  if (listing.folders.length === 0) return 'No ISO folders are set: add one to the setting xen.isoDirectories.';
  if (existing.length === 0) {
    return `None of the ISO folders exists on ${hostLabel}: ${missing.join(', ')}. Put the ISO in one of them, or set xen.isoDirectories to the folder that holds it.`;
  }
  const alsoMissing = missing.length > 0 ? ` (${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist)` : '';
  return `No .iso files in ${existing.join(', ')} on ${hostLabel}${alsoMissing}. Copy the ISO there, or set xen.isoDirectories to the folder that holds it.`;
}

/** `1.2 GiB`, `650 MiB`, `12 KiB`: the size shown beside an ISO. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  const text = value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${text.endsWith('.0') ? text.slice(0, -2) : text} ${units[unit]}`;
}

/** The last `boot = "..."` of a config: its 0-based line and the order of boot devices. */
export interface BootOrder {
  line: number;
  order: string;
}

/**
 * The `boot` order when it tries the CD (`d`) before the disk (`c`), or the CD and never the
 * disk: the config of a guest still booting its installer. Undefined otherwise. A line scan
 * (the client shares no code with the server's parser): the last plain `boot = "..."` wins.
 */
export function bootsFromCdFirst(text: string): BootOrder | undefined {
  let found: BootOrder | undefined;
  text.split('\n').forEach((line, index) => {
    const match = /^[ \t]*boot[ \t]*=[ \t]*(["'])([^"'\n]*)\1/.exec(line);
    if (match !== null) found = { line: index, order: match[2] };
  });
  if (found === undefined) return undefined;
  const cd = found.order.indexOf('d');
  const disk = found.order.indexOf('c');
  return cd >= 0 && (disk < 0 || cd < disk) ? found : undefined;
}
