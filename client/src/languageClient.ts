// Starts the language server (dist/server.js) as a child process over Node IPC.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'xl' },
      { scheme: 'untitled', language: 'xl' },
      { scheme: 'vscode-remote', language: 'xl' },
    ],
    outputChannel: output,
    synchronize: { configurationSection: 'xen' },
  };
  return new LanguageClient('xen-xl', 'Xen xl language server', serverOptions, clientOptions);
}
