// Pure builders and readers for the host's logs: the list of a guest's files in /var/log/xen, a
// bounded piece of one file read from a byte offset (or its tail), and `xl dmesg`. Nothing runs
// here. The scripts are constant text that get the guest name and paths only as positional
// parameters. The log folder is root's, so they go through sudo by the xl rule (`privileged`).
//
// A log may hold any bytes (qemu writes escape sequences, a crash may leave binary junk), and the
// runner reads stdout as UTF-8 text, which would turn invalid bytes into U+FFFD. So the file's
// bytes travel as hex (`od`, POSIX) and are decoded here, invalid bytes shown as `\xNN`.

import { badOutput } from './errors';
import type { XlCommand } from './types';

/** Where xl and qemu write a guest's logs. */
export const LOG_DIR = '/var/log/xen';
/** The most bytes of a log one read brings: a log is shown from here on, never whole when bigger. */
export const LOG_TAIL_BYTES = 1024 * 1024;
/** A listing reports at most this many files (a guest started very often has many rotated logs). */
export const LOG_LISTING_LIMIT = 200;

/** Which of a guest's logs: xl's own (`xl-NAME.log`) or the device model's (`qemu-dm-NAME.log`). */
export type GuestLogKind = 'xl' | 'qemu';

/** One log file of a guest in LOG_DIR. */
export interface LogFileEntry {
  /** The file name in LOG_DIR, e.g. `xl-web.log.1`. */
  file: string;
  kind: GuestLogKind;
  /** 0 for the current file, N for `.N` (xl renames the old ones when the guest starts again). */
  generation: number;
  sizeBytes: number;
  /** Seconds since the epoch, when the host could tell. */
  modifiedSeconds?: number;
}

export interface LogListing {
  /** False when LOG_DIR does not exist on that host. */
  folderExists: boolean;
  /** Current files first (xl, then qemu), then older ones by generation. */
  files: LogFileEntry[];
  /** More files were there than the listing keeps. */
  truncated?: boolean;
}

/** A piece of a log file, or the news that it does not exist. */
export type LogChunk =
  | { missing: true }
  | {
      missing: false;
      /** The file's size when it was read. */
      sizeBytes: number;
      /** The offset of `bytes[0]` in the file. */
      start: number;
      /** The read started over at the tail: the file shrank, was replaced, or no offset was given. */
      restarted: boolean;
      /** The file's inode number as the host printed it, to notice a rotation. */
      inode?: string;
      bytes: Uint8Array;
    };

/** The file name of a guest's current log of this kind. */
export function guestLogFile(kind: GuestLogKind, guestName: string): string {
  requireLogName(guestName);
  return kind === 'xl' ? `xl-${guestName}.log` : `qemu-dm-${guestName}.log`;
}

/** The absolute path of a file in LOG_DIR. */
export function logPath(file: string): string {
  if (file.length === 0 || file.includes('/') || file.includes('\0') || file === '.' || file === '..') {
    throw new RangeError(`invalid log file name: ${JSON.stringify(file)}`);
  }
  return `${LOG_DIR}/${file}`;
}

/**
 * The guest's log files in LOG_DIR (current and rotated, xl's and qemu's) with their sizes. The
 * name reaches the script as one positional parameter and is matched literally, so `*`, spaces
 * or `$(...)` in a guest name are just characters of a file name.
 */
export function guestLogFiles(guestName: string): XlCommand<LogListing> {
  requireLogName(guestName);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', LOG_FILES_SCRIPT, 'xen-xl-log-files', LOG_DIR, guestName, String(LOG_LISTING_LIMIT)],
    parse: (stdout) => parseLogListing(stdout, guestName),
    description: `list the logs of ${JSON.stringify(guestName)} in ${LOG_DIR}`,
  };
}

export interface ReadLogOptions {
  /** Read from this byte on; undefined reads the tail. An offset past the end reads the tail too. */
  from?: number;
  /** The inode seen last time: another one means the file was replaced, so the tail is read. */
  inode?: string;
  /** At most this many bytes (LOG_TAIL_BYTES by default). */
  maxBytes?: number;
}

/** A bounded piece of an absolute path's file, as hex on the wire (see the file comment). */
export function readLog(path: string, options: ReadLogOptions = {}): XlCommand<LogChunk> {
  if (!path.startsWith('/') || path.includes('\0')) throw new RangeError(`log path must be absolute: ${JSON.stringify(path)}`);
  const from = options.from ?? -1;
  const maxBytes = options.maxBytes ?? LOG_TAIL_BYTES;
  if (!Number.isSafeInteger(from) || from < -1) throw new RangeError(`invalid log offset: ${String(options.from)}`);
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`invalid log read size: ${String(options.maxBytes)}`);
  const inode = options.inode ?? '';
  if (!/^\d*$/.test(inode)) throw new RangeError(`invalid inode: ${JSON.stringify(inode)}`);
  return {
    program: 'sh',
    privileged: true,
    args: ['-c', READ_LOG_SCRIPT, 'xen-xl-read-log', path, String(from), String(maxBytes), inode],
    parse: parseLogChunk,
    description: from < 0 ? `read the end of ${path}` : `read ${path} from byte ${from}`,
  };
}

/** `xl dmesg`: the hypervisor's message buffer (a bounded ring, so its size is bounded too). */
export function dmesg(): XlCommand<string> {
  return { args: ['dmesg'], parse: (stdout) => stdout, description: 'read the hypervisor messages (xl dmesg)' };
}

/**
 * The logs worth opening after a failed `xl create`, from its stderr: the guest's xl log, and the
 * device model's too when the failure names it (qemu did not start or died).
 */
export function startFailureLogs(stderr: string): GuestLogKind[] {
  return /device model|qemu|qmp|libxl__spawn|dm_spawn/i.test(stderr) ? ['xl', 'qemu'] : ['xl'];
}

// --- readers ---

/** `F`, size, mtime, name for each file (NUL-separated); `M` when the folder is missing; `T` when cut. */
export function parseLogListing(stdout: string, guestName: string): LogListing {
  const fields = stdout.split('\0');
  if (fields.at(-1) === '') fields.pop();
  const listing: LogListing = { folderExists: true, files: [] };
  for (let index = 0; index < fields.length; ) {
    const tag = fields[index];
    if (tag === 'M') {
      listing.folderExists = false;
      index += 1;
    } else if (tag === 'T') {
      listing.truncated = true;
      index += 1;
    } else if (tag === 'F' && index + 3 < fields.length) {
      const [size, modified, file] = fields.slice(index + 1, index + 4).map((field) => field.trim());
      index += 4;
      if (!/^\d{1,16}$/.test(size)) throw badOutput('the log listing', `cannot read the size ${JSON.stringify(size)} of ${JSON.stringify(file)}`, stdout);
      const which = classifyLogFile(file, guestName);
      if (which === undefined) continue;
      const entry: LogFileEntry = { file, kind: which.kind, generation: which.generation, sizeBytes: Number(size) };
      if (/^\d{1,12}$/.test(modified)) entry.modifiedSeconds = Number(modified);
      listing.files.push(entry);
    } else {
      throw badOutput('the log listing', `unexpected record ${JSON.stringify(tag)}`, stdout);
    }
  }
  listing.files.sort((a, b) => a.generation - b.generation || (a.kind === b.kind ? 0 : a.kind === 'xl' ? -1 : 1) || a.file.localeCompare(b.file));
  return listing;
}

/**
 * Which log of the guest a file name is: `xl-NAME.log[.N]` or `qemu-dm-NAME.log[.N]`; other
 * suffixes (`.old`, `.gz`) count as old files after the numbered ones.
 */
export function classifyLogFile(file: string, guestName: string): { kind: GuestLogKind; generation: number } | undefined {
  for (const kind of ['xl', 'qemu'] as const) {
    const base = kind === 'xl' ? `xl-${guestName}.log` : `qemu-dm-${guestName}.log`;
    if (file === base) return { kind, generation: 0 };
    if (!file.startsWith(`${base}.`)) continue;
    const suffix = file.slice(base.length + 1);
    return { kind, generation: /^\d{1,6}$/.test(suffix) ? Number(suffix) : 1_000_000 };
  }
  return undefined;
}

/** `M` alone, or `S size start restarted inode` then the bytes as `od -An -v -tx1` prints them. */
export function parseLogChunk(stdout: string): LogChunk {
  const newline = stdout.indexOf('\n');
  const head = (newline < 0 ? stdout : stdout.slice(0, newline)).trim();
  if (head === 'M') return { missing: true };
  const match = /^S (\d{1,16}) (\d{1,16}) ([01]) ?(\d*)$/.exec(head);
  if (!match) throw badOutput('the log reader', 'the first line should say the size and where the read starts', stdout.slice(0, 200));
  const hex = newline < 0 ? '' : stdout.slice(newline + 1).replace(/\s+/g, '');
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw badOutput('the log reader', 'the bytes are not in hex', stdout.slice(0, 200));
  const chunk: LogChunk = {
    missing: false,
    sizeBytes: Number(match[1]),
    start: Number(match[2]),
    restarted: match[3] === '1',
    bytes: new Uint8Array(Buffer.from(hex, 'hex')),
  };
  if (match[4] !== '') chunk.inode = match[4];
  return chunk;
}

/**
 * Bytes of a log as text: valid UTF-8 as it is, tabs and newlines kept (a CR before LF dropped),
 * every other control byte and every byte that is not valid UTF-8 as `\xNN`. When `final` is
 * false, an incomplete character (or CR) at the very end is left for the next read: `consumed`
 * says how many bytes the text covers.
 */
export function decodeLogBytes(bytes: Uint8Array, final = true): { text: string; consumed: number } {
  const parts: string[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let runStart = 0;
  let index = 0;
  const flush = (end: number): void => {
    if (end > runStart) parts.push(buffer.toString('utf8', runStart, end));
  };
  while (index < bytes.length) {
    const byte = bytes[index];
    if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x09) {
      index += 1;
      continue;
    }
    if (byte === 0x0d) {
      if (index + 1 === bytes.length && !final) break;
      if (bytes[index + 1] === 0x0a) {
        flush(index);
        index += 1;
        runStart = index;
        continue;
      }
    }
    if (byte >= 0xc2 && byte <= 0xf4) {
      const length = utf8SequenceLength(bytes, index);
      if (length > 0) {
        index += length;
        continue;
      }
      if (length < 0 && !final) break;
    }
    flush(index);
    parts.push(`\\x${byte.toString(16).padStart(2, '0')}`);
    index += 1;
    runStart = index;
  }
  flush(index);
  return { text: parts.join(''), consumed: index };
}

/**
 * The same rule for text that arrived as a string (`xl dmesg`): control characters other than tab
 * and newline as `\xNN`, a CR before LF dropped.
 */
export function escapeLogText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// --- the scripts: constant text, data only in "$@" ---

/**
 * $1 folder, $2 guest name, $3 the most files. The quoted parts of each pattern match literally;
 * only the `.*` of rotated names is a pattern. Sizes come from `wc -c` of the open file.
 */
const LOG_FILES_SCRIPT = [
  'd=$1; n=$2; limit=$3',
  `[ -d "$d" ] || { printf 'M\\0'; exit 0; }`,
  'count=0',
  'for f in "$d/xl-$n.log" "$d/xl-$n.log".* "$d/qemu-dm-$n.log" "$d/qemu-dm-$n.log".*; do',
  '  [ -f "$f" ] || continue',
  `  if [ "$count" -ge "$limit" ]; then printf 'T\\0'; break; fi`,
  '  count=$((count + 1))',
  '  s=$(wc -c < "$f") || continue',
  '  m=$(date -r "$f" +%s 2>/dev/null) || m=',
  `  printf 'F\\0%s\\0%s\\0%s\\0' "$s" "$m" "\${f##*/}"`,
  'done',
].join('\n');

/**
 * $1 path, $2 offset (-1: the tail), $3 the most bytes, $4 the inode seen last ('' if none).
 * Prints `M` for a missing file; else `S size start restarted inode`, then the bytes in hex.
 * The file may grow between `wc` and `tail`: `head -c` keeps the read to what was announced.
 */
const READ_LOG_SCRIPT = [
  'p=$1; from=$2; max=$3; seen=$4',
  `if [ ! -e "$p" ]; then echo M; exit 0; fi`,
  'if [ ! -f "$p" ]; then echo "$p is not a regular file" >&2; exit 3; fi',
  'if [ ! -r "$p" ]; then echo "$p: Permission denied" >&2; exit 3; fi',
  'set -f',
  'set -- $(ls -di -- "$p"); ino=${1-}',
  'set -- $(wc -c < "$p"); size=${1-0}',
  'restarted=0',
  'if [ "$from" -lt 0 ] || [ "$from" -gt "$size" ] || { [ -n "$seen" ] && [ "$seen" != "$ino" ]; }; then',
  '  restarted=1',
  '  if [ "$size" -gt "$max" ]; then from=$((size - max)); else from=0; fi',
  'fi',
  'n=$((size - from)); [ "$n" -le "$max" ] || n=$max',
  'echo "S $size $from $restarted $ino"',
  'if [ "$n" -gt 0 ]; then tail -c +$((from + 1)) < "$p" | head -c "$n" | od -An -v -tx1; fi',
].join('\n');

// --- helpers ---

/** A guest name that can be part of a file name in LOG_DIR. */
function requireLogName(name: string): void {
  if (name.length === 0) throw new RangeError('guest name is empty');
  if (name.includes('/') || name.includes('\0')) throw new RangeError(`a guest name with "/" or NUL has no log file: ${JSON.stringify(name)}`);
  if (Buffer.byteLength(name) > 240) throw new RangeError('guest name is too long for a log file name');
}

/**
 * The length of the valid UTF-8 sequence starting at `index` (lead byte 0xC2..0xF4), 0 when it
 * is invalid, -1 when it is a valid start cut off by the end of the buffer.
 */
function utf8SequenceLength(bytes: Uint8Array, index: number): number {
  const lead = bytes[index];
  const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
  // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  for (let offset = 1; offset < length; offset++) {
    if (index + offset >= bytes.length) return -1;
    const byte = bytes[index + offset];
    if (offset === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return 0;
  }
  return length;
}
