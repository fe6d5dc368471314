// The one place where analysis results (offsets, plain data) become LSP types.

import { CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, DiagnosticTag, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { Fix, Problem, Severity, TextEdit } from '../analysis/types';
import type { LineIndex } from '../syntax';

export function toRange(lineIndex: LineIndex, start: number, end: number): Range {
  return { start: lineIndex.positionAt(start), end: lineIndex.positionAt(end) };
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

export function toDiagnostic(lineIndex: LineIndex, problem: Problem): Diagnostic {
  const diagnostic = Diagnostic.create(toRange(lineIndex, problem.start, problem.end), problem.message, toSeverity(problem.severity), problem.code, 'xl');
  const tags: DiagnosticTag[] = [];
  if (problem.deprecated) tags.push(DiagnosticTag.Deprecated);
  if (problem.unnecessary) tags.push(DiagnosticTag.Unnecessary);
  if (tags.length > 0) diagnostic.tags = tags;
  return diagnostic;
}

export function toTextEdit(lineIndex: LineIndex, edit: TextEdit): LspTextEdit {
  return { range: toRange(lineIndex, edit.start, edit.end), newText: edit.newText };
}

export function toQuickFix(lineIndex: LineIndex, uri: string, fix: Fix, diagnostic: Diagnostic | undefined): CodeAction {
  const action = CodeAction.create(fix.title, { changes: { [uri]: fix.edits.map((edit) => toTextEdit(lineIndex, edit)) } }, CodeActionKind.QuickFix);
  if (diagnostic !== undefined) action.diagnostics = [diagnostic];
  if (fix.preferred) action.isPreferred = true;
  return action;
}
