// The benchmark's LSP client: the shared stdio client (test/support/lspClient.ts) plus timings of
// requests and diagnostics round trips, the capabilities VS Code declares, and the server's memory.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { InitializeResult } from 'vscode-languageserver-protocol';
import { LspClient } from '../test/support/lspClient';

/** What VS Code declares that matters here: snippets, markdown, and documentation fetched on resolve. */
const VS_CODE_CAPABILITIES = {
  workspace: { configuration: true },
  textDocument: {
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: {},
  },
};

export class BenchClient extends LspClient {
  private readonly configuration: Record<string, unknown>;
  /** uri → how long the server's validation of the latest change waited (bench/yamlPreload.cjs). */
  private readonly validationWaits = new Map<string, { version: number; waitedMs: number }>();

  constructor(command: string, args: string[], configuration: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env) {
    // yaml-language-server asks for its settings and registers capabilities dynamically.
    // It sends diagnostics without versions, so any newer (or unversioned) answer ends a wait.
    super({ command, args, env, configuration, lenientVersions: true });
    this.configuration = configuration;
    this.connection.onNotification('xenBench/validationStarts', (params: { uri: string; version: number; waitedMs: number }) => {
      this.validationWaits.set(params.uri, { version: params.version, waitedMs: params.waitedMs });
    });
    this.connection.onNotification(() => undefined);
  }

  /** Initializes with VS Code's capabilities, then sends the configuration as VS Code does. */
  override async initialize(initializationOptions: object = {}): Promise<InitializeResult> {
    const result = await super.initialize(VS_CODE_CAPABILITIES, initializationOptions);
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: this.configuration });
    return result;
  }

  /**
   * Replaces the text and resolves when the new diagnostics arrive: the milliseconds taken, how many
   * diagnostics came, and, from a server that reports it (yaml-language-server with
   * bench/yamlPreload.cjs), how long its validation waited on a timer after the change arrived.
   */
  async change(uri: string, version: number, text: string): Promise<{ ms: number; diagnostics: number; waitedMs: number | undefined }> {
    this.validationWaits.delete(uri);
    const start = performance.now();
    const published = await this.replace(uri, text, version);
    const ms = performance.now() - start;
    const wait = this.validationWaits.get(uri);
    return { ms, diagnostics: published.diagnostics.length, waitedMs: wait?.version === version ? wait.waitedMs : undefined };
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

  /** Asks the server to shut down (waiting at most 2 s for its answer), then kills it. */
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
