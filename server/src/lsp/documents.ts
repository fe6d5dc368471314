// Parsed documents and their problems, computed once per document version and reused by every
// request until the next change.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { computeDiagnostics } from '../analysis/diagnostics';
import type { Problem } from '../analysis/types';
import { parseConfig, type XlDocument } from '../syntax';

export interface Analysed {
  readonly version: number;
  readonly document: XlDocument;
  readonly problems: Problem[];
}

export class AnalysisCache {
  private readonly entries = new Map<string, Analysed>();

  get(textDocument: TextDocument): Analysed {
    const cached = this.entries.get(textDocument.uri);
    if (cached !== undefined && cached.version === textDocument.version) return cached;
    const document = parseConfig(textDocument.getText());
    const analysed: Analysed = { version: textDocument.version, document, problems: computeDiagnostics(document) };
    this.entries.set(textDocument.uri, analysed);
    return analysed;
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
