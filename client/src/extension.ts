// The extension's entry point: starts the language client and registers the commands that decide
// which files are xl configs. The Xen sidebar and guest commands register here as well.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isCandidateForSniffing, isXenScriptPath, looksLikeXlConfig } from './detect';
import { createLanguageClient } from './languageClient';
import { registerXen, type XenApi } from './xen';

const LANGUAGE_ID = 'xl';
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<XenApi & { activationMs: number }> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('Xen xl', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('xen.treatAsXlConfig', async (uri?: vscode.Uri) => {
      const document = uri !== undefined ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (document === undefined) {
        void vscode.window.showInformationMessage('Open a file first, then run "Xen: Treat this file as an xl config".');
        return;
      }
      await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    }),
  );

  const seen = new Set<string>();
  const onOpen = (document: vscode.TextDocument): void => void checkDocument(document, seen);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(onOpen));
  vscode.workspace.textDocuments.forEach(onOpen);

  const api = registerXen(context);

  client = createLanguageClient(context, output);
  // The server starts in the background: activation does not wait for it.
  client.start().catch((error: unknown) => output.error(`the xl language server did not start: ${error instanceof Error ? error.message : String(error)}`));
  const activationMs = Date.now() - started;
  output.info(`activated in ${activationMs} ms`);
  return { ...api, activationMs };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Maps /etc/xen/scripts back to shell, and offers (or makes) the switch for xl-looking .cfg files. */
async function checkDocument(document: vscode.TextDocument, seen: Set<string>): Promise<void> {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'vscode-remote') return;
  const path = document.uri.path;
  if (document.languageId === LANGUAGE_ID && isXenScriptPath(path)) {
    await vscode.languages.setTextDocumentLanguage(document, 'shellscript');
    return;
  }
  if (document.languageId === LANGUAGE_ID || !isCandidateForSniffing(path)) return;
  const key = document.uri.toString();
  if (seen.has(key)) return;
  seen.add(key);
  const mode = vscode.workspace.getConfiguration('xen').get<'ask' | 'always' | 'never'>('detectXlConfigs', 'ask');
  if (mode === 'never' || !looksLikeXlConfig(document.getText())) return;
  if (mode === 'always') {
    await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    return;
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const choice = await vscode.window.showInformationMessage(`${name} looks like a Xen guest config. Open it as an xl config?`, 'Yes', 'Always', 'Never');
  if (choice === 'Yes' || choice === 'Always') await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
  if (choice === 'Always' || choice === 'Never') {
    await vscode.workspace.getConfiguration('xen').update('detectXlConfigs', choice === 'Always' ? 'always' : 'never', vscode.ConfigurationTarget.Global);
  }
}
