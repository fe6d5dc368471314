// Gets a config file ready for xl: saves it if it has unsaved changes (only that file, and only
// because the user asked to run it) and, before a start, checks the language server's errors.

import * as vscode from 'vscode';
import { startWithErrorsText } from './policy';

/** How long to wait for the language server's first diagnostics of a file it had not seen. */
const FIRST_DIAGNOSTICS_WAIT_MS = 2000;

/**
 * Saves the config and, for a start, asks before starting a file with Errors. Returns the
 * document, or undefined when the user (or a failed save) stopped it.
 */
export async function prepareConfig(uri: vscode.Uri, purpose: 'start' | 'check'): Promise<vscode.TextDocument | undefined> {
  const wasOpen = vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.isDirty && !(await document.save())) {
    void vscode.window.showWarningMessage(`${fileName(uri)} could not be saved, so xl would read an older version. Nothing was run.`);
    return undefined;
  }
  if (purpose === 'check') return document;

  if (!wasOpen && document.languageId === 'xl') await firstDiagnostics(uri);
  const errors = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error);
  if (errors.length === 0) return document;
  const text = startWithErrorsText(
    fileName(uri),
    errors.map((diagnostic) => ({ line: diagnostic.range.start.line, message: diagnostic.message })),
  );
  const choice = await vscode.window.showWarningMessage(text, { modal: true }, 'Start Anyway', 'Show Problems');
  if (choice === 'Show Problems') {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
  return choice === 'Start Anyway' ? document : undefined;
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
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
