// The read-only log documents (scheme `xen-log`): a guest's xl or qemu-dm log, or a host's
// `xl dmesg`, read through the XenService (so ssh hosts work and untrusted workspaces run
// nothing), held in memory only, and followed on request: every 2 s while the editor is visible,
// the bytes after the last read are appended; hidden, closed or Stop Following ends it.

import * as vscode from 'vscode';
import type { XenHost, XenService } from '../xenService';
import { dmesg, isXlError, logPath, readLog } from '../xl';
import { dmesgText, firstView, followView, renderLog, type LogPlace, type LogView } from './logText';

export const LOG_SCHEME = 'xen-log';
/** True while the active editor shows a log that is being followed (the editor title's buttons). */
export const FOLLOWING_CONTEXT_KEY = 'xen.logFollowing';
export const FOLLOW_INTERVAL_MS = 2000;
/** How long a closed log's text is kept in case the document reopens (a language change does that). */
const REOPEN_GRACE_MS = 2000;

/** What a log document shows: a file of LOG_DIR on a host, or that host's `xl dmesg`. */
export type LogSource = { kind: 'file'; host: XenHost; file: string } | { kind: 'dmesg'; host: XenHost };

export type LoadResult = { status: 'loaded'; uri: vscode.Uri; sizeBytes: number; cut: boolean } | { status: 'missing'; path: string };

interface Entry {
  source: LogSource;
  /** For files: the text and the offset of the next read. */
  view?: LogView;
  text: string;
  timer?: ReturnType<typeof setInterval>;
  busy: boolean;
}

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly pendingDrops = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly service: XenService) {
    this.subscriptions = [
      vscode.window.onDidChangeVisibleTextEditors(() => this.stopHidden()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document.uri)),
    ];
  }

  uriOf(source: LogSource): vscode.Uri {
    const file = source.kind === 'file' ? source.file : 'xl dmesg';
    return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${source.host.id}/${file}`, query: source.kind });
  }

  /** Reads the log (its tail) and keeps it for the document; a missing file is a result, not an error. */
  async load(source: LogSource, signal?: AbortSignal): Promise<LoadResult> {
    const uri = this.uriOf(source);
    const key = uri.toString();
    let entry: Entry;
    let cut: boolean;
    let sizeBytes: number;
    if (source.kind === 'dmesg') {
      const stdout = await this.service.run(source.host, dmesg(), { signal });
      const shown = dmesgText(stdout, source.host.label);
      entry = { source, text: shown.text, busy: false };
      sizeBytes = Buffer.byteLength(stdout);
      cut = shown.cut;
    } else {
      const path = logPath(source.file);
      const chunk = await this.service.run(source.host, readLog(path), { signal });
      if (chunk.missing) return { status: 'missing', path };
      const view = firstView(chunk, placeOf(source));
      entry = { source, view, text: renderLog(view), busy: false };
      sizeBytes = chunk.sizeBytes;
      cut = chunk.start > 0;
    }
    const previous = this.entries.get(key);
    if (previous?.timer !== undefined) entry.timer = previous.timer;
    this.entries.set(key, entry);
    if (previous !== undefined) this.changed.fire(uri);
    return { status: 'loaded', uri, sizeBytes, cut };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.entries.get(uri.toString())?.text ?? 'This log is not loaded any more. Open it again with "Xen: Open Log…" or "Xen: Show Hypervisor Messages".';
  }

  /** The text a log document shows now (for the tests), undefined when it is not loaded. */
  textOf(uri: vscode.Uri | string): string | undefined {
    return this.entries.get(uri.toString())?.text;
  }

  isLog(uri: vscode.Uri): boolean {
    return uri.scheme === LOG_SCHEME && this.entries.has(uri.toString());
  }

  isFollowing(uri: vscode.Uri): boolean {
    return this.entries.get(uri.toString())?.timer !== undefined;
  }

  /** Starts polling this log; false when it is not loaded. */
  follow(uri: vscode.Uri): boolean {
    const key = uri.toString();
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    entry.timer ??= setInterval(() => void this.tick(key), FOLLOW_INTERVAL_MS);
    this.updateContext();
    return true;
  }

  stopFollowing(uri: vscode.Uri): void {
    const entry = this.entries.get(uri.toString());
    if (entry?.timer === undefined) return;
    clearInterval(entry.timer);
    entry.timer = undefined;
    this.updateContext();
  }

  dispose(): void {
    for (const entry of this.entries.values()) if (entry.timer !== undefined) clearInterval(entry.timer);
    for (const timer of this.pendingDrops) clearTimeout(timer);
    this.entries.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  // --- internals ---

  private async tick(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.busy) return;
    const uri = vscode.Uri.parse(key);
    if (!isVisible(key)) {
      this.stopFollowing(uri);
      return;
    }
    entry.busy = true;
    try {
      const text = await this.readMore(entry);
      if (text !== entry.text && this.entries.get(key) === entry) {
        entry.text = text;
        this.changed.fire(uri);
      }
    } catch (error) {
      // One failed read ends following (a host that went away would fail every 2 s); the text stays.
      this.stopFollowing(uri);
      const message = isXlError(error) || error instanceof Error ? error.message : String(error);
      void vscode.window.showWarningMessage(`Stopped following ${titleOf(entry.source)} on ${entry.source.host.label}: ${message}`);
    } finally {
      entry.busy = false;
    }
  }

  /** The document's text after one more read. */
  private async readMore(entry: Entry): Promise<string> {
    const source = entry.source;
    if (source.kind === 'dmesg') return dmesgText(await this.service.run(source.host, dmesg()), source.host.label).text;
    const view = entry.view;
    if (view === undefined) return entry.text;
    const chunk = await this.service.run(source.host, readLog(logPath(source.file), { from: view.nextOffset, inode: view.inode }));
    // Missing for a moment while xl rotates the logs of a guest that starts again: try next time.
    if (chunk.missing) return entry.text;
    entry.view = followView(view, chunk, placeOf(source), new Date());
    return renderLog(entry.view);
  }

  /**
   * A closed log stops following. Its text is dropped only if it stays closed: setting the
   * document's language closes and reopens it at once, and the entry must survive that.
   */
  private closed(uri: vscode.Uri): void {
    if (uri.scheme !== LOG_SCHEME) return;
    this.stopFollowing(uri);
    const key = uri.toString();
    const timer = setTimeout(() => {
      this.pendingDrops.delete(timer);
      if (!vscode.workspace.textDocuments.some((document) => document.uri.toString() === key)) this.entries.delete(key);
    }, REOPEN_GRACE_MS);
    this.pendingDrops.add(timer);
  }

  private stopHidden(): void {
    for (const [key, entry] of this.entries) if (entry.timer !== undefined && !isVisible(key)) this.stopFollowing(vscode.Uri.parse(key));
  }

  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', FOLLOWING_CONTEXT_KEY, active !== undefined && this.isFollowing(active));
  }
}

function placeOf(source: Extract<LogSource, { kind: 'file' }>): LogPlace {
  return { path: logPath(source.file), hostLabel: source.host.label };
}

function titleOf(source: LogSource): string {
  return source.kind === 'file' ? source.file : 'xl dmesg';
}

function isVisible(key: string): boolean {
  return vscode.window.visibleTextEditors.some((editor) => editor.document.uri.toString() === key);
}
