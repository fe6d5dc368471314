// The checks of the New Guest steps, as the user types, and the reasons a choice cannot be taken:
// memory, vCPUs, sizes, folders, VNC display and password, which guest kinds the host runs,
// which volume groups have room, what the ISO step says when there is nothing to pick. Pure (no
// `vscode`, no I/O), so every message is tested under plain Node; wizardSteps.ts shows them.

import type { IsoListing, LogicalVolume, VolumeGroup } from '../xl';
import { formatSize, parseSize } from './allocate';
import type { GuestKind } from './choices';

/** A check's verdict: an error keeps the step from going on, a warning only informs. */
export type Check = { message: string; warning?: true } | undefined;

const MIB = 1024 * 1024;
/** Below this no guest kind boots (HVM firmware alone wants more; xl itself refuses far less). */
export const MIN_MEMORY_MIB = 32;
const MAX_MEMORY_MIB = 16 * 1024 * 1024;
/** The most vCPUs xl gives an HVM guest. */
export const MAX_VCPUS = 128;
/** VNC authentication reads this many bytes of a password. */
export const VNC_PASSWORD_MAX = 8;
/** The highest VNC display whose port (5900 + N) is a TCP port. */
const MAX_VNC_DISPLAY = 65535 - 5900;
/** A new volume smaller than this holds no installed system; refused as a likely typo. */
export const MIN_DISK_BYTES = 4 * MIB;

/** Memory in MiB from `2048`, or a size with a unit (`2G`, `512M`); a string is the problem. */
export function parseMemory(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'Enter the memory in MiB, such as 2048 (or 2G).';
  let mib: number;
  if (/^\d+$/.test(trimmed)) {
    mib = Number(trimmed);
  } else {
    const bytes = parseSize(trimmed);
    if (typeof bytes === 'string') return `${bytes} Memory is in MiB (2048) or with a unit (2G, 512M).`;
    if (bytes % MIB !== 0) return 'Memory must be a whole number of MiB.';
    mib = bytes / MIB;
  }
  if (mib < MIN_MEMORY_MIB) return `A guest needs at least ${MIN_MEMORY_MIB} MiB.`;
  if (mib > MAX_MEMORY_MIB) return `${mib} MiB is more than any host has.`;
  return mib;
}

export function memoryCheck(text: string, freeMiB: number | undefined, host: string): Check {
  const parsed = parseMemory(text);
  if (typeof parsed === 'string') return { message: parsed };
  if (freeMiB !== undefined && parsed > freeMiB) {
    return { message: `${host} has ${freeMiB} MiB free now: the start fails unless other guests give memory back first.`, warning: true };
  }
  return undefined;
}

export function parseVcpus(text: string): number | string {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number of vCPUs, such as 2.';
  const count = Number(trimmed);
  if (count < 1) return 'A guest needs at least 1 vCPU.';
  if (count > MAX_VCPUS) return `xl gives a guest at most ${MAX_VCPUS} vCPUs.`;
  return count;
}

export function vcpuCheck(text: string, hostCpus: number | undefined, host: string): Check {
  const parsed = parseVcpus(text);
  if (typeof parsed === 'string') return { message: parsed };
  if (hostCpus !== undefined && parsed > hostCpus) {
    return { message: `${host} has ${hostCpus} CPUs: more vCPUs than that take turns on them.`, warning: true };
  }
  return undefined;
}

/** Why the host cannot run a guest of this kind (from `xl info`'s virt_caps), or undefined. */
export function kindUnavailable(kind: GuestKind, virtCaps: readonly string[], host: string): string | undefined {
  // An old xl prints no virt_caps: then nothing can be said against any kind.
  if (virtCaps.length === 0) return undefined;
  if ((kind === 'hvm' || kind === 'pvh') && !virtCaps.includes('hvm')) return `${host} has no hardware virtualisation for HVM and PVH guests (xl info: virt_caps ${virtCaps.join(' ')}).`;
  if (kind === 'pv' && !virtCaps.includes('pv')) return `${host}'s Xen runs no PV guests (xl info: virt_caps ${virtCaps.join(' ')}).`;
  return undefined;
}

/** The size of a new volume or image; `limitBytes` is the free space of the volume group, when known. */
export function sizeCheck(text: string, limitBytes: number | undefined, where: string | undefined): Check {
  const bytes = parseSize(text);
  if (typeof bytes === 'string') return { message: bytes };
  if (bytes < MIN_DISK_BYTES) return { message: `A disk of ${formatSize(bytes)} is too small; enter a size such as 20G.` };
  if (limitBytes !== undefined && bytes > limitBytes) return { message: `${where ?? 'The volume group'} has ${formatSize(limitBytes)} free; enter at most that.` };
  return undefined;
}

/**
 * Why a volume group cannot take the new volume, or undefined: full, or it holds a volume of
 * that name already (lvcreate would refuse; New Guest never reuses one by accident).
 */
export function volumeGroupUnavailable(group: VolumeGroup, name: string, volumes: readonly Pick<LogicalVolume, 'name' | 'vg'>[] | undefined): string | undefined {
  if (volumes?.some((volume) => volume.vg === group.name && volume.name === name)) return `it already has a volume named ${JSON.stringify(name)}`;
  if (group.freeBytes < Math.max(MIN_DISK_BYTES, group.extentBytes)) return 'it is full';
  return undefined;
}

/** An absolute folder for a new image file: a problem, or undefined. */
export function imageFolderCheck(text: string): Check {
  const folder = text.trim();
  if (folder === '') return { message: 'Enter the folder on the host for the image, such as /var/lib/xen/images.' };
  if (!folder.startsWith('/')) return { message: 'Enter an absolute path (starting with /) on the host.' };
  if (/[\0\n\r]/.test(folder)) return { message: 'A folder name cannot hold a line break.' };
  return undefined;
}

/** `/a/b/` → `/a/b` (but `/` stays). */
export function trimFolder(text: string): string {
  const folder = text.trim();
  return folder.length > 1 ? folder.replace(/\/+$/, '') || '/' : folder;
}

export function displayCheck(text: string, used: ReadonlySet<number>): Check {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { message: 'Enter a display number, such as 1 (port 5901).' };
  const display = Number(trimmed);
  if (display > MAX_VNC_DISPLAY) return { message: `Displays go up to ${MAX_VNC_DISPLAY} (port 65535).` };
  if (used.has(display)) return { message: `Display ${display} (port ${5900 + display}) is taken by another config or a running guest.` };
  return undefined;
}

/**
 * A VNC password as the config can hold it: 1 to 8 printable ASCII characters (VNC reads only 8),
 * without quotes, backslashes, commas or blanks, which the spec strings of xl.cfg would take apart.
 */
export function passwordCheck(text: string): Check {
  if (text.length === 0) return { message: 'Enter a password, or go Back and choose VNC without one.' };
  if (text.length > VNC_PASSWORD_MAX) return { message: `VNC uses only the first ${VNC_PASSWORD_MAX} characters; enter at most ${VNC_PASSWORD_MAX}.` };
  if (!/^[\x21-\x7e]+$/.test(text)) return { message: 'Use printable ASCII characters without blanks.' };
  if (/["'\\,]/.test(text)) return { message: 'Quotes, backslashes and commas cannot go into the config here; use other characters.' };
  return undefined;
}

/**
 * What the ISO step says above its entries when there is nothing to pick: no ISO folder exists,
 * or the folders hold no ISO. Undefined when there are ISOs.
 */
export function isoNotice(listing: IsoListing, host: string): string | undefined {
  if (listing.isos.length > 0) return undefined;
  const existing = listing.folders.filter((folder) => folder.exists).map((folder) => folder.path);
  if (existing.length === 0) return `None of ${listing.folders.map((folder) => folder.path).join(', ')} exists on ${host} (setting xen.isoDirectories).`;
  return `No .iso file in ${existing.join(', ')} on ${host} (setting xen.isoDirectories).`;
}
