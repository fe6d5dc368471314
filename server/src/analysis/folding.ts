// Feature: Folding ranges. Lists that span lines fold to their first line; runs of two or more
// comment-only lines fold as comments.

import { TokenKind, type ValueNode, type XlDocument } from '../syntax';

export interface FoldingEntry {
  /** 0-based lines, both included. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment';
}

export function foldingRanges(document: XlDocument): FoldingEntry[] {
  const ranges: FoldingEntry[] = [];
  const lineOf = (offset: number) => document.lineIndex.positionAt(offset).line;
  // Lists can nest thousands deep: walk them with a stack, not recursion.
  const stack: ValueNode[] = [];
  for (const assignment of document.assignments) if (assignment.value !== undefined) stack.push(assignment.value);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind !== 'list') continue;
    const startLine = lineOf(node.start);
    let endLine = lineOf(node.end);
    // Keep a `]` that starts its line visible, as editors do for brackets.
    if (node.closed && document.text.slice(document.lineIndex.lineStart(endLine), node.end - 1).trim() === '') endLine--;
    if (endLine > startLine) ranges.push({ startLine, endLine });
    for (const item of node.items) if (item.kind === 'list') stack.push(item);
  }

  // Comment blocks: consecutive lines whose first token (after blanks) is a comment.
  let blockStart = -1;
  let blockEnd = -1;
  let atLineStart = true;
  const flush = () => {
    if (blockStart >= 0 && blockEnd > blockStart) ranges.push({ startLine: blockStart, endLine: blockEnd, kind: 'comment' });
    blockStart = -1;
  };
  for (const token of document.tokens) {
    if (token.kind === TokenKind.Newline) {
      atLineStart = true;
      continue;
    }
    if (token.kind === TokenKind.Whitespace) continue;
    if (atLineStart) {
      const line = lineOf(token.start);
      if (token.kind === TokenKind.Comment) {
        if (blockStart < 0 || line !== blockEnd + 1) {
          flush();
          blockStart = line;
        }
        blockEnd = line;
      } else {
        flush();
      }
    }
    atLineStart = false;
  }
  flush();
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
