// The syntax tree of an xl.cfg file and the decoded settings, as plain data with exact offsets.
// Every character of the input belongs to exactly one token in `XlDocument.tokens`.

import type { Token, TokenStream } from './lexer';
import type { LineIndex } from './lineIndex';

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** A quoted string or a bare NUMBER. `value` is what libxlu stores (escapes decoded). */
export interface AtomNode extends TextRange {
  readonly kind: 'atom';
  readonly value: string;
  /** The quote character, or undefined for an unquoted NUMBER token. */
  readonly quote: '"' | "'" | undefined;
}

/** `[ ... ]`. `end` is after `]`, or after the last element when the list is not closed. */
export interface ListNode extends TextRange {
  readonly kind: 'list';
  /** False when the `]` is missing. `start` is the `[`; when closed, `end - 1` is the `]`. */
  readonly closed: boolean;
  readonly items: ValueNode[];
}

export type ValueNode = AtomNode | ListNode;

/** One `key = value` or `key += value` statement. */
export interface Assignment extends TextRange {
  readonly key: Token;
  readonly keyText: string;
  readonly op: '=' | '+=';
  readonly opToken: Token;
  /** Missing when the value could not be parsed (a syntax error is reported). */
  readonly value: ValueNode | undefined;
  /** True when a syntax error was found inside this statement. */
  readonly hasError: boolean;
}

/** A decoded value as libxlu stores it: atoms are strings, lists nest. */
export type XlValue = string | XlValue[];

/** A stored setting, in file order. Mirrors libxlu's list of settings. */
export interface Setting {
  readonly key: string;
  readonly op: '=' | '+=';
  /** The value after `+=` concatenation with the previous setting of the same key. */
  readonly value: XlValue;
  /** 1-based line of the value's first token, as libxlu records it. */
  readonly line: number;
  readonly assignment: Assignment;
}

export type SyntaxErrorCode =
  | 'crlf'
  | 'bom'
  | 'uppercase-key'
  | 'bad-key'
  | 'unquoted-value'
  | 'python'
  | 'unit-suffix'
  | 'signed-number'
  | 'unterminated-string'
  | 'line-continuation'
  | 'bad-escape'
  | 'dropped-escape'
  | 'nul-byte'
  | 'comment-at-eof'
  | 'non-ascii'
  | 'bad-character'
  | 'missing-value'
  | 'missing-operator'
  | 'spaced-plus-equals'
  | 'expected-key'
  | 'missing-comma'
  | 'extra-comma'
  | 'unclosed-list'
  | 'unexpected-token'
  | 'plus-type-mismatch';

/** A problem found while reading the file. `error` means xl refuses the whole file. */
export interface SyntaxError extends TextRange {
  readonly code: SyntaxErrorCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The replacement text of the obvious fix for `[start, end)`, when there is one. */
  readonly fix?: { readonly title: string; readonly start: number; readonly end: number; readonly newText: string };
}

export interface XlDocument {
  readonly text: string;
  readonly tokens: TokenStream;
  readonly assignments: Assignment[];
  readonly settings: Setting[];
  /** Sorted by start offset. */
  readonly errors: SyntaxError[];
  readonly lineIndex: LineIndex;
  /**
   * Errors found but not reported: grammar errors on a line that a lexical error already explains,
   * and errors past the first thousand. Counted so tools can compare "how broken" two texts are.
   */
  readonly hiddenErrors: number;
  /** True when xl would refuse the file (some error has severity `error`). */
  readonly rejected: boolean;
}
