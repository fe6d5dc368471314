// A small LSP client for the benchmark: starts any language server over stdio, opens documents,
// and times requests and diagnostics round trips. Waits on messages, never on timers.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export class BenchClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly connection: MessageConnection;
  private readonly waiters = new Map<string, { version: number | undefined; resolve: (count: number) => void }>();
  private stderr = '';
  /** Set when the server exits: every wait then fails with its stderr instead of hanging. */
  private exited: Error | undefined;
  private readonly failWaiters = new Set<(error: Error) => void>();
  private readonly configuration: Record<string, unknown>;
  /** uri → how long the server's validation of the latest change waited (bench/yamlPreload.cjs). */
  private readonly validationWaits = new Map<string, { version: number; waitedMs: number }>();

  constructor(command: string, args: string[], configuration: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env) {
    this.configuration = configuration;
    this.child = spawn(command, args, { stdio: 'pipe', env });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`${command} ${args.join(' ')} exited (${code ?? signal}): ${this.stderr.trim()}`);
      for (const fail of this.failWaiters) fail(this.exited);
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: unknown[] }) => {
      const waiter = this.waiters.get(params.uri);
      // A server that sends versions must answer for the version we wait for, not an older one.
      if (waiter !== undefined && (params.version === undefined || waiter.version === undefined || params.version >= waiter.version)) {
        this.waiters.delete(params.uri);
        waiter.resolve(params.diagnostics.length);
      }
    });
    // yaml-language-server asks for its settings and registers capabilities dynamically.
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => (item.section ? this.configuration[item.section] ?? null : null)));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('xenBench/validationStarts', (params: { uri: string; version: number; waitedMs: number }) => {
      this.validationWaits.set(params.uri, { version: params.version, waitedMs: params.waitedMs });
    });
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  async initialize(initializationOptions: object = {}): Promise<void> {
    const exited = new Promise<never>((_, reject) => this.failWaiters.add(reject));
    await Promise.race([exited, this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions,
      capabilities: {
        workspace: { configuration: true },
        textDocument: {
          // What VS Code declares: snippets, markdown, and documentation fetched on resolve.
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
            completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: {},
        },
      },
    })]);
    await this.connection.sendNotification('initialized', {});
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: this.configuration });
  }

  /** Opens a document and resolves when its first diagnostics arrive; returns the milliseconds taken. */
  async open(uri: string, languageId: string, text: string): Promise<number> {
    const diagnostics = this.nextDiagnostics(uri, 1);
    const start = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    await diagnostics;
    return performance.now() - start;
  }

  /**
   * Replaces the text and resolves when the new diagnostics arrive: the milliseconds taken, how many
   * diagnostics came, and, from a server that reports it (yaml-language-server with
   * bench/yamlPreload.cjs), how long its validation waited on a timer after the change arrived.
   */
  async change(uri: string, version: number, text: string): Promise<{ ms: number; diagnostics: number; waitedMs: number | undefined }> {
    this.validationWaits.delete(uri);
    const diagnostics = this.nextDiagnostics(uri, version);
    const start = performance.now();
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const count = await diagnostics;
    const ms = performance.now() - start;
    const wait = this.validationWaits.get(uri);
    return { ms, diagnostics: count, waitedMs: wait?.version === version ? wait.waitedMs : undefined };
  }

  async time(method: string, params: object): Promise<{ ms: number; result: unknown }> {
    const start = performance.now();
    const result = await this.connection.sendRequest(method, params);
    return { ms: performance.now() - start, result };
  }

  /** Resident set size of the server process in MiB (Linux), or undefined elsewhere. */
  rssMiB(): number | undefined {
    return rssOfProcessMiB(this.pid);
  }

  /** The most RSS the server process has had so far (VmHWM), in MiB. */
  peakRssMiB(): number | undefined {
    return rssOfProcessMiB(this.pid, 'VmHWM');
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.connection.dispose();
    this.child.kill('SIGKILL');
  }

  private nextDiagnostics(uri: string, version: number): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.exited !== undefined) return reject(this.exited);
      this.failWaiters.add(reject);
      this.waiters.set(uri, {
        version,
        resolve: (count) => {
          this.failWaiters.delete(reject);
          resolve(count);
        },
      });
    });
  }
}

/** VmRSS (or another `Vm*` line) of a process in MiB from /proc (Linux); undefined where /proc has no such process. */
export function rssOfProcessMiB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // Not Linux, or the process is gone: there is no figure to give.
    return undefined;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match === null ? undefined : Number(match[1]) / 1024;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RSS of a Node process that does nothing, measured as the servers are: started with `flags`, once
 * it has run its first statement, after the same `settleMs` of idling, through /proc.
 */
export async function bareNodeIdleRssMiB(flags: string[], settleMs: number): Promise<number | undefined> {
  const child = spawn(process.execPath, [...flags, '-e', "process.stdout.write('ready\\n'); process.stdin.resume();"], { stdio: 'pipe' });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code, signal) => reject(new Error(`the bare node process exited (${code ?? signal})`)));
    });
    await sleep(settleMs);
    return rssOfProcessMiB(child.pid ?? 0);
  } finally {
    child.kill('SIGKILL');
  }
}
