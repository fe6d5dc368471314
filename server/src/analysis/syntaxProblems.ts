// Turns the syntax layer's errors into problems with fixes, and adds the whole-file fixes that
// belong to them (convert CRLF to LF).

import type { XlDocument } from '../syntax';
import type { Fix, Problem } from './types';

/** Syntax problems of a parsed document, in document order. */
export function syntaxProblems(document: XlDocument): Problem[] {
  const crlfFix = document.errors.some((error) => error.code === 'crlf') ? convertToLf(document.text) : undefined;
  return document.errors.map((error) => {
    const fixes: Fix[] = [];
    if (error.code === 'crlf' && crlfFix !== undefined) fixes.push(crlfFix);
    if (error.fix !== undefined) {
      fixes.push({ title: error.fix.title, edits: [{ start: error.fix.start, end: error.fix.end, newText: error.fix.newText }], preferred: fixes.length === 0 });
    }
    return {
      start: error.start,
      end: error.end,
      severity: error.severity,
      code: `xl.syntax.${error.code}`,
      message: error.message,
      fixes,
    };
  });
}

/** One edit per CR that precedes a LF, so the rest of the file is untouched. */
export function convertToLf(text: string): Fix {
  const edits = [];
  let index = text.indexOf('\r\n');
  while (index >= 0) {
    edits.push({ start: index, end: index + 1, newText: '' });
    index = text.indexOf('\r\n', index + 2);
  }
  return { title: 'Convert the file to LF line endings', edits, preferred: true };
}
