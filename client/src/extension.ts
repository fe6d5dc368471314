// The extension's entry point: starts the language client and registers the commands that decide
// which files are xl configs. The Xen sidebar and guest commands register here as well.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isSniffCandidatePath, isXenScriptPath } from '../../common/configPaths';
import { looksLikeGuestConfig } from '../../common/guestSniff';
import { State } from 'vscode-languageclient/node';
import { createLanguageClient, HOST_VERSION_NOTIFICATION } from './languageClient';
import { registerXen, type XenApi } from './xen';

const LANGUAGE_ID = 'xl';
let client: LanguageClient | undefined;

/** performance.now() when dist/extension.js began and finished running: set by the banner and footer of scripts/build.mjs. */
declare const __xenXlBundleStart: number | undefined;
declare const __xenXlBundleEnd: number | undefined;

/**
 * How long startup took, in ms on the extension host's clock: from the first statement of the
 * bundle (after the host read and compiled the file) to the end of activate(), and to the
 * language server's first answer (its `initialize` result). The bundle figures are undefined
 * when the bundle has no banner (a build other than scripts/build.mjs).
 */
export interface StartupTimes {
  activateMs: number;
  /** Running the bundle's top-level code (first to last statement). */
  bundleEvaluationMs: number | undefined;
  /** From the bundle's last statement until the host called activate(). */
  waitBeforeActivateMs: number | undefined;
  bundleToActivateEndMs: number | undefined;
  bundleToServerAnswerMs: number | undefined;
  /** Set when the server did not start; then there is no answer time. */
  serverError?: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<XenApi & { activationMs: number; startup: Promise<StartupTimes> }> {
  const started = performance.now();
  const bundleStart = typeof __xenXlBundleStart === 'number' ? __xenXlBundleStart : undefined;
  const bundleEnd = typeof __xenXlBundleEnd === 'number' ? __xenXlBundleEnd : undefined;
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
  const serverStart = client.start().then(
    () => ({ answeredAt: performance.now() }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  // With xen.targetVersion on auto, the server checks configs against the oldest host's Xen: told
  // at every (re)start of the server and whenever that version changes.
  const languageClient = client;
  const tellHostVersion = (): void => {
    if (!languageClient.isRunning()) return;
    languageClient.sendNotification(HOST_VERSION_NOTIFICATION, { version: api.hostVersion.current() }).catch((error: unknown) => {
      // Handled: the checks fall back to the setting or to the latest Xen; the log says why.
      output.warn(`could not tell the language server the hosts' Xen version: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  context.subscriptions.push(
    api.hostVersion.onDidChange(tellHostVersion),
    languageClient.onDidChangeState((event) => {
      if (event.newState === State.Running) tellHostVersion();
    }),
  );
  const ended = performance.now();
  const tenths = (ms: number): number => Math.round(ms * 10) / 10;
  const activationMs = tenths(ended - started);
  const sinceBundle = (at: number): number | undefined => (bundleStart === undefined ? undefined : tenths(at - bundleStart));
  // One log line, once the server has answered or failed.
  const startup = serverStart.then((outcome): StartupTimes => {
    const times: StartupTimes = {
      activateMs: activationMs,
      bundleEvaluationMs: bundleEnd === undefined ? undefined : sinceBundle(bundleEnd),
      waitBeforeActivateMs: bundleEnd === undefined ? undefined : tenths(started - bundleEnd),
      bundleToActivateEndMs: sinceBundle(ended),
      bundleToServerAnswerMs: 'answeredAt' in outcome ? sinceBundle(outcome.answeredAt) : undefined,
    };
    const activated = `activated in ${activationMs} ms` + (times.bundleToActivateEndMs === undefined ? '' : ` (${times.bundleToActivateEndMs} ms from loading the extension)`);
    if ('error' in outcome) {
      times.serverError = outcome.error;
      output.error(`${activated}; the xl language server did not start: ${outcome.error}`);
    } else {
      output.info(`${activated}; the language server answered` + (times.bundleToServerAnswerMs === undefined ? '' : ` ${times.bundleToServerAnswerMs} ms from loading the extension`));
    }
    return times;
  });
  return { ...api, activationMs, startup };
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
  if (document.languageId === LANGUAGE_ID || !isSniffCandidatePath(path)) return;
  const key = document.uri.toString();
  if (seen.has(key)) return;
  seen.add(key);
  const mode = vscode.workspace.getConfiguration('xen').get<'ask' | 'always' | 'never'>('detectXlConfigs', 'ask');
  if (mode === 'never' || !looksLikeGuestConfig(document.getText())) return;
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
