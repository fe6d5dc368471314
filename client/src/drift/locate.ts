// Where a key is set in xl.cfg text, for placing drift diagnostics: the last top-level
// assignment of the key (the one xl uses), and for lists the range of each element. A small
// scanner that knows comments, both quote styles and multi-line lists; the client shares no code
// with the language server, and this needs far less than its parser.

import type { DriftItem, DriftKey } from './compare';

/** Offsets into the text: `start` inclusive, `end` exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

export interface Assignment {
  key: string;
  /** `+=` appends to a list set before. */
  append: boolean;
  /** From the key to the end of the value. */
  range: TextRange;
  keyRange: TextRange;
  /** For a list value: each element, quotes included. */
  elements?: TextRange[];
}

/** Every assignment in order. Lines that are not `KEY = VALUE` (or `+=`) are skipped. */
export function scanAssignments(text: string): Assignment[] {
  const found: Assignment[] = [];
  let pos = 0;
  const length = text.length;
  while (pos < length) {
    pos = skipBlank(text, pos, true);
    if (pos >= length) break;
    const keyEnd = identifierEnd(text, pos);
    if (keyEnd === pos) {
      pos = statementEnd(text, pos);
      continue;
    }
    const keyRange = { start: pos, end: keyEnd };
    let cursor = skipBlank(text, keyEnd, false);
    let append = false;
    if (text.startsWith('+=', cursor)) {
      append = true;
      cursor += 2;
    } else if (text[cursor] === '=') {
      cursor += 1;
    } else {
      pos = statementEnd(text, keyEnd);
      continue;
    }
    cursor = skipBlank(text, cursor, false);
    const value = readValue(text, cursor);
    const assignment: Assignment = { key: text.slice(keyRange.start, keyRange.end), append, keyRange, range: { start: keyRange.start, end: value.end } };
    if (value.elements !== undefined) assignment.elements = value.elements;
    found.push(assignment);
    pos = value.end;
  }
  return found;
}

/**
 * The key's effective assignment: the last `=` (with the elements of any `+=` after it). Undefined
 * when the text never sets the key.
 */
export function locateKey(text: string, key: string, assignments = scanAssignments(text)): Assignment | undefined {
  let effective: Assignment | undefined;
  for (const assignment of assignments) {
    if (assignment.key !== key) continue;
    if (!assignment.append || effective === undefined) {
      effective = { ...assignment, ...(assignment.elements ? { elements: [...assignment.elements] } : {}) };
    } else {
      effective.elements = [...(effective.elements ?? []), ...(assignment.elements ?? [])];
    }
  }
  return effective;
}

/** Keys that set what a drift key compares, best first (maxmem defaults to memory, and so on). */
const SOURCES: Record<DriftKey, string[]> = {
  type: ['type', 'builder'],
  memory: ['memory'],
  maxmem: ['maxmem', 'memory'],
  vcpus: ['vcpus'],
  maxvcpus: ['maxvcpus', 'vcpus'],
  boot: ['boot'],
  disk: ['disk'],
  vif: ['vif'],
};

/**
 * Where a drift item belongs in the text: the list element of its device when the file has it,
 * else the assignment of the key that decides it, else the `name` line (a default that the file
 * does not spell out), else the start of the text.
 */
export function locateDrift(text: string, drift: Pick<DriftItem, 'key' | 'element'>, assignments = scanAssignments(text)): TextRange {
  for (const key of SOURCES[drift.key]) {
    const found = locateKey(text, key, assignments);
    if (found === undefined) continue;
    if (drift.element !== undefined && found.elements !== undefined && drift.element < found.elements.length) return found.elements[drift.element];
    return found.range;
  }
  const name = locateKey(text, 'name', assignments);
  return name?.range ?? { start: 0, end: Math.min(text.length, lineEnd(text, 0)) };
}

// --- scanning ---

function isIdentifierStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function identifierEnd(text: string, pos: number): number {
  if (!isIdentifierStart(text.charCodeAt(pos))) return pos;
  let end = pos + 1;
  while (end < text.length && isIdentifierPart(text.charCodeAt(end))) end += 1;
  return end;
}

/** Skips spaces and tabs, comments too, and newlines and `;` between statements when asked. */
function skipBlank(text: string, pos: number, betweenStatements: boolean): number {
  while (pos < text.length) {
    const char = text[pos];
    if (char === ' ' || char === '\t' || char === '\r') pos += 1;
    else if (betweenStatements && (char === '\n' || char === ';')) pos += 1;
    else if (betweenStatements && char === '#') pos = lineEnd(text, pos);
    else break;
  }
  return pos;
}

function lineEnd(text: string, pos: number): number {
  const newline = text.indexOf('\n', pos);
  return newline === -1 ? text.length : newline;
}

/** The end of a statement that is not an assignment: its line, strings and all. */
function statementEnd(text: string, pos: number): number {
  while (pos < text.length && text[pos] !== '\n' && text[pos] !== ';') {
    if (text[pos] === '"' || text[pos] === "'") pos = stringEnd(text, pos);
    else if (text[pos] === '#') return lineEnd(text, pos);
    else pos += 1;
  }
  return pos;
}

/** After the closing quote; a backslash escapes the next character; a string ends at its line's end. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  let pos = start + 1;
  while (pos < text.length) {
    const char = text[pos];
    if (char === '\n') return pos;
    if (char === '\\' && pos + 1 < text.length && text[pos + 1] !== '\n') pos += 2;
    else if (char === quote) return pos + 1;
    else pos += 1;
  }
  return pos;
}

/** A bare word (number, identifier) ends at a blank, `;`, `,`, `]`, `#` or a newline. */
function atomEnd(text: string, pos: number): number {
  while (pos < text.length && !/[\s;,\]#]/.test(text[pos])) pos += 1;
  return pos;
}

function readValue(text: string, pos: number): { end: number; elements?: TextRange[] } {
  const char = text[pos];
  if (char === '[') return readList(text, pos);
  if (char === '"' || char === "'") return { end: stringEnd(text, pos) };
  return { end: atomEnd(text, pos) };
}

/** A list may span lines and hold comments; an unclosed list ends where the text does. */
function readList(text: string, open: number): { end: number; elements: TextRange[] } {
  const elements: TextRange[] = [];
  let pos = open + 1;
  while (pos < text.length) {
    const char = text[pos];
    if (char === ']') return { end: pos + 1, elements };
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n' || char === ',') pos += 1;
    else if (char === '#') pos = lineEnd(text, pos);
    else if (char === '"' || char === "'") {
      const end = stringEnd(text, pos);
      elements.push({ start: pos, end });
      pos = end;
    } else if (char === '[' || char === ';') {
      // Not xl syntax inside a list: step over it rather than loop.
      pos += 1;
    } else {
      // At least one character, so an odd blank (form feed) cannot stall the scan.
      const end = Math.max(atomEnd(text, pos), pos + 1);
      elements.push({ start: pos, end });
      pos = end;
    }
  }
  return { end: pos, elements };
}

/** The 0-based line and character of an offset (the editor's positions, `\r\n` counted as a line end). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < clamped; newline = text.indexOf('\n', newline + 1)) {
    line += 1;
    lineStart = newline + 1;
  }
  return { line, character: clamped - lineStart };
}
