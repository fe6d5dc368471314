// The lossless lexer of xl.cfg files. It follows the flex rules of libxlu (Xen's config parser)
// exactly, and keeps every character of the input in some token, so the tree can be printed back.

/** Kinds of tokens. `Error` is a run of characters that libxlu cannot lex. */
export const enum TokenKind {
  Whitespace,
  Newline,
  Comment,
  Ident,
  Number,
  String,
  Assign,
  PlusAssign,
  Semicolon,
  Comma,
  LBracket,
  RBracket,
  Error,
}

export interface Token {
  readonly kind: TokenKind;
  /** Offset of the first character (UTF-16 code units). */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** What was wrong with an `Error` token or an otherwise suspicious token, for messages and fixes. */
export interface LexProblem {
  readonly start: number;
  readonly end: number;
  /** True when libxlu would print its "looks like Python" hint for this run. */
  readonly python: boolean;
  readonly kind:
    | 'bad-run' // an ordinary lexical error (libxlu: "lexical error")
    | 'bom' // a UTF-8 byte order mark at the start of the file
    | 'comment-at-eof'; // a comment on the last line with no newline after it
}

export interface LexResult {
  readonly tokens: TokenStream;
  readonly problems: LexProblem[];
}

/**
 * The tokens of a text, stored column-wise in typed arrays: a kind and a start offset each. Tokens
 * are contiguous, so a token ends where the next one starts. A 4 MB file has about 400,000 tokens;
 * as objects they cost the garbage collector more than the lexing itself, so objects are made only
 * on request (`at`), for the few tokens the tree keeps.
 */
export class TokenStream implements Iterable<Token> {
  /** `starts[length]` is the length of the text. */
  constructor(
    private readonly kinds: Uint8Array,
    private readonly starts: Int32Array,
    readonly length: number,
  ) {}

  kind(index: number): TokenKind {
    return this.kinds[index];
  }

  start(index: number): number {
    return this.starts[index];
  }

  end(index: number): number {
    return this.starts[index + 1];
  }

  /** The token at `index` as an object, or undefined outside `[0, length)`. */
  at(index: number): Token | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return { kind: this.kinds[index] as TokenKind, start: this.starts[index], end: this.starts[index + 1] };
  }

  /** Index of the token with `start <= offset < end`, or -1 (binary search). */
  indexAt(offset: number): number {
    if (this.length === 0 || offset < 0 || offset >= this.starts[this.length]) return -1;
    let low = 0;
    let high = this.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  *[Symbol.iterator](): Iterator<Token> {
    for (let index = 0; index < this.length; index++) yield this.at(index)!;
  }
}

/** Grows the two columns of a token stream while the lexer runs. */
class TokenBuilder {
  kinds: Uint8Array;
  starts: Int32Array;
  length = 0;

  constructor(textLength: number) {
    // Real configs average about ten characters a token; grow by doubling past that.
    const capacity = Math.min(textLength + 1, (textLength >> 3) + 64);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity + 1);
  }

  push(kind: TokenKind, start: number): void {
    if (this.length === this.kinds.length) {
      const kinds = new Uint8Array(this.kinds.length * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
      const starts = new Int32Array(this.kinds.length + 1);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.kinds[this.length] = kind;
    this.starts[this.length] = start;
    this.length++;
  }

  finish(textLength: number): TokenStream {
    this.starts[this.length] = textLength;
    // Give back the unused capacity when it is more than a quarter of the columns.
    if (this.kinds.length > this.length + (this.length >> 2) + 64) {
      return new TokenStream(this.kinds.slice(0, this.length), this.starts.slice(0, this.length + 1), this.length);
    }
    return new TokenStream(this.kinds, this.starts, this.length);
  }
}

/** Splits `text` into tokens. Never throws; runs in linear time. */
export function lex(text: string): LexResult {
  const tokens = new TokenBuilder(text.length);
  const problems: LexProblem[] = [];
  const length = text.length;
  let pos = 0;

  // NOTE: libxlu has no BOM handling; it sees the BOM as a bad byte and fails. We report it on its
  // own and lex the rest normally, so the first key is still understood.
  if (length > 0 && text.charCodeAt(0) === 0xfeff) {
    tokens.push(TokenKind.Error, 0);
    problems.push({ start: 0, end: 1, python: false, kind: 'bom' });
    pos = 1;
  }

  while (pos < length) {
    const start = pos;
    const code = text.charCodeAt(pos);
    if (code === 0x20 || code === 0x09) {
      pos++;
      while (pos < length && (text.charCodeAt(pos) === 0x20 || text.charCodeAt(pos) === 0x09)) pos++;
      tokens.push(TokenKind.Whitespace, start);
    } else if (code === 0x0a) {
      pos++;
      tokens.push(TokenKind.Newline, start);
    } else if (code === 0x23 /* # */) {
      pos = indexOfNewline(text, pos);
      tokens.push(TokenKind.Comment, start);
      // Mirrors libxlu_cfg_l.l: a comment is only a token together with its newline.
      if (pos >= length) problems.push({ start, end: pos, python: false, kind: 'comment-at-eof' });
    } else if (isLower(code)) {
      pos++;
      while (pos < length && isIdentTail(text.charCodeAt(pos))) pos++;
      tokens.push(TokenKind.Ident, start);
    } else if (isDigit(code)) {
      pos++;
      while (pos < length && isNumberTail(text.charCodeAt(pos))) pos++;
      tokens.push(TokenKind.Number, start);
    } else if (code === 0x22 || code === 0x27) {
      const end = scanString(text, pos, code);
      if (end > 0) {
        pos = end;
        tokens.push(TokenKind.String, start);
      } else {
        pos = badRun(text, pos, tokens, problems);
      }
    } else if (code === 0x2b /* + */ && text.charCodeAt(pos + 1) === 0x3d) {
      pos += 2;
      tokens.push(TokenKind.PlusAssign, start);
    } else if (code === 0x3d) {
      pos++;
      tokens.push(TokenKind.Assign, start);
    } else if (code === 0x3b) {
      pos++;
      tokens.push(TokenKind.Semicolon, start);
    } else if (code === 0x2c) {
      pos++;
      tokens.push(TokenKind.Comma, start);
    } else if (code === 0x5b) {
      pos++;
      tokens.push(TokenKind.LBracket, start);
    } else if (code === 0x5d) {
      pos++;
      tokens.push(TokenKind.RBracket, start);
    } else {
      pos = badRun(text, pos, tokens, problems);
    }
  }
  return { tokens: tokens.finish(length), problems };
}

/** The characters after which libxlu prints its "looks like Python" hint. */
export function isPythonHintChar(code: number): boolean {
  // + - . ( ) :
  return code === 0x2b || code === 0x2d || code === 0x2e || code === 0x28 || code === 0x29 || code === 0x3a;
}

export function isLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** `[._0-9a-z]`, the characters a key may continue with. */
export function isIdentTail(code: number): boolean {
  return isLower(code) || isDigit(code) || code === 0x5f || code === 0x2e;
}

/** True when the whole text is one libxlu IDENT. */
export function isValidKey(text: string): boolean {
  if (text.length === 0 || !isLower(text.charCodeAt(0))) return false;
  for (let index = 1; index < text.length; index++) if (!isIdentTail(text.charCodeAt(index))) return false;
  return true;
}

/** `[0-9a-fx]`, the characters a NUMBER token may continue with. */
function isNumberTail(code: number): boolean {
  return isDigit(code) || (code >= 0x61 && code <= 0x66) || code === 0x78;
}

function indexOfNewline(text: string, from: number): number {
  const index = text.indexOf('\n', from);
  return index < 0 ? text.length : index;
}

/**
 * Returns the offset after the closing quote, or -1 when the string does not close on its line.
 * Mirrors the flex pattern `"([^"\\\n]|\\.)*"`: a backslash escapes any character but a newline.
 */
function scanString(text: string, start: number, quote: number): number {
  const length = text.length;
  let pos = start + 1;
  while (pos < length) {
    const code = text.charCodeAt(pos);
    if (code === quote) return pos + 1;
    if (code === 0x0a) return -1;
    if (code === 0x5c) {
      if (pos + 1 >= length || text.charCodeAt(pos + 1) === 0x0a) return -1;
      pos += 2;
    } else {
      pos++;
    }
  }
  return -1;
}

/**
 * Mirrors libxlu's error state: after a character it cannot lex, the lexer swallows everything up
 * to the next space, tab or newline and reports that run once. The parser never sees the run.
 */
function badRun(text: string, start: number, tokens: TokenBuilder, problems: LexProblem[]): number {
  const length = text.length;
  let pos = start + 1;
  while (pos < length) {
    const code = text.charCodeAt(pos);
    if (code === 0x20 || code === 0x09 || code === 0x0a) break;
    pos++;
  }
  tokens.push(TokenKind.Error, start);
  problems.push({ start, end: pos, python: isPythonHintChar(text.charCodeAt(start)), kind: 'bad-run' });
  return pos;
}
