// The error-tolerant parser of xl.cfg files. It accepts exactly what libxlu's bison grammar accepts
// (see ARCHITECTURE.md, "Agreeing with xl"), reports every problem it finds with a precise range and
// a plain-language message, and recovers so that the rest of the file is still understood.

import type { Assignment, AtomNode, ListNode, Setting, ValueNode, XlDocument, XlValue } from './ast';
import { ErrorSink } from './errors';
import { gluedEnd, LexicalErrors } from './lexicalErrors';
import { lex, type Token, TokenKind, type TokenStream } from './lexer';
import { LineIndex } from './lineIndex';
import { ListStack, MAX_LIST_DEPTH, toXlValue } from './lists';
import { decodeString, isPlainString, quoteText, type EscapeProblem } from './values';

/** Parses a whole file. Never throws, on any input; runs in linear time. */
export function parseConfig(text: string): XlDocument {
  const { tokens, problems } = lex(text);
  const lineIndex = new LineIndex(text);
  const parser = new Parser(text, tokens, lineIndex);
  parser.parseFile();
  new LexicalErrors(text, tokens, parser.errors, parser.listSpans, parser.explained).report(problems);
  const { errors, hidden } = parser.errors.finish(lineIndex);
  return {
    text,
    tokens,
    assignments: parser.assignments,
    settings: parser.settings,
    errors,
    lineIndex,
    hiddenErrors: hidden,
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
  readonly errors = new ErrorSink();
  /** Indexes into `tokens` of the tokens the grammar sees (no blanks, comments or lexical errors). */
  private readonly significant: Int32Array;
  private readonly significantCount: number;
  private cursor = 0;
  /** Where the top-level lists are (to the end of the file for one never closed). Sorted. */
  readonly listSpans: { start: number; end: number }[] = [];
  /** Start offsets of lexical problems already explained by a combined message. */
  readonly explained = new Set<number>();
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
      this.errors.add(opToken.start, opToken.end, 'missing-value', `missing value after \`${keyText} ${this.slice(opToken)}\`: xl needs a value on the same line, for example \`${keyText} = "..."\``);
    } else if (token.kind === TokenKind.Ident) {
      this.reportUnquotedWord(keyText, token);
    } else if (token.kind === TokenKind.Assign || token.kind === TokenKind.PlusAssign) {
      this.errors.add(token.start, token.end, 'unexpected-token', `unexpected \`${this.slice(token)}\`: write one \`=\` between the key and the value`);
    } else {
      this.errors.add(token.start, token.end, 'unexpected-token', `unexpected \`${this.slice(token)}\` where a value should start: write a quoted string, a number or a list`);
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
          this.errors.add(token.start, token.end, 'missing-comma', `missing comma before \`${this.preview(token)}\`: separate list elements with \`,\``, {
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
            this.errors.add(tokens.start(index), tokens.end(index), 'unexpected-token', `lists nested more than ${MAX_LIST_DEPTH} levels deep: xl's parser runs out of stack and rejects the file`);
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
          this.errors.add(start, end, 'extra-comma', `unexpected \`,\`: ${what}; xl allows only one trailing comma`, {
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
        this.errors.add(token.start, token.end, 'unexpected-token', `unexpected \`${this.slice(token)}\`${hint}`);
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
      this.errors.add(value.start, token.end, 'unit-suffix', `\`${written}\` is not a number xl can read: write a plain integer without a unit suffix`);
    } else if (token.kind === TokenKind.String && value.kind === 'atom' && value.quote !== undefined) {
      this.errors.add(token.start, token.end, 'unexpected-token', `xl does not join adjacent strings: write one string (to put a quote inside, use the other quote character or a backslash, as in 'it\\'s')`);
    } else {
      this.errors.add(token.start, token.end, 'unexpected-token', `unexpected \`${this.preview(token)}\` after the value: one statement per line, or separate statements with \`;\``);
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
        this.errors.add(range.start, range.end, 'plus-type-mismatch', `\`${assignment.keyText} +=\` cannot add ${what}: xl only joins a string to a string or a list to a list`);
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
      this.errors.add(token.start, token.end, 'bad-key', `\`${text}\` is not a valid key: keys start with a lower-case letter (a-z)`);
    } else if (token.kind === TokenKind.Assign || token.kind === TokenKind.PlusAssign) {
      this.errors.add(token.start, token.end, 'expected-key', `missing key before \`${text}\`: write \`key = value\``);
    } else {
      this.errors.add(token.start, token.end, 'expected-key', `unexpected \`${text}\`: a statement starts with a key, as in \`memory = 1024\``);
    }
  }

  private reportMissingOperator(key: Token, token: Token | undefined): void {
    this.statementHasError = true;
    const keyText = this.slice(key);
    if (token === undefined || token.kind === TokenKind.Newline || token.kind === TokenKind.Semicolon) {
      this.errors.add(key.start, key.end, 'missing-operator', `\`${keyText}\` has no \`=\`: write \`${keyText} = value\``);
    } else if (token.kind === TokenKind.Ident) {
      this.errors.add(token.start, token.end, 'missing-operator', `expected \`=\` after \`${keyText}\`, found \`${this.preview(token)}\`: xl reads only \`key = value\` lines (Python statements are no longer supported)`);
    } else {
      this.errors.add(token.start, token.end, 'missing-operator', `expected \`=\` after \`${keyText}\`, found \`${this.preview(token)}\``);
    }
  }

  private reportUnquotedWord(keyText: string | undefined, token: Token): void {
    this.statementHasError = true;
    const end = gluedEnd(this.tokens, token, this.explained);
    const word = this.text.slice(token.start, end);
    if (word.includes('(')) {
      this.errors.add(token.start, end, 'python', 'Python expressions are no longer supported by xl: write a plain value, such as `memory = 1024` or `name = "vm1"`');
    } else {
      const quoted = quoteText(word);
      const example = keyText === undefined ? quoted : `${keyText} = ${quoted}`;
      this.errors.add(token.start, end, 'unquoted-value', `unquoted value: write \`${example}\``, {
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
    this.errors.add(anchor.start, anchor.end, 'unclosed-list', `the list opened on line ${openLine} is never closed: add \`]\``, {
      title: 'Close the list',
      start: fixAt,
      end: fixAt,
      newText: ' ]',
    });
  }

  private reportUnclosedListBefore(openStart: number, token: Token): void {
    this.statementHasError = true;
    const openLine = this.lineIndex.lineAt(openStart) + 1;
    this.errors.add(token.start, token.end, 'unclosed-list', `the list opened on line ${openLine} is not closed before \`${this.slice(token)}\`: add \`]\``);
  }

  private reportEscape(problem: EscapeProblem): void {
    const escape = '`' + problem.escape.replace(/\0/g, '\\0') + '`';
    switch (problem.kind) {
      case 'hex-escape':
        this.errors.add(problem.start, problem.end, 'bad-escape', `${escape}: xl rejects every \\x escape in strings (a bug in its parser); write the character itself`);
        break;
      case 'octal-escape-short':
        this.errors.add(problem.start, problem.end, 'bad-escape', `${escape}: xl rejects this numeric escape; write the character itself`);
        break;
      case 'octal-escape-dropped':
        this.errors.add(problem.start, problem.end, 'dropped-escape', `${escape}: xl accepts this escape but silently drops it from the string; write the character itself`, undefined, 'warning');
        break;
      case 'unknown-escape':
        this.errors.add(problem.start, problem.end, 'bad-escape', `${escape} is not an escape xl knows: write \\\\ for a backslash (known escapes: \\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v)`);
        break;
      case 'nul-in-string':
        this.errors.add(problem.start, problem.end, 'nul-byte', 'NUL byte inside a string: xl aborts on it; remove it', { title: 'Remove the NUL byte', start: problem.start, end: problem.end, newText: '' });
        break;
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

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
