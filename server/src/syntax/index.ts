// The syntax layer: a lossless, error-tolerant reader of xl.cfg text. It imports nothing from the
// rest of the server and no LSP or VS Code package, so other programs can be built on it alone.

export type { Assignment, AtomNode, ListNode, Setting, SyntaxError, SyntaxErrorCode, TextRange, ValueNode, XlDocument, XlValue } from './ast';
export { isValidKey, lex, TokenKind, type Token, type TokenStream } from './lexer';
export { LineIndex, type Position } from './lineIndex';
export { effectiveSettings, parseConfig, printTokens } from './parser';
export { decodedToRaw, decodeString, looksOctal, parseXlInteger, quoteText, rawToDecoded, settingAsInteger, type IntegerResult } from './values';
