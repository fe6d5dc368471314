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
  const lineOf = (offset: number) => document.lineIndex.lineAt(offset);
  // Lists can nest thousands deep: walk them with a stack, not recursion.
  const stack: ValueNode[] = [];
  for (const assignment of document.assignments) if (assignment.value !== undefined) stack.push(assignment.value);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind !== 'list') continue;
    const startLine = lineOf(node.start);
    let endLine = lineOf(node.end);
    // Keep a `]` that starts its line visible, as editors do for brackets.
    if (endLine > startLine && node.closed && onlyBlanksBefore(document.text, node.end - 1)) endLine--;
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
  const tokens = document.tokens;
  for (let index = 0; index < tokens.length; index++) {
    const kind = tokens.kind(index);
    if (kind === TokenKind.Newline) {
      atLineStart = true;
      continue;
    }
    if (kind === TokenKind.Whitespace) continue;
    if (atLineStart) {
      const line = lineOf(tokens.start(index));
      if (kind === TokenKind.Comment) {
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

/** True when only blanks (spaces, tabs, CR, VT, FF) stand between the start of its line and `offset`. */
function onlyBlanksBefore(text: string, offset: number): boolean {
  for (let index = offset - 1; index >= 0; index--) {
    const code = text.charCodeAt(index);
    if (code === 0x0a) return true;
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d && code !== 0x0b && code !== 0x0c) return false;
  }
  return true;
}
