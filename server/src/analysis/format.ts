// Feature: Formatting. A layout normaliser for xl configs that never changes what xl reads: the
// decoded settings of the output equal those of the input, and formatting twice changes nothing.

/**
 * Contract: what `format` changes, and nothing else.
 *
 * 1. In a statement without syntax problems: exactly one space on each side of `=` or `+=`.
 * 2. Lists in such a statement: `[ a, b ]` on one line when the whole statement fits in
 *    `maxLineLength` columns (`[]` when empty); otherwise `[`, then one element per line indented by
 *    `indent` per level and followed by a comma, then `]` on its own line. A list that holds a
 *    comment is always laid out one element per line; each comment stays where it was relative to
 *    the elements (after an element on its line, or on a line of its own), and runs of blank lines
 *    inside a list become one blank line.
 * 3. With `quoteStyle` `single` or `double`: the quote characters of a string whose text contains
 *    no quote character of the chosen kind. The text between the quotes, escapes included, is
 *    never touched, so no string ever needs a new escape.
 * 4. Blanks before a statement that starts its line, and blanks at the end of a line outside
 *    comments (a comment inside a list that is laid out again loses its own trailing blanks).
 *
 * Never changed: the text of comments, numbers and strings; the order of statements; blank lines
 * between statements; `;` separators; and anything on a line that has a syntax problem or belongs
 * to a statement with one. A statement that shares a line with another statement has its list put
 * on one line whatever its width, or left as written when the list holds a comment; a statement
 * whose lists nest more than 32 deep is left as written.
 */

import { TokenKind, type AtomNode, type ListNode, type Token, type ValueNode, type XlDocument } from '../syntax';
import { tokenIndexAt } from './locate';
import { applyEdits as applyEditsIfDisjoint } from './fixes';
import type { TextEdit } from './types';

export type QuoteStyle = 'keep' | 'single' | 'double';

export interface FormatOptions {
  readonly quoteStyle: QuoteStyle;
  readonly maxLineLength: number;
  /** One level of list indentation (spaces or a tab, from the editor's options). */
  readonly indent: string;
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { quoteStyle: 'keep', maxLineLength: 100, indent: '    ' };

/** Edits that format the document, or only the statements and blanks that meet `range`. */
export function format(document: XlDocument, options: FormatOptions = DEFAULT_FORMAT_OPTIONS, range?: { start: number; end: number }): TextEdit[] {
  const formatter = new Formatter(document, options);
  const edits: TextEdit[] = [];
  const inRange = (start: number, end: number) => range === undefined || (start <= range.end && end >= range.start);
  const statementStarts = new Set<number>();
  for (const assignment of document.assignments) {
    if (!formatter.isClean(assignment.start, assignment.end, assignment.hasError)) continue;
    statementStarts.add(assignment.start);
    if (!inRange(assignment.start, assignment.end)) continue;
    const newText = formatter.statement(assignment.key, assignment.opToken, assignment.value);
    if (newText !== undefined && newText !== document.text.slice(assignment.start, assignment.end)) {
      edits.push({ start: assignment.start, end: assignment.end, newText });
    }
  }
  // Blanks outside statements: at line ends, and before a statement that starts its line.
  const tokens = document.tokens;
  for (let index = 0; index < tokens.length; index++) {
    if (tokens.kind(index) !== TokenKind.Whitespace) continue;
    const start = tokens.start(index);
    const end = tokens.end(index);
    if (formatter.lineBroken(start) || !inRange(start, end)) continue;
    const hasNext = index + 1 < tokens.length;
    const atLineEnd = !hasNext || tokens.kind(index + 1) === TokenKind.Newline;
    const beforeStatement = hasNext && statementStarts.has(end) && (index === 0 || tokens.kind(index - 1) === TokenKind.Newline);
    if ((atLineEnd || beforeStatement) && !formatter.insideStatement(start)) edits.push({ start, end, newText: '' });
  }
  edits.sort((a, b) => a.start - b.start);
  return edits;
}

/** Applies the edits of `format` (or any non-overlapping edits); overlapping edits are a bug. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const out = applyEditsIfDisjoint(text, edits);
  if (out === undefined) throw new Error('overlapping edits');
  return out;
}

class Formatter {
  private readonly brokenLines = new Set<number>();
  /** Ranges of statements, to tell blanks inside a list from blanks between statements. */
  private readonly statementRanges: { start: number; end: number }[];
  /** Where the comments start, in order: a list with one inside keeps its layout. */
  private readonly commentStarts: number[] = [];

  constructor(
    private readonly document: XlDocument,
    private readonly options: FormatOptions,
  ) {
    const lineOf = (offset: number) => document.lineIndex.positionAt(offset).line;
    const mark = (start: number, end: number) => {
      for (let line = lineOf(start); line <= lineOf(Math.max(start, end - 1)); line++) this.brokenLines.add(line);
    };
    for (const error of document.errors) mark(error.start, error.end);
    for (const assignment of document.assignments) if (assignment.hasError || assignment.value === undefined) mark(assignment.start, assignment.end);
    this.statementRanges = document.assignments.map((assignment) => ({ start: assignment.start, end: assignment.end }));
    const tokens = document.tokens;
    for (let index = 0; index < tokens.length; index++) if (tokens.kind(index) === TokenKind.Comment) this.commentStarts.push(tokens.start(index));
  }

  lineBroken(offset: number): boolean {
    return this.brokenLines.has(this.document.lineIndex.positionAt(offset).line);
  }

  isClean(start: number, end: number, hasError: boolean): boolean {
    if (hasError) return false;
    const lineIndex = this.document.lineIndex;
    for (let line = lineIndex.positionAt(start).line; line <= lineIndex.positionAt(end).line; line++) if (this.brokenLines.has(line)) return false;
    return true;
  }

  insideStatement(offset: number): boolean {
    let low = 0;
    let high = this.statementRanges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = this.statementRanges[middle];
      if (offset < range.start) high = middle - 1;
      else if (offset >= range.end) low = middle + 1;
      else return true;
    }
    return false;
  }

  /** The formatted text of a statement, or undefined to leave it as written. */
  statement(key: Token, opToken: Token, value: ValueNode | undefined): string | undefined {
    if (value === undefined) return undefined;
    const text = this.document.text;
    const head = `${text.slice(key.start, key.end)} ${text.slice(opToken.start, opToken.end)} `;
    if (value.kind === 'atom') return head + this.atom(value);
    // Lists nested deeper than anyone writes by hand are left as they are (and cost no recursion).
    if (nestingDepth(value) > MAX_NESTING) return undefined;
    const alone = this.aloneOnLines(key.start, value.end);
    const inline = this.hasLayout(value) ? undefined : this.inline(value);
    if (inline !== undefined && (!alone || head.length + inline.length <= this.options.maxLineLength)) return head + inline;
    if (!alone) return undefined;
    return head + this.multiline(value, 0);
  }

  private atom(atom: AtomNode): string {
    const raw = this.document.text.slice(atom.start, atom.end);
    if (atom.quote === undefined || this.options.quoteStyle === 'keep') return raw;
    const wanted = this.options.quoteStyle === 'single' ? "'" : '"';
    const inner = raw.slice(1, -1);
    if (atom.quote === wanted || inner.includes(wanted)) return raw;
    return wanted + inner + wanted;
  }

  /** The one-line form of a list (no comments inside, by the caller's check). */
  private inline(list: ListNode): string {
    if (list.items.length === 0) return '[]';
    return `[ ${list.items.map((item) => (item.kind === 'atom' ? this.atom(item) : this.inline(item))).join(', ')} ]`;
  }

  /** True when a list holds a comment (at any depth): it cannot be put on one line. */
  private hasLayout(list: ListNode): boolean {
    // The first comment at or after the list's start, by binary search.
    const starts = this.commentStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle] < list.start) low = middle + 1;
      else high = middle;
    }
    return low < starts.length && starts[low] < list.end;
  }

  private multiline(list: ListNode, level: number): string {
    const indent = this.options.indent.repeat(level + 1);
    const rows = this.rows(list);
    let out = '[';
    if (rows.openComment !== undefined) out += ` ${rows.openComment}`;
    out += '\n';
    for (const row of rows.rows) {
      if (row.kind === 'blank') out += '\n';
      else if (row.kind === 'comment') out += `${indent}${row.text}\n`;
      else out += `${indent}${this.element(row.node, level + 1)},${row.comment !== undefined ? ` ${row.comment}` : ''}\n`;
    }
    return `${out}${this.options.indent.repeat(level)}]`;
  }

  private element(node: ValueNode, level: number): string {
    if (node.kind === 'atom') return this.atom(node);
    if (!this.hasLayout(node)) {
      const inline = this.inline(node);
      if (this.options.indent.length * level + inline.length + 1 <= this.options.maxLineLength) return inline;
    }
    return this.multiline(node, level);
  }

  /**
   * The elements, comments and blank lines of a list at its own depth, in order. A comment on the
   * line of an element stays with it; a comment right after `[` stays after `[`.
   */
  private rows(list: ListNode): { openComment?: string; rows: Row[] } {
    const tokens = this.document.tokens;
    const text = this.document.text;
    const rows: Row[] = [];
    let openComment: string | undefined;
    let newlines = 0;
    let itemIndex = 0;
    let index = tokenIndexAt(this.document, list.start) + 1;
    const end = list.closed ? list.end - 1 : list.end;
    while (index < tokens.length && tokens.start(index) < end) {
      const start = tokens.start(index);
      const kind = tokens.kind(index);
      const item = list.items[itemIndex];
      if (item !== undefined && start === item.start) {
        if (newlines >= 2 && rows.length > 0) rows.push({ kind: 'blank' });
        rows.push({ kind: 'item', node: item });
        newlines = 0;
        itemIndex++;
        // Skip the element's own tokens (a nested list is laid out by its own call).
        while (index < tokens.length && tokens.start(index) < item.end) index++;
        continue;
      }
      if (kind === TokenKind.Newline) newlines++;
      else if (kind === TokenKind.Comment) {
        const comment = text.slice(start, tokens.end(index)).trimEnd();
        const last = rows[rows.length - 1];
        if (newlines === 0 && last?.kind === 'item' && last.comment === undefined) last.comment = comment;
        else if (newlines === 0 && rows.length === 0 && openComment === undefined) openComment = comment;
        else {
          if (newlines >= 2 && rows.length > 0) rows.push({ kind: 'blank' });
          rows.push({ kind: 'comment', text: comment });
        }
        newlines = 0;
      } else if (kind === TokenKind.Comma) {
        // A comma does not end a line: a comment after it still belongs to the element before.
      }
      index++;
    }
    return { openComment, rows };
  }

  /** True when nothing but blanks precedes the statement on its first line and no other statement follows on its last. */
  private aloneOnLines(start: number, end: number): boolean {
    const tokens = this.document.tokens;
    let index = tokenIndexAt(this.document, start) - 1;
    while (index >= 0 && tokens.kind(index) === TokenKind.Whitespace) index--;
    if (index >= 0 && tokens.kind(index) !== TokenKind.Newline) return false;
    index = tokenIndexAt(this.document, end);
    for (; index >= 0 && index < tokens.length; index++) {
      const kind = tokens.kind(index);
      if (kind === TokenKind.Newline) return true;
      if (kind !== TokenKind.Whitespace && kind !== TokenKind.Comment && kind !== TokenKind.Semicolon) return false;
    }
    return true;
  }
}

/** Deepest list nesting the formatter lays out; deeper statements are left untouched. */
const MAX_NESTING = 32;

/** How deeply lists nest in `node` (1 for a flat list), computed without recursion. */
function nestingDepth(node: ListNode): number {
  let deepest = 0;
  const stack: [ListNode, number][] = [[node, 1]];
  while (stack.length > 0) {
    const [list, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING) return deepest;
    for (const item of list.items) if (item.kind === 'list') stack.push([item, depth + 1]);
  }
  return deepest;
}

type Row = { kind: 'blank' } | { kind: 'comment'; text: string } | { kind: 'item'; node: ValueNode; comment?: string };
