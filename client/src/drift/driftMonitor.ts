// Watches running guests that have a config in the workspace and tells when they run something
// other than the file says: Information diagnostics on the file's keys ("xl (running)"), and the
// differences for the Guests view. One check is two xl calls on the guest's host (`xl -N create`
// of the editor's text, `xl list -l NAME`); checks happen when a guest is first seen or gets a new
// domid, when its config is saved or edited (after a pause), and when our commands ask. Never on
// a timer, never in an untrusted workspace.

import * as vscode from 'vscode';
import { configLabel, createCommand, type ConfigSource } from '../commands/configFile';
import type { CommandContext } from '../commands/context';
import { guestStateKey } from '../tree/model';
import { readConfigText } from '../tree/configIndex';
import { xl } from '../xl';
import { CheckQueue, Semaphore } from './checkQueue';
import { compareConfigs, readingOf, type DriftItem, type Reading } from './compare';
import { locateDrift, positionAt, scanAssignments } from './locate';

export const RUNNING_DIAGNOSTICS_NAME = 'xl (running)';
export const DRIFT_DIAGNOSTIC_CODE = 'xl.running-drift';

/** Edits are checked this long after the last keystroke. */
const EDIT_DEBOUNCE_MS = 1000;
/** Checks running at once on one host (each is two xl calls). */
const CHECKS_PER_HOST = 2;

/** What the last check of one guest found. */
export interface DriftResult {
  hostId: string;
  name: string;
  domid: number;
  /** The config file the guest was compared with. */
  uri: vscode.Uri;
  /** Empty when the guest runs what the file says. */
  items: DriftItem[];
  /** Both readings, for Show Differences; absent until a check succeeded. */
  file?: Reading;
  running?: Reading;
  /** Why the last check could not compare (the file does not parse, xl failed); items are then empty. */
  error?: string;
}

interface Watched {
  key: string;
  hostId: string;
  name: string;
  domid: number;
  uri: vscode.Uri;
  result?: DriftResult;
  /** Bumped when the watch ends or restarts, so a late answer of an older check is dropped. */
  generation: number;
}

export class DriftMonitor implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a guest's drift changed (the views redraw). */
  readonly onDidChange = this.changed.event;
  readonly diagnostics: vscode.DiagnosticCollection;
  private readonly watched = new Map<string, Watched>();
  private readonly queue = new CheckQueue((key) => this.check(key));
  private readonly hostTurns = new Map<string, Semaphore>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly ctx: CommandContext) {
    this.diagnostics = vscode.languages.createDiagnosticCollection(RUNNING_DIAGNOSTICS_NAME);
    this.disposables.push(
      this.diagnostics,
      ctx.state.onDidChange(() => this.reconcile()),
      ctx.configs.onDidChange(() => this.reconcile()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reconcile()),
      vscode.workspace.onDidSaveTextDocument((document) => this.checkConfig(document.uri)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.checkConfigSoon(event.document.uri);
      }),
    );
    this.reconcile();
  }

  /** The differences of a guest from its config; undefined when it is not watched or not checked yet. */
  driftOf(hostId: string, name: string): readonly DriftItem[] | undefined {
    return this.watched.get(watchKey(hostId, name))?.result?.items;
  }

  /** The last result of every watched guest that was checked. */
  results(): DriftResult[] {
    return [...this.watched.values()].flatMap((entry) => (entry.result ? [entry.result] : []));
  }

  result(hostId: string, name: string): DriftResult | undefined {
    return this.watched.get(watchKey(hostId, name))?.result;
  }

  /**
   * Checks one guest again now (after our own commands changed it). Resolves when that check is
   * done; a check already running is followed by one more, not by several.
   */
  recheck(hostId: string, name: string): Promise<void> {
    this.reconcile();
    const entry = this.watched.get(watchKey(hostId, name));
    return entry === undefined ? Promise.resolve() : this.queue.request(entry.key);
  }

  /** Resolves when no check is running or waiting (edits' pauses included). For tests. */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  dispose(): void {
    this.abort.abort();
    this.queue.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }

  // --- which guests ---

  /** Watches the running guests that have a workspace config; forgets the others. */
  private reconcile(): void {
    if (this.abort.signal.aborted) return;
    const trusted = vscode.workspace.isTrusted;
    const wanted = trusted ? this.targets() : new Map<string, Omit<Watched, 'generation' | 'key'>>();
    // A host that failed to answer says nothing about its guests: keep what we knew of them, so
    // a passing ssh failure costs no checks when the host comes back.
    const silent = new Set(this.ctx.state.hosts().filter((host) => host.domains === undefined).map((host) => host.host.id));
    let forgot = false;
    for (const [key, entry] of this.watched) {
      if (wanted.has(key) || (trusted && silent.has(entry.hostId) && this.ctx.service.host(entry.hostId) !== undefined)) continue;
      this.forget(entry);
      forgot = true;
    }
    for (const [key, target] of wanted) {
      const known = this.watched.get(key);
      if (known !== undefined && known.domid === target.domid && known.uri.toString() === target.uri.toString()) continue;
      // New guest, new domid (restarted: a fresh start from the file) or another config file.
      if (known !== undefined) {
        this.forget(known);
        forgot = true;
      }
      const entry: Watched = { key, ...target, generation: (known?.generation ?? 0) + 1 };
      this.watched.set(key, entry);
      void this.queue.request(key);
    }
    if (forgot) this.changed.fire();
  }

  private targets(): Map<string, Omit<Watched, 'generation' | 'key'>> {
    const byName = new Map<string, vscode.Uri>();
    // Several files may name the same guest: an open one wins, else the first by path.
    const openUris = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
    for (const file of this.ctx.configs.list()) {
      if (file.name === undefined) continue;
      const known = byName.get(file.name);
      if (known === undefined || (!openUris.has(known.toString()) && openUris.has(file.uri.toString()))) byName.set(file.name, file.uri);
    }
    const targets = new Map<string, Omit<Watched, 'generation' | 'key'>>();
    for (const host of this.ctx.state.hosts()) {
      for (const domain of host.domains ?? []) {
        const stateKey = guestStateKey(domain);
        if (stateKey !== 'running' && stateKey !== 'paused') continue;
        const uri = byName.get(domain.name);
        if (uri === undefined) continue;
        targets.set(watchKey(host.host.id, domain.name), { hostId: host.host.id, name: domain.name, domid: domain.id, uri });
      }
    }
    return targets;
  }

  private forget(entry: Watched): void {
    entry.generation += 1;
    this.watched.delete(entry.key);
    this.publish(entry.uri);
  }

  // --- when ---

  private checkConfig(uri: vscode.Uri): void {
    this.queue.cancel(uri.toString());
    for (const entry of this.entriesOf(uri)) void this.queue.request(entry.key);
  }

  private checkConfigSoon(uri: vscode.Uri): void {
    if (this.entriesOf(uri).length === 0) return;
    this.queue.debounce(uri.toString(), EDIT_DEBOUNCE_MS, () => Promise.all(this.entriesOf(uri).map((entry) => this.queue.request(entry.key))));
  }

  private entriesOf(uri: vscode.Uri): Watched[] {
    const key = uri.toString();
    return [...this.watched.values()].filter((entry) => entry.uri.toString() === key);
  }

  // --- one check ---

  private async check(key: string): Promise<void> {
    const entry = this.watched.get(key);
    if (entry === undefined || this.abort.signal.aborted) return;
    const generation = entry.generation;
    const host = this.ctx.service.host(entry.hostId);
    if (host === undefined) return;
    const base = { hostId: entry.hostId, name: entry.name, domid: entry.domid, uri: entry.uri };
    let result: DriftResult;
    let text: string | undefined;
    try {
      const signal = this.abort.signal;
      let turns = this.hostTurns.get(host.id);
      if (turns === undefined) this.hostTurns.set(host.id, (turns = new Semaphore(CHECKS_PER_HOST)));
      const [fileConfig, details] = await turns.run(async () => {
        // The text as it is when the turn comes: a newer edit is what should be compared. An
        // open editor's text, else the saved file's, read without opening a document (that would
        // tell the language server and the config sniffing about a file the user never opened).
        const open = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === entry.uri.toString());
        const saved = open === undefined ? await readConfigText(entry.uri) : undefined;
        if (open === undefined && saved === undefined) throw new Error(`${configLabel(entry.uri)} could not be read`);
        const document: ConfigSource = open ?? { uri: entry.uri, isDirty: false, getText: () => saved ?? '' };
        text = document.getText();
        return Promise.all([
          this.ctx.service.run(host, createCommand(this.ctx, host, document, { dryRun: true }), { signal }),
          this.ctx.service.run(host, xl.listLong(entry.name), { signal }),
        ]);
      });
      const running = details.find((candidate) => candidate.name === entry.name);
      if (running === undefined) {
        // It stopped between the list and this check; the next refresh forgets it.
        result = { ...base, items: [], error: `${entry.name} is no longer running` };
      } else {
        const file = readingOf(fileConfig);
        const now = readingOf(running);
        result = { ...base, domid: running.domid, items: compareConfigs(fileConfig, running), file, running: now };
      }
    } catch (error) {
      // Handled: without both readings there is nothing to compare, which the result says (the
      // Xen log has xl's own words). A file that does not parse shows its errors from the
      // language server; the drift marks go until it parses again.
      if (this.abort.signal.aborted) return;
      result = { ...base, items: [], error: error instanceof Error ? error.message : String(error) };
      text = undefined;
    }
    // Dropped when the watch ended or restarted meanwhile, or the extension is going away.
    if (this.abort.signal.aborted || entry.generation !== generation || this.watched.get(entry.key) !== entry) return;
    const before = JSON.stringify(entry.result?.items ?? []);
    entry.result = result;
    this.publish(entry.uri, text);
    if (before !== JSON.stringify(result.items)) this.changed.fire();
  }

  /** Sets the file's diagnostics from every guest watched with it. `text` is the text the newest check read. */
  private publish(uri: vscode.Uri, text?: string): void {
    const entries = this.entriesOf(uri).filter((entry) => (entry.result?.items.length ?? 0) > 0);
    if (entries.length === 0) {
      this.diagnostics.delete(uri);
      return;
    }
    const source = text ?? vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.getText() ?? '';
    const assignments = scanAssignments(source);
    const several = entries.length > 1;
    const diagnostics = entries.flatMap((entry) =>
      (entry.result?.items ?? []).map((item) => {
        const range = locateDrift(source, item, assignments);
        const start = positionAt(source, range.start);
        const end = positionAt(source, range.end);
        // Only when guests of this name run on several hosts does a message need to say which.
        const who = several ? `${entry.name} on ${this.ctx.service.host(entry.hostId)?.label ?? entry.hostId}: ` : '';
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(start.line, start.character, end.line, end.character),
          `${who}${item.message}`,
          vscode.DiagnosticSeverity.Information,
        );
        diagnostic.source = RUNNING_DIAGNOSTICS_NAME;
        diagnostic.code = DRIFT_DIAGNOSTIC_CODE;
        return diagnostic;
      }),
    );
    this.diagnostics.set(uri, diagnostics);
  }
}

function watchKey(hostId: string, name: string): string {
  return `${hostId}\u0000${name}`;
}
