// The error-tolerant parser of xl.cfg files. It accepts exactly what libxlu's bison grammar accepts
// (see ARCHITECTURE.md, "Agreeing with xl"), reports every problem it finds with a precise range and
// a plain-language message, and recovers so that the rest of the file is still understood.

import type { Assignment, AtomNode, ListNode, Setting, SyntaxError, SyntaxErrorCode, ValueNode, XlDocument, XlValue } from './ast';
import { isLower, isValidKey, lex, type LexProblem, type Token, TokenKind, type TokenStream } from './lexer';
import { LineIndex } from './lineIndex';
import { decodeString, isPlainString, type EscapeProblem } from './values';

/** Parses a whole file. Never throws, on any input; runs in linear time. */
export function parseConfig(text: string): XlDocument {
  const { tokens, problems } = lex(text);
  const lineIndex = new LineIndex(text);
  const parser = new Parser(text, tokens, lineIndex);
  parser.parseFile();
  parser.reportLexProblems(problems);
  const errors = parser.finishErrors();
  return {
    text,
    tokens,
    assignments: parser.assignments,
    settings: parser.settings,
    errors,
    lineIndex,
    hiddenErrors: parser.hiddenErrors,
    rejected: errors.some((error) => error.severity === 'error'),
  };
}

/** The latest setting of each key, as xl's getters see it ("last wins"). */
export function effectiveSettings(document: XlDocument): Map<string, Setting> {
  const result = new Map<string, Setting>();
  for (const setting of document.settings) result.set(setting.key, setting);
  return result;
}

/** Prints the tree back to text. Invariant: `printTokens(parseConfig(t)) === t` for every `t`. */
export function printTokens(document: XlDocument): string {
  const { tokens, text } = document;
  let out = '';
  for (let index = 0; index < tokens.length; index++) out += text.slice(tokens.start(index), tokens.end(index));
  return out;
}

interface MutableSetting {
  key: string;
  op: '=' | '+=';
  value: XlValue;
  line: number;
  assignment: Assignment;
}

class Parser {
  readonly assignments: Assignment[] = [];
  readonly settings: MutableSetting[] = [];
  private readonly errors: SyntaxError[] = [];
  /** Errors found by the grammar (not the lexer): a lexical error earlier on their line hides them. */
  private readonly grammarErrors = new Set<SyntaxError>();
  private reportingLexical = false;
  hiddenErrors = 0;
  /** Errors past MAX_ERRORS, counted but not described. */
  private uncounted = 0;
  /** Indexes into `tokens` of the tokens the grammar sees (no blanks, comments or lexical errors). */
  private readonly significant: Int32Array;
  private readonly significantCount: number;
  private cursor = 0;
  /** Where the top-level lists are (to the end of the file for one never closed). Sorted. */
  private readonly listSpans: { start: number; end: number }[] = [];
  /** Start offsets of lexical problems already explained by a combined message. */
  private readonly explained = new Set<number>();
  private readonly latestByKey = new Map<string, MutableSetting>();
  private statementHasError = false;

  constructor(
    private readonly text: string,
    private readonly tokens: TokenStream,
    private readonly lineIndex: LineIndex,
  ) {
    const significant = new Int32Array(tokens.length);
    let count = 0;
    for (let index = 0; index < tokens.length; index++) {
      const kind = tokens.kind(index);
      if (kind !== TokenKind.Whitespace && kind !== TokenKind.Comment && kind !== TokenKind.Error) significant[count++] = index;
    }
    this.significant = significant;
    this.significantCount = count;
  }

  parseFile(): void {
    for (;;) {
      const index = this.peek();
      if (index < 0) return;
      const kind = this.tokens.kind(index);
      if (kind === TokenKind.Newline || kind === TokenKind.Semicolon) {
        this.cursor++;
      } else if (kind === TokenKind.Ident) {
        this.parseAssignment(index);
      } else {
        this.reportUnexpectedAtStatementStart(this.token(index));
        this.skipToNextLine();
      }
    }
  }

  // ---- statements --------------------------------------------------------------------------

  private parseAssignment(keyIndex: number): void {
    this.cursor++;
    this.statementHasError = false;
    const key = this.token(keyIndex);
    const keyText = this.text.slice(key.start, key.end);
    const opIndex = this.peek();
    const opKind = opIndex < 0 ? undefined : this.tokens.kind(opIndex);
    if (opKind !== TokenKind.Assign && opKind !== TokenKind.PlusAssign) {
      this.reportMissingOperator(key, this.tokens.at(opIndex));
      this.skipToNextLine();
      return;
    }
    const opToken = this.token(opIndex);
    this.cursor++;
    const op = opToken.kind === TokenKind.PlusAssign ? '+=' : '=';
    const value = this.parseValueAfterOperator(key, opToken);
    if (value !== undefined && !this.statementHasError) this.expectEndOfStatement(value);
    else if (value === undefined) this.skipToNextLine();
    const end = value?.end ?? opToken.end;
    const assignment: Assignment = {
      start: key.start,
      end,
      key,
      keyText,
      op,
      opToken,
      value,
      hasError: this.statementHasError,
    };
    this.assignments.push(assignment);
    if (value !== undefined && !this.statementHasError) this.store(assignment, value);
  }

  private parseValueAfterOperator(key: Token, opToken: Token): ValueNode | undefined {
    const index = this.peek();
    const kind = index < 0 ? undefined : this.tokens.kind(index);
    if (kind === TokenKind.String || kind === TokenKind.Number || kind === TokenKind.LBracket) return this.parseValue();
    const token = this.tokens.at(index);
    this.statementHasError = true;
    const keyText = this.text.slice(key.start, key.end);
    if (token === undefined || token.kind === TokenKind.Newline || token.kind === TokenKind.Semicolon) {
      // NOTE: libxlu reports a missing value one line too early (its newline quirk); we point at the operator.
      this.error(opToken.start, opToken.end, 'missing-value', `missing value after \`${keyText} ${this.slice(opToken)}\`: xl needs a value on the same line, for example \`${keyText} = "..."\``);
    } else if (token.kind === TokenKind.Ident) {
      this.reportUnquotedWord(keyText, token);
    } else if (token.kind === TokenKind.Assign || token.kind === TokenKind.PlusAssign) {
      this.error(token.start, token.end, 'unexpected-token', `unexpected \`${this.slice(token)}\`: write one \`=\` between the key and the value`);
    } else {
      this.error(token.start, token.end, 'unexpected-token', `unexpected \`${this.slice(token)}\` where a value should start: write a quoted string, a number or a list`);
    }
    return undefined;
  }

  private parseValue(): ValueNode | undefined {
    const index = this.peek();
    this.cursor++;
    if (this.tokens.kind(index) === TokenKind.LBracket) return this.parseList(this.tokens.start(index));
    return this.makeAtom(index);
  }

  /** The atom of a String or Number token. */
  private makeAtom(index: number): AtomNode {
    const start = this.tokens.start(index);
    const end = this.tokens.end(index);
    const text = this.text;
    if (this.tokens.kind(index) === TokenKind.Number) return { kind: 'atom', start, end, value: text.slice(start, end), quote: undefined };
    const quote = text.charCodeAt(start) === 0x22 ? '"' : "'";
    // Most strings have nothing to decode: read them without copying the token first.
    if (isPlainString(text, start, end)) return { kind: 'atom', start, end, value: text.slice(start + 1, end - 1), quote };
    const raw = text.slice(start, end);
    const decoded = decodeString(raw, start);
    for (const problem of decoded.problems) this.reportEscape(problem);
    return { kind: 'atom', start, end, value: decoded.value, quote };
  }

  /**
   * Parses a list whose `[` was just consumed. Nested lists use an explicit stack, not recursion,
   * so no input can overflow the call stack. Returns undefined when the nesting is deeper than
   * libxlu's parser stack allows (it fails with "memory exhausted").
   */
  private parseList(outerStart: number): ListNode | undefined {
    const tokens = this.tokens;
    const lists = new ListStack();
    lists.push(outerStart);
    this.skipNewlines();
    for (;;) {
      const index = this.peek();
      const kind = index < 0 ? undefined : tokens.kind(index);
      let finished: ListNode | undefined;
      if (index < 0) {
        this.reportUnclosedList(outerStart, lists.last());
        finished = lists.finish(undefined);
      } else if (kind === TokenKind.RBracket) {
        this.cursor++;
        finished = lists.finish(tokens.end(index));
      } else if (kind === TokenKind.String || kind === TokenKind.Number || kind === TokenKind.LBracket) {
        if (!lists.expectValue) {
          const token = this.token(index);
          const previous = lists.last()!;
          this.error(token.start, token.end, 'missing-comma', `missing comma before \`${this.preview(token)}\`: separate list elements with \`,\``, {
            title: 'Insert the missing comma',
            start: previous.end,
            end: previous.end,
            newText: ',',
          });
        }
        this.cursor++;
        lists.expectValue = false;
        if (kind === TokenKind.LBracket) {
          if (lists.depth >= MAX_LIST_DEPTH) {
            this.statementHasError = true;
            this.error(tokens.start(index), tokens.end(index), 'unexpected-token', `lists nested more than ${MAX_LIST_DEPTH} levels deep: xl's parser runs out of stack and rejects the file`);
            return undefined;
          }
          lists.push(tokens.start(index));
        } else {
          lists.add(this.makeAtom(index));
        }
        this.skipNewlines();
        continue;
      } else if (kind === TokenKind.Comma) {
        this.cursor++;
        if (lists.expectValue) {
          const start = tokens.start(index);
          const end = tokens.end(index);
          const what = lists.last() === undefined ? 'a comma before the first element' : 'two commas in a row';
          this.error(start, end, 'extra-comma', `unexpected \`,\`: ${what}; xl allows only one trailing comma`, {
            title: 'Remove the extra comma',
            start,
            end,
            newText: '',
          });
        }
        lists.expectValue = true;
        this.skipNewlines();
        continue;
      } else if (kind === TokenKind.Ident && this.startsStatement()) {
        // A key at the start of a line: the list was never closed.
        const token = this.token(index);
        this.reportUnclosedListBefore(outerStart, token);
        finished = lists.finish(undefined);
        // Close every open list here; the statement loop goes on with this key.
        while (lists.depth > 0) {
          lists.add(finished);
          finished = lists.finish(undefined);
        }
        this.listSpans.push({ start: outerStart, end: token.start });
        return finished;
      } else if (kind === TokenKind.Ident) {
        const token = this.token(index);
        this.reportUnquotedWord(undefined, token);
        this.cursor++;
        lists.expectValue = false;
        lists.add({ kind: 'atom', start: token.start, end: token.end, value: this.slice(token), quote: undefined });
        this.skipNewlines();
        continue;
      } else {
        const token = this.token(index);
        const hint = token.kind === TokenKind.Semicolon ? ': separate list elements with `,`, not `;`' : ' inside a list';
        this.error(token.start, token.end, 'unexpected-token', `unexpected \`${this.slice(token)}\`${hint}`);
        this.cursor++;
        this.skipNewlines();
        continue;
      }
      if (lists.depth === 0 || index < 0) {
        // At end of file every open list ends here too.
        while (lists.depth > 0) {
          lists.add(finished);
          finished = lists.finish(undefined);
        }
        this.listSpans.push({ start: outerStart, end: index < 0 ? this.text.length : finished.end });
        return finished;
      }
      lists.add(finished);
      this.skipNewlines();
    }
  }

  private expectEndOfStatement(value: ValueNode): void {
    const index = this.peek();
    if (index < 0) return;
    const kind = this.tokens.kind(index);
    if (kind === TokenKind.Newline || kind === TokenKind.Semicolon) return;
    const token = this.token(index);
    this.statementHasError = true;
    const glued = token.start === value.end;
    if (token.kind === TokenKind.Ident && glued && value.kind === 'atom' && value.quote === undefined) {
      const written = this.text.slice(value.start, token.end);
      this.error(value.start, token.end, 'unit-suffix', `\`${written}\` is not a number xl can read: write a plain integer without a unit suffix`);
    } else if (token.kind === TokenKind.String && value.kind === 'atom' && value.quote !== undefined) {
      this.error(token.start, token.end, 'unexpected-token', `xl does not join adjacent strings: write one string (to put a quote inside, use the other quote character or a backslash, as in 'it\\'s')`);
    } else {
      this.error(token.start, token.end, 'unexpected-token', `unexpected \`${this.preview(token)}\` after the value: one statement per line, or separate statements with \`;\``);
    }
    this.skipToNextLine();
  }

  /** Mirrors libxlu_cfg.c: `+=` joins strings, appends lists, and fails on a mix of the two. */
  private store(assignment: Assignment, node: ValueNode): void {
    const value = toXlValue(node);
    const line = this.lineIndex.lineAt(node.start) + 1;
    const previous = this.latestByKey.get(assignment.keyText);
    let stored: XlValue = value;
    if (assignment.op === '+=' && previous !== undefined) {
      const previousIsList = Array.isArray(previous.value);
      if (previousIsList !== Array.isArray(value)) {
        const range = this.singleLineOrLastToken(node);
        const what = previousIsList ? 'a single value to a list' : 'a list to a single value';
        this.error(range.start, range.end, 'plus-type-mismatch', `\`${assignment.keyText} +=\` cannot add ${what}: xl only joins a string to a string or a list to a list`);
        return;
      }
      if (Array.isArray(previous.value) && Array.isArray(value)) {
        stored = [...previous.value, ...value];
        // libxlu moves the elements out of the earlier setting.
        previous.value = [];
      } else {
        stored = (previous.value as string) + (value as string);
      }
    }
    const setting: MutableSetting = { key: assignment.keyText, op: assignment.op, value: stored, line, assignment };
    this.settings.push(setting);
    this.latestByKey.set(assignment.keyText, setting);
  }

  // ---- error reports -----------------------------------------------------------------------

  private reportUnexpectedAtStatementStart(token: Token): void {
    const text = this.preview(token);
    if (token.kind === TokenKind.Number) {
      this.error(token.start, token.end, 'bad-key', `\`${text}\` is not a valid key: keys start with a lower-case letter (a-z)`);
    } else if (token.kind === TokenKind.Assign || token.kind === TokenKind.PlusAssign) {
      this.error(token.start, token.end, 'expected-key', `missing key before \`${text}\`: write \`key = value\``);
    } else {
      this.error(token.start, token.end, 'expected-key', `unexpected \`${text}\`: a statement starts with a key, as in \`memory = 1024\``);
    }
  }

  private reportMissingOperator(key: Token, token: Token | undefined): void {
    this.statementHasError = true;
    const keyText = this.slice(key);
    if (token === undefined || token.kind === TokenKind.Newline || token.kind === TokenKind.Semicolon) {
      this.error(key.start, key.end, 'missing-operator', `\`${keyText}\` has no \`=\`: write \`${keyText} = value\``);
    } else if (token.kind === TokenKind.Ident) {
      this.error(token.start, token.end, 'missing-operator', `expected \`=\` after \`${keyText}\`, found \`${this.preview(token)}\`: xl reads only \`key = value\` lines (Python statements are no longer supported)`);
    } else {
      this.error(token.start, token.end, 'missing-operator', `expected \`=\` after \`${keyText}\`, found \`${this.preview(token)}\``);
    }
  }

  private reportUnquotedWord(keyText: string | undefined, token: Token): void {
    this.statementHasError = true;
    const end = this.gluedEnd(token);
    const word = this.text.slice(token.start, end);
    if (word.includes('(')) {
      this.error(token.start, end, 'python', 'Python expressions are no longer supported by xl: write a plain value, such as `memory = 1024` or `name = "vm1"`');
    } else {
      const quoted = quoteText(word);
      const example = keyText === undefined ? quoted : `${keyText} = ${quoted}`;
      this.error(token.start, end, 'unquoted-value', `unquoted value: write \`${example}\``, {
        title: `Quote the value: ${quoted}`,
        start: token.start,
        end,
        newText: quoted,
      });
    }
  }

  /** `openStart`: the offset of the outermost `[`. */
  private reportUnclosedList(openStart: number, lastItem: ValueNode | undefined): void {
    this.statementHasError = true;
    // NOTE: xl names the line of the last token read, so the range sits at the end of the file.
    const last = this.lastNonBlankToken();
    const openLine = this.lineIndex.lineAt(openStart) + 1;
    const anchor = last ?? { start: openStart, end: openStart + 1 };
    const fixAt = lastItem !== undefined ? lastItem.end : openStart + 1;
    this.error(anchor.start, anchor.end, 'unclosed-list', `the list opened on line ${openLine} is never closed: add \`]\``, {
      title: 'Close the list',
      start: fixAt,
      end: fixAt,
      newText: ' ]',
    });
  }

  private reportUnclosedListBefore(openStart: number, token: Token): void {
    this.statementHasError = true;
    const openLine = this.lineIndex.lineAt(openStart) + 1;
    this.error(token.start, token.end, 'unclosed-list', `the list opened on line ${openLine} is not closed before \`${this.slice(token)}\`: add \`]\``);
  }

  private reportEscape(problem: EscapeProblem): void {
    const escape = '`' + problem.escape.replace(/\0/g, '\\0') + '`';
    switch (problem.kind) {
      case 'hex-escape':
        this.error(problem.start, problem.end, 'bad-escape', `${escape}: xl rejects every \\x escape in strings (a bug in its parser); write the character itself`);
        break;
      case 'octal-escape-short':
        this.error(problem.start, problem.end, 'bad-escape', `${escape}: xl rejects this numeric escape; write the character itself`);
        break;
      case 'octal-escape-dropped':
        this.error(problem.start, problem.end, 'dropped-escape', `${escape}: xl accepts this escape but silently drops it from the string; write the character itself`, undefined, 'warning');
        break;
      case 'unknown-escape':
        this.error(problem.start, problem.end, 'bad-escape', `${escape} is not an escape xl knows: write \\\\ for a backslash (known escapes: \\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v)`);
        break;
      case 'nul-in-string':
        this.error(problem.start, problem.end, 'nul-byte', 'NUL byte inside a string: xl aborts on it; remove it', { title: 'Remove the NUL byte', start: problem.start, end: problem.end, newText: '' });
        break;
    }
  }

  /** Turns libxlu's "lexical error" runs into specific messages, using what surrounds each run. */
  reportLexProblems(problems: LexProblem[]): void {
    this.reportingLexical = true;
    for (const problem of problems) {
      if (this.errors.length >= MAX_ERRORS) {
        this.uncounted++;
        continue;
      }
      if (this.explained.has(problem.start)) continue;
      this.describeLexProblem(problem);
    }
    this.reportingLexical = false;
  }

  private describeLexProblem(problem: LexProblem): void {
    const { start, end } = problem;
    const run = this.text.slice(start, end);
    const first = run.charCodeAt(0);
    if (problem.kind === 'bom') {
      this.error(start, end, 'bom', 'UTF-8 byte order mark: xl rejects it; save the file as UTF-8 without BOM', { title: 'Remove the byte order mark', start, end, newText: '' });
      return;
    }
    if (problem.kind === 'comment-at-eof') {
      this.error(start, end, 'comment-at-eof', 'a comment on the last line needs a newline after it, or xl rejects the file', { title: 'Add the final newline', start: end, end, newText: '\n' });
      return;
    }
    if (first === 0x0d) {
      this.error(start, end, 'crlf', 'Windows line ending: xl rejects CR characters; convert the file to LF', run === '\r' ? { title: 'Remove the CR character', start, end, newText: '' } : undefined);
      return;
    }
    if (first === 0) {
      this.error(start, end, 'nul-byte', 'NUL byte: xl cannot read binary data; this does not look like a text config', { title: 'Remove the NUL byte', start, end: start + 1, newText: '' });
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
        this.error(before.start, colonEnd, 'python', `\`${this.text.slice(before.start, colonEnd)}\`: xl uses \`key = value\`, not \`key: value\``, { title: 'Use `=`', start, end: colonEnd, newText: ' =' });
        return;
      }
      this.reportBadKey(before.start, this.gluedEnd(before));
      return;
    }
    if (before !== undefined && before.kind === TokenKind.Number) {
      this.reportBadNumber(before, start, end);
      return;
    }
    if (run === '+' && this.nextTokenAfter(end)?.kind === TokenKind.Assign) {
      const assign = this.nextTokenAfter(end)!;
      this.error(start, assign.end, 'spaced-plus-equals', 'write `+=` without a space: xl reads `+ =` as an error', { title: 'Write `+=`', start, end: assign.end, newText: '+=' });
      return;
    }
    if ((first === 0x2d || first === 0x2b) && run.length > 1 && run.charCodeAt(1) >= 0x30 && run.charCodeAt(1) <= 0x39 && context === 'value') {
      const quoted = `"${run}"`;
      this.error(start, end, 'signed-number', `a signed number must be quoted: write ${quoted}`, { title: `Quote the number: ${quoted}`, start, end, newText: quoted });
      return;
    }
    if (first === 0x22 || first === 0x27) {
      const continuation = run.endsWith('\\') ? ' (there is no line continuation with `\\`)' : '';
      this.error(start, end, 'unterminated-string', `unterminated string: a string must end on the line where it starts${continuation}`);
      return;
    }
    if (run === '\\') {
      this.error(start, end, 'line-continuation', 'xl has no line continuation with `\\`: keep the value on one line (only lists may span lines)');
      return;
    }
    if (problem.python) {
      this.error(start, end, 'python', `\`${run}\`: Python expressions are no longer supported by xl; write a plain value, such as \`memory = 1024\``);
      return;
    }
    if (context === 'value') {
      const quoted = quoteText(run);
      const key = this.keyOfValueAt(start);
      const example = key === undefined ? quoted : `\`${key} = ${quoted}\``;
      this.error(start, end, 'unquoted-value', `unquoted value: write ${example}`, { title: `Quote the value: ${quoted}`, start, end, newText: quoted });
      return;
    }
    if (first >= 0x80) {
      this.error(start, end, 'non-ascii', `\`${run}\`: only ASCII is allowed outside quotes`);
      return;
    }
    this.error(start, end, 'bad-character', `unexpected \`${run}\`: xl cannot read this character here`);
  }

  private reportBadKey(start: number, end: number): void {
    this.markExplained(start, end);
    const written = this.text.slice(start, end);
    const lower = written.toLowerCase();
    if (lower !== written && isValidKey(lower)) {
      this.error(start, end, 'uppercase-key', `keys are lower-case: \`${written}\` → \`${lower}\``, { title: `Write \`${lower}\``, start, end, newText: lower });
    } else {
      this.error(start, end, 'bad-key', `\`${written}\` is not a valid key: keys start with a letter a-z and contain only a-z, 0-9, \`_\` and \`.\``);
    }
  }

  private reportBadNumber(number: Token, start: number, end: number): void {
    const written = this.text.slice(number.start, end);
    const run = this.text.slice(start, end);
    if (/^0[xX][0-9a-fA-F]+$/.test(written)) {
      const lower = written.toLowerCase();
      this.error(number.start, end, 'unit-suffix', `\`${written}\`: write hexadecimal numbers in lower case (\`${lower}\`), or quote them`, { title: `Write \`${lower}\``, start: number.start, end, newText: lower });
    } else if (run.startsWith('.') || run.startsWith('+') || run.startsWith('-')) {
      this.error(number.start, end, 'python', `\`${written}\`: xl has no arithmetic or fractions (Python expressions are no longer supported); write a whole number`);
    } else if (run.startsWith('_')) {
      const plain = written.replace(/_/g, '');
      this.error(number.start, end, 'unit-suffix', `\`${written}\`: write the number without separators`, /^[0-9]+$/.test(plain) ? { title: `Write \`${plain}\``, start: number.start, end, newText: plain } : undefined);
    } else {
      this.error(number.start, end, 'unit-suffix', `\`${written}\` is not a number xl can read: write a plain integer without a unit suffix (memory sizes are in MiB)`);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private error(start: number, end: number, code: SyntaxErrorCode, message: string, fix?: SyntaxError['fix'], severity: SyntaxError['severity'] = 'error'): void {
    if (this.errors.length >= MAX_ERRORS) {
      // A binary or generated file can have an error every few bytes: past the cap, only count.
      this.uncounted++;
      return;
    }
    const error: SyntaxError = fix === undefined ? { start, end, code, message, severity } : { start, end, code, message, severity, fix };
    this.errors.push(error);
    if (!this.reportingLexical && code !== 'bad-escape' && code !== 'dropped-escape' && code !== 'nul-byte' && code !== 'plus-type-mismatch') {
      this.grammarErrors.add(error);
    }
  }

  /**
   * Sorts the errors and drops grammar errors on lines that have a lexical error: the lexical
   * message already explains the line, and libxlu does the same.
   */
  finishErrors(): SyntaxError[] {
    const lexicalLines = new Set<number>();
    for (const error of this.errors) {
      if (!this.grammarErrors.has(error)) lexicalLines.add(this.lineIndex.lineAt(error.start));
    }
    const kept = this.errors.filter((error) => !this.grammarErrors.has(error) || !lexicalLines.has(this.lineIndex.lineAt(error.start)));
    this.hiddenErrors = this.errors.length - kept.length + this.uncounted;
    return kept.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** Index of the next significant token, or -1 at the end. */
  private peek(): number {
    return this.cursor < this.significantCount ? this.significant[this.cursor] : -1;
  }

  /** The token at `index` as an object, for the tree and for messages. */
  private token(index: number): Token {
    return this.tokens.at(index)!;
  }

  private skipNewlines(): void {
    while (this.cursor < this.significantCount && this.tokens.kind(this.significant[this.cursor]) === TokenKind.Newline) this.cursor++;
  }

  /** Error recovery as in libxlu's grammar (`error NEWLINE`): skip past the next newline. */
  private skipToNextLine(): void {
    while (this.cursor < this.significantCount) {
      const kind = this.tokens.kind(this.significant[this.cursor]);
      this.cursor++;
      if (kind === TokenKind.Newline) return;
    }
  }

  /** True when the token at the cursor is the first significant token on its line and `=`/`+=` follows it. */
  private startsStatement(): boolean {
    if (this.cursor > 0 && this.tokens.kind(this.significant[this.cursor - 1]) !== TokenKind.Newline) return false;
    if (this.cursor + 1 >= this.significantCount) return false;
    const nextKind = this.tokens.kind(this.significant[this.cursor + 1]);
    return nextKind === TokenKind.Assign || nextKind === TokenKind.PlusAssign;
  }

  private lastNonBlankToken(): Token | undefined {
    for (let index = this.tokens.length - 1; index >= 0; index--) {
      if (this.tokens.kind(index) !== TokenKind.Whitespace) return this.token(index);
    }
    return undefined;
  }

  /** The token that ends exactly at `offset`, if any (binary search over the tokens). */
  private tokenEndingAt(offset: number): Token | undefined {
    const index = this.tokens.indexAt(offset - 1);
    return index >= 0 && this.tokens.end(index) === offset ? this.token(index) : undefined;
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

  /** End of the run of tokens glued to `token` with no blank between them (stops at separators). */
  private gluedEnd(token: Token): number {
    let index = this.tokens.indexAt(token.start) + 1;
    let end = token.end;
    while (index < this.tokens.length) {
      const kind = this.tokens.kind(index);
      if (kind !== TokenKind.Ident && kind !== TokenKind.Number && kind !== TokenKind.Error) break;
      if (kind === TokenKind.Error) this.explained.add(this.tokens.start(index));
      end = this.tokens.end(index);
      index++;
    }
    return end;
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

  private singleLineOrLastToken(node: ValueNode): { start: number; end: number } {
    const startLine = this.lineIndex.lineAt(node.start);
    const endLine = this.lineIndex.lineAt(node.end);
    if (startLine === endLine || node.kind === 'atom') return node;
    if (node.closed) return { start: node.end - 1, end: node.end };
    const last = node.items[node.items.length - 1];
    return last !== undefined ? { start: last.start, end: last.end } : { start: node.start, end: node.start + 1 };
  }

  private slice(token: Token): string {
    return this.text.slice(token.start, token.end);
  }

  /** Token text for a message, shortened so a huge token does not flood the Problems panel. */
  private preview(token: Token): string {
    const text = this.slice(token);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  }
}

/** At most this many errors are described; editors show no more than a few hundred anyway. */
const MAX_ERRORS = 1000;

/** libxlu's bison stack (10000 entries, two per nesting level) fails at about this depth. */
const MAX_LIST_DEPTH = 4990;

/**
 * The lists being read, innermost last, kept in parallel arrays rather than an object per list:
 * in a nest thousands deep every open level stays alive until its `]`, and plain array slots cost
 * the collector far less than objects. A list's first element is held on its own and an array is
 * made only for a second one.
 */
class ListStack {
  private readonly starts: number[] = [];
  private readonly expects: boolean[] = [];
  private readonly firsts: (ValueNode | undefined)[] = [];
  /** Every element, once a list has two or more. */
  private readonly alls: (ValueNode[] | undefined)[] = [];

  get depth(): number {
    return this.starts.length;
  }

  /** Opens a list whose `[` is at `start`. */
  push(start: number): void {
    this.starts.push(start);
    this.expects.push(true);
    this.firsts.push(undefined);
    this.alls.push(undefined);
  }

  /** Whether the innermost list expects an element next (after `[` or `,`). */
  get expectValue(): boolean {
    return this.expects[this.expects.length - 1];
  }

  set expectValue(value: boolean) {
    this.expects[this.expects.length - 1] = value;
  }

  add(node: ValueNode): void {
    const top = this.starts.length - 1;
    const all = this.alls[top];
    const first = this.firsts[top];
    if (all !== undefined) all.push(node);
    else if (first === undefined) this.firsts[top] = node;
    else this.alls[top] = [first, node];
  }

  last(): ValueNode | undefined {
    const top = this.starts.length - 1;
    const all = this.alls[top];
    return all !== undefined ? all[all.length - 1] : this.firsts[top];
  }

  /** Closes the innermost list: `closeEnd` is the offset after its `]`, undefined when missing. */
  finish(closeEnd: number | undefined): ListNode {
    const start = this.starts.pop()!;
    this.expects.pop();
    const first = this.firsts.pop();
    const items = this.alls.pop() ?? (first === undefined ? [] : [first]);
    const end = closeEnd ?? (items.length > 0 ? items[items.length - 1].end : start + 1);
    return { kind: 'list', closed: closeEnd !== undefined, items, start, end };
  }
}

/** The stored value of a node. Iterative, so 5,000 nested lists cannot overflow the stack. */
function toXlValue(node: ValueNode): XlValue {
  if (node.kind === 'atom') return node.value;
  // Arrays are made at their final size, and the walk keeps its stack in three plain arrays:
  // a deep nest of one-element lists costs one small array per level.
  const root: XlValue[] = new Array<XlValue>(node.items.length);
  const lists: ListNode[] = [node];
  const outs: XlValue[][] = [root];
  const nexts: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const list = lists[top];
    const index = nexts[top];
    if (index >= list.items.length) {
      lists.pop();
      outs.pop();
      nexts.pop();
      continue;
    }
    nexts[top] = index + 1;
    const item = list.items[index];
    if (item.kind === 'atom') {
      outs[top][index] = item.value;
    } else {
      const out: XlValue[] = new Array<XlValue>(item.items.length);
      outs[top][index] = out;
      lists.push(item);
      outs.push(out);
      nexts.push(0);
    }
  }
  return root;
}

/** True for runs that look like a key someone meant to write (`Memory`, `_a`, `vnc-display`). */
function isKeyish(run: string): boolean {
  const first = run.charCodeAt(0);
  if (!(isLower(first) || (first >= 0x41 && first <= 0x5a) || first === 0x5f)) return false;
  return /^[A-Za-z0-9_.-]+$/.test(run);
}

/** Quotes text for xl, picking the quote character that needs no escaping. */
export function quoteText(text: string): string {
  if (!text.includes('"')) return `"${text.replace(/\\/g, '\\\\')}"`;
  if (!text.includes("'")) return `'${text.replace(/\\/g, '\\\\')}'`;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
