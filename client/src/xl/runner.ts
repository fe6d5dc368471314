// The only code in the client that spawns processes: runs an XlCommand locally (optionally
// through `sudo -n`) or on a remote dom0 through ssh, with a timeout, cancellation, logging and
// classification of failures into XlError.

import { accessSync, existsSync, constants as fsConstants, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { XlError, classifyFailure, type RemoteStopOutcome, type XlErrorKind } from './errors';
import { CONFIG_TEXT_PATH, type XlCommand } from './types';

export type HostTarget = { kind: 'local' } | { kind: 'ssh'; destination: string; controlDir: string };

/** `never`: run xl directly; `always`: through `sudo -n`; `auto`: sudo unless already root. */
export type SudoMode = 'never' | 'auto' | 'always';

export interface RunOptions {
  target: HostTarget;
  /** For local targets, usually the result of `resolveXlPath(setting)`; used as-is remotely. */
  xlPath: string;
  sudo: SudoMode;
  timeoutMs: number;
  signal?: AbortSignal;
  log?: (entry: RunLogEntry) => void;
  /** The ssh client to run (default `ssh` from PATH). */
  sshPath?: string;
}

export interface RunLogEntry {
  description: string;
  /** The full command line, quoted so that it can be pasted into a POSIX shell. */
  commandLine: string;
  /** Undefined when the process did not start or was killed by a signal. */
  exitCode: number | undefined;
  durationMs: number;
  stderr: string;
  outcome: 'ok' | XlErrorKind;
}

/** Counts spawned processes, so a benchmark can check how many xl runs a refresh costs. */
export const runnerStats = { spawned: 0 };

/** What `buildArgv` needs from RunOptions. */
export type ArgvOptions = Pick<RunOptions, 'target' | 'xlPath' | 'sudo' | 'sshPath'>;

export interface ArgvContext {
  /** The local uid, for `sudo: 'auto'` (defaults to process.getuid()). */
  uid?: number;
  /** Build for an interactive terminal: `ssh -t`, and sudo may prompt there (no `-n`). */
  tty?: boolean;
  /**
   * Over ssh: start xl in its own process group on the remote side and print that group's id on
   * stderr first (see REMOTE_LAUNCH), so a timeout or cancel can end it there too.
   */
  reportRemotePid?: boolean;
}

/**
 * Runs one xl command and returns its parsed output. Rejects only with XlError. Every call,
 * successful or not, is reported once through `options.log`.
 */
export async function runXl<T>(command: XlCommand<T>, options: RunOptions): Promise<T> {
  const started = performance.now();
  let commandLine = '';
  const report = (outcome: RunLogEntry['outcome'], exitCode: number | undefined, stderr: string): void => {
    options.log?.({
      description: command.description,
      commandLine,
      exitCode,
      durationMs: Math.round(performance.now() - started),
      stderr,
      outcome,
    });
  };
  const fail = (error: XlError, exitCode: number | undefined, stderr: string): never => {
    error.commandLine = commandLine;
    report(error.kind, exitCode, stderr);
    throw error;
  };

  let argv: string[];
  let input: ConfigTextRun | undefined;
  try {
    if (command.interactive) {
      throw new XlError('failed', `"${command.description}" needs a terminal; it cannot run in the background.`);
    }
    input = prepareConfigText(command, options);
    argv =
      input?.argv ??
      buildArgv(programOptions(command, options), command.args, { reportRemotePid: options.target.kind === 'ssh' });
    commandLine = quoteForRemoteShell(argv);
    if (argv.some((arg) => arg.includes('\0'))) {
      throw new XlError('failed', 'An xl argument contains a NUL byte, which no program can receive.');
    }
  } catch (error) {
    input?.cleanup();
    return fail(asXlError(error), undefined, '');
  }
  if (options.signal?.aborted) {
    input?.cleanup();
    return fail(new XlError('cancelled', 'The xl command was cancelled.'), undefined, '');
  }

  // One controller for both stops: our timer and the caller's signal. `timedOut` tells them apart.
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    Number.isFinite(options.timeoutMs) && options.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeoutMs)
      : undefined;
  const forwardAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });

  const viaSsh = options.target.kind === 'ssh';
  // Over ssh the launcher's stderr line names the remote xl (it comes before anything xl prints,
  // after whatever the remote program printed before starting xl); it is read as it arrives (a
  // timeout needs it while the call runs) and kept out of stderr. Only the first such line counts.
  let remote: RemoteProcess | undefined;
  const readRemotePid = function* (chunk: unknown): Generator<string> {
    const line = String(chunk);
    const match = remote === undefined ? REMOTE_PID_LINE.exec(line) : null;
    if (match) remote = { pid: Number(match[2]), group: match[1] === 'pgid' };
    else yield line;
  };
  let remoteStopping: Promise<RemoteStopOutcome> | undefined;
  let result;
  try {
    runnerStats.spawned++;
    const subprocess = execa(argv[0], argv.slice(1), {
      shell: false,
      reject: false,
      ...(input?.stdin === undefined ? { stdin: 'ignore' as const } : { input: input.stdin }),
      ...(viaSsh ? { stderr: { transform: readRemotePid } } : {}),
      ...(command.cwd !== undefined && options.target.kind === 'local' && existsSync(command.cwd) ? { cwd: command.cwd } : {}),
      // Own process group, so a timeout can also kill what xl (or a fake, or sudo) started.
      detached: true,
      cancelSignal: controller.signal,
      forceKillAfterDelay: KILL_GRACE_MS,
      // strerror() texts such as "Permission denied" are localised; the classifier needs English.
      env: { LC_ALL: 'C' },
      stripFinalNewline: false,
      maxBuffer: MAX_OUTPUT_BYTES,
      windowsHide: true,
    });
    const pid = subprocess.pid;
    controller.signal.addEventListener(
      'abort',
      () => {
        killProcessGroup(pid);
        if (!viaSsh) return;
        // The remote xl outlives the ssh client, and with connection sharing the master process
        // even holds our pipes open until the remote side ends: end it there at once, then stop
        // waiting for output (also when it could not be ended, or was never named).
        if (remote !== undefined) remoteStopping = stopRemoteProcess(options, remote);
        void releaseOutputAfterStop(subprocess, remoteStopping);
      },
      { once: true },
    );
    result = await subprocess;
  } catch (error) {
    // execa reports failures in the result (reject: false); this is a bug or an invalid option.
    return fail(new XlError('failed', `Could not run xl: ${String(error)}`, { cause: error }), undefined, '');
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
    input?.cleanup();
  }
  const remoteStop = remoteStopping === undefined ? undefined : await remoteStopping;

  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const rawStderr = typeof result.stderr === 'string' ? result.stderr : '';
  const stderr = input === undefined ? rawStderr : input.rewrite(rawStderr);
  const exitCode = result.exitCode;
  const spawnErrorCode = exitCode === undefined && !result.isCanceled && result.signal === undefined ? result.code : undefined;

  if (result.isMaxBuffer) {
    return fail(new XlError('bad-output', 'xl printed far more output than expected and was stopped.', { detail: stderr }), exitCode, stderr);
  }
  const failure = classifyFailure({
    exitCode,
    stderr,
    stdout,
    timedOut,
    isCanceled: result.isCanceled,
    spawnErrorCode,
    viaSsh,
    destination: options.target.kind === 'ssh' ? options.target.destination : undefined,
    program: spawnErrorCode === undefined ? undefined : argv[0],
    timeoutMs: options.timeoutMs,
    commandLine,
    remoteStop,
  });
  if (failure) return fail(failure, exitCode, stderr);

  if (command.failureOnStderr?.test(stderr)) {
    const line = stderr.split('\n').find((text) => command.failureOnStderr?.test(text)) ?? stderr;
    return fail(new XlError('failed', `xl could not ${command.description}: ${line.trim()}`, { detail: stderr, exitCode }), exitCode, stderr);
  }

  let parsed: T;
  try {
    parsed = command.parse(stdout);
  } catch (error) {
    return fail(asXlError(error, 'bad-output'), exitCode, stderr);
  }
  report('ok', exitCode, stderr);
  return parsed;
}

/** The run options for a command's program: xl as configured, or another program by name. */
function programOptions(command: XlCommand<unknown>, options: RunOptions): RunOptions {
  if (command.program === 'sh') return { ...options, xlPath: 'sh', sudo: 'never' };
  if (command.program === 'xenstore-read') return { ...options, xlPath: 'xenstore-read' };
  return options;
}

/**
 * The full argv (program first) for running xl with these options. Pure: no spawning, no
 * file system. Throws XlError('ssh') for an unusable ssh destination or control directory.
 */
export function buildArgv(options: ArgvOptions, xlArgs: readonly string[], context: ArgvContext = {}): string[] {
  const sudoArgs = context.tty ? ['sudo', '--'] : ['sudo', '-n', '--'];
  const direct = [options.xlPath, ...xlArgs];
  const viaSudo = [...sudoArgs, ...direct];

  if (options.target.kind === 'local') {
    const uid = 'uid' in context ? context.uid : process.getuid?.();
    const useSudo = options.sudo === 'always' || (options.sudo === 'auto' && uid !== 0);
    return useSudo ? viaSudo : direct;
  }

  // With reportRemotePid the words are only stored (`set --`) and REMOTE_LAUNCH starts them.
  const run = context.reportRemotePid && !context.tty ? 'set --' : 'exec';
  let remote: string;
  if (options.sudo === 'never') remote = `${run} ${quoteForRemoteShell(direct)}`;
  else if (options.sudo === 'always') remote = `${run} ${quoteForRemoteShell(viaSudo)}`;
  else {
    // The remote uid is only known over there, so the remote shell decides.
    remote = `if [ "$(id -u)" -eq 0 ]; then ${run} ${quoteForRemoteShell(direct)}; else ${run} ${quoteForRemoteShell(viaSudo)}; fi`;
  }
  if (run === 'set --') remote = `${remote}; ${REMOTE_LAUNCH}`;
  // ssh hands the remote side one string for the login shell to parse, so everything in it
  // is quoted; LC_ALL=C keeps error texts classifiable there too.
  return sshArgv(options, `export LC_ALL=C; ${remote}`, context.tty === true);
}

/**
 * How long ssh waits for a host before it gives up, and how it notices a link that died while a
 * call was running. ConnectTimeout bounds the TCP connect and the ssh banner exchange (10 s: a
 * LAN or VPN dom0 answers in well under a second, a slow WAN in a few). ServerAlive asks the
 * server for a reply every 5 s when it has been silent and drops the connection after 2
 * unanswered asks, so a dead established link (or ControlMaster) is noticed 10 to 15 s after the
 * last data. Either way the user hears of a dead host within about 15 s, not after TCP's
 * minutes-long retransmission timeout; a busy but alive host answers the keepalives, so a long
 * `xl create` is not cut short by them.
 */
export const SSH_TIMEOUT_OPTIONS: readonly string[] = ['ConnectTimeout=10', 'ServerAliveInterval=5', 'ServerAliveCountMax=2'];

/** The ssh argv that runs one remote command string (already quoted) on the target. */
function sshArgv(options: ArgvOptions, remoteCommand: string, tty: boolean): string[] {
  if (options.target.kind !== 'ssh') throw new XlError('failed', 'Internal error: an ssh command line for a local target.');
  const { destination, controlDir } = options.target;
  checkDestination(destination);
  return [
    options.sshPath ?? 'ssh',
    ...(tty ? ['-t'] : []),
    '-o',
    'BatchMode=yes',
    ...SSH_TIMEOUT_OPTIONS.flatMap((option) => ['-o', option]),
    '-o',
    'ControlMaster=auto',
    '-o',
    'ControlPersist=60',
    '-o',
    `ControlPath=${controlPath(controlDir)}`,
    '--',
    destination,
    remoteCommand,
  ];
}

/** The argv of an interactive command (`console`, `create -c`) for a terminal. */
export function buildTerminalArgv(options: ArgvOptions, command: XlCommand<unknown>): string[] {
  return buildArgv(options, command.args, { tty: true });
}

/**
 * The argv that hands config text to xl on an ssh host: one remote shell program makes a private
 * directory with mktemp, copies standard input (the text) into FILE_NAME there, names the file on
 * stderr (CONFIG_FILE_MARKER, which runXl removes), runs xl with that file in place of
 * CONFIG_TEXT_PATH, and removes the directory when it ends, also on SIGHUP/INT/TERM. Every word
 * but the fixed program text is quoted by quoteShellWord. Pure.
 */
export function buildConfigTextArgv(options: ArgvOptions, xlArgs: readonly string[], fileName: string): string[] {
  if (options.target.kind !== 'ssh') throw new XlError('failed', 'buildConfigTextArgv is for ssh hosts; a local run uses a local temporary file.');
  // The ssh wrapper exactly as buildArgv makes it (options, control socket, destination); only
  // the remote program, its last word, is ours.
  const wrapper = buildArgv(options, []);
  const line = (viaSudo: boolean): string =>
    [...(viaSudo ? ['sudo', '-n', '--'] : []), options.xlPath, ...xlArgs].map((word) => (word === CONFIG_TEXT_PATH ? '"$f"' : quoteShellWord(word))).join(' ');
  // xl runs through the launcher (REMOTE_LAUNCH), so runXl can end it on dom0 when the call
  // times out or is cancelled; this shell waits for it, then its EXIT trap removes the file.
  const run =
    options.sudo === 'never'
      ? remoteKillableCall(line(false))
      : options.sudo === 'always'
        ? remoteKillableCall(line(true))
        : `if [ "$(id -u)" -eq 0 ]; then set -- ${line(false)}; else set -- ${line(true)}; fi; ${REMOTE_LAUNCH}`;
  const program = [
    'export LC_ALL=C',
    'umask 077',
    'd=$(mktemp -d "${TMPDIR:-/tmp}/xen-xl-config.XXXXXX") || exit 125',
    `trap 'rm -rf -- "$d"' EXIT`,
    `trap 'exit 129' HUP`,
    `trap 'exit 130' INT`,
    `trap 'exit 143' TERM`,
    `f="$d"/${quoteShellWord(safeConfigFileName(fileName))}`,
    'cat > "$f" || exit 125',
    `printf '${CONFIG_FILE_MARKER} %s\\n' "$f" >&2`,
    run,
  ].join('; ');
  return [...wrapper.slice(0, -1), program];
}

/**
 * Joins argv into one POSIX shell command line that the shell splits back into exactly these
 * words. NOTE: assumes a POSIX shell (sh, bash, dash, zsh) at the other end, which is what a
 * dom0's root login shell is; csh and fish quote differently.
 */
export function quoteForRemoteShell(argv: readonly string[]): string {
  return argv.map(quoteShellWord).join(' ');
}

/** Single-quotes a word unless it is made only of characters no POSIX shell treats specially. */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_\/.,:@+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ResolveXlPathDeps {
  /** PATH to search (default process.env.PATH). */
  pathEnv?: string;
  isExecutable?: (file: string) => boolean;
  listDirectory?: (dir: string) => string[];
}

/**
 * Resolves the xen.xlPath setting for local use. An explicit path is returned unchanged. The
 * default `xl` stays `xl` when it is on PATH; otherwise the usual install locations are tried,
 * because /usr/sbin is often missing from a non-root user's PATH (Debian). Read-only checks.
 */
export function resolveXlPath(setting: string, deps: ResolveXlPathDeps = {}): string {
  const wanted = setting.trim();
  if (wanted !== '' && wanted !== 'xl') return wanted;
  const isExecutable = deps.isExecutable ?? defaultIsExecutable;
  const listDirectory = deps.listDirectory ?? defaultListDirectory;
  const pathEnv = deps.pathEnv ?? process.env.PATH ?? '';

  for (const dir of pathEnv.split(':')) {
    if (dir !== '' && isExecutable(path.posix.join(dir, 'xl'))) return 'xl';
  }
  // Debian ships the real binary as /usr/lib/xen-<version>/bin/xl; prefer the newest.
  const versioned = safeList(listDirectory, '/usr/lib')
    .filter((name) => name.startsWith('xen-'))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((name) => `/usr/lib/${name}/bin/xl`);
  for (const candidate of ['/usr/sbin/xl', ...versioned, '/usr/local/sbin/xl']) {
    if (isExecutable(candidate)) return candidate;
  }
  return 'xl';
}

// --- helpers ---

/**
 * The remote side of a call with `reportRemotePid` (the xl words are in "$@"). xl must not be the
 * remote session's leader, or setsid would fork and return at once, so it starts in the
 * background and the shell waits for it (its status becomes ssh's). The inner `sh` prints its
 * own pid on stderr *before* it becomes xl (exec keeps the pid), so the line comes first and
 * cannot be split by xl's output; with setsid that pid is also the new process group's id.
 * Without setsid (a very minimal dom0) it reports a plain pid. Standard input is handed through
 * fd 3, because a background command's stdin is otherwise /dev/null.
 */
/**
 * For remote programs that build their own command line (e.g. around a temporary file): the
 * already quoted words of the xl call (`xl create -f "$f"`; variables of the program may appear
 * unquoted-expanded as `"$f"`) become a call runXl can end on timeout or cancel, because it
 * prints the REMOTE_PID_LINE that runXl reads. The words must have been quoted by
 * quoteForRemoteShell / quoteShellWord.
 */
export function remoteKillableCall(quotedWords: string): string {
  return `set -- ${quotedWords}; ${REMOTE_LAUNCH}`;
}

const REMOTE_LAUNCH =
  `exec 3<&0; sh -c ${quoteShellWord(
    'if command -v setsid >/dev/null 2>&1; then echo "xen-xl-remote pgid $$" >&2; exec setsid "$@"; fi; echo "xen-xl-remote pid $$" >&2; exec "$@"',
  )} xen-xl "$@" 0<&3 3<&- & exec 3<&-; wait "$!"`;
const REMOTE_PID_LINE = /^xen-xl-remote (pgid|pid) ([1-9][0-9]{0,9})$/;

/** The remote xl of a running ssh call, as its launcher reported it. */
export interface RemoteProcess {
  pid: number;
  /** True when `pid` leads its own process group (setsid was there). */
  group: boolean;
}

/**
 * Ends a remote xl (with its whole process group when it has one): SIGTERM, then SIGKILL after
 * about 2 s. `kill -TERM -N` rather than `kill -TERM -- -N`: the `kill` built into busybox ash
 * and dash refuses `--` after a signal name. Prints what happened as one word.
 */
const REMOTE_STOP =
  'kill -TERM "$t" 2>/dev/null || { echo gone; exit 0; }; i=0; ' +
  'while kill -0 "$t" 2>/dev/null; do if [ "$i" -ge 2 ]; then kill -KILL "$t" 2>/dev/null; echo killed; exit 0; fi; i=$((i+1)); sleep 1; done; echo ended';
/** How long a stopped ssh call may still deliver output once its remote side was dealt with. */
const OUTPUT_GRACE_MS = 1000;

/**
 * After a timeout or cancel over ssh: once the remote stop has finished (or at once when there
 * is none), gives the output a moment to end, then closes our ends of the pipes, so the call
 * settles even while an ssh connection master still holds them for a remote process.
 */
async function releaseOutputAfterStop(
  subprocess: { stdout: NodeJS.ReadableStream | null; stderr: NodeJS.ReadableStream | null },
  stopping: Promise<unknown> | undefined,
): Promise<void> {
  await stopping;
  await new Promise((resolve) => setTimeout(resolve, KILL_GRACE_MS + OUTPUT_GRACE_MS).unref());
  for (const stream of [subprocess.stdout, subprocess.stderr]) (stream as { destroy?: () => void } | null)?.destroy?.();
}

/** The stop call's own bound: ssh's 10 s connect timeout plus the 2 s grace, with room. */
const REMOTE_STOP_TIMEOUT_MS = 20_000;

/**
 * Runs a second ssh call that ends the remote xl of a timed-out or cancelled call (killing the
 * local ssh client only closes the channel; the remote process keeps running). Never throws.
 */
export async function stopRemoteProcess(options: ArgvOptions, remote: RemoteProcess): Promise<RemoteStopOutcome> {
  let argv: string[];
  try {
    const target = remote.group ? `-${remote.pid}` : String(remote.pid);
    argv = sshArgv(options, `export LC_ALL=C; t=${quoteShellWord(target)}; ${REMOTE_STOP}`, false);
  } catch {
    return 'unreachable';
  }
  runnerStats.spawned++;
  const result = await execa(argv[0], argv.slice(1), {
    shell: false,
    reject: false,
    stdin: 'ignore',
    detached: true,
    timeout: REMOTE_STOP_TIMEOUT_MS,
    env: { LC_ALL: 'C' },
    windowsHide: true,
  });
  const word = typeof result.stdout === 'string' ? result.stdout.trim() : '';
  if (result.exitCode === 0 && (word === 'ended' || word === 'killed' || word === 'gone')) return word;
  return 'unreachable';
}

/** The line the remote program of buildConfigTextArgv prints (on stderr) to name its temporary file. */
const CONFIG_FILE_MARKER = 'xen-xl-temporary-config:';

/** How one run hands config text to xl: argv, standard input, and what to undo afterwards. */
interface ConfigTextRun {
  argv: string[];
  stdin?: string;
  /** Names the user's file instead of the temporary one in what xl printed. */
  rewrite(stderr: string): string;
  cleanup(): void;
}

/**
 * For a command with configText: locally, a 0600 file in a fresh 0700 directory under the
 * system temp dir (removed by cleanup); over ssh, buildConfigTextArgv with the text on stdin.
 */
function prepareConfigText(command: XlCommand<unknown>, options: RunOptions): ConfigTextRun | undefined {
  const config = command.configText;
  if (config === undefined) return undefined;
  const fileName = safeConfigFileName(config.label);
  if (options.target.kind === 'ssh') {
    return {
      argv: buildConfigTextArgv(options, command.args, fileName),
      stdin: config.text,
      rewrite: (stderr) => {
        const match = new RegExp(`^${CONFIG_FILE_MARKER} (.*)\n?`, 'm').exec(stderr);
        if (match === null) return stderr;
        const rest = stderr.slice(0, match.index) + stderr.slice(match.index + match[0].length);
        return match[1] === '' ? rest : rest.split(match[1]).join(config.label);
      },
      cleanup: () => undefined,
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xen-xl-config-'));
  const file = path.join(dir, fileName);
  let cleaned = false;
  const cleanup = (): void => {
    if (cleaned) return;
    cleaned = true;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(file, config.text, { mode: 0o600, flag: 'wx' });
    return {
      argv: buildArgv(options, command.args.map((arg) => (arg === CONFIG_TEXT_PATH ? file : arg))),
      rewrite: (stderr) => stderr.split(file).join(config.label),
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** The temporary file keeps the config's own name where it is a plain one, for xl's messages. */
function safeConfigFileName(label: string): string {
  const base = label.slice(label.lastIndexOf('/') + 1);
  return /^[A-Za-z0-9._+-]{1,100}$/.test(base) && !base.startsWith('.') && !base.startsWith('-') ? base : 'config.cfg';
}

/** Grace between SIGTERM and SIGKILL when stopping a timed-out or cancelled call. */
const KILL_GRACE_MS = 2000;
/** `xl list -l` on a big host is a few MB; anything far beyond that is runaway output. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function asXlError(error: unknown, kind: XlErrorKind = 'failed'): XlError {
  if (error instanceof XlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new XlError(kind, kind === 'bad-output' ? `Could not read xl's output: ${message}` : message, { cause: error });
}

/**
 * Signals the whole process group (the child was spawned detached, so it leads one), then
 * SIGKILLs whatever is left after a grace period. Processes of another user (xl under sudo)
 * refuse our signals; sudo itself relays SIGTERM to them.
 */
function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone, or not ours to signal.
    }
  }
}

function checkDestination(destination: string): void {
  if (destination === '' || destination.startsWith('-') || /[\s\0-\x1f\x7f]/.test(destination)) {
    throw new XlError(
      'ssh',
      `Invalid ssh destination ${JSON.stringify(destination)}: it must be a host name or user@host and must not start with "-".`,
    );
  }
}

/**
 * ssh parses `-o ControlPath=...` like a config line: `%` starts a token and whitespace splits
 * words unless the value is in double quotes.
 */
function controlPath(controlDir: string): string {
  if (!path.posix.isAbsolute(controlDir) || /["\0-\x1f\x7f]/.test(controlDir)) {
    throw new XlError('ssh', `Invalid ssh control directory ${JSON.stringify(controlDir)}: it must be an absolute path without quotes or control characters.`);
  }
  const value = `${controlDir.replace(/\/+$/, '').replace(/%/g, '%%')}/%C`;
  return /\s/.test(value) ? `"${value}"` : value;
}

function defaultIsExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function defaultListDirectory(dir: string): string[] {
  return readdirSync(dir);
}

function safeList(listDirectory: (dir: string) => string[], dir: string): string[] {
  try {
    return listDirectory(dir);
  } catch {
    return [];
  }
}
