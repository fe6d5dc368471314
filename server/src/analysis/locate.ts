// Finding what is at an offset of a document: the token, the statement, the atom and the
// spec-string part under the cursor, and the context of a cursor in text being typed (a key, a
// value of which key, a string). Shared by hover, completion and the refactorings.

import { KEY_BY_NAME, type KeySpec } from '../catalogue';
import { decodeString, rawToDecoded, TokenKind, type Assignment, type AtomNode, type Token, type ValueNode, type XlDocument } from '../syntax';
import type { SpecLanguage, SpecPart } from '../specs';
import { atomOffset } from './checks/specs';
import { specTargets } from './model';

/** Index of the token with `start <= offset < end`, or -1. */
export function tokenIndexAt(document: XlDocument, offset: number): number {
  return document.tokens.indexAt(offset);
}

export function tokenAt(document: XlDocument, offset: number): Token | undefined {
  const index = tokenIndexAt(document, offset);
  return document.tokens.at(index);
}

/** The statement whose range contains `offset` (its end included). Binary search over statements. */
export function assignmentAt(document: XlDocument, offset: number): Assignment | undefined {
  const assignments = document.assignments;
  let low = 0;
  let high = assignments.length - 1;
  let found: Assignment | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (assignments[middle].start <= offset) {
      found = assignments[middle];
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found !== undefined && offset <= found.end ? found : undefined;
}

/** The innermost atom of `node` whose text contains `offset` (its end excluded), if any. */
export function atomAt(node: ValueNode | undefined, offset: number): AtomNode | undefined {
  let current = node;
  while (current !== undefined) {
    if (offset < current.start || offset >= current.end) return undefined;
    if (current.kind === 'atom') return current;
    current = current.items.find((item) => offset >= item.start && offset < item.end);
  }
  return undefined;
}

/** The offset in an atom's decoded value that a file offset inside the atom corresponds to. */
export function decodedOffset(text: string, atom: AtomNode, offset: number): number {
  if (atom.quote === undefined) return Math.max(0, Math.min(offset - atom.start, atom.value.length));
  return rawToDecoded(text.slice(atom.start + 1, Math.max(atom.start + 1, atom.end - 1)), offset - atom.start - 1);
}

/** One spec-string atom of a setting, parsed by its language. */
export interface SpecAtom {
  readonly language: SpecLanguage;
  readonly atom: AtomNode;
  readonly parts: readonly SpecPart[];
}

/** The spec atom at `offset` in a statement whose key has a value mini-language. */
export function specAtomAt(assignment: Assignment, offset: number): { spec: KeySpec; target: SpecAtom } | undefined {
  const spec = KEY_BY_NAME.get(assignment.keyText);
  if (spec?.spec === undefined || assignment.value === undefined) return undefined;
  const targets = specTargets(spec, assignment.value);
  if (targets === undefined) return undefined;
  const { language, atoms } = targets;
  for (const atom of atoms) {
    if (offset >= atom.start && offset < atom.end) return { spec, target: { language, atom, parts: language.parse(atom.value).parts } };
  }
  return undefined;
}

/** The file range of a part of a spec atom. */
export function partRange(text: string, atom: AtomNode, start: number, end: number): { start: number; end: number } {
  return { start: atomOffset(text, atom, start), end: atomOffset(text, atom, end) };
}

// ---- the context of a cursor in text being typed --------------------------------------------
//
// The parse of a half-typed line is not a reliable guide (`disk = ['phy:/dev/` has no value node
// yet), so the context of a cursor is worked out from its line and the tokens before it: inside a
// comment, inside a string (and which), at a key, or in the value of which key, how many lists deep.

/** The cursor ends a key, or is where one would start: at a statement's start. */
export interface KeyContext {
  readonly kind: 'key';
  readonly start: number;
  readonly end: number;
  /** True when `=` already follows on the line: insert only the name. */
  readonly hasOperator: boolean;
}

/** The cursor is inside a string (closed on its line or not). */
export interface StringContext {
  readonly quote: '"' | "'";
  /** Offset of the opening quote. */
  readonly open: number;
  /** The raw text between the quotes (up to the line end when the string is not closed). */
  readonly raw: string;
  readonly closed: boolean;
  /** Decoded value and the cursor's offset in it. */
  readonly value: string;
  readonly cursor: number;
}

/** The cursor is in the value of a statement, outside a string or (with `string`) inside one. */
export interface ValueContext {
  readonly kind: 'value';
  readonly key: string;
  readonly spec: KeySpec | undefined;
  /** How many lists deep the cursor is (0: the value itself). */
  readonly depth: number;
  readonly offset: number;
  /** The bare word being typed (outside quotes), as a range. */
  readonly word?: { readonly start: number; readonly end: number };
  readonly string?: StringContext;
  /** The character before the cursor is the operator: an inserted value needs a space first. */
  readonly afterOperator: boolean;
  /** The element's atom offset (the opening quote), to tell it apart from other elements. */
  readonly elementStart?: number;
}

export type CursorContext = KeyContext | ValueContext | { readonly kind: 'none' };

/**
 * What the text before `offset` makes of the cursor: typing a key, a value (of which key, in a
 * string or not) or nothing (a comment, a stray word). Completion asks at the cursor; hover asks at
 * the end of the word under the mouse.
 */
export function cursorContext(document: XlDocument, offset: number): CursorContext {
  const text = document.text;
  const line = document.lineIndex.lineAt(offset);
  const lineStart = document.lineIndex.lineStart(line);
  const lineEnd = document.lineIndex.lineEnd(line);
  const scan = scanLine(text, lineStart, lineEnd, offset);
  if (scan.state === 'comment') return { kind: 'none' };

  if (scan.state === 'string') {
    const closeAt = scan.close;
    const raw = text.slice(scan.open + 1, closeAt ?? lineEnd);
    const rawCursor = offset - scan.open - 1;
    const value = decodeString(`${scan.quote}${raw}${scan.quote}`).value;
    const string: StringContext = { quote: scan.quote, open: scan.open, raw, closed: closeAt !== undefined, value, cursor: rawToDecoded(raw, rawCursor) };
    const owner = statementOwner(document, tokenIndexAt(document, scan.open) - 1);
    if (owner.kind !== 'value') return { kind: 'none' };
    return { ...owner, offset, string, afterOperator: false, elementStart: scan.open };
  }

  const index = tokenIndexAt(document, offset - 1);
  const before = document.tokens.at(index);
  let word: { start: number; end: number } | undefined;
  let from = index;
  if (before !== undefined && (before.kind === TokenKind.Ident || before.kind === TokenKind.Number || before.kind === TokenKind.Error)) {
    word = { start: before.start, end: before.end };
    from = index - 1;
  }
  const owner = statementOwner(document, from);
  if (owner.kind === 'statement') {
    // A key is typed only where a statement starts: nothing but blanks before it on the line.
    let previous = from;
    while (previous >= 0 && document.tokens.kind(previous) === TokenKind.Whitespace) previous--;
    const previousKind = previous >= 0 ? document.tokens.kind(previous) : undefined;
    if (previousKind !== undefined && previousKind !== TokenKind.Newline && previousKind !== TokenKind.Semicolon) return { kind: 'none' };
    if (word !== undefined && before!.kind !== TokenKind.Ident) return { kind: 'none' };
    const start = word?.start ?? offset;
    const end = word?.end ?? offset;
    return { kind: 'key', start, end, hasOperator: operatorFollows(document, end, lineEnd) };
  }
  if (owner.kind === 'none') return owner;
  return { ...owner, offset, word, afterOperator: before !== undefined && (before.kind === TokenKind.Assign || before.kind === TokenKind.PlusAssign) && before.end === offset };
}

type Owner = { kind: 'statement' } | { kind: 'none' } | { kind: 'value'; key: string; spec: KeySpec | undefined; depth: number };

/**
 * Walks back from token `from` to the statement the cursor belongs to: the nearest `key =` with
 * the brackets in between telling how deep in its list the cursor is. A newline outside any open
 * list means the cursor is past that statement, at the start of a new one.
 */
function statementOwner(document: XlDocument, from: number): Owner {
  const tokens = document.tokens;
  let closed = 0;
  let open = 0;
  let newline = false;
  for (let index = from; index >= 0; index--) {
    switch (tokens.kind(index)) {
      case TokenKind.Newline:
        if (closed === 0 && open === 0) newline = true;
        break;
      case TokenKind.RBracket:
        closed++;
        break;
      case TokenKind.LBracket:
        if (closed > 0) closed--;
        else open++;
        break;
      case TokenKind.Semicolon:
        if (closed === 0 && open === 0) return { kind: 'statement' };
        break;
      case TokenKind.Assign:
      case TokenKind.PlusAssign: {
        if (open === 0 && newline) return { kind: 'statement' };
        let keyIndex = index - 1;
        while (keyIndex >= 0 && tokens.kind(keyIndex) === TokenKind.Whitespace) keyIndex--;
        if (keyIndex < 0 || tokens.kind(keyIndex) !== TokenKind.Ident) return { kind: 'none' };
        const key = document.text.slice(tokens.start(keyIndex), tokens.end(keyIndex));
        return { kind: 'value', key, spec: KEY_BY_NAME.get(key), depth: open };
      }
      default:
        break;
    }
  }
  return open === 0 ? { kind: 'statement' } : { kind: 'none' };
}

type LineScan = { state: 'code' } | { state: 'comment' } | { state: 'string'; open: number; quote: '"' | "'"; close: number | undefined };

/** Scans a line up to the cursor like the lexer does, to tell whether the cursor is in a string or comment. */
function scanLine(text: string, lineStart: number, lineEnd: number, offset: number): LineScan {
  let index = lineStart;
  while (index < offset) {
    const char = text[index];
    if (char === '#') return { state: 'comment' };
    if (char === '"' || char === "'") {
      let end = index + 1;
      while (end < lineEnd && text[end] !== char) end += text[end] === '\\' ? 2 : 1;
      const close = end < lineEnd ? end : undefined;
      if (close === undefined || close >= offset) return { state: 'string', open: index, quote: char, close };
      index = close + 1;
      continue;
    }
    index++;
  }
  return { state: 'code' };
}

function operatorFollows(document: XlDocument, from: number, lineEnd: number): boolean {
  let index = tokenIndexAt(document, from);
  while (index >= 0 && index < document.tokens.length && document.tokens.start(index) < lineEnd) {
    const kind = document.tokens.kind(index);
    if (kind === TokenKind.Assign || kind === TokenKind.PlusAssign) return true;
    if (kind !== TokenKind.Whitespace) return false;
    index++;
  }
  return false;
}
