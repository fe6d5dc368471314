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
 *
 * The edits are the smallest ones: keys, operators, strings, numbers and comments are never part
 * of an edit (a string whose quotes change is replaced on its own); only the layout between two of
 * them is, and only where it differs from what is there.
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
  const writer = new EditWriter(document.text, edits);
  for (const assignment of document.assignments) {
    if (!formatter.isClean(assignment.start, assignment.end, assignment.hasError)) continue;
    statementStarts.add(assignment.start);
    if (!inRange(assignment.start, assignment.end)) continue;
    formatter.statement(assignment.key, assignment.opToken, assignment.value, writer);
  }
  // Blanks outside statements: at line ends, and before a statement that starts its line.
  const tokens = document.tokens;
  for (let index = 0; index < tokens.length; index++) {
    if (tokens.kind(index) !== TokenKind.Whitespace) continue;
    const start = tokens.start(index);
    const end = tokens.end(index);
    const hasNext = index + 1 < tokens.length;
    const atLineEnd = !hasNext || tokens.kind(index + 1) === TokenKind.Newline;
    const beforeStatement = hasNext && statementStarts.has(end) && (index === 0 || tokens.kind(index - 1) === TokenKind.Newline);
    if (!(atLineEnd || beforeStatement) || formatter.insideStatement(start) || formatter.lineBroken(start) || !inRange(start, end)) continue;
    edits.push({ start, end, newText: '' });
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
    const lineOf = (offset: number) => document.lineIndex.lineAt(offset);
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
    return this.brokenLines.has(this.document.lineIndex.lineAt(offset));
  }

  isClean(start: number, end: number, hasError: boolean): boolean {
    if (hasError) return false;
    const lineIndex = this.document.lineIndex;
    for (let line = lineIndex.lineAt(start); line <= lineIndex.lineAt(end); line++) if (this.brokenLines.has(line)) return false;
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

  /** Writes the formatted statement to `out`; a statement to leave as written gets nothing. */
  statement(key: Token, opToken: Token, value: ValueNode | undefined, out: EditWriter): void {
    if (value === undefined) return;
    let layout: 'atom' | 'inline' | 'multiline' = 'atom';
    if (value.kind === 'list') {
      // Lists nested deeper than anyone writes by hand are left as they are (and cost no recursion).
      if (nestingDepth(value) > MAX_NESTING) return;
      const alone = this.aloneOnLines(key.start, value.end);
      const head = key.end - key.start + opToken.end - opToken.start + 2;
      if (!this.hasLayout(value) && (!alone || head + inlineWidth(value, this.options.maxLineLength) <= this.options.maxLineLength)) layout = 'inline';
      else if (alone) layout = 'multiline';
      else return;
    }
    out.begin(key.start);
    out.keep(key.start, key.end);
    out.write(' ');
    out.keep(opToken.start, opToken.end);
    out.write(' ');
    if (value.kind === 'atom') this.atom(value, out);
    else if (layout === 'inline') this.inline(value, out);
    else this.multiline(value, 0, out);
    out.end(value.end);
  }

  /** An atom as written, or with the quote characters of `quoteStyle`. */
  private atom(atom: AtomNode, out: EditWriter): void {
    const text = this.document.text;
    if (atom.quote === undefined || this.options.quoteStyle === 'keep') return out.keep(atom.start, atom.end);
    const wanted = this.options.quoteStyle === 'single' ? "'" : '"';
    if (atom.quote === wanted || text.slice(atom.start + 1, atom.end - 1).includes(wanted)) return out.keep(atom.start, atom.end);
    out.replace(atom.start, atom.end, wanted + text.slice(atom.start + 1, atom.end - 1) + wanted);
  }

  /** The one-line form of a list (no comments inside, by the caller's check). */
  private inline(list: ListNode, out: EditWriter): void {
    if (list.items.length === 0) return out.write('[]');
    out.write('[ ');
    list.items.forEach((item, index) => {
      if (index > 0) out.write(', ');
      if (item.kind === 'atom') this.atom(item, out);
      else this.inline(item, out);
    });
    out.write(' ]');
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

  /**
   * One element per line, in a single pass over the list's own tokens (a nested list is laid out
   * by its own call). Comments stay where they were: one on the line of an element stays after it,
   * one right after `[` stays there, any other gets a line of its own; runs of blank lines become
   * one blank line.
   */
  private multiline(list: ListNode, level: number, out: EditWriter): void {
    const tokens = this.document.tokens;
    const text = this.document.text;
    const indent = this.options.indent.repeat(level + 1);
    let rows = 0;
    let lastRow: 'none' | 'item' | 'comment' = 'none';
    let lastItemHasComment = false;
    let openComment = false;
    let newlines = 0;
    let itemIndex = 0;
    // The output line under way (the `[` line first) still needs its newline.
    let lineOpen = true;
    const startRow = () => {
      if (lineOpen) out.write('\n');
      if (newlines >= 2 && rows > 0) out.write('\n');
      out.write(indent);
      lineOpen = true;
      rows++;
    };
    out.write('[');
    let index = tokenIndexAt(this.document, list.start) + 1;
    const end = list.closed ? list.end - 1 : list.end;
    while (index < tokens.length && tokens.start(index) < end) {
      const start = tokens.start(index);
      const kind = tokens.kind(index);
      const item = list.items[itemIndex];
      if (item !== undefined && start === item.start) {
        startRow();
        this.element(item, level + 1, out);
        out.write(',');
        lastRow = 'item';
        lastItemHasComment = false;
        newlines = 0;
        itemIndex++;
        // Skip the element's own tokens.
        while (index < tokens.length && tokens.start(index) < item.end) index++;
        continue;
      }
      if (kind === TokenKind.Newline) {
        newlines++;
      } else if (kind === TokenKind.Comment) {
        const commentEnd = trimmedEnd(text, start, tokens.end(index));
        if (newlines === 0 && lastRow === 'item' && !lastItemHasComment) {
          lastItemHasComment = true;
          out.write(' ');
        } else if (newlines === 0 && rows === 0 && !openComment) {
          openComment = true;
          out.write(' ');
        } else {
          startRow();
          lastRow = 'comment';
        }
        out.keep(start, commentEnd);
        newlines = 0;
      }
      // A comma does not end a line: a comment after it still belongs to the element before.
      index++;
    }
    if (lineOpen) out.write('\n');
    out.write(this.options.indent.repeat(level));
    out.write(']');
  }

  private element(node: ValueNode, level: number, out: EditWriter): void {
    if (node.kind === 'atom') return this.atom(node, out);
    if (!this.hasLayout(node) && this.options.indent.length * level + inlineWidth(node, this.options.maxLineLength) + 1 <= this.options.maxLineLength) return this.inline(node, out);
    this.multiline(node, level, out);
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

/** Where `text.slice(start, end).trimEnd()` would end. */
function trimmedEnd(text: string, start: number, end: number): number {
  const last = text.charCodeAt(end - 1);
  // Almost every comment ends in a visible ASCII character: nothing to trim, nothing to copy.
  if (last > 0x20 && last < 0x7f) return end;
  return start + text.slice(start, end).trimEnd().length;
}

/**
 * Collects the formatter's output piece by piece, in document order, and turns it into the
 * smallest edits: the original tokens it keeps are not rewritten, and only the layout between two
 * kept tokens that differs from what is there becomes an edit. A formatted file costs no edits
 * and no copies of itself, and a list of 50,000 disks is not built as one 2 MB string.
 */
class EditWriter {
  /** The end of the last token kept or replaced. */
  private cursor = 0;
  /** Layout written since then. */
  private gap = '';
  /** The text of the last layout edit. */
  private previousLayout = '';

  constructor(
    private readonly text: string,
    private readonly edits: TextEdit[],
  ) {}

  /** Starts a statement at `start`. */
  begin(start: number): void {
    this.cursor = start;
    this.gap = '';
  }

  /** Layout of the output: blanks, newlines, commas and brackets. */
  write(layout: string): void {
    this.gap += layout;
  }

  /** An original token the output keeps as it is. */
  keep(start: number, end: number): void {
    this.flush(start);
    this.cursor = end;
  }

  /** An original token the output writes differently. */
  replace(start: number, end: number, newText: string): void {
    this.flush(start);
    this.edits.push({ start, end, newText });
    this.cursor = end;
  }

  /** Ends the statement at `end`. */
  end(end: number): void {
    this.flush(end);
  }

  private flush(upTo: number): void {
    const gap = this.gap;
    this.gap = '';
    if (gap.length === upTo - this.cursor && this.text.startsWith(gap, this.cursor)) return;
    // Row after row needs the same layout (`,\n    `): the edits share one string.
    if (gap !== this.previousLayout) this.previousLayout = gap;
    this.edits.push({ start: this.cursor, end: upTo, newText: this.previousLayout });
  }
}

/**
 * The length of a list's one-line form (`[ a, b ]`, nested lists alike), counted without building
 * it; the count stops once it passes `limit`. Quote changes keep lengths, so atoms count as written.
 */
function inlineWidth(list: ListNode, limit: number): number {
  let width = 0;
  const stack: ListNode[] = [list];
  while (stack.length > 0 && width <= limit) {
    const current = stack.pop()!;
    if (current.items.length === 0) {
      width += 2;
      continue;
    }
    width += 4 + 2 * (current.items.length - 1);
    for (const item of current.items) {
      if (item.kind === 'atom') width += item.end - item.start;
      else stack.push(item);
      if (width > limit) break;
    }
  }
  return width;
}
