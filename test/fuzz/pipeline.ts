// The whole language pipeline on one input, with its invariants checked: the fuzzer and the
// property tests share it. Returns a description of the first broken invariant, or undefined.

import { refactorings } from '../../server/src/analysis/codeActions';
import { complete } from '../../server/src/analysis/completion';
import { computeDiagnostics } from '../../server/src/analysis/diagnostics';
import { foldingRanges } from '../../server/src/analysis/folding';
import { format } from '../../server/src/analysis/format';
import { hover } from '../../server/src/analysis/hover';
import { inlayHints } from '../../server/src/analysis/inlayHints';
import { linkCandidates } from '../../server/src/analysis/links';
import { semanticTokens } from '../../server/src/analysis/semanticTokens';
import { documentSymbols } from '../../server/src/analysis/symbols';
import { applyEdits, brokenness, safeFixes } from '../../server/src/analysis/fixes';
import { clearSpecMemo } from '../../server/src/specs';
import { effectiveSettings, parseConfig, printTokens, type XlDocument } from '../../server/src/syntax';

export interface PipelineResult {
  readonly failure?: string;
  /**
   * CPU milliseconds of the slowest stage, for the time-bound oracle. CPU time, not wall time: on a
   * busy machine (two fuzzers on two cores, a test run beside them) a stage waits for a core, and
   * that wait is not the cost of the algorithm. It is the process's CPU time, so work V8 does on
   * its helper threads during the stage counts too (`npm run fuzz` runs the collector on the main
   * thread, `--single-threaded-gc`, so that its work is counted once).
   */
  readonly slowestMs: number;
  readonly slowestStage: string;
}

/** Runs parse, analysis and quick fixes on `text` and checks every invariant. Never throws. */
export function runPipeline(text: string, options: { everyOffset?: boolean } = {}): PipelineResult {
  // Each input starts as a newly opened file: no spec parses remembered from earlier inputs. The
  // memo would otherwise grow to thousands of entries over a long run, and the collector's pauses
  // over that heap would be billed to whichever stage they fall in.
  clearSpecMemo();
  let slowestMs = 0;
  let slowestStage = '';
  const timed = <T>(stage: string, fn: () => T): T => {
    const start = process.cpuUsage();
    const result = fn();
    const used = process.cpuUsage(start);
    const elapsed = (used.user + used.system) / 1000;
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
    timed('symbols', () => documentSymbols(document));
    timed('folding', () => foldingRanges(document));
    timed('links', () => linkCandidates(document));
    timed('inlay hints', () => inlayHints(document));
    timed('semantic tokens', () => semanticTokens(document));
    // Formatting keeps what xl reads and is idempotent.
    const formatted = timed('format', () => applyEdits(text, format(document)));
    if (formatted === undefined) return { failure: 'format produced overlapping edits', slowestMs, slowestStage };
    if (formatted !== text) {
      const reparsed = parseConfig(formatted);
      if (JSON.stringify(settingsOf(reparsed)) !== JSON.stringify(settingsOf(document))) return { failure: 'format changed the decoded settings', slowestMs, slowestStage };
      if (brokenness(reparsed) > brokenness(document)) return { failure: 'format added syntax errors', slowestMs, slowestStage };
      const again = applyEdits(formatted, format(reparsed));
      if (again !== formatted) return { failure: 'format is not idempotent', slowestMs, slowestStage };
    }
    // Position features at every offset (small inputs) or at sampled offsets (large ones).
    const step = options.everyOffset ? 1 : Math.max(1, Math.ceil(text.length / 16));
    for (let offset = 0; offset <= text.length; offset += step) {
      timed('completion', () => complete(document, offset));
      timed('hover', () => hover(document, offset));
      timed('refactorings', () => refactorings(document, offset, Math.min(text.length, offset + 10), { random: () => 0.5 }));
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


/** What xl reads: every stored setting in order (key, operator, decoded value). */
function settingsOf(document: XlDocument): unknown[] {
  return document.settings.map((setting) => [setting.key, setting.op, setting.value]);
}
