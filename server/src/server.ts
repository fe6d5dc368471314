// The language server's entry point. It only wires LSP requests to the analysis functions:
// no feature logic lives here. Start it with `node dist/server.js --stdio` (or --node-ipc).

import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, StreamMessageReader, LSPErrorCodes, MessageType, ProposedFeatures, ResponseError, ShowMessageNotification, TextDocuments, TextDocumentSyncKind,
  type CancellationToken, type CodeAction, type CompletionList, type DocumentFormattingParams, type InitializeParams, type InitializeResult, type Range, type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { REFACTORING_KINDS, refactorings } from './analysis/codeActions';
import { safeFixes } from './analysis/fixes';
import { complete, completionNeeds } from './analysis/completion';
import { foldingRanges } from './analysis/folding';
import { format } from './analysis/format';
import { hover } from './analysis/hover';
import { inlayHints } from './analysis/inlayHints';
import { hostPathProblems, hostPathQuestions, sameProblems, withHostPathProblems, type HostPathQuestion } from './analysis/checks/hostPaths';
import { linkCandidates } from './analysis/links';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES, semanticTokens } from './analysis/semanticTokens';
import { documentSymbols } from './analysis/symbols';
import { completeXlConf, hoverXlConf } from './analysis/xlConf';
import { isXlConfPath } from '../../common/configPaths';
import { HostProbes } from './host/probes';
import { pathOfUri, WorkspaceIndex } from './host/workspaceIndex';
import {
  clientFormats, DeferredCompletions, encodeSemanticTokens, setRulesReference, toCompletionList, toDiagnostic, toDocumentLink, toDocumentSymbol, toFoldingRange, toHover, toInlayHint, toQuickFix, toRefactorAction, toTextEdit,
  type ClientFormats,
} from './lsp/convert';
import { parseXenVersion, resolveTarget, type XenTarget } from './catalogue/xenVersions';
import type { XenVersion } from './catalogue/types';
import { AnalysisCache } from './lsp/documents';
import { InternalErrorLog } from './lsp/internalErrors';
import { loadRulesReference } from './lsp/rulesDocument';
import { checksHostPaths, DEFAULT_SETTINGS, readSettings, type ServerSettings } from './lsp/settings';
import { exitWhenInputEnds, routeConsoleToClient, SingleWriteMessageWriter } from './lsp/stdio';
import { setSpecFailurePolicy } from './specs';
import type { Problem } from './analysis/types';
import type { XlDocument } from './syntax';

// A spec parser's bug becomes an Information diagnostic on the value and one log line, not a
// failed request (see `setSpecFailurePolicy`; tests and the fuzzer keep the default, `throw`).
setSpecFailurePolicy('report');

// `--stdio` gets a writer that sends each message in one write; other transports are wired by
// vscode-languageserver from the command line.
const stdio = process.argv.includes('--stdio');
const connection = stdio ? createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new SingleWriteMessageWriter(process.stdout)) : createConnection(ProposedFeatures.all);
if (stdio) {
  routeConsoleToClient(connection);
  exitWhenInputEnds(connection);
}
const documents = new TextDocuments(TextDocument);
const index = new WorkspaceIndex({ log: (message) => connection.console.info(message) });
let settings: ServerSettings = DEFAULT_SETTINGS;
/**
 * The Xen version of the host the client talks to, from its `xen/hostVersion` notification.
 * Contract (client → server, a notification, any time after `initialized`, again when the host or
 * its answer changes): params `{ version: string | null }`, where `version` is `xen_major.xen_minor`
 * from that host's `xl info` (a longer `4.20.1-pre` is read as 4.20), and `null` when no host is
 * known or `xl info` failed. With `xen.targetVersion` = `auto` the checks target this version;
 * `null`, a version older than 4.17 or none at all means the latest Xen, with no version checks.
 * A version newer than we know is checked as the newest.
 */
let hostVersion: XenVersion | undefined;
const target = (): XenTarget | undefined => resolveTarget(settings.targetVersion, hostVersion);
const cache = new AnalysisCache(() => settings, () => index.facts, target);
const pending = new Map<string, NodeJS.Timeout>();
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
let canRefreshInlayHints = false;
let formats: ClientFormats = { snippets: false, completionMarkdown: false, hoverMarkdown: false };
// XEN_XL_HOST_ROOT is for tests only: a folder that stands for the host's `/` (read once, here).
const probes = new HostProbes({ root: process.env.XEN_XL_HOST_ROOT ?? '' });
/** Whether this host is a Xen control domain, once known (read once, for `xen.checkHostPaths` = `auto`). */
let controlDomain: boolean | undefined;
/**
 * Per open document, the host's latest answers about its paths (by path), so the diagnostics sent
 * at once after a change keep a missing path's warning while the probes run again.
 */
const hostAnswers = new Map<string, ReadonlyMap<string, boolean | undefined>>();
/** One server-log line per spec parser failure met (the rule, the parser and a hash of the value). */
const internalErrors = new InternalErrorLog((line) => connection.console.warn(line));
/** Documentation of the items of the latest completion list, sent on completionItem/resolve. */
let completionDeferred = new DeferredCompletions();
/** Documents whose "syntax only" notice was shown, so it is shown once. */
const noticed = new Set<string>();

/**
 * Delay between the last keystroke and publishing diagnostics (opening a file publishes at once).
 * A client can set it with the initialization option `diagnosticsDebounceMs` (the benchmark uses 0).
 */
let diagnosticsDebounceMs = 50;

/** A request the client cancelled, or one that was superseded while it waited for a probe. */
function cancelled(token: CancellationToken): ResponseError<void> | undefined {
  return token.isCancellationRequested ? new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled') : undefined;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
  formats = clientFormats(params.capabilities);
  // Diagnostic codes link to their rules in the docs/rules.md the extension ships.
  setRulesReference(loadRulesReference(__dirname, (message) => connection.console.info(message)));
  const debounce = (params.initializationOptions as { diagnosticsDebounceMs?: unknown } | undefined)?.diagnosticsDebounceMs;
  if (typeof debounce === 'number' && debounce >= 0 && debounce <= 5000) diagnosticsDebounceMs = debounce;
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => pathOfUri(folder.uri)).filter((path): path is string => path !== undefined);
  if (workspaceFolders.length === 0 && params.rootUri) {
    const root = pathOfUri(params.rootUri);
    if (root !== undefined) workspaceFolders.push(root);
  }
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, ...REFACTORING_KINDS] },
      completionProvider: { triggerCharacters: ['=', ',', "'", '"', '[', '/', ':'], resolveProvider: true },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      documentLinkProvider: { resolveProvider: false },
      inlayHintProvider: true,
      semanticTokensProvider: { legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] }, full: true },
    },
    serverInfo: { name: 'xen-xl-language-server', version: '0.1.0' },
  };
});

void probes.isControlDomain().then((yes) => {
  controlDomain = yes;
  if (!yes) return;
  connection.console.info('xl: this host is a Xen control domain: configs\' host paths are checked (xen.checkHostPaths)');
  if (settings.checkHostPaths === 'auto') for (const document of documents.all()) schedule(document.uri, 0);
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
  if (canRefreshInlayHints) void connection.languages.inlayHint.refresh();
});

connection.onNotification('xen/hostVersion', (params: { version?: unknown } | undefined) => {
  const version = parseXenVersion(params?.version);
  if (version === hostVersion) return;
  hostVersion = version;
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
  for (const document of documents.all()) schedule(document.uri, diagnosticsDebounceMs);
}

function publish(uri: string): void {
  pending.delete(uri);
  const textDocument = documents.get(uri);
  if (textDocument === undefined) return;
  try {
    const { document, problems, limited } = cache.get(textDocument);
    // Host paths are looked for only in guest configs checked in full, where they are used.
    const questions = limited === undefined && isGuestConfig(uri) && checksHostPaths(settings.checkHostPaths, controlDomain) ? hostPathQuestions(document) : [];
    const host = hostPathProblems(document, questions, hostAnswers.get(uri) ?? new Map(), settings.rules);
    sendProblems(uri, textDocument.version, document, withHostPathProblems(problems, host));
    if (questions.length > 0) {
      void checkHostPaths(uri, textDocument.version, questions, host).catch((error: unknown) => {
        connection.console.error(`xl: host path check failed for ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      });
    }
    internalErrors.note(problems);
    updateIndex(uri, document);
    if (limited !== undefined && !noticed.has(uri)) {
      noticed.add(uri);
      // A notification, not a request: nothing waits for the user to close it.
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `xl: ${limited}` });
    }
  } catch (error) {
    // Invariant: analysis never throws; if it ever does, say so and keep serving.
    connection.console.error(`xl: analysis failed for ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

function sendProblems(uri: string, version: number, document: XlDocument, problems: readonly Problem[]): void {
  void connection.sendDiagnostics({ uri, version, diagnostics: problems.map((problem) => toDiagnostic(document.lineIndex, problem)) });
}

/**
 * Probes the document's host paths (each probe bounded by its timeout) and, when the answers change
 * what was sent, sends the document's diagnostics again: only for the version they were asked for.
 */
async function checkHostPaths(uri: string, version: number, questions: readonly HostPathQuestion[], sent: readonly Problem[]): Promise<void> {
  const paths = [...new Set(questions.map((question) => question.path))];
  const found = await Promise.all(paths.map((path) => probes.pathExists(path)));
  const textDocument = documents.get(uri);
  if (textDocument === undefined || textDocument.version !== version || !checksHostPaths(settings.checkHostPaths, controlDomain)) return;
  const answers = new Map(paths.map((path, at) => [path, found[at]]));
  hostAnswers.set(uri, answers);
  const { document, problems } = cache.get(textDocument);
  const host = hostPathProblems(document, questions, answers, settings.rules);
  if (!sameProblems(host, sent)) sendProblems(uri, version, document, withHostPathProblems(problems, host));
}

function schedule(uri: string, delay: number): void {
  clearTimeout(pending.get(uri));
  if (delay === 0) publish(uri);
  else pending.set(uri, setTimeout(() => publish(uri), delay));
}

// Fires on open too: a document we have not analysed yet is published at once.
documents.onDidChangeContent((event) => {
  const uri = event.document.uri;
  const known = cache.has(uri);
  schedule(uri, known ? diagnosticsDebounceMs : 0);
});

/**
 * Other open configs may clash with this one's name, MACs or VNC display: record its facts (from
 * the tree just analysed, not a second parse) and re-check the others when the facts changed.
 */
function updateIndex(uri: string, document: XlDocument): void {
  const path = pathOfUri(uri);
  if (path === undefined || document.text.length > settings.maxFileSize || !index.updateDocument(path, document)) return;
  cache.invalidate(uri);
  for (const other of documents.all()) if (other.uri !== uri) schedule(other.uri, diagnosticsDebounceMs * 4);
}

documents.onDidClose((event) => {
  clearTimeout(pending.get(event.document.uri));
  pending.delete(event.document.uri);
  cache.delete(event.document.uri);
  hostAnswers.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCodeAction((params): CodeAction[] => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return [];
  const { document, problems } = cache.get(textDocument);
  const start = document.lineIndex.offsetAt(params.range.start);
  const end = document.lineIndex.offsetAt(params.range.end);
  const only = params.context.only;
  const wants = (kind: string) => only === undefined || only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
  // A family is worth computing when a kind inside it was asked for (`refactor.rewrite.xen…`).
  const wantsSome = (family: string) => wants(family) || (only !== undefined && only.some((asked) => asked.startsWith(`${family}.`)));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const problem of problems) {
      if (problem.end < start || problem.start > end || problem.fixes === undefined) continue;
      const diagnostic = toDiagnostic(document.lineIndex, problem);
      // Only fixes that do not leave the file more broken (checked by parsing the result).
      for (const fix of safeFixes(document, problem)) actions.push(toQuickFix(document.lineIndex, params.textDocument.uri, fix, diagnostic));
    }
  }
  if (wantsSome(CodeActionKind.RefactorRewrite) && isGuestConfig(params.textDocument.uri)) {
    // Asked for refactorings by name (the Refactor menu): offer the file-wide ones too.
    const explicit = only !== undefined && only.some((asked) => asked.startsWith(CodeActionKind.Refactor));
    const path = pathOfUri(params.textDocument.uri);
    for (const refactoring of refactorings(document, start, end, { explicit, random: Math.random, usedMacs: index.usedMacs(path) })) {
      if (wants(refactoring.kind)) actions.push(toRefactorAction(document.lineIndex, params.textDocument.uri, refactoring));
    }
  }
  return actions;
});

/**
 * xl.conf has the config syntax but not the guest keys: completion and hover use its own catalogue,
 * and the guest-only features (refactorings, inlay hints, semantic tokens) do not apply to it.
 */
function isGuestConfig(uri: string): boolean {
  const path = pathOfUri(uri);
  return path === undefined || !isXlConfPath(path);
}

connection.onCompletion(async (params, token): Promise<CompletionList | ResponseError<void>> => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return { isIncomplete: false, items: [] };
  const { document } = cache.get(textDocument);
  const offset = document.lineIndex.offsetAt(params.position);
  if (!isGuestConfig(params.textDocument.uri)) {
    // xl.conf: its own keys and values, no host probes.
    const { list, deferred } = toCompletionList(document.lineIndex, completeXlConf(document, offset), formats, false, completionDeferred.generation + 1);
    completionDeferred = deferred;
    return list;
  }
  const needs = completionNeeds(document, offset);
  // Each probe gives up after its timeout, so a slow disk delays completion by at most that much.
  const [entries, bridges, blockDevices] = await Promise.all([
    needs.directory !== undefined ? probes.listDirectory(needs.directory) : undefined,
    needs.bridges ? probes.listBridges() : undefined,
    needs.blockDevices ? probes.listBlockDevices() : undefined,
  ]);
  // Typing on while the probes ran makes this answer stale: let the newer request answer.
  const stale = cancelled(token);
  if (stale !== undefined) return stale;
  const path = pathOfUri(params.textDocument.uri);
  const items = complete(document, offset, {
    directory: needs.directory !== undefined && entries !== undefined ? { path: needs.directory, entries } : undefined,
    bridges,
    blockDevices,
    usedMacs: index.usedMacs(path),
    usedVncDisplays: index.usedVncDisplays(path),
    random: Math.random,
  }, {}, target());
  // Detail and documentation travel with completionItem/resolve when the client supports it;
  // only the latest list's are kept, and its items carry its number. Paths change with every
  // folder typed: ask again rather than filter a stale listing.
  const { list, deferred } = toCompletionList(document.lineIndex, items, formats, needs.directory !== undefined, completionDeferred.generation + 1);
  completionDeferred = deferred;
  return list;
});

connection.onCompletionResolve((item) => completionDeferred.resolve(item, formats));

connection.onHover((params) => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return null;
  const { document } = cache.get(textDocument);
  const offset = document.lineIndex.offsetAt(params.position);
  const result = isGuestConfig(params.textDocument.uri) ? hover(document, offset, target()) : hoverXlConf(document, offset);
  return result === undefined ? null : toHover(document.lineIndex, result, formats.hoverMarkdown);
});

connection.onDocumentSymbol((params) => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return [];
  const { document } = cache.get(textDocument);
  return documentSymbols(document).map((symbol) => toDocumentSymbol(document.lineIndex, symbol));
});

connection.onFoldingRanges((params) => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return [];
  return foldingRanges(cache.get(textDocument).document).map(toFoldingRange);
});

connection.onDocumentFormatting((params, token) => formatRequest(params, token));
connection.onDocumentRangeFormatting((params, token) => formatRequest(params, token, params.range));

/** Whole-document and range formatting: the editor's indentation, our quote and width settings. */
function formatRequest(params: DocumentFormattingParams, token: CancellationToken, range?: Range): TextEdit[] | ResponseError<void> {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return [];
  const stop = cancelled(token);
  if (stop !== undefined) return stop;
  const { document } = cache.get(textDocument);
  const indent = params.options.insertSpaces ? ' '.repeat(Math.max(1, params.options.tabSize)) : '\t';
  const offsets = range === undefined ? undefined : { start: document.lineIndex.offsetAt(range.start), end: document.lineIndex.offsetAt(range.end) };
  return format(document, { ...settings.format, indent }, offsets).map((edit) => toTextEdit(document.lineIndex, edit));
}

connection.onDocumentLinks(async (params, token) => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined) return [];
  const { document } = cache.get(textDocument);
  const candidates = linkCandidates(document);
  // Only files that exist on this host become links (a block device or a missing ISO does not).
  const exists = await Promise.all(candidates.map((candidate) => probes.isFile(candidate.path)));
  const stop = cancelled(token);
  if (stop !== undefined) return stop;
  return candidates.filter((_, at) => exists[at] === true).map((candidate) => toDocumentLink(document.lineIndex, candidate));
});

connection.languages.inlayHint.on((params) => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined || !settings.inlayHints || !isGuestConfig(params.textDocument.uri)) return [];
  const { document } = cache.get(textDocument);
  const range = { start: document.lineIndex.offsetAt(params.range.start), end: document.lineIndex.offsetAt(params.range.end) };
  return inlayHints(document, range).map((hint) => toInlayHint(document.lineIndex, hint));
});

connection.languages.semanticTokens.on((params, token) => {
  const textDocument = documents.get(params.textDocument.uri);
  if (textDocument === undefined || !isGuestConfig(params.textDocument.uri)) return { data: [] };
  const stop = cancelled(token);
  if (stop !== undefined) return stop;
  const { document } = cache.get(textDocument);
  return encodeSemanticTokens(document.lineIndex, semanticTokens(document));
});

documents.listen(connection);
connection.listen();
