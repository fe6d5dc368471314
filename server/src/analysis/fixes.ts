// Quick fixes that are safe to offer: applying one must not leave the file more broken than it
// was. Each candidate is applied and the result parsed again; only fixes that do not add syntax
// errors (counting errors that a lexical error hides) are kept. Called for the few problems under
// the cursor, so the extra parses stay cheap.

import { parseConfig, type XlDocument } from '../syntax';
import type { Fix, Problem, TextEdit } from './types';

/**
 * Most characters parsed to check the fixes of one problem. Checking a fix costs a parse of the
 * whole file, so a problem with two fixes in a 30 KB file parses 60 KB. Real configs are a few
 * kilobytes; the budget keeps a request on a 10 MB file, or on lists nested thousands deep (the
 * costliest text to parse, about 0.2 ms per KB), within its time bound.
 */
export const MAX_VERIFIED_SIZE = 64 * 1024;

export function safeFixes(document: XlDocument, problem: Problem): Fix[] {
  const fixes = problem.fixes ?? [];
  if (fixes.length === 0) return [];
  // Past the budget only the fixes that cannot break the syntax (whole-file line-ending
  // conversion) are offered, so a request stays fast and its cost linear in the file's size.
  if (document.text.length * fixes.length > MAX_VERIFIED_SIZE) return fixes.filter((fix) => fix.edits.every((edit) => edit.newText === '' && /^\r+$/.test(document.text.slice(edit.start, edit.end))));
  const before = brokenness(document);
  return fixes.filter((fix) => {
    const text = applyEdits(document.text, fix.edits);
    return text !== undefined && brokenness(parseConfig(text)) <= before;
  });
}

/** How broken a parsed text is: its syntax errors, including those hidden by a lexical error. */
export function brokenness(document: XlDocument): number {
  let count = document.hiddenErrors;
  for (const error of document.errors) if (error.severity === 'error') count++;
  return count;
}

/** Applies non-overlapping edits to `text`; undefined when two edits overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let position = 0;
  for (const edit of sorted) {
    if (edit.start < position || edit.end < edit.start || edit.end > text.length) return undefined;
    out += text.slice(position, edit.start) + edit.newText;
    position = edit.end;
  }
  return out + text.slice(position);
}
