// The language server's entry point. It only wires LSP requests to the analysis functions:
// no feature logic lives here. Start it with `node dist/server.js --stdio` (or --node-ipc).

import { CodeActionKind, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type CodeAction, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './lsp/documents';
import { toDiagnostic, toQuickFix } from './lsp/convert';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
const pending = new Map<string, NodeJS.Timeout>();

/** Delay between the last keystroke and publishing diagnostics. Opening a file publishes at once. */
const DIAGNOSTICS_DEBOUNCE_MS = 50;

connection.onInitialize((): InitializeResult => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  },
  serverInfo: { name: 'xen-xl-language-server', version: '0.1.0' },
}));

function publish(uri: string): void {
  pending.delete(uri);
  const textDocument = documents.get(uri);
  if (textDocument === undefined) return;
  try {
    const { document, problems } = cache.get(textDocument);
    void connection.sendDiagnostics({ uri, version: textDocument.version, diagnostics: problems.map((problem) => toDiagnostic(document.lineIndex, problem)) });
  } catch (error) {
    // Invariant: analysis never throws; if it ever does, say so and keep serving.
    connection.console.error(`xl: analysis failed for ${uri}: ${String(error)}`);
  }
}

function schedule(uri: string, delay: number): void {
  clearTimeout(pending.get(uri));
  if (delay === 0) publish(uri);
  else pending.set(uri, setTimeout(() => publish(uri), delay));
}

// Fires on open too: a document we have not analysed yet is published at once.
documents.onDidChangeContent((event) => {
  const uri = event.document.uri;
  schedule(uri, cache.has(uri) ? DIAGNOSTICS_DEBOUNCE_MS : 0);
});
documents.onDidClose((event) => {
  clearTimeout(pending.get(event.document.uri));
  pending.delete(event.document.uri);
  cache.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCodeAction((params): CodeAction[] => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return [];
  const { document, problems } = cache.get(textDocument);
  const start = document.lineIndex.offsetAt(params.range.start);
  const end = document.lineIndex.offsetAt(params.range.end);
  const actions: CodeAction[] = [];
  for (const problem of problems) {
    if (problem.end < start || problem.start > end || problem.fixes === undefined) continue;
    const diagnostic = toDiagnostic(document.lineIndex, problem);
    for (const fix of problem.fixes) actions.push(toQuickFix(document.lineIndex, params.textDocument.uri, fix, diagnostic));
  }
  return actions;
});

documents.listen(connection);
connection.listen();
