// What makes a file that no path rule claims look like a guest config: the rule by which the
// client offers to open a `.cfg` as xl and lists it in the Configs view, and by which the language
// server's workspace index counts it. One rule, so both sides count the same files.

import { SNIFF_HEAD_BYTES } from './limits';

/** Keys that nearly every guest config sets; two of them plus a quoted `name` make a file xl-looking. */
export const TELLING_KEYS: readonly string[] = ['memory', 'vcpus', 'disk', 'vif', 'type', 'builder', 'kernel', 'bootloader'];

/** A key at the start of a line, `=` or `+=`, and the first character of its value. */
const SETTING_LINE = /^[ \t]*([a-z][._0-9a-z]*)[ \t]*\+?=[ \t]*(\S?)/;

/**
 * True when the start of `text` (`SNIFF_HEAD_BYTES`) has a `name = "..."` (or single-quoted) line
 * and lines setting at least two of `TELLING_KEYS` (for example `memory` and `disk`). A line scan,
 * not a parse: the client has no parser, and a scan is cheap on files that are not configs at all.
 */
export function looksLikeGuestConfig(text: string): boolean {
  const head = text.length > SNIFF_HEAD_BYTES ? text.slice(0, SNIFF_HEAD_BYTES) : text;
  let hasName = false;
  const seen = new Set<string>();
  for (const line of head.split('\n')) {
    const match = SETTING_LINE.exec(line);
    if (match === null) continue;
    const [, key, firstValueChar] = match;
    if (key === 'name' && (firstValueChar === '"' || firstValueChar === "'")) hasName = true;
    else if (TELLING_KEYS.includes(key)) seen.add(key);
  }
  return hasName && seen.size >= 2;
}
