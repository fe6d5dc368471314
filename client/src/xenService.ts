// Runs xl for the views and commands: turns the settings into hosts and run options, refuses to
// run anything in an untrusted workspace, and logs every call to the "Xen" output channel. The
// processes themselves are started only by client/src/xl (runXl, buildTerminalArgv).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, type XenSettings } from './settings';
import { XlError, buildTerminalArgv, isXlError, openStream, resolveXlPath, runXl, startStream, stoppedCreateOutcome, xl, type HostTarget, type OpenedStream, type RunLogEntry, type RunOptions, type RunningStream, type StreamCommand, type StreamHandlers, type XlCommand } from './xl';

/** Bound of the `xl list` that checks for a guest after a stopped create. */
const GUEST_CHECK_TIMEOUT_MS = 20_000;

/** One place xl runs: this machine or an ssh destination. */
export interface XenHost {
  /** Stable key: `local` or `ssh:<destination>`. */
  id: string;
  label: string;
  isLocal: boolean;
  target: HostTarget;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides xen.commandTimeout for this call. */
  timeoutMs?: number;
  /** Receives stderr of the call, also when it succeeded (xl prints warnings there). */
  onStderr?: (stderr: string) => void;
  /**
   * For `xl create`: the name of the guest it creates. When the call times out or is cancelled,
   * `xl list` then tells whether the guest exists anyway, and the error says which.
   */
  createdGuest?: string;
}

/** Thrown instead of running anything when the workspace is not trusted. */
export class UntrustedWorkspaceError extends Error {
  override readonly name = 'UntrustedWorkspaceError';
  constructor() {
    super('This workspace is not trusted, so the Xen extension does not run xl or ssh here.');
  }
}

export class XenService implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private controlDir: string | undefined;

  constructor() {
    this.output = vscode.window.createOutputChannel('Xen', { log: true });
  }

  settings(): XenSettings {
    return readSettings(vscode.workspace.getConfiguration('xen'), vscode.workspace.isTrusted);
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The hosts of xen.hosts (this machine when it is empty); none in an untrusted workspace. */
  hosts(): XenHost[] {
    const settings = this.settings();
    if (!settings.trusted) return [];
    return settings.hosts.map((host) =>
      host.kind === 'local'
        ? { id: 'local', label: os.hostname() || 'this machine', isLocal: true, target: { kind: 'local' } }
        : { id: `ssh:${host.destination}`, label: host.destination, isLocal: false, target: { kind: 'ssh', destination: host.destination, controlDir: '' } },
    );
  }

  host(id: string): XenHost | undefined {
    return this.hosts().find((host) => host.id === id);
  }

  /** Runs one xl command on a host. Rejects with XlError, or UntrustedWorkspaceError. */
  async run<T>(host: XenHost, command: XlCommand<T>, options: CallOptions = {}): Promise<T> {
    const settings = this.settings();
    if (!settings.trusted) throw new UntrustedWorkspaceError();
    const runOptions: RunOptions = {
      ...this.argvOptions(host, settings),
      timeoutMs: options.timeoutMs ?? settings.commandTimeoutMs,
      signal: options.signal,
      log: (entry) => {
        this.log(host, entry);
        options.onStderr?.(entry.stderr);
      },
    };
    try {
      return await runXl(command, runOptions);
    } catch (error) {
      if (options.createdGuest !== undefined && isXlError(error) && (error.kind === 'timeout' || error.kind === 'cancelled')) {
        throw await this.withGuestOutcome(host, error, options.createdGuest);
      }
      throw error;
    }
  }

  /**
   * After a stopped `xl create`: looks with `xl list` whether the guest exists (xl may have got
   * far enough before it was stopped) and adds that to the error, same kind.
   */
  private async withGuestOutcome(host: XenHost, error: XlError, name: string): Promise<XlError> {
    let outcome: string;
    try {
      outcome = stoppedCreateOutcome(name, await this.run(host, xl.list(), { timeoutMs: GUEST_CHECK_TIMEOUT_MS }));
    } catch (listError) {
      outcome = stoppedCreateOutcome(name, undefined, listError instanceof Error ? listError.message : String(listError));
    }
    this.output.warn(`[${host.label}] after the stopped create: ${outcome}`);
    return new XlError(error.kind, `${error.message} ${outcome}`, {
      detail: error.detail,
      exitCode: error.exitCode,
      commandLine: error.commandLine,
      cause: error,
      remoteStop: error.remoteStop,
      guestOutcome: outcome,
    });
  }

  /**
   * Opens a byte stream to ADDRESS:PORT as the host sees it (a TCP socket here, `ssh -W` for an
   * ssh host), for the graphical console. Rejects with XlError, or UntrustedWorkspaceError.
   */
  async openStream(host: XenHost, endpoint: { address: string; port: number }, options: { signal?: AbortSignal; serverSpeaksFirst?: boolean } = {}): Promise<OpenedStream> {
    const settings = this.settings();
    if (!settings.trusted) throw new UntrustedWorkspaceError();
    return openStream(this.argvOptions(host, settings), endpoint, {
      signal: options.signal,
      serverSpeaksFirst: options.serverSpeaksFirst,
      connectTimeoutMs: Math.min(settings.commandTimeoutMs, 20_000),
      log: (entry) => this.log(host, entry),
    });
  }

  /**
   * Starts a long-running command on a host whose output is read as it comes (xentop -b). Its
   * start is logged now, its end when it ends. Throws UntrustedWorkspaceError; every other
   * failure arrives through `ended`.
   */
  stream(host: XenHost, command: StreamCommand, handlers: StreamHandlers): RunningStream {
    const settings = this.settings();
    if (!settings.trusted) throw new UntrustedWorkspaceError();
    this.output.info(`[${host.label}] started: ${command.description}`);
    return startStream(command, { ...this.argvOptions(host, settings), log: (entry) => this.log(host, entry) }, handlers);
  }

  /** The argv to run an interactive command (console, create -c) in a terminal. */
  terminalArgv(host: XenHost, command: XlCommand<unknown>): string[] {
    const settings = this.settings();
    if (!settings.trusted) throw new UntrustedWorkspaceError();
    const argv = buildTerminalArgv(this.argvOptions(host, settings), command);
    this.output.info(`[${host.label}] terminal: ${argv.map((word) => JSON.stringify(word)).join(' ')}`);
    return argv;
  }

  showLog(): void {
    this.output.show(true);
  }

  dispose(): void {
    if (this.controlDir !== undefined) rmSync(this.controlDir, { recursive: true, force: true });
    this.output.dispose();
  }

  // --- internals ---

  private argvOptions(host: XenHost, settings: XenSettings): Pick<RunOptions, 'target' | 'xlPath' | 'sudo'> {
    if (host.target.kind === 'local') return { target: host.target, xlPath: this.localXlPath(settings.xlPath), sudo: settings.sudo };
    // On a remote host the path is used as written: only that host's file system can resolve it.
    return { target: { ...host.target, controlDir: this.sshControlDir() }, xlPath: settings.xlPath, sudo: settings.sudo };
  }

  /** Resolved on every call (a few stat calls): xl may be installed while VS Code runs. */
  private localXlPath(setting: string): string {
    return resolveXlPath(setting);
  }

  /**
   * A private (0700) directory for ssh connection-sharing sockets. Under the system temp dir
   * rather than the extension's storage, because a socket path must stay under ~100 bytes.
   */
  private sshControlDir(): string {
    this.controlDir ??= mkdtempSync(path.join(os.tmpdir(), 'xen-xl-ssh-'));
    return this.controlDir;
  }

  private log(host: XenHost, entry: RunLogEntry): void {
    const exit = entry.exitCode === undefined ? 'no exit status' : `exit ${entry.exitCode}`;
    const line = `[${host.label}] ${entry.commandLine} → ${exit}, ${entry.durationMs} ms${entry.outcome === 'ok' ? '' : ` (${entry.outcome})`}`;
    if (entry.outcome === 'ok') this.output.info(line);
    else if (entry.outcome === 'cancelled') this.output.warn(line);
    else this.output.error(line);
    const stderr = entry.stderr.trim();
    if (stderr !== '') this.output.info(`[${host.label}] stderr:\n${stderr}`);
  }
}
