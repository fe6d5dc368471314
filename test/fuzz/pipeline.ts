// The whole language pipeline on one input, with its invariants checked: the fuzzer and the
// property tests share it. Returns a description of the first broken invariant, or undefined.

import { computeDiagnostics } from '../../server/src/analysis/diagnostics';
import { applyEdits, brokenness, safeFixes } from '../../server/src/analysis/fixes';
import { effectiveSettings, parseConfig, printTokens, type XlDocument } from '../../server/src/syntax';

export interface PipelineResult {
  readonly failure?: string;
  /** Milliseconds the slowest stage took, for the time-bound oracle. */
  readonly slowestMs: number;
  readonly slowestStage: string;
}

/** Runs parse, analysis and quick fixes on `text` and checks every invariant. Never throws. */
export function runPipeline(text: string): PipelineResult {
  let slowestMs = 0;
  let slowestStage = '';
  const timed = <T>(stage: string, fn: () => T): T => {
    const start = performance.now();
    const result = fn();
    const elapsed = performance.now() - start;
    if (elapsed > slowestMs) {
      slowestMs = elapsed;
      slowestStage = stage;
    }
    return result;
  };
  try {
    const document = timed('parse', () => parseConfig(text));
    const invariant = checkTree(text, document);
    if (invariant !== undefined) return { failure: invariant, slowestMs, slowestStage };
    const problems = timed('diagnostics', () => computeDiagnostics(document));
    for (const problem of problems) {
      if (!(problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length)) return { failure: `problem range out of the document: ${JSON.stringify(problem)}`, slowestMs, slowestStage };
    }
    // A quick fix never makes the file worse: the fixes offered keep the syntax errors from growing.
    const before = brokenness(document);
    for (const problem of problems.slice(0, 20)) {
      for (const fix of timed('quick fix', () => safeFixes(document, problem))) {
        const fixed = applyEdits(text, fix.edits);
        if (fixed === undefined) return { failure: `overlapping edits in fix "${fix.title}"`, slowestMs, slowestStage };
        const after = brokenness(parseConfig(fixed));
        if (after > before) return { failure: `fix "${fix.title}" for ${problem.code} raised syntax errors from ${before} to ${after}`, slowestMs, slowestStage };
      }
    }
    return { slowestMs, slowestStage };
  } catch (error) {
    return { failure: `threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, slowestMs, slowestStage };
  }
}

/** The tree invariants: tokens cover the text in order, printing gives it back, ranges are inside. */
export function checkTree(text: string, document: XlDocument): string | undefined {
  if (printTokens(document) !== text) return 'printing the tokens does not give back the input';
  let previous = 0;
  for (const token of document.tokens) {
    if (token.start !== previous || token.end <= token.start) return `token ${token.start}-${token.end} is not contiguous`;
    previous = token.end;
  }
  if (previous !== text.length) return 'tokens do not reach the end of the text';
  let lastStart = 0;
  for (const error of document.errors) {
    if (!(error.start >= 0 && error.start <= error.end && error.end <= text.length)) return `error range out of the document: ${JSON.stringify(error)}`;
    if (error.start < lastStart) return 'errors are not sorted';
    lastStart = error.start;
  }
  for (const assignment of document.assignments) {
    if (!(assignment.start <= assignment.end && assignment.end <= text.length)) return 'assignment range out of the document';
  }
  effectiveSettings(document);
  return undefined;
}

