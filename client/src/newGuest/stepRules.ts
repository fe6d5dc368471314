// The checks of the New Guest steps, as the user types, and the reasons a choice cannot be taken:
// memory, vCPUs, sizes, folders, VNC display and password, which guest kinds the host runs,
// which volume groups have room, what the ISO step says when there is nothing to pick. Pure (no
// `vscode`, no I/O), so every message is tested under plain Node; wizardSteps.ts shows them.

import type { IsoListing, LogicalVolume, VolumeGroup } from '../xl';
import { diskTargetProblem, formatSize, memoryProblem, parseMemoryMiB, parseSize, parseVcpus, sizeProblem, vncDisplayProblem, vncPasswordProblem } from './allocate';
import type { GuestKind } from './choices';

/** A check's verdict: an error keeps the step from going on, a warning only informs. */
export type Check = { message: string; warning?: true } | undefined;

const MIB = 1024 * 1024;
/** A new disk smaller than this holds no installed system; refused as a likely typo (1M for 1G). */
export const MIN_DISK_BYTES = 4 * MIB;

/** Memory in MiB from `2048` or `2G`; a string is the problem. */
export function parseMemory(text: string): number | string {
  const mib = parseMemoryMiB(text);
  if (typeof mib === 'string') return mib;
  return memoryProblem(mib) ?? mib;
}

export function memoryCheck(text: string, freeMiB: number | undefined, host: string): Check {
  const parsed = parseMemory(text);
  if (typeof parsed === 'string') return { message: parsed };
  if (freeMiB !== undefined && parsed > freeMiB) {
    return { message: `${host} has ${freeMiB} MiB free now: the start fails unless other guests give memory back first.`, warning: true };
  }
  return undefined;
}

export function vcpuCheck(text: string, hostCpus: number | undefined): Check {
  const parsed = parseVcpus(text, hostCpus);
  return typeof parsed === 'string' ? { message: parsed } : undefined;
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
  const problem = sizeProblem(bytes);
  if (problem !== undefined) return { message: problem };
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

/** An absolute folder for the new image `<folder>/<name>.img`: a problem, or undefined. */
export function imageFolderCheck(text: string, name: string): Check {
  const folder = trimFolder(text);
  if (folder === '') return { message: 'Enter the folder on the host for the image, such as /var/lib/xen/images.' };
  if (!folder.startsWith('/')) return { message: 'Enter an absolute path (starting with /) on the host.' };
  const problem = diskTargetProblem(`${folder === '/' ? '' : folder}/${name}.img`);
  return problem === undefined ? undefined : { message: problem };
}

/** `/a/b/` → `/a/b` (but `/` stays). */
export function trimFolder(text: string): string {
  const folder = text.trim();
  return folder.length > 1 ? folder.replace(/\/+$/, '') || '/' : folder;
}

export function displayCheck(text: string, used: ReadonlySet<number>): Check {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return { message: 'Enter a display number, such as 1 (port 5901).' };
  const problem = vncDisplayProblem(Number(trimmed), used);
  return problem === undefined ? undefined : { message: problem };
}

/** A VNC password for the config of a guest of this kind. */
export function passwordCheck(text: string, kind: GuestKind): Check {
  const problem = vncPasswordProblem(text, kind);
  return problem === undefined ? undefined : { message: problem };
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
