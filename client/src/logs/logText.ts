// What a log document shows, as pure functions of what was read: the first reading (the tail,
// with a first line saying it was cut), the appends of follow mode (a rotated or shrunken file is
// shown again from its tail), and the bound on what a followed document keeps. No `vscode`.

import { LOG_TAIL_BYTES, decodeLogBytes, escapeLogText, type LogChunk } from '../xl/logs';
import { formatSize } from '../xl/sizes';

/** A followed document keeps at most this many characters; older lines are dropped. */
export const FOLLOW_KEEP_CHARS = 2 * LOG_TAIL_BYTES;
/** When a cut lands mid-line, the partial first line is dropped if a newline comes this soon. */
const PARTIAL_LINE_LIMIT = 64 * 1024;

/** One log document's text and where the next read of its file starts. */
export interface LogView {
  /** Lines above the log's own text (what was cut), each without its newline. */
  header: string[];
  body: string;
  /** The file offset after the last byte shown (or held back as an incomplete character). */
  nextOffset: number;
  inode?: string;
  sizeBytes: number;
}

/** Where a log came from, for the header's wording. */
export interface LogPlace {
  path: string;
  hostLabel: string;
}

export function renderLog(view: LogView): string {
  return view.header.map((line) => `${line}\n`).join('') + view.body;
}

/** The document of a first reading (or of a re-read after a rotation, with `note`). */
export function firstView(chunk: Extract<LogChunk, { missing: false }>, place: LogPlace, note?: string): LogView {
  let bytes = chunk.bytes;
  let start = chunk.start;
  if (start > 0) {
    // The cut lands anywhere: start at the next whole line, if one begins soon.
    const newline = bytes.subarray(0, PARTIAL_LINE_LIMIT).indexOf(0x0a);
    if (newline >= 0) {
      bytes = bytes.subarray(newline + 1);
      start += newline + 1;
    }
  }
  const decoded = decodeLogBytes(bytes, false);
  const header: string[] = [];
  if (note !== undefined) header.push(note);
  if (start > 0) header.push(cutLine(chunk.sizeBytes, chunk.sizeBytes - start, place));
  const view: LogView = { header, body: decoded.text, nextOffset: start + decoded.consumed, sizeBytes: chunk.sizeBytes };
  if (chunk.inode !== undefined) view.inode = chunk.inode;
  return view;
}

/**
 * The document after a follow read. A chunk that restarted (the file shrank or was replaced) is
 * shown from its tail again, with a line saying so; otherwise its text is appended, and the
 * document is bounded to FOLLOW_KEEP_CHARS by dropping whole lines at its start.
 */
export function followView(view: LogView, chunk: LogChunk, place: LogPlace, now: Date): LogView {
  if (chunk.missing) return view;
  if (chunk.restarted) return firstView(chunk, place, `[${clock(now)}] ${place.path} was rotated or truncated; it is shown again from its end.`);
  const decoded = decodeLogBytes(chunk.bytes, false);
  const next: LogView = { ...view, body: view.body + decoded.text, nextOffset: chunk.start + decoded.consumed, sizeBytes: chunk.sizeBytes };
  if (chunk.inode !== undefined) next.inode = chunk.inode;
  if (next.body.length <= FOLLOW_KEEP_CHARS) return next;
  let cut = next.body.length - LOG_TAIL_BYTES;
  const newline = next.body.indexOf('\n', cut);
  if (newline >= 0 && newline - cut < PARTIAL_LINE_LIMIT) cut = newline + 1;
  const kept = next.body.slice(cut);
  return { ...next, body: kept, header: [`[Older lines were dropped while following; the whole log is ${place.path} on ${place.hostLabel}.]`] };
}

/** `xl dmesg` as a document: control characters escaped, only its last LOG_TAIL_BYTES characters. */
export function dmesgText(stdout: string, hostLabel: string): { text: string; cut: boolean } {
  const text = escapeLogText(stdout);
  if (text.length <= LOG_TAIL_BYTES) return { text, cut: false };
  let cut = text.length - LOG_TAIL_BYTES;
  const newline = text.indexOf('\n', cut);
  if (newline >= 0 && newline - cut < PARTIAL_LINE_LIMIT) cut = newline + 1;
  return { text: `[The hypervisor messages of ${hostLabel} are ${formatSize(text.length)}; only the last ${formatSize(text.length - cut)} are shown.]\n${text.slice(cut)}`, cut: true };
}

function cutLine(sizeBytes: number, shownBytes: number, place: LogPlace): string {
  return `[${place.path} on ${place.hostLabel} is ${formatSize(sizeBytes)}; only its last ${formatSize(shownBytes)} are shown.]`;
}

function clock(now: Date): string {
  return now.toTimeString().slice(0, 8);
}
