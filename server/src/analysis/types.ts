// Plain results of the analysis layer, in editor terms (offsets, labels, markdown). Only
// `lsp/convert.ts` turns them into LSP types.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A replacement of `[start, end)` by `newText`, in offsets of the document. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix to apply when a user asks for "the" fix of this problem. */
  readonly preferred?: boolean;
}

/** One diagnostic. `code` is a stable rule code, never renamed or reused. */
export interface Problem {
  readonly start: number;
  readonly end: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  /** Marks text that still works but should go (for example a deprecated key). */
  readonly deprecated?: boolean;
  /** Marks text that has no effect (for example a setting that a later one overrides). */
  readonly unnecessary?: boolean;
  /**
   * Set on an `xl.spec-internal-error` problem: which parser failed on which input, for the
   * server's log line (which names the language and a hash of the input, never the input). Not
   * sent to the client.
   */
  readonly internalError?: InternalError;
}

/** A spec parser that threw on a value (see `setSpecFailurePolicy`). */
export interface InternalError {
  /** The spec language, e.g. `disk`. */
  readonly language: string;
  /** The decoded value the parser read. Config text: hash it, never log it. */
  readonly input: string;
  /** What threw, without any of the input (`SpecFailure.description`). */
  readonly description: string;
}
