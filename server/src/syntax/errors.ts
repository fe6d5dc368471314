// The errors of one parse: collected from the grammar and from the lexer's problems, capped, and
// sorted at the end, when a line's lexical error hides the grammar's errors on that line.

import type { SyntaxError, SyntaxErrorCode } from './ast';
import type { LineIndex } from './lineIndex';

/** At most this many errors are described; editors show no more than a few hundred anyway. */
const MAX_ERRORS = 1000;

export class ErrorSink {
  private readonly errors: SyntaxError[] = [];
  /** Errors found by the grammar (not the lexer): a lexical error earlier on their line hides them. */
  private readonly grammarErrors = new Set<SyntaxError>();
  /** Errors past MAX_ERRORS, counted but not described. */
  private uncounted = 0;
  /** True while the lexer's problems are described: what is added then is lexical. */
  lexical = false;

  /** True once MAX_ERRORS errors are described: a caller can skip working out the next message. */
  get full(): boolean {
    return this.errors.length >= MAX_ERRORS;
  }

  /** Counts an error past the cap without describing it. */
  countUndescribed(): void {
    this.uncounted++;
  }

  add(start: number, end: number, code: SyntaxErrorCode, message: string, fix?: SyntaxError['fix'], severity: SyntaxError['severity'] = 'error'): void {
    if (this.errors.length >= MAX_ERRORS) {
      // A binary or generated file can have an error every few bytes: past the cap, only count.
      this.uncounted++;
      return;
    }
    const error: SyntaxError = fix === undefined ? { start, end, code, message, severity } : { start, end, code, message, severity, fix };
    this.errors.push(error);
    if (!this.lexical && code !== 'bad-escape' && code !== 'dropped-escape' && code !== 'nul-byte' && code !== 'plus-type-mismatch') {
      this.grammarErrors.add(error);
    }
  }

  /**
   * Sorts the errors and drops grammar errors on lines that have a lexical error: the lexical
   * message already explains the line, and libxlu does the same.
   */
  finish(lineIndex: LineIndex): { errors: SyntaxError[]; hidden: number } {
    const lexicalLines = new Set<number>();
    for (const error of this.errors) {
      if (!this.grammarErrors.has(error)) lexicalLines.add(lineIndex.lineAt(error.start));
    }
    const kept = this.errors.filter((error) => !this.grammarErrors.has(error) || !lexicalLines.has(lineIndex.lineAt(error.start)));
    kept.sort((a, b) => a.start - b.start || a.end - b.end);
    return { errors: kept, hidden: this.errors.length - kept.length + this.uncounted };
  }
}
