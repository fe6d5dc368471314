// The language server's entry point. It only wires LSP requests to the analysis functions:
// no feature logic lives here. Start it with `node dist/server.js --stdio` (or --node-ipc).

import { CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type CodeAction, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathOfUri, WorkspaceIndex } from './host/workspaceIndex';
import { toDiagnostic, toQuickFix } from './lsp/convert';
import { AnalysisCache } from './lsp/documents';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './lsp/settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const index = new WorkspaceIndex();
let settings: ServerSettings = DEFAULT_SETTINGS;
const cache = new AnalysisCache(() => settings, () => index.facts);
const pending = new Map<string, NodeJS.Timeout>();
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
/** Documents whose "syntax only" notice was shown, so it is shown once. */
const noticed = new Set<string>();

/** Delay between the last keystroke and publishing diagnostics. Opening a file publishes at once. */
const DIAGNOSTICS_DEBOUNCE_MS = 50;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => pathOfUri(folder.uri)).filter((path): path is string => path !== undefined);
  if (workspaceFolders.length === 0 && params.rootUri) {
    const root = pathOfUri(params.rootUri);
    if (root !== undefined) workspaceFolders.push(root);
  }
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'xen-xl-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'xen' });
    await refreshSettings();
  }
  const found = await index.scan(workspaceFolders);
  if (found > 0) republishAll();
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await refreshSettings();
  else settings = readSettings((change.settings as { xen?: unknown } | undefined)?.xen);
  republishAll();
});

connection.onDidChangeWatchedFiles(async () => {
  await index.scan(workspaceFolders);
  republishAll();
});

async function refreshSettings(): Promise<void> {
  try {
    settings = readSettings(await connection.workspace.getConfiguration('xen'));
  } catch {
    settings = DEFAULT_SETTINGS;
  }
}

function republishAll(): void {
  cache.invalidate();
  for (const document of documents.all()) schedule(document.uri, DIAGNOSTICS_DEBOUNCE_MS);
}

function publish(uri: string): void {
  pending.delete(uri);
  const textDocument = documents.get(uri);
  if (textDocument === undefined) return;
  try {
    const { document, problems, limited } = cache.get(textDocument);
    void connection.sendDiagnostics({ uri, version: textDocument.version, diagnostics: problems.map((problem) => toDiagnostic(document.lineIndex, problem)) });
    if (limited !== undefined && !noticed.has(uri)) {
      noticed.add(uri);
      void connection.window.showInformationMessage(`xl: ${limited}`);
    }
  } catch (error) {
    // Invariant: analysis never throws; if it ever does, say so and keep serving.
    connection.console.error(`xl: analysis failed for ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
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
  const path = pathOfUri(uri);
  const known = cache.has(uri);
  schedule(uri, known ? DIAGNOSTICS_DEBOUNCE_MS : 0);
  // Other open configs may clash with this one's name, MACs or VNC display.
  if (path !== undefined && event.document.getText().length <= settings.maxFileSize && index.update(path, event.document.getText())) {
    cache.invalidate();
    for (const other of documents.all()) if (other.uri !== uri) schedule(other.uri, DIAGNOSTICS_DEBOUNCE_MS * 4);
  }
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
