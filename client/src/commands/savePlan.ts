// The decisions behind Save to File… and Restore from File…, as pure functions: the new file's
// name, whether the folder's file system has room, how long xl may take, and the words of the
// questions. No `vscode` import.

import { formatBytes as formatSize } from './installCycle';
import type { SaveFileEntry, SaveFolderListing } from '../xl';

/** The save file for GUEST at AT: `<name>-<yyyymmdd-hhmm>.save`, made unique among TAKEN names. */
export function saveFileName(guest: string, at: Date, taken: ReadonlySet<string>): string {
  // A guest name may hold any character but `/` is a path and a leading `-` or `.` is a trap.
  let base = guest.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 180);
  if (base === '' || /^[.-]/.test(base)) base = `_${base}`;
  const pad = (value: number): string => String(value).padStart(2, '0');
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
  let name = `${base}-${stamp}.save`;
  for (let n = 2; taken.has(name); n++) name = `${base}-${stamp}-${n}.save`;
  return name;
}

/** Room a save needs: the guest's memory plus 10% (xl writes every page the guest has, and a header). */
export function saveSpaceNeededKiB(memoryMiB: number): number {
  return Math.ceil(memoryMiB * 1024 * 1.1);
}

/** Why the save cannot go into this folder for lack of room, or undefined when it fits (or df said nothing). */
export function spaceShortage(listing: Pick<SaveFolderListing, 'folder' | 'space'>, memoryMiB: number, hostLabel: string): string | undefined {
  if (listing.space === undefined) return undefined;
  const needed = saveSpaceNeededKiB(memoryMiB);
  if (listing.space.availableKiB >= needed) return undefined;
  return (
    `Not enough room in ${listing.folder} on ${hostLabel}: the save needs about ${formatSize(needed * 1024)} ` +
    `(the guest's ${formatSize(memoryMiB * 1024 * 1024)} of memory and 10% more), and ${formatSize(listing.space.availableKiB * 1024)} are free there. Choose another folder, or make room.`
  );
}

/**
 * Save, restore and migrate run without a time limit: killing xl halfway can leave the guest
 * suspended or half built, so only xl itself (or a dead ssh link, which ssh notices in about
 * 15 s) ends them. The progress shows the time taken instead.
 */
export const TRANSFER_TIMEOUT_MS = Number.POSITIVE_INFINITY;

/** `m:ss` (or `h:mm:ss`) for the progress line. */
export function elapsedText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The save folders offered, the remembered one first, each once. */
export function folderChoices(remembered: string | undefined, fallback: string): string[] {
  return [...new Set([remembered, fallback].filter((folder): folder is string => folder !== undefined && folder.startsWith('/')))];
}

/** Why a typed folder cannot be used, or undefined: absolute, no NUL, not a file name ending. */
export function folderProblem(text: string): string | undefined {
  if (!text.startsWith('/')) return 'An absolute folder of the host, such as /var/lib/xen/save.';
  if (text.includes('\0')) return 'The folder contains a NUL byte.';
  return undefined;
}

/** The modal before a save. */
export function saveConfirmation(facts: { name: string; hostLabel: string; file: string; memoryMiB: number; freeKiB?: number }): { message: string; detail: string } {
  const free = facts.freeKiB === undefined ? 'The free space there could not be read.' : `${formatSize(facts.freeKiB * 1024)} are free there.`;
  return {
    message: `Save ${JSON.stringify(facts.name)} to ${facts.file} on ${facts.hostLabel}?`,
    detail:
      `xl writes the guest's memory (about ${formatSize(facts.memoryMiB * 1024 * 1024)}) and its configuration to the file. ${free}\n\n` +
      'Save and Stop: the guest stops once the file is written; Restore from File… starts it again from that moment.\n' +
      'Save and Keep Running: a copy of this moment, while the guest runs on (it pauses while its memory is written).\n\n' +
      'The save cannot be cancelled once it starts: stopping xl halfway could leave the guest suspended.',
  };
}

/** The modal before a restore: a save file resumes the guest's past, on disks that may have moved on. */
export function restoreConfirmation(file: SaveFileEntry, hostLabel: string): { message: string; detail: string } {
  return {
    message: `Restore a guest from ${file.path} on ${hostLabel}?`,
    detail:
      'The guest resumes exactly where it was saved. Its disks must be as they were at that moment: if the guest has run since ' +
      '(started from its config, or restored before), resuming this older state on its newer disks can corrupt its file systems.\n\n' +
      'The restore cannot be cancelled once it starts.',
  };
}

/** The pick's description of a save file: size and when it was written. */
export function saveFileDescription(file: SaveFileEntry): string {
  const parts: string[] = [];
  if (file.sizeBytes !== undefined) parts.push(formatSize(file.sizeBytes));
  if (file.modifiedMs !== undefined) parts.push(localStamp(new Date(file.modifiedMs)));
  return parts.join(' · ');
}

function localStamp(at: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
