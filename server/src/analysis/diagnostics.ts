// Feature: Diagnostics. Every problem of a document: the syntax errors that make xl refuse the
// file. Pure function of the parsed document.

import type { XlDocument } from '../syntax';
import { syntaxProblems } from './syntaxProblems';
import type { Problem } from './types';

export interface DiagnosticsOptions {
  /** Upper bound on the number of problems returned, so a binary file cannot flood the editor. */
  readonly maxProblems?: number;
}

export function computeDiagnostics(document: XlDocument, options: DiagnosticsOptions = {}): Problem[] {
  const problems = syntaxProblems(document);
  const limit = options.maxProblems ?? 1000;
  return problems.length > limit ? problems.slice(0, limit) : problems;
}
