// The one place where analysis results (offsets, plain data) become LSP types.

import { pathToFileURL } from 'node:url';
import {
  CodeAction, CodeActionKind, CompletionItemKind, CompletionItemTag, Diagnostic, DiagnosticSeverity, DiagnosticTag, FoldingRangeKind, InsertTextFormat, MarkupKind, SymbolKind, SymbolTag,
  type ClientCapabilities, type CompletionItem, type DocumentLink, type DocumentSymbol, type FoldingRange, type Hover, type InlayHint, type MarkupContent, type Range, type SemanticTokens,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Refactoring } from '../analysis/codeActions';
import type { CompletionEntry } from '../analysis/completion';
import type { FoldingEntry } from '../analysis/folding';
import type { HoverResult } from '../analysis/hover';
import type { InlayHintEntry } from '../analysis/inlayHints';
import type { LinkCandidate } from '../analysis/links';
import { SEMANTIC_TOKEN_TYPES, type SemanticTokenEntry } from '../analysis/semanticTokens';
import type { SymbolEntry } from '../analysis/symbols';
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

// ---- editing features ----------------------------------------------------------------------

/** What the client can display, from its initialize capabilities. */
export interface ClientFormats {
  /** The client resolves completion items lazily (`completionItem/resolve` with documentation). */
  readonly resolveDocumentation?: boolean;
  readonly snippets: boolean;
  readonly completionMarkdown: boolean;
  readonly hoverMarkdown: boolean;
}

export function clientFormats(capabilities: ClientCapabilities): ClientFormats {
  const completion = capabilities.textDocument?.completion?.completionItem;
  return {
    resolveDocumentation: completion?.resolveSupport?.properties?.includes('documentation') === true,
    snippets: completion?.snippetSupport === true,
    completionMarkdown: completion?.documentationFormat?.includes(MarkupKind.Markdown) === true,
    hoverMarkdown: capabilities.textDocument?.hover?.contentFormat?.includes(MarkupKind.Markdown) === true,
  };
}

const COMPLETION_KINDS: Readonly<Record<CompletionEntry['kind'], CompletionItemKind>> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  'spec-key': CompletionItemKind.Field,
  file: CompletionItemKind.File,
  folder: CompletionItemKind.Folder,
  device: CompletionItemKind.File,
};

/**
 * `documentationId`: when given (a client that resolves items lazily), the item carries only this
 * id and the documentation is sent by `completionItem/resolve`, which keeps a key-completion list
 * of 172 items small.
 */
export function toCompletionItem(lineIndex: LineIndex, entry: CompletionEntry, formats: ClientFormats, documentationId?: number): CompletionItem {
  const snippet = formats.snippets && entry.snippet !== undefined;
  const item: CompletionItem = {
    label: entry.label,
    kind: COMPLETION_KINDS[entry.kind],
    textEdit: { range: toRange(lineIndex, entry.start, entry.end), newText: snippet ? entry.snippet! : entry.insertText },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (entry.detail !== undefined) item.detail = entry.detail;
  if (entry.documentation !== undefined) {
    if (documentationId === undefined) item.documentation = toMarkup(entry.documentation, formats.completionMarkdown);
    else item.data = { documentationId };
  }
  if (entry.sortText !== undefined) item.sortText = entry.sortText;
  if (entry.filterText !== undefined) item.filterText = entry.filterText;
  if (entry.deprecated) item.tags = [CompletionItemTag.Deprecated];
  if (entry.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

export function toDocumentation(markdown: string, formats: ClientFormats): MarkupContent {
  return toMarkup(markdown, formats.completionMarkdown);
}

export function toHover(lineIndex: LineIndex, result: HoverResult, markdown: boolean): Hover {
  return { contents: toMarkup(result.markdown, markdown), range: toRange(lineIndex, result.start, result.end) };
}

function toMarkup(markdown: string, supported: boolean): MarkupContent {
  return supported ? { kind: MarkupKind.Markdown, value: markdown } : { kind: MarkupKind.PlainText, value: plainText(markdown) };
}

/** Markdown read as plain text: emphasis, code marks and fences dropped. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^```.*$/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function toDocumentSymbol(lineIndex: LineIndex, entry: SymbolEntry): DocumentSymbol {
  const symbol: DocumentSymbol = {
    name: entry.name === '' ? ' ' : entry.name,
    detail: entry.detail,
    kind: entry.kind === 'element' ? SymbolKind.Field : entry.kind === 'unknown' ? SymbolKind.Key : SymbolKind.Property,
    range: toRange(lineIndex, entry.start, entry.end),
    selectionRange: toRange(lineIndex, entry.selectionStart, entry.selectionEnd),
    children: entry.children.map((child) => toDocumentSymbol(lineIndex, child)),
  };
  if (entry.deprecated) symbol.tags = [SymbolTag.Deprecated];
  return symbol;
}

export function toFoldingRange(entry: FoldingEntry): FoldingRange {
  const range: FoldingRange = { startLine: entry.startLine, endLine: entry.endLine };
  if (entry.kind === 'comment') range.kind = FoldingRangeKind.Comment;
  return range;
}

export function toRefactorAction(lineIndex: LineIndex, uri: string, refactoring: Refactoring): CodeAction {
  const kind = refactoring.kind === 'refactor.rewrite.sort' ? `${CodeActionKind.RefactorRewrite}.sort` : CodeActionKind.RefactorRewrite;
  return CodeAction.create(refactoring.title, { changes: { [uri]: refactoring.edits.map((edit) => toTextEdit(lineIndex, edit)) } }, kind);
}

export function toDocumentLink(lineIndex: LineIndex, link: LinkCandidate): DocumentLink {
  return { range: toRange(lineIndex, link.start, link.end), target: pathToFileURL(link.path).href, tooltip: `Open ${link.path}` };
}

export function toInlayHint(lineIndex: LineIndex, hint: InlayHintEntry): InlayHint {
  return { position: lineIndex.positionAt(hint.offset), label: hint.label, paddingLeft: true };
}

/** The relative encoding of LSP semantic tokens: line delta, start delta, length, type, modifiers. */
export function encodeSemanticTokens(lineIndex: LineIndex, entries: readonly SemanticTokenEntry[]): SemanticTokens {
  const data: number[] = [];
  let previousLine = 0;
  let previousCharacter = 0;
  for (const entry of entries) {
    const { line, character } = lineIndex.positionAt(entry.start);
    data.push(line - previousLine, line === previousLine ? character - previousCharacter : character, entry.end - entry.start, SEMANTIC_TOKEN_TYPES.indexOf(entry.type), entry.deprecated ? 1 : 0);
    previousLine = line;
    previousCharacter = character;
  }
  return { data };
}
