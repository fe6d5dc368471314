// The one place where analysis results (offsets, plain data) become LSP types.

import { pathToFileURL } from 'node:url';
import {
  CodeAction, CodeActionKind, CompletionItemKind, CompletionItemTag, Diagnostic, DiagnosticSeverity, DiagnosticTag, FoldingRangeKind, InsertTextFormat, MarkupKind, SymbolKind, SymbolTag,
  type ClientCapabilities, type CompletionItem, type CompletionList, type DocumentLink, type DocumentSymbol, type FoldingRange, type Hover, type InlayHint, type MarkupContent, type Range, type SemanticTokens,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Refactoring } from '../analysis/codeActions';
import type { CompletionEntry } from '../analysis/completion';
import type { FoldingEntry } from '../analysis/folding';
import type { HoverResult } from '../analysis/hover';
import type { InlayHintEntry } from '../analysis/inlayHints';
import type { LinkCandidate } from '../analysis/links';
import { ruleHref, type RulesReference } from '../analysis/rules';
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

let rulesReference: RulesReference | undefined;

/** Set once by server.ts when it finds the extension's docs/rules.md: diagnostics then link their codes to it. */
export function setRulesReference(reference: RulesReference | undefined): void {
  rulesReference = reference;
}

export function toDiagnostic(lineIndex: LineIndex, problem: Problem): Diagnostic {
  const diagnostic = Diagnostic.create(toRange(lineIndex, problem.start, problem.end), problem.message, toSeverity(problem.severity), problem.code, 'xl');
  const tags: DiagnosticTag[] = [];
  if (problem.deprecated) tags.push(DiagnosticTag.Deprecated);
  if (problem.unnecessary) tags.push(DiagnosticTag.Unnecessary);
  if (tags.length > 0) diagnostic.tags = tags;
  // The code links to its rule's section of the generated reference (docs/rules.md).
  const href = ruleHref(problem.code, rulesReference);
  if (href !== undefined) diagnostic.codeDescription = { href };
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
  /** The client also resolves an item's detail lazily. */
  readonly resolveDetail?: boolean;
  /** The client reads a list's shared edit range and text format (`CompletionList.itemDefaults`). */
  readonly listDefaults?: boolean;
  /** The client also reads a list's shared `data` (so items need none of their own). */
  readonly dataDefault?: boolean;
  readonly snippets: boolean;
  readonly completionMarkdown: boolean;
  readonly hoverMarkdown: boolean;
}

export function clientFormats(capabilities: ClientCapabilities): ClientFormats {
  const completion = capabilities.textDocument?.completion;
  const resolvable = completion?.completionItem?.resolveSupport?.properties ?? [];
  const defaults = completion?.completionList?.itemDefaults ?? [];
  return {
    resolveDocumentation: resolvable.includes('documentation'),
    resolveDetail: resolvable.includes('detail'),
    listDefaults: defaults.includes('editRange') && defaults.includes('insertTextFormat'),
    dataDefault: defaults.includes('data'),
    snippets: completion?.completionItem?.snippetSupport === true,
    completionMarkdown: completion?.completionItem?.documentationFormat?.includes(MarkupKind.Markdown) === true,
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
 * The detail and documentation of the latest list's items, kept for `completionItem/resolve`.
 * Each list has a number (`generation`), sent in the items' `data`: an item of an older list
 * comes back as it was rather than with the texts of a newer item that has the same label.
 */
export class DeferredCompletions {
  private readonly byLabel = new Map<string, CompletionParts>();
  private readonly byId: CompletionParts[] = [];

  constructor(readonly generation = 0) {}

  /** Keeps `parts` under the item's label, or under a number when the label is not unique. */
  keep(label: string, unique: boolean, parts: CompletionParts): number | undefined {
    if (unique) {
      this.byLabel.set(label, parts);
      return undefined;
    }
    this.byId.push(parts);
    return this.byId.length - 1;
  }

  /** Fills in what `item` left for later. */
  resolve(item: CompletionItem, formats: ClientFormats): CompletionItem {
    const data = item.data as { list?: unknown; completionId?: unknown } | undefined;
    if (data?.list !== this.generation) return item;
    const parts = typeof data.completionId === 'number' ? this.byId[data.completionId] : this.byLabel.get(item.label);
    if (parts === undefined) return item;
    if (parts.detail !== undefined && item.detail === undefined) item.detail = parts.detail;
    if (parts.documentation !== undefined) item.documentation = toMarkup(parts.documentation, formats.completionMarkdown);
    return item;
  }
}

interface CompletionParts {
  readonly detail?: string;
  readonly documentation?: string;
}

/**
 * A completion list for the client. What a client can fetch later (detail, documentation) is
 * left to `completionItem/resolve`, and the edit range and text format most items share travel
 * once as the list's defaults: a key list of 172 items stays a few kilobytes.
 */
export function toCompletionList(lineIndex: LineIndex, entries: readonly CompletionEntry[], formats: ClientFormats, isIncomplete: boolean, generation = 0): { list: CompletionList; deferred: DeferredCompletions } {
  const deferred = new DeferredCompletions(generation);
  const listData = { list: generation };
  let anyDeferred = false;
  const labelCounts = new Map<string, number>();
  for (const entry of entries) labelCounts.set(entry.label, (labelCounts.get(entry.label) ?? 0) + 1);
  const textOf = (entry: CompletionEntry) => (formats.snippets && entry.snippet !== undefined ? entry.snippet : entry.insertText);
  const formatOf = (entry: CompletionEntry) => (formats.snippets && entry.snippet !== undefined ? InsertTextFormat.Snippet : InsertTextFormat.PlainText);
  const shared = formats.listDefaults === true ? sharedDefaults(entries, formatOf) : undefined;
  const items = entries.map((entry): CompletionItem => {
    const item: CompletionItem = { label: entry.label, kind: COMPLETION_KINDS[entry.kind] };
    const newText = textOf(entry);
    const format = formatOf(entry);
    if (shared !== undefined && entry.start === shared.start && entry.end === shared.end) {
      if (newText !== entry.label) item.textEditText = newText;
    } else {
      item.textEdit = { range: toRange(lineIndex, entry.start, entry.end), newText };
    }
    if (shared === undefined || format !== shared.format) item.insertTextFormat = format;
    const laterDetail = formats.resolveDetail === true && entry.detail !== undefined;
    const laterDocs = formats.resolveDocumentation === true && entry.documentation !== undefined;
    if (entry.detail !== undefined && !laterDetail) item.detail = entry.detail;
    if (entry.documentation !== undefined && !laterDocs) item.documentation = toMarkup(entry.documentation, formats.completionMarkdown);
    if (laterDetail || laterDocs) {
      const id = deferred.keep(entry.label, labelCounts.get(entry.label) === 1, { detail: laterDetail ? entry.detail : undefined, documentation: laterDocs ? entry.documentation : undefined });
      anyDeferred = true;
      if (id !== undefined) item.data = { list: generation, completionId: id };
      else if (shared === undefined || formats.dataDefault !== true) item.data = listData;
    }
    if (entry.sortText !== undefined) item.sortText = entry.sortText;
    if (entry.filterText !== undefined) item.filterText = entry.filterText;
    if (entry.deprecated) item.tags = [CompletionItemTag.Deprecated];
    if (entry.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
    return item;
  });
  const list: CompletionList = { isIncomplete, items };
  if (shared !== undefined) {
    list.itemDefaults = { editRange: toRange(lineIndex, shared.start, shared.end), insertTextFormat: shared.format };
    if (anyDeferred && formats.dataDefault === true) list.itemDefaults.data = listData;
  }
  return { list, deferred };
}

/** The edit range and text format most entries share, or undefined for an empty list. */
function sharedDefaults(entries: readonly CompletionEntry[], formatOf: (entry: CompletionEntry) => InsertTextFormat): { start: number; end: number; format: InsertTextFormat } | undefined {
  if (entries.length === 0) return undefined;
  const ranges = new Map<string, number>();
  let best = entries[0];
  let bestCount = 0;
  let snippets = 0;
  for (const entry of entries) {
    const key = `${entry.start}:${entry.end}`;
    const count = (ranges.get(key) ?? 0) + 1;
    ranges.set(key, count);
    if (count > bestCount) {
      best = entry;
      bestCount = count;
    }
    if (formatOf(entry) === InsertTextFormat.Snippet) snippets++;
  }
  return { start: best.start, end: best.end, format: snippets * 2 > entries.length ? InsertTextFormat.Snippet : InsertTextFormat.PlainText };
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
  // The analysis names its kinds as LSP does (`refactor.rewrite…`), so they pass through unchanged.
  return CodeAction.create(refactoring.title, { changes: { [uri]: refactoring.edits.map((edit) => toTextEdit(lineIndex, edit)) } }, refactoring.kind);
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
