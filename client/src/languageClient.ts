// Starts the language server (dist/server.js) as a child process over Node IPC.

import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { RestartPolicy } from './restartPolicy';
import { CONFIG_SEARCH_GLOB } from '../../common/configPaths';

/**
 * Client → server: `{ version: "4.17" | null }`, the oldest Xen among the hosts (null: none known).
 * The server uses it when `xen.targetVersion` is `auto`; with none, it checks against the latest Xen.
 */
export const HOST_VERSION_NOTIFICATION = 'xen/hostVersion';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    // A 16 MB young generation: with 32 MB the server held ~35 MB more after analysing a
    // 10,000-line config at the same speed; below 16 MB, parsing 100,000 lines got slower.
    run: { module, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=16'] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010', '--max-semi-space-size=16'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'xl' },
      { scheme: 'untitled', language: 'xl' },
      { scheme: 'vscode-remote', language: 'xl' },
    ],
    outputChannel: output,
    synchronize: {
      configurationSection: 'xen',
      // Other configs' names, MACs and VNC displays feed the cross-file checks.
      fileEvents: vscode.workspace.createFileSystemWatcher(CONFIG_SEARCH_GLOB),
    },
    errorHandler: restartingErrorHandler(output),
  };
  return new LanguageClient('xen-xl', 'Xen xl language server', serverOptions, clientOptions);
}

/** Keeps serving after protocol errors; restarts a dead server a few times, then says so plainly. */
function restartingErrorHandler(output: vscode.LogOutputChannel): LanguageClientOptions['errorHandler'] {
  const policy = new RestartPolicy();
  return {
    error: (error, _message, count) => {
      output.error(`language server connection error: ${error.message}`);
      return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
    },
    closed: () => {
      const decision = policy.onServerClosed();
      output.warn(decision.message);
      if (decision.restart) {
        void vscode.window.showWarningMessage(decision.message);
        return { action: CloseAction.Restart, handled: true };
      }
      void vscode.window.showErrorMessage(decision.message);
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}
