// Turns the lexer's problems (libxlu's bare "lexical error") into specific messages, from what
// surrounds each run: a key in the wrong case, a unit after a number, an unquoted value, a Python
// expression, a Windows line ending. Runs after the grammar, which records where its lists are and
// which runs its own messages already explain.

import type { ErrorSink } from './errors';
import { isLower, isValidKey, type LexProblem, type Token, TokenKind, type TokenStream } from './lexer';
import { quoteText } from './values';

export class LexicalErrors {
  constructor(
    private readonly text: string,
    private readonly tokens: TokenStream,
    private readonly errors: ErrorSink,
    /** Where the top-level lists are (to the end of the file for one never closed). Sorted. */
    private readonly listSpans: readonly { start: number; end: number }[],
    /** Start offsets of lexical problems already explained by a combined message. */
    private readonly explained: Set<number>,
  ) {}

  /** Turns libxlu's "lexical error" runs into specific messages, using what surrounds each run. */
  report(problems: LexProblem[]): void {
    this.errors.lexical = true;
    for (const problem of problems) {
      if (this.errors.full) {
        this.errors.countUndescribed();
        continue;
      }
      if (this.explained.has(problem.start)) continue;
      this.describe(problem);
    }
    this.errors.lexical = false;
  }

  private describe(problem: LexProblem): void {
    const { start, end } = problem;
    const run = this.text.slice(start, end);
    const first = run.charCodeAt(0);
    if (problem.kind === 'bom') {
      this.errors.add(start, end, 'bom', 'UTF-8 byte order mark: xl rejects it; save the file as UTF-8 without BOM', { title: 'Remove the byte order mark', start, end, newText: '' });
      return;
    }
    if (problem.kind === 'comment-at-eof') {
      this.errors.add(start, end, 'comment-at-eof', 'a comment on the last line needs a newline after it, or xl rejects the file', { title: 'Add the final newline', start: end, end, newText: '\n' });
      return;
    }
    if (first === 0x0d) {
      this.errors.add(start, end, 'crlf', 'Windows line ending: xl rejects CR characters; convert the file to LF', run === '\r' ? { title: 'Remove the CR character', start, end, newText: '' } : undefined);
      return;
    }
    if (first === 0) {
      this.errors.add(start, end, 'nul-byte', 'NUL byte: xl cannot read binary data; this does not look like a text config', { title: 'Remove the NUL byte', start, end: start + 1, newText: '' });
      return;
    }
    const before = this.tokenEndingAt(start);
    const context = this.insideList(start) ? 'value' : this.contextBefore(start);
    // A run glued to a key: `Memory`, `vncDisplay`, `a-b`, `_a`.
    if ((before === undefined || before.kind !== TokenKind.Ident) && context === 'statement' && isKeyish(run)) {
      this.reportBadKey(start, end);
      return;
    }
    if (before !== undefined && before.kind === TokenKind.Ident && this.contextBefore(before.start) === 'statement') {
      if (first === 0x3a /* : */) {
        const colonEnd = start + 1;
        this.explained.add(start);
        this.errors.add(before.start, colonEnd, 'python', `\`${this.text.slice(before.start, colonEnd)}\`: xl uses \`key = value\`, not \`key: value\``, { title: 'Use `=`', start, end: colonEnd, newText: ' =' });
        return;
      }
      this.reportBadKey(before.start, gluedEnd(this.tokens, before, this.explained));
      return;
    }
    if (before !== undefined && before.kind === TokenKind.Number) {
      this.reportBadNumber(before, start, end);
      return;
    }
    if (run === '+' && this.nextTokenAfter(end)?.kind === TokenKind.Assign) {
      const assign = this.nextTokenAfter(end)!;
      this.errors.add(start, assign.end, 'spaced-plus-equals', 'write `+=` without a space: xl reads `+ =` as an error', { title: 'Write `+=`', start, end: assign.end, newText: '+=' });
      return;
    }
    if ((first === 0x2d || first === 0x2b) && run.length > 1 && run.charCodeAt(1) >= 0x30 && run.charCodeAt(1) <= 0x39 && context === 'value') {
      const quoted = `"${run}"`;
      this.errors.add(start, end, 'signed-number', `a signed number must be quoted: write ${quoted}`, { title: `Quote the number: ${quoted}`, start, end, newText: quoted });
      return;
    }
    if (first === 0x22 || first === 0x27) {
      const continuation = run.endsWith('\\') ? ' (there is no line continuation with `\\`)' : '';
      this.errors.add(start, end, 'unterminated-string', `unterminated string: a string must end on the line where it starts${continuation}`);
      return;
    }
    if (run === '\\') {
      this.errors.add(start, end, 'line-continuation', 'xl has no line continuation with `\\`: keep the value on one line (only lists may span lines)');
      return;
    }
    if (problem.python) {
      this.errors.add(start, end, 'python', `\`${run}\`: Python expressions are no longer supported by xl; write a plain value, such as \`memory = 1024\``);
      return;
    }
    if (context === 'value') {
      const quoted = quoteText(run);
      const key = this.keyOfValueAt(start);
      const example = key === undefined ? quoted : `\`${key} = ${quoted}\``;
      this.errors.add(start, end, 'unquoted-value', `unquoted value: write ${example}`, { title: `Quote the value: ${quoted}`, start, end, newText: quoted });
      return;
    }
    if (first >= 0x80) {
      this.errors.add(start, end, 'non-ascii', `\`${run}\`: only ASCII is allowed outside quotes`);
      return;
    }
    this.errors.add(start, end, 'bad-character', `unexpected \`${run}\`: xl cannot read this character here`);
  }

  private reportBadKey(start: number, end: number): void {
    this.markExplained(start, end);
    const written = this.text.slice(start, end);
    const lower = written.toLowerCase();
    if (lower !== written && isValidKey(lower)) {
      this.errors.add(start, end, 'uppercase-key', `keys are lower-case: \`${written}\` → \`${lower}\``, { title: `Write \`${lower}\``, start, end, newText: lower });
    } else {
      this.errors.add(start, end, 'bad-key', `\`${written}\` is not a valid key: keys start with a letter a-z and contain only a-z, 0-9, \`_\` and \`.\``);
    }
  }

  private reportBadNumber(number: Token, start: number, end: number): void {
    const written = this.text.slice(number.start, end);
    const run = this.text.slice(start, end);
    if (/^0[xX][0-9a-fA-F]+$/.test(written)) {
      const lower = written.toLowerCase();
      this.errors.add(number.start, end, 'unit-suffix', `\`${written}\`: write hexadecimal numbers in lower case (\`${lower}\`), or quote them`, { title: `Write \`${lower}\``, start: number.start, end, newText: lower });
    } else if (run.startsWith('.') || run.startsWith('+') || run.startsWith('-')) {
      this.errors.add(number.start, end, 'python', `\`${written}\`: xl has no arithmetic or fractions (Python expressions are no longer supported); write a whole number`);
    } else if (run.startsWith('_')) {
      const plain = written.replace(/_/g, '');
      this.errors.add(number.start, end, 'unit-suffix', `\`${written}\`: write the number without separators`, /^[0-9]+$/.test(plain) ? { title: `Write \`${plain}\``, start: number.start, end, newText: plain } : undefined);
    } else {
      this.errors.add(number.start, end, 'unit-suffix', `\`${written}\` is not a number xl can read: write a plain integer without a unit suffix (memory sizes are in MiB)`);
    }
  }

  // ---- where a run is ---------------------------------------------------------------------

  /** The token that ends exactly at `offset`, if any (binary search over the tokens). */
  private tokenEndingAt(offset: number): Token | undefined {
    const index = this.tokens.indexAt(offset - 1);
    return index >= 0 && this.tokens.end(index) === offset ? this.tokens.at(index) : undefined;
  }

  private nextTokenAfter(offset: number): Token | undefined {
    let index = this.tokens.indexAt(offset);
    while (index >= 0 && index < this.tokens.length && this.tokens.kind(index) === TokenKind.Whitespace) index++;
    return this.tokens.at(index);
  }

  private insideList(offset: number): boolean {
    let low = 0;
    let high = this.listSpans.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const span = this.listSpans[middle];
      if (offset < span.start) high = middle - 1;
      else if (offset >= span.end) low = middle + 1;
      else return true;
    }
    return false;
  }

  /** Whether a statement (key) or a value is expected at `offset`, judged by the token before it. */
  private contextBefore(offset: number): 'statement' | 'value' | 'other' {
    let index = this.tokens.indexAt(offset - 1);
    while (index >= 0 && (this.tokens.kind(index) === TokenKind.Whitespace || this.tokens.kind(index) === TokenKind.Comment)) index--;
    if (index < 0) return 'statement';
    switch (this.tokens.kind(index)) {
      case TokenKind.Newline:
      case TokenKind.Semicolon:
        return 'statement';
      case TokenKind.Assign:
      case TokenKind.PlusAssign:
      case TokenKind.LBracket:
      case TokenKind.Comma:
        return 'value';
      default:
        return 'other';
    }
  }

  /** The key of the statement whose value starts at `offset` (`key = <offset>`), if any. */
  private keyOfValueAt(offset: number): string | undefined {
    const tokens = this.tokens;
    let index = tokens.indexAt(offset - 1);
    while (index >= 0 && tokens.kind(index) === TokenKind.Whitespace) index--;
    if (index < 0 || (tokens.kind(index) !== TokenKind.Assign && tokens.kind(index) !== TokenKind.PlusAssign)) return undefined;
    index--;
    while (index >= 0 && tokens.kind(index) === TokenKind.Whitespace) index--;
    return index >= 0 && tokens.kind(index) === TokenKind.Ident ? this.text.slice(tokens.start(index), tokens.end(index)) : undefined;
  }

  private markExplained(start: number, end: number): void {
    let index = this.tokens.indexAt(start);
    while (index >= 0 && index < this.tokens.length && this.tokens.start(index) < end) {
      if (this.tokens.kind(index) === TokenKind.Error) this.explained.add(this.tokens.start(index));
      index++;
    }
  }
}

/**
 * End of the run of tokens glued to `token` with no blank between them (stops at separators). The
 * error runs inside it go into `explained`: the message about the whole run covers them.
 */
export function gluedEnd(tokens: TokenStream, token: Token, explained: Set<number>): number {
  let index = tokens.indexAt(token.start) + 1;
  let end = token.end;
  while (index < tokens.length) {
    const kind = tokens.kind(index);
    if (kind !== TokenKind.Ident && kind !== TokenKind.Number && kind !== TokenKind.Error) break;
    if (kind === TokenKind.Error) explained.add(tokens.start(index));
    end = tokens.end(index);
    index++;
  }
  return end;
}

/** True for runs that look like a key someone meant to write (`Memory`, `_a`, `vnc-display`). */
function isKeyish(run: string): boolean {
  const first = run.charCodeAt(0);
  if (!(isLower(first) || (first >= 0x41 && first <= 0x5a) || first === 0x5f)) return false;
  return /^[A-Za-z0-9_.-]+$/.test(run);
}
