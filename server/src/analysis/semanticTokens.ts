// Feature: Semantic tokens. Keys xl reads are `property` tokens (with `deprecated` when they are
// superseded); keys it does not know get their own type, so themes can show them differently.

import { KEY_BY_NAME } from '../catalogue';
import type { XlDocument } from '../syntax';

/** The legend: indexes into these arrays are what the protocol sends. */
export const SEMANTIC_TOKEN_TYPES = ['property', 'unknownKey'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['deprecated'] as const;

export interface SemanticTokenEntry {
  readonly start: number;
  readonly end: number;
  readonly type: (typeof SEMANTIC_TOKEN_TYPES)[number];
  readonly deprecated: boolean;
}

/** Tokens in document order; none spans a line. */
export function semanticTokens(document: XlDocument): SemanticTokenEntry[] {
  return document.assignments.map((assignment) => {
    const spec = KEY_BY_NAME.get(assignment.keyText);
    return { start: assignment.key.start, end: assignment.key.end, type: spec === undefined ? 'unknownKey' : 'property', deprecated: spec?.deprecated === true };
  });
}
