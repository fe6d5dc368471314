// Types shared by the value mini-language parsers (disk, vif, pci, ...): what a parse of one
// spec string produces, so hovers, completions and diagnostics can all work from one result.
import type { SpecKeyDoc } from '../catalogue/types';

export interface SpecPart {
  /** The spec key this part sets, after resolving positional fields (e.g. 'target', 'vdev', 'access', 'devtype', 'format' for old-style disk specs). */
  readonly key: string;
  readonly value: string;
  /** Offsets into the spec text (the decoded string value), end exclusive. */
  readonly start: number;
  readonly end: number;
  /** Where the value starts (after `key=`), and whether the key was written (`key=value`) or implied by position. */
  readonly valueStart: number;
  readonly explicitKey: boolean;
}

export interface SpecProblem {
  /** Offsets into the spec text; the exact offending part. */
  readonly start: number;
  readonly end: number;
  /** Lower-case start, no final full stop; quotes the bad text and says what is accepted. */
  readonly message: string;
  /** 'error' = `xl create` would fail on it; 'warning' = xl warns/ignores, or a likely mistake xl accepts. */
  readonly severity: 'error' | 'warning';
  /** Stable kebab-case rule code. */
  readonly code: string;
}

export interface SpecParse {
  readonly parts: readonly SpecPart[];
  readonly problems: readonly SpecProblem[];
  /**
   * Set when the parser threw under the `report` policy (see `setSpecFailurePolicy`): `problems`
   * and `parts` are then what was found before the throw. Under `throw`, reading throws instead.
   */
  readonly failure?: SpecFailure;
}

/** A parser bug met in the product: what threw, described without any of the input. */
export interface SpecFailure {
  /** The error's class and innermost stack frame, e.g. `TypeError at parseDisk (server.js:812:20)`. */
  readonly description: string;
}

export interface SpecLanguage {
  /** 'disk', 'vif', 'pci', ... */
  readonly id: string;
  /** Every key of the language, with our own docs. */
  readonly keys: readonly SpecKeyDoc[];
  /**
   * Pure and linear time. A parser bug throws a `SpecParserError` when the result is read, or,
   * under the `report` policy, gives a result with `failure` set (see `setSpecFailurePolicy`).
   * The languages of `SPEC_LANGUAGES` remember each parse by its text; `remember: false` parses
   * without the memo (a document's first analysis, whose thousands of strings would cost more to
   * remember than to parse).
   */
  parse(text: string, remember?: boolean): SpecParse;
}
