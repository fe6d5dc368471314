// Pure builders of the host commands a new guest needs besides xl: LVM (list volume groups and
// volumes, create and remove a volume), image files, the ISO folders, bridges and tools, and the
// autostart folder. Nothing runs here. LVM tools take names as separate argv entries after their
// option or `--`; the `sh` scripts are constant text and get their data only as positional
// parameters, and every path handed to them must be absolute, so no value can become an option
// or shell syntax.

import { formatSize } from './sizes';
import {
  parseAutostartEntries,
  parseHostToolFacts,
  parseIsoListing,
  parseLogicalVolumes,
  parsePathsExist,
  parseVolumeGroups,
} from './hostParsers';
import { CONFIG_TEXT_PATH } from './types';
import type { AutostartEntry, HostToolFacts, IsoListing, LogicalVolume, VolumeGroup, XlCommand } from './types';

/** The folder whose entries xendomains starts at boot. */
export const AUTOSTART_DIR = '/etc/xen/auto';
/** An ISO listing keeps at most this many files, so a huge folder cannot flood the UI. */
export const ISO_LIMIT = 500;
/** An autostart listing reads at most this many entries. */
export const AUTOSTART_LIMIT = 1000;

/** `vgs` in JSON with sizes in bytes. Runs through sudo like xl (LVM reads devices as root). */
export function volumeGroups(): XlCommand<VolumeGroup[]> {
  return {
    program: 'vgs',
    args: [...LVM_JSON_REPORT, '-o', 'vg_name,vg_size,vg_free,vg_extent_size'],
    parse: parseVolumeGroups,
    description: 'list the LVM volume groups',
  };
}

/** `lvs` in JSON with sizes in bytes; volumes without a device node are left out. */
export function logicalVolumes(): XlCommand<LogicalVolume[]> {
  return {
    program: 'lvs',
    args: [...LVM_JSON_REPORT, '-o', 'lv_name,vg_name,lv_path,lv_size,lv_attr'],
    parse: parseLogicalVolumes,
    description: 'list the LVM logical volumes',
  };
}

/**
 * `lvcreate --yes --wipesignatures y -n NAME -L <bytes>b -- VG`. lvcreate itself refuses a name
 * that exists in the group and a size beyond its free space. `--yes` answers the question about
 * an old file system signature in the new volume's space (the wipe removes it, so a new guest
 * never sees a stale one), so the call never waits for input. The size is rounded up to whole
 * 512-byte sectors, as lvcreate wants bytes; it rounds up further to whole extents itself.
 */
export function createVolume(vg: string, name: string, sizeBytes: number): XlCommand<void> {
  requireLvmName(vg, 'volume group name');
  requireLvmName(name, 'logical volume name');
  const bytes = Math.ceil(requireSize(sizeBytes) / 512) * 512;
  return {
    program: 'lvcreate',
    args: ['--yes', '--wipesignatures', 'y', '-n', name, '-L', `${bytes}b`, '--', vg],
    parse: ignoreOutput,
    description: `create the logical volume ${JSON.stringify(name)} of ${formatSize(bytes)} in volume group ${JSON.stringify(vg)}`,
  };
}

/** `lvremove --yes -- VG/NAME`: its data is gone. lvremove refuses a volume that is in use. */
export function removeVolume(vg: string, name: string): XlCommand<void> {
  requireLvmName(vg, 'volume group name');
  requireLvmName(name, 'logical volume name');
  return {
    program: 'lvremove',
    args: ['--yes', '--', `${vg}/${name}`],
    parse: ignoreOutput,
    description: `remove the logical volume /dev/${vg}/${name}`,
  };
}

/**
 * A new disk image at an absolute path, as root: `raw` is a sparse file (`truncate -s`), `qcow2`
 * is made by `qemu-img create -f qcow2`. The file is first created exclusively (noclobber), so an
 * existing file, link or device is never touched; on a later failure the new file is removed.
 * Mode 0600: a guest's disk is nobody else's business.
 */
export function createImage(path: string, sizeBytes: number, format: 'raw' | 'qcow2'): XlCommand<void> {
  requireAbsolutePath(path, 'image path');
  if (path.endsWith('/')) throw new RangeError(`image path names a folder: ${JSON.stringify(path)}`);
  const bytes = requireSize(sizeBytes);
  if (format !== 'raw' && format !== 'qcow2') throw new RangeError(`unknown image format: ${JSON.stringify(format)}`);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', CREATE_IMAGE_SCRIPT, 'xen-xl-create-image', path, String(bytes), format],
    parse: ignoreOutput,
    description: `create the image file ${path} (${formatSize(bytes)}, ${format})`,
  };
}

/** Deletes an image file as root: only a regular file, never a link, folder or device. */
export function removeImage(path: string): XlCommand<void> {
  requireAbsolutePath(path, 'image path');
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', REMOVE_IMAGE_SCRIPT, 'xen-xl-remove-image', path],
    parse: ignoreOutput,
    description: `delete the image file ${path}`,
  };
}

/**
 * The ISO images directly in each folder (`*.iso`, `*.ISO`; links to regular files count), read
 * as the login user, at most ISO_LIMIT in all. Only the folders themselves are read, never their
 * subfolders.
 */
export function isoFiles(folders: string[]): XlCommand<IsoListing> {
  const asked = folders.map((folder) => trimFolder(folder, 'ISO folder'));
  return {
    program: 'sh',
    args: ['-c', ISO_FILES_SCRIPT, 'xen-xl-isos', String(ISO_LIMIT), ...asked],
    parse: (stdout) => parseIsoListing(stdout, asked),
    description: `list the ISO images in ${asked.length === 1 ? asked[0] : `${asked.length} folders`}`,
  };
}

/** The host's bridges and whether lvcreate and qemu-img are there; read as the login user. */
export function hostToolFacts(): XlCommand<HostToolFacts> {
  return {
    program: 'sh',
    args: ['-c', HOST_TOOL_FACTS_SCRIPT, 'xen-xl-host-facts'],
    parse: parseHostToolFacts,
    description: 'list the bridges and disk tools of the host',
  };
}

/**
 * Which of these absolute paths exist (a dangling link counts), in the order given; read as the
 * login user, so a path inside a folder that user may not search reads as missing.
 */
export function pathsExist(paths: string[]): XlCommand<string[]> {
  const asked = paths.map((path) => {
    requireAbsolutePath(path, 'path');
    return path;
  });
  return {
    program: 'sh',
    args: ['-c', PATHS_EXIST_SCRIPT, 'xen-xl-paths-exist', ...asked],
    parse: (stdout) => parsePathsExist(stdout, asked),
    description: `check whether ${asked.length === 1 ? asked[0] : `${asked.length} paths`} exist${asked.length === 1 ? 's' : ''}`,
  };
}

/**
 * The entries of the autostart folder (as xendomains sees them: names not starting with a dot),
 * with the target of each link; a missing folder is an empty list. Read as the login user.
 */
export function autostartEntries(dir: string = AUTOSTART_DIR): XlCommand<AutostartEntry[]> {
  const folder = trimFolder(dir, 'autostart folder');
  return {
    program: 'sh',
    args: ['-c', AUTOSTART_ENTRIES_SCRIPT, 'xen-xl-autostart-list', folder, String(AUTOSTART_LIMIT)],
    parse: parseAutostartEntries,
    description: `list the autostart entries in ${folder}`,
  };
}

/**
 * As root: makes the autostart folder if needed and links DIR/BASENAME to the config (a config of
 * this host). Refuses when that entry exists, whatever it is.
 */
export function autostartLink(configPath: string, dir: string = AUTOSTART_DIR): XlCommand<void> {
  requireAbsolutePath(configPath, 'config path');
  const folder = trimFolder(dir, 'autostart folder');
  const fileName = configPath.slice(configPath.lastIndexOf('/') + 1);
  requireAutostartName(fileName);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', AUTOSTART_LINK_SCRIPT, 'xen-xl-autostart-link', configPath, folder, fileName],
    parse: ignoreOutput,
    description: `link ${joinPath(folder, fileName)} to ${configPath} so it starts at boot`,
  };
}

/**
 * As root: installs config TEXT (a config that lives in the workspace, not on that host) as
 * DIR/FILENAME, mode 0600. The runner hands the text over in a temporary file, as for `xl
 * create`; `label` names the user's file in messages. Refuses when that entry exists.
 */
export function autostartCopy(text: string, label: string, fileName: string, dir: string = AUTOSTART_DIR): XlCommand<void> {
  requireText(label, 'config label');
  if (text.includes('\0')) throw new RangeError('config text contains a NUL byte');
  requireAutostartName(fileName);
  const folder = trimFolder(dir, 'autostart folder');
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', AUTOSTART_COPY_SCRIPT, 'xen-xl-autostart-copy', CONFIG_TEXT_PATH, folder, fileName],
    configText: { text, label },
    parse: ignoreOutput,
    description: `copy ${label} to ${joinPath(folder, fileName)} so it starts at boot`,
  };
}

/** As root: removes DIR/FILENAME only when it is a link or a regular file. */
export function autostartRemove(fileName: string, dir: string = AUTOSTART_DIR): XlCommand<void> {
  requireAutostartName(fileName);
  const folder = trimFolder(dir, 'autostart folder');
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', AUTOSTART_REMOVE_SCRIPT, 'xen-xl-autostart-remove', folder, fileName],
    parse: ignoreOutput,
    description: `remove ${joinPath(folder, fileName)} from autostart`,
  };
}

// --- the scripts: constant text, data only in "$@" ---
// Written for POSIX sh as dash and busybox ash run it (a dom0 may have either). Records are
// NUL-separated, since a file name may hold any byte but NUL. Messages go to stderr and name the
// path, which the runner's error then carries.

/** $1 path, $2 size in bytes, $3 raw | qcow2. */
const CREATE_IMAGE_SCRIPT = [
  'p=$1; size=$2; format=$3',
  'umask 077',
  'd=${p%/*}; [ -n "$d" ] || d=/',
  'if [ ! -d "$d" ]; then echo "the folder $d does not exist" >&2; exit 2; fi',
  'if [ -e "$p" ] || [ -L "$p" ]; then echo "$p exists already; it was left as it is" >&2; exit 3; fi',
  'if [ "$format" = qcow2 ] && ! command -v qemu-img >/dev/null 2>&1; then echo "qemu-img: not found" >&2; exit 127; fi',
  // Exclusive create: a file that appeared since the check is not truncated.
  'set -C',
  ': > "$p" || exit 1',
  'set +C',
  'if [ "$format" = qcow2 ]; then qemu-img create -q -f qcow2 -- "$p" "$size" || { rm -f -- "$p"; exit 1; }',
  'else truncate -s "$size" -- "$p" || { rm -f -- "$p"; exit 1; }',
  'fi',
].join('\n');

/** $1 path. */
const REMOVE_IMAGE_SCRIPT = [
  'p=$1',
  'if [ -L "$p" ]; then echo "$p is a symbolic link; only a regular file is deleted, so it was left as it is" >&2; exit 3; fi',
  'if [ ! -e "$p" ]; then echo "$p does not exist" >&2; exit 3; fi',
  'if [ ! -f "$p" ]; then echo "$p is not a regular file; it was left as it is" >&2; exit 3; fi',
  'rm -f -- "$p"',
].join('\n');

/**
 * $1 the most ISOs to report, then the folders. Prints per folder `M` (missing) or `D`
 * (there) and the folder, then `I`, the size and the path of each ISO; `T` once the limit cut
 * the list. The size is field 5 of `ls -lnLd` (POSIX), read without globbing the name.
 */
const ISO_FILES_SCRIPT = [
  'limit=$1; shift',
  'n=0',
  'for d do',
  `  if [ ! -d "$d" ]; then printf 'M\\0%s\\0' "$d"; continue; fi`,
  `  printf 'D\\0%s\\0' "$d"`,
  '  case $d in */) p=$d ;; *) p=$d/ ;; esac',
  '  for f in "$p"*.iso "$p"*.ISO; do',
  '    [ -f "$f" ] || continue',
  `    if [ "$n" -ge "$limit" ]; then printf 'T\\0'; break; fi`,
  '    n=$((n + 1))',
  `    s=$(set -f; set -- $(ls -lnLd -- "$f" 2>/dev/null); printf '%s' "\${5-}")`,
  `    printf 'I\\0%s\\0%s\\0' "$s" "$f"`,
  '  done',
  'done',
].join('\n');

/** Prints `B` and the name of each bridge, `T` and the name of each tool found. */
const HOST_TOOL_FACTS_SCRIPT = [
  'for b in /sys/class/net/*/bridge; do',
  '  [ -d "$b" ] || continue',
  '  n=${b%/bridge}; n=${n##*/}',
  `  printf 'B\\0%s\\0' "$n"`,
  'done',
  'for t in lvcreate qemu-img; do',
  `  if command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || [ -x "/sbin/$t" ]; then printf 'T\\0%s\\0' "$t"; fi`,
  'done',
].join('\n');

/** Prints the 1-based number of each argument that exists, one a line. */
const PATHS_EXIST_SCRIPT = ['i=0', 'for p do', '  i=$((i + 1))', '  if [ -e "$p" ] || [ -L "$p" ]; then echo "$i"; fi', 'done'].join('\n');

/**
 * $1 the folder, $2 the most entries to read. Prints `E` and the name of each entry, followed by
 * `L` and the target for a link (readlink's newline removed, the target's own kept).
 */
const AUTOSTART_ENTRIES_SCRIPT = [
  'd=$1; limit=$2',
  '[ -d "$d" ] || exit 0',
  'n=0',
  'for f in "$d"/*; do',
  '  [ -e "$f" ] || [ -L "$f" ] || continue',
  '  n=$((n + 1)); [ "$n" -le "$limit" ] || break',
  `  printf 'E\\0%s\\0' "\${f##*/}"`,
  `  if [ -L "$f" ]; then t=$(readlink -- "$f"; printf x); t=\${t%x}; printf 'L\\0%s\\0' "\${t%?}"; fi`,
  'done',
].join('\n');

/** $1 config, $2 folder, $3 entry name. The folder is made 0755 even under the runner's umask 077. */
const AUTOSTART_LINK_SCRIPT = [
  'c=$1; d=$2; name=$3',
  'if [ ! -f "$c" ]; then echo "$c does not exist or is not a file" >&2; exit 3; fi',
  'umask 022',
  'mkdir -p -- "$d" || exit 1',
  'l=$d/$name',
  'if [ -e "$l" ] || [ -L "$l" ]; then echo "$l exists already; it was left as it is" >&2; exit 3; fi',
  'ln -s -- "$c" "$l"',
].join('\n');

/** $1 the file with the text, $2 folder, $3 entry name. */
const AUTOSTART_COPY_SCRIPT = [
  'src=$1; d=$2; name=$3',
  'umask 022',
  'mkdir -p -- "$d" || exit 1',
  'umask 077',
  't=$d/$name',
  'if [ -e "$t" ] || [ -L "$t" ]; then echo "$t exists already; it was left as it is" >&2; exit 3; fi',
  'set -C',
  ': > "$t" || exit 1',
  'set +C',
  'cat -- "$src" > "$t" || { rm -f -- "$t"; exit 1; }',
].join('\n');

/** $1 folder, $2 entry name. */
const AUTOSTART_REMOVE_SCRIPT = [
  'd=$1; name=$2; t=$d/$name',
  'if [ -L "$t" ] || [ -f "$t" ]; then rm -f -- "$t"; exit; fi',
  'if [ -e "$t" ]; then echo "$t is neither a link nor a file; it was left as it is" >&2; else echo "$t does not exist" >&2; fi',
  'exit 3',
].join('\n');

// --- helpers ---

/** LVM's report options: JSON, sizes as plain byte counts. */
const LVM_JSON_REPORT = ['--reportformat', 'json', '--units', 'b', '--nosuffix'];

/** LVM's own rule for VG and LV names: 1-127 of A-Z a-z 0-9 + _ . -, not starting with -, not . or .. */
function requireLvmName(value: string, what: string): void {
  if (!/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$/.test(value) || value === '.' || value === '..') {
    throw new RangeError(`invalid ${what} ${JSON.stringify(value)}: LVM allows letters, digits and + _ . - (not first), at most 127`);
  }
}

/** A size in bytes for a new volume or image: a whole number from 1 to 2^53. */
function requireSize(sizeBytes: number): number {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) throw new RangeError(`invalid size in bytes: ${String(sizeBytes)}`);
  return sizeBytes;
}

/** Empty strings and NUL bytes can never be arguments (argv strings end at NUL). */
function requireText(value: string, what: string): void {
  if (value.length === 0) throw new RangeError(`${what} is empty`);
  if (value.includes('\0')) throw new RangeError(`${what} contains a NUL byte`);
}

/** Absolute, so that no path can be read as an option by the programs the scripts run. */
function requireAbsolutePath(value: string, what: string): void {
  requireText(value, what);
  if (!value.startsWith('/')) throw new RangeError(`${what} must be absolute (start with /): ${JSON.stringify(value)}`);
}

/** An absolute folder without trailing slashes (but `/` stays `/`). */
function trimFolder(value: string, what: string): string {
  requireAbsolutePath(value, what);
  return value.replace(/\/+$/, '') || '/';
}

/** An autostart entry: a plain name that xendomains would start (no slash, no leading dot). */
function requireAutostartName(value: string): void {
  requireText(value, 'autostart file name');
  if (value.includes('/')) throw new RangeError(`autostart file name must not contain "/": ${JSON.stringify(value)}`);
  if (value.startsWith('.')) throw new RangeError(`autostart file name must not start with "." (xendomains skips such names): ${JSON.stringify(value)}`);
  if (Buffer.byteLength(value) > 255) throw new RangeError('autostart file name is longer than 255 bytes');
}

function joinPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}


function ignoreOutput(): void {
  return undefined;
}
