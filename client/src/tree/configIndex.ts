// Finds the workspace's xl guest configs (the same path rules as the `xl` language, plus any open
// document switched to `xl`) and reads each one's guest name with a line scan. Kept current by a
// file watcher; reading files is harmless, so this also works in an untrusted workspace.

import * as vscode from 'vscode';
import { CONFIG_SEARCH_EXCLUDE, CONFIG_SEARCH_GLOB, isGuestConfigPath, isSniffCandidatePath, isXlConfPath } from '../../../common/configPaths';
import { looksLikeGuestConfig } from '../../../common/guestSniff';
import { CONFIG_MAX_BYTES, MAX_CONFIG_FILES } from '../../../common/limits';
import { scanConfigName } from '../configFiles';

export interface ConfigFile {
  uri: vscode.Uri;
  /** The guest name, when the file has a plain `name = "..."` line. */
  name?: string;
  /** 0-based line of that `name` assignment. */
  nameLine?: number;
}

const RESCAN_DELAY_MS = 400;

export class ConfigIndex implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private files: ConfigFile[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scanning: Promise<void> | undefined;
  private scanned = false;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_SEARCH_GLOB);
    const soon = (): void => this.rescanSoon();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(soon),
      watcher.onDidDelete(soon),
      watcher.onDidChange(soon),
      vscode.workspace.onDidChangeWorkspaceFolders(soon),
      // "Treat this file as an xl config" reopens the document with language `xl`.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (document.languageId === 'xl' && !this.files.some((file) => file.uri.toString() === document.uri.toString())) soon();
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.languageId === 'xl') soon();
      }),
    );
  }

  /** The configs found so far; the first call starts the scan. */
  list(): readonly ConfigFile[] {
    if (!this.scanned && this.scanning === undefined) void this.scan();
    return this.files;
  }

  /** Waits for the first scan (for quick picks). */
  async ready(): Promise<readonly ConfigFile[]> {
    if (!this.scanned) await (this.scanning ?? this.scan());
    return this.files;
  }

  find(uri: vscode.Uri): ConfigFile | undefined {
    return this.files.find((file) => file.uri.toString() === uri.toString());
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }

  // --- internals ---

  private rescanSoon(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.scan();
    }, RESCAN_DELAY_MS);
  }

  private scan(): Promise<void> {
    // One scan at a time; a request during a scan runs another one after it.
    const previous = this.scanning ?? Promise.resolve();
    const next = previous.then(() => this.doScan());
    this.scanning = next.finally(() => {
      if (this.scanning === next) this.scanning = undefined;
    });
    return next;
  }

  private async doScan(): Promise<void> {
    const found = new Map<string, vscode.Uri>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, CONFIG_SEARCH_GLOB), CONFIG_SEARCH_EXCLUDE, MAX_CONFIG_FILES);
      for (const uri of uris) {
        // Outside /etc/xen and `xen` folders a .cfg is a guest config when its content says so.
        if (isGuestConfigPath(uri.path) || (isSniffCandidatePath(uri.path) && (await looksLikeConfigFile(uri)))) found.set(uri.toString(), uri);
      }
    }
    for (const document of vscode.workspace.textDocuments) {
      if (document.languageId === 'xl' && document.uri.scheme === 'file' && !isXlConfPath(document.uri.path)) {
        found.set(document.uri.toString(), document.uri);
      }
    }
    const files = await Promise.all([...found.values()].map((uri) => readConfig(uri)));
    files.sort((a, b) => a.uri.path.localeCompare(b.uri.path));
    this.files = files;
    this.scanned = true;
    this.changed.fire();
  }
}

async function looksLikeConfigFile(uri: vscode.Uri): Promise<boolean> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > CONFIG_MAX_BYTES) return false;
    return looksLikeGuestConfig(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    return false;
  }
}

async function readConfig(uri: vscode.Uri): Promise<ConfigFile> {
  try {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (!open && (await vscode.workspace.fs.stat(uri)).size > CONFIG_MAX_BYTES) return { uri };
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const name = scanConfigName(text);
    return name ? { uri, name: name.name, nameLine: name.line } : { uri };
  } catch {
    return { uri };
  }
}

/**
 * A config's text as the editor has it, else as saved; undefined when it is unreadable (deleted
 * since the index saw it) or larger than CONFIG_MAX_BYTES. For scans (New Guest, Delete Guest), not for starts.
 */
export async function readConfigText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open !== undefined) return open.getText();
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > CONFIG_MAX_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    // Handled: a config that is gone or unreadable tells nothing, which is what undefined says.
    return undefined;
  }
}
