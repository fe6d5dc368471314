// A small LSP client over stdio, shared by the protocol tests and the benchmark: starts a language
// server as a child process (by default ours, `dist/server.js --stdio`), speaks JSON-RPC to it, and
// waits for published diagnostics. Waits on messages, never on timers; when the server exits,
// every pending wait fails with the end of its stderr instead of hanging.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export interface LspClientOptions {
  /** The program and its arguments; by default this Node running `dist/server.js --stdio`. */
  command?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Answers `workspace/configuration` from this object (by section) and accepts dynamic
   * registrations and progress tokens, as VS Code does; yaml-language-server needs that. Without
   * it those requests get JSON-RPC's "unhandled method" error.
   */
  configuration?: Record<string, unknown>;
  /**
   * Diagnostics without a version, or of a newer version than the one waited for, also end a wait.
   * For servers that send no versions (yaml-language-server) or skip one while changes pile up;
   * the protocol tests want the exact version.
   */
  lenientVersions?: boolean;
}

interface DiagnosticsWaiter {
  uri: string;
  version: number | undefined;
  resolve: (params: PublishDiagnosticsParams) => void;
  reject: (error: Error) => void;
}

export class LspClient {
  readonly connection: MessageConnection;
  protected readonly child: ChildProcessWithoutNullStreams;
  /** The last 4000 characters the server wrote on stderr. */
  stderrTail = '';
  /** Set when the server exits. */
  private exited: Error | undefined;
  private readonly diagnosticWaiters: DiagnosticsWaiter[] = [];
  private readonly exitWaiters = new Set<(error: Error) => void>();
  private readonly lenientVersions: boolean;

  constructor(options: LspClientOptions = {}) {
    this.lenientVersions = options.lenientVersions ?? false;
    const command = options.command ?? process.execPath;
    const args = options.args ?? [resolve('dist/server.js'), '--stdio'];
    this.child = spawn(command, args, { stdio: 'pipe', env: options.env ?? process.env });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000)));
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`${command} ${args.join(' ')} exited (${code ?? signal}): ${this.stderrTail.trim()}`);
      for (const waiter of this.diagnosticWaiters.splice(0)) waiter.reject(this.exited);
      for (const fail of this.exitWaiters) fail(this.exited);
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const index = this.diagnosticWaiters.findIndex(
        (waiter) =>
          waiter.uri === params.uri &&
          (waiter.version === undefined ||
            params.version === waiter.version ||
            (this.lenientVersions && (params.version === undefined || params.version > waiter.version))),
      );
      if (index >= 0) this.diagnosticWaiters.splice(index, 1)[0].resolve(params);
    });
    const configuration = options.configuration;
    if (configuration !== undefined) {
      this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => (item.section ? configuration[item.section] ?? null : null)));
      this.connection.onRequest('client/registerCapability', () => null);
      this.connection.onRequest('window/workDoneProgress/create', () => null);
    }
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** `initialize` then `initialized`; fails at once if the server exits first. */
  async initialize(capabilities: object = {}, initializationOptions?: object): Promise<InitializeResult> {
    const params = { processId: process.pid, rootUri: null, capabilities, ...(initializationOptions === undefined ? {} : { initializationOptions }) };
    const result = await this.untilExit(this.connection.sendRequest<InitializeResult>('initialize', params));
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /**
   * Resolves with the next diagnostics published for `uri`: of `version` when given (see
   * `lenientVersions`), else of any version.
   */
  nextDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolvePromise, reject) => {
      if (this.exited !== undefined) return reject(this.exited);
      this.diagnosticWaiters.push({ uri, version, resolve: resolvePromise, reject });
    });
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(uri: string, text: string, version = 1, languageId = 'xl'): Promise<PublishDiagnosticsParams> {
    const diagnostics = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return diagnostics;
  }

  /** Replaces a document's whole text and resolves with the diagnostics of that version. */
  async replace(uri: string, text: string, version: number): Promise<PublishDiagnosticsParams> {
    const diagnostics = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return diagnostics;
  }

  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /** `shutdown` and `exit`, then waits for the process to end (its exit code is `exitCode`). */
  async shutdown(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    this.connection.dispose();
    await new Promise<void>((resolvePromise) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolvePromise();
      else this.child.once('exit', () => resolvePromise());
    });
  }

  /** `promise`, or a rejection with the server's stderr once it exits. */
  private untilExit<T>(promise: Promise<T>): Promise<T> {
    if (this.exited !== undefined) return Promise.reject(this.exited);
    let fail: ((error: Error) => void) | undefined;
    const exited = new Promise<never>((_, reject) => {
      fail = reject;
      this.exitWaiters.add(reject);
    });
    return Promise.race([promise, exited]).finally(() => {
      if (fail !== undefined) this.exitWaiters.delete(fail);
    });
  }
}
