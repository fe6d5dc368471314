// Where a guest's device is written in its config: the string of the `disk = [...]` or `vif =
// [...]` list that names a disk's target (or its virtual device) or an interface's MAC, so Open
// Config Line can select it. A small scan that knows xl.cfg's comments, strings and multi-line
// lists; the client shares no code with the language server. Pure.

export interface ConfigSpan {
  start: number;
  end: number;
}

/** What to look for: in the last `key = ...` statement, the first string naming one of `needles`. */
export interface ConfigEntryQuery {
  key: 'disk' | 'vif';
  /** Tried in order: a disk's target then its vdev; an interface's MAC. */
  needles: string[];
  /** Without a match, the string at this position of the list (a NIC's device id). */
  index?: number;
  /** MACs compare without case. */
  ignoreCase?: boolean;
}

export type ConfigEntryMatch = ConfigSpan & { matched: 'entry' | 'key' };

interface Assignment {
  key: string;
  keySpan: ConfigSpan;
  /** The string literals of the value, with their quotes, and their text without them. */
  strings: (ConfigSpan & { text: string })[];
}

/** The entry's string (quotes included), else the key of its statement, else undefined. */
export function locateConfigEntry(text: string, query: ConfigEntryQuery): ConfigEntryMatch | undefined {
  const statement = scanAssignments(text).filter((assignment) => assignment.key === query.key).at(-1);
  if (statement === undefined) return undefined;
  for (const needle of query.needles) {
    if (needle === '') continue;
    const found = statement.strings.find((entry) => containsItem(entry.text, needle, query.ignoreCase === true));
    if (found) return { start: found.start, end: found.end, matched: 'entry' };
  }
  const byIndex = query.index === undefined ? undefined : statement.strings[query.index];
  if (byIndex) return { start: byIndex.start, end: byIndex.end, matched: 'entry' };
  return { ...statement.keySpan, matched: 'key' };
}

/**
 * Every top-level `KEY = VALUE` (or `KEY += VALUE`) statement. A statement ends at a newline or
 * `;` outside brackets and strings; `#` starts a comment outside strings.
 */
function scanAssignments(text: string): Assignment[] {
  const found: Assignment[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '#') {
      index = lineEnd(text, index);
      continue;
    }
    if (!/[A-Za-z_]/.test(char)) {
      // Blank space, `;`, or a line we do not understand: go on at the next character / line.
      index = /[\s;]/.test(char) ? index + 1 : lineEnd(text, index);
      continue;
    }
    const keyStart = index;
    while (index < text.length && /[A-Za-z0-9_]/.test(text[index])) index++;
    const keySpan = { start: keyStart, end: index };
    while (text[index] === ' ' || text[index] === '\t') index++;
    if (text[index] === '+' && text[index + 1] === '=') index += 2;
    else if (text[index] === '=') index += 1;
    else {
      index = lineEnd(text, index);
      continue;
    }
    const assignment: Assignment = { key: text.slice(keySpan.start, keySpan.end), keySpan, strings: [] };
    index = scanValue(text, index, assignment);
    found.push(assignment);
  }
  return found;
}

/** Reads a value up to its statement's end; returns where the next statement may start. */
function scanValue(text: string, index: number, assignment: Assignment): number {
  let depth = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'") {
      const start = index;
      index++;
      while (index < text.length && text[index] !== char && text[index] !== '\n') index += text[index] === '\\' ? 2 : 1;
      const end = Math.min(index + 1, text.length);
      assignment.strings.push({ start, end, text: text.slice(start + 1, index) });
      index = end;
      continue;
    }
    if (char === '#') {
      index = lineEnd(text, index);
      continue;
    }
    if (char === '[') depth++;
    else if (char === ']') depth = Math.max(0, depth - 1);
    else if ((char === '\n' || char === ';') && depth === 0) return index + 1;
    index++;
  }
  return index;
}

/** Whether `needle` is one item of a spec string: bounded by its start/end, `,`, `:`, space, or (before it) `=`. */
function containsItem(spec: string, needle: string, ignoreCase: boolean): boolean {
  const haystack = ignoreCase ? spec.toLowerCase() : spec;
  const wanted = ignoreCase ? needle.toLowerCase() : needle;
  for (let at = haystack.indexOf(wanted); at >= 0; at = haystack.indexOf(wanted, at + 1)) {
    const before = at === 0 ? '' : haystack[at - 1];
    const after = haystack[at + wanted.length] ?? '';
    if ((before === '' || /[,:=\s]/.test(before)) && (after === '' || /[,:\s]/.test(after))) return true;
  }
  return false;
}

function lineEnd(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline < 0 ? text.length : newline + 1;
}
