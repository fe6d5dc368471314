// Pure builders (and parsers) of the host scripts around `xl save` and `xl restore`: what a save
// folder holds and how much room its file system has, making that folder, claiming a new save
// file before xl writes it, and removing a save file that a failed save left half written.
// Nothing runs here. Like hostTools.ts, each script is constant text that gets its data only as
// positional parameters, and every path must be absolute.
//
// All of them run as root (`privileged`): save files hold a guest's memory, so the folders that
// keep them (Xen's own /var/lib/xen/save, or the user's) are usually root's alone, and xl writes
// the files as root.

import { badOutput } from './errors';
import type { XlCommand } from './types';

/** Xen's own folder for save files (xendomains uses it too). */
export const DEFAULT_SAVE_FOLDER = '/var/lib/xen/save';
/** A save folder listing reports at most this many files. */
export const SAVE_FILE_LIMIT = 200;

/** A save file directly in the folder (`*.save`). */
export interface SaveFileEntry {
  name: string;
  path: string;
  /** Undefined when the file could not be looked at (it went away, or `stat` is missing). */
  sizeBytes?: number;
  /** Last change, in ms since 1970. */
  modifiedMs?: number;
}

export interface SaveFolderListing {
  folder: string;
  exists: boolean;
  /**
   * The file system that holds the folder (for a missing folder: its nearest existing parent,
   * where it would be made). Undefined when `df` gave nothing readable.
   */
  space?: { availableKiB: number; totalKiB: number };
  /** Sorted newest first (then by name); at most SAVE_FILE_LIMIT. */
  files: SaveFileEntry[];
  /** More `*.save` files were there than the listing keeps. */
  truncated?: boolean;
}

/** Whether the folder exists, the free space of its file system (`df -Pk`) and its `*.save` files. */
export function saveFolder(folder: string): XlCommand<SaveFolderListing> {
  const path = trimFolder(folder);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', SAVE_FOLDER_SCRIPT, 'xen-xl-save-folder', path, String(SAVE_FILE_LIMIT)],
    parse: (stdout) => parseSaveFolder(stdout, path),
    description: `look at the save folder ${path}`,
  };
}

/** Makes the folder (and missing parents) as root, mode 0700: it will hold guests' memory. */
export function makeSaveFolder(folder: string): XlCommand<void> {
  const path = trimFolder(folder);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', MAKE_FOLDER_SCRIPT, 'xen-xl-save-mkdir', path],
    parse: ignoreOutput,
    description: `make the folder ${path}`,
  };
}

/**
 * Creates FILE empty, exclusively and mode 0600, before `xl save` writes into it: xl itself
 * truncates whatever is at its path and makes the file readable by everyone, so claiming it
 * first keeps any existing file intact (this refuses instead) and the guest's memory private.
 */
export function claimSaveFile(file: string): XlCommand<void> {
  requireFilePath(file);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', CLAIM_FILE_SCRIPT, 'xen-xl-save-claim', file],
    parse: ignoreOutput,
    description: `create the save file ${file}`,
  };
}

/** Deletes a save file as root: only a regular file, never a link, folder or device. */
export function removeSaveFile(file: string): XlCommand<void> {
  requireFilePath(file);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', REMOVE_FILE_SCRIPT, 'xen-xl-save-remove', file],
    parse: ignoreOutput,
    description: `delete the save file ${file}`,
  };
}

/**
 * The save folder script's records: `D` or `M` (the folder exists or not), `F` and the data line
 * of `df -Pk`, `S` with a name, size and mtime per file, `T` when the limit cut the list.
 */
export function parseSaveFolder(stdout: string, folder: string): SaveFolderListing {
  const what = 'the save folder listing';
  if (stdout !== '' && !stdout.endsWith('\0')) throw badOutput(what, 'the output does not end with a NUL byte (cut short?)', stdout);
  const fields = stdout === '' ? [] : stdout.slice(0, -1).split('\0');
  const take = (index: number): string => {
    if (index >= fields.length) throw badOutput(what, 'a record is cut short', stdout);
    return fields[index];
  };
  let exists: boolean | undefined;
  const listing: SaveFolderListing = { folder, exists: false, files: [] };
  for (let i = 0; i < fields.length; ) {
    const tag = fields[i++];
    if (tag === 'D' || tag === 'M') {
      exists = tag === 'D';
    } else if (tag === 'F') {
      listing.space = parseDfLine(take(i++));
    } else if (tag === 'S') {
      const name = take(i++);
      const size = take(i++);
      const mtime = take(i++);
      if (name === '' || name.includes('/')) throw badOutput(what, `unexpected file name ${JSON.stringify(name)}`, stdout);
      const entry: SaveFileEntry = { name, path: folder === '/' ? `/${name}` : `${folder}/${name}` };
      if (/^\d+$/.test(size)) entry.sizeBytes = Number(size);
      if (/^\d+$/.test(mtime)) entry.modifiedMs = Number(mtime) * 1000;
      listing.files.push(entry);
    } else if (tag === 'T') {
      listing.truncated = true;
    } else {
      throw badOutput(what, `unknown record ${JSON.stringify(tag)}`, stdout);
    }
  }
  if (exists === undefined) throw badOutput(what, 'the folder was not reported', stdout);
  listing.exists = exists;
  listing.files.sort((a, b) => (b.modifiedMs ?? 0) - (a.modifiedMs ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return listing;
}

/**
 * The numbers of a `df -Pk` data line: `FS 1024-blocks Used Available Capacity% Mount`. Found by
 * the capacity column, since the file system's name and the mount point may hold spaces.
 */
export function parseDfLine(line: string): { availableKiB: number; totalKiB: number } | undefined {
  const match = /(?:^|\s)(\d+)\s+(\d+)\s+(\d+)\s+(?:\d+%|-)(?:\s|$)/.exec(line);
  if (match === null) return undefined;
  return { totalKiB: Number(match[1]), availableKiB: Number(match[3]) };
}

// --- the scripts: constant text, data only in "$@" (POSIX sh as dash and busybox ash run it) ---

/**
 * $1 the folder, $2 the most files to report. `df` looks at the nearest existing folder, so a
 * folder about to be made is measured where it will be. The size and mtime come from `stat -L`
 * (GNU and busybox), empty when it fails.
 */
const SAVE_FOLDER_SCRIPT = [
  'd=$1; limit=$2',
  `if [ -d "$d" ]; then printf 'D\\0'; else printf 'M\\0'; fi`,
  'p=$d',
  'while [ ! -d "$p" ]; do p=${p%/*}; [ -n "$p" ] || p=/; done',
  `line=$(df -Pk "$p" 2>/dev/null | sed -n 2p)`,
  `printf 'F\\0%s\\0' "$line"`,
  '[ -d "$d" ] || exit 0',
  'case $d in */) q=$d ;; *) q=$d/ ;; esac',
  'n=0',
  'for f in "$q"*.save; do',
  '  [ -f "$f" ] || continue',
  `  if [ "$n" -ge "$limit" ]; then printf 'T\\0'; break; fi`,
  '  n=$((n + 1))',
  `  facts=$(stat -L -c '%s %Y' "$f" 2>/dev/null) || facts=''`,
  `  printf 'S\\0%s\\0%s\\0%s\\0' "\${f##*/}" "\${facts% *}" "\${facts#* }"`,
  'done',
].join('\n');

/** $1 the folder. */
const MAKE_FOLDER_SCRIPT = ['d=$1', 'umask 077', 'mkdir -p -- "$d"'].join('\n');

/** $1 the file. Exclusive create (noclobber): an existing file, link or folder is left alone. */
const CLAIM_FILE_SCRIPT = [
  'p=$1',
  'd=${p%/*}; [ -n "$d" ] || d=/',
  'if [ ! -d "$d" ]; then echo "the folder $d does not exist" >&2; exit 2; fi',
  'if [ -e "$p" ] || [ -L "$p" ]; then echo "$p exists already; it was left as it is" >&2; exit 3; fi',
  'umask 077',
  'set -C',
  ': > "$p"',
].join('\n');

/** $1 the file. */
const REMOVE_FILE_SCRIPT = [
  'p=$1',
  'if [ -L "$p" ]; then echo "$p is a symbolic link; only a regular file is deleted, so it was left as it is" >&2; exit 3; fi',
  'if [ ! -e "$p" ]; then exit 0; fi',
  'if [ ! -f "$p" ]; then echo "$p is not a regular file; it was left as it is" >&2; exit 3; fi',
  'rm -f -- "$p"',
].join('\n');

// --- helpers ---

/** Absolute, no NUL, without trailing slashes (but `/` stays `/`). */
function trimFolder(value: string): string {
  requireAbsolute(value, 'save folder');
  return value.replace(/\/+$/, '') || '/';
}

/** An absolute path that names a file (not ending in `/`). */
function requireFilePath(value: string): void {
  requireAbsolute(value, 'save file path');
  if (value.endsWith('/')) throw new RangeError(`save file path names a folder: ${JSON.stringify(value)}`);
}

function requireAbsolute(value: string, what: string): void {
  if (value.length === 0) throw new RangeError(`${what} is empty`);
  if (value.includes('\0')) throw new RangeError(`${what} contains a NUL byte`);
  if (!value.startsWith('/')) throw new RangeError(`${what} must be absolute (start with /): ${JSON.stringify(value)}`);
}

function ignoreOutput(): void {
  return undefined;
}
