// A minimal LSP client for protocol tests: starts `dist/server.js --stdio` as a child process and
// speaks JSON-RPC to it over its stdin/stdout. Waits on messages, never on timers.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export class LspClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly diagnosticWaiters: { uri: string; version?: number; resolve: (params: PublishDiagnosticsParams) => void }[] = [];
  readonly stderr: string[] = [];

  constructor(serverPath = resolve('dist/server.js')) {
    this.child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const index = this.diagnosticWaiters.findIndex((waiter) => waiter.uri === params.uri && (waiter.version === undefined || waiter.version === params.version));
      if (index >= 0) this.diagnosticWaiters.splice(index, 1)[0].resolve(params);
    });
    this.connection.listen();
  }

  async initialize(capabilities: object = {}): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the next diagnostics published for `uri` (and `version`, when given). */
  nextDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolvePromise) => this.diagnosticWaiters.push({ uri, version, resolve: resolvePromise }));
  }

  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const diagnostics = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xl', version, text } });
    return diagnostics;
  }

  async replace(uri: string, text: string, version: number): Promise<PublishDiagnosticsParams> {
    const diagnostics = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return diagnostics;
  }

  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async shutdown(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    this.connection.dispose();
    await new Promise<void>((resolvePromise) => {
      if (this.child.exitCode !== null) resolvePromise();
      else this.child.once('exit', () => resolvePromise());
    });
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }
}
