// Gets a config ready for xl without writing it: opens the document (the editor's text is what
// runs), asks before starting a buffer with Errors, and builds the `xl create` that reads either
// the file itself (same machine, saved) or the editor's text through a temporary file.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { xl, type CreateOptions, type DomainConfig, type XlCommand } from '../xl';
import { askModal, type CommandContext } from './context';
import { configDelivery, startWithErrorsText } from './policy';

export const HOST_DIAGNOSTICS_NAME = 'xl (host)';

/** How long to wait for the language server's first diagnostics of a file it had not seen. */
const FIRST_DIAGNOSTICS_WAIT_MS = 2000;

/** The document of a config, as the editor has it (unsaved changes included). Never saves. */
export async function openConfig(uri: vscode.Uri): Promise<{ document: vscode.TextDocument; wasOpen: boolean }> {
  const wasOpen = vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
  return { document: await vscode.workspace.openTextDocument(uri), wasOpen };
}

/**
 * Before a start: when the language server reports Errors in the buffer, asks whether to start
 * anyway. Host results ("xl (host)") are left out: they describe a host at some moment, and the
 * preflight checks the host again. True to go on. Writes nothing, whatever the answer.
 */
export async function confirmBufferErrors(document: vscode.TextDocument, wasOpen: boolean): Promise<boolean> {
  const uri = document.uri;
  if (!wasOpen && document.languageId === 'xl') await firstDiagnostics(uri);
  const errors = vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error && diagnostic.source !== HOST_DIAGNOSTICS_NAME);
  if (errors.length === 0) return true;
  const text = startWithErrorsText(
    fileName(uri),
    errors.map((diagnostic) => ({ line: diagnostic.range.start.line, message: diagnostic.message })),
  );
  const choice = await askModal(text, unsavedNote(document), 'Start Anyway', 'Show Problems');
  if (choice === 'Show Problems') {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
  return choice === 'Start Anyway';
}

/**
 * The `xl create` for this document on this host. The file's path is passed only when xl runs
 * on this machine and the editor holds exactly what is on disk; otherwise the editor's text goes
 * to xl through a temporary file (made and removed by the runner, on the dom0 for an ssh host),
 * and the Xen log says so. Local runs use the config's folder as xl's working directory, so
 * relative paths in it mean what they mean next to the file.
 */
/** What createCommand needs of a config: an open document, or a file's saved text (not dirty). */
export type ConfigSource = Pick<vscode.TextDocument, 'uri' | 'isDirty' | 'getText'>;

export function createCommand(ctx: CommandContext, host: XenHost, document: ConfigSource, options: CreateOptions & { dryRun: true }): XlCommand<DomainConfig>;
export function createCommand(ctx: CommandContext, host: XenHost, document: ConfigSource, options?: CreateOptions): XlCommand<void>;
export function createCommand(ctx: CommandContext, host: XenHost, document: ConfigSource, options: CreateOptions = {}): XlCommand<DomainConfig | void> {
  const uri = document.uri;
  const delivery = configDelivery({ isFile: uri.scheme === 'file', hostIsLocal: host.isLocal, isDirty: document.isDirty });
  const label = configLabel(uri);
  const command: XlCommand<DomainConfig | void> =
    delivery.kind === 'path' ? xl.create(uri.fsPath, options) : xl.createFromText(document.getText(), label, options);
  if (host.isLocal && uri.scheme === 'file') command.cwd = uri.fsPath.slice(0, uri.fsPath.lastIndexOf('/')) || '/';
  if (delivery.kind === 'text') {
    ctx.service.output.info(`[${host.label}] sent the editor's text of ${label} to ${host.label} as a temporary file (${delivery.reason})`);
  }
  return command;
}

/** How messages name a config: its path on this machine, or the editor's name for it. */
/** Configs larger than this are not read by the scans of the workspace's configs (no guest config is). */
export function configLabel(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : fileName(uri);
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function unsavedNote(document: vscode.TextDocument): string | undefined {
  return document.isDirty ? 'The editor has unsaved changes: Start runs the text as you see it and leaves the file on disk as it is.' : undefined;
}

/** Resolves when diagnostics for `uri` arrive, or after a short wait (a clean file may send none). */
function firstDiagnostics(uri: vscode.Uri): Promise<void> {
  if (vscode.languages.getDiagnostics(uri).length > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, FIRST_DIAGNOSTICS_WAIT_MS);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) finish();
    });
    function finish(): void {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    }
  });
}
