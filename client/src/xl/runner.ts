// The only code in the client that spawns processes: runs an XlCommand locally (optionally
// through `sudo -n`) or on a remote dom0 through ssh, with a timeout, cancellation, logging and
// classification of failures into XlError.

import { accessSync, existsSync, constants as fsConstants, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { execa } from 'execa';
import { XlError, classifyFailure, type RemoteStopOutcome, type XlErrorKind } from './errors';
import { sshTurn } from './sshMaster';
import { CONFIG_TEXT_PATH, type XlCommand, type XlProgram } from './types';

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
  /**
   * Over ssh: use the host's shared connection when it is up, but never become it. For processes
   * that are stopped as a matter of course (streams): stopping one ends its process group, and a
   * connection master started by it would be in that group, taking every other call with it.
   */
  neverMaster?: boolean;
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
    const programRun = programOptions(command, options);
    input = prepareConfigText(command, programRun);
    argv = input?.argv ?? buildArgv(programRun, command.args, { reportRemotePid: options.target.kind === 'ssh' });
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
  // Over ssh, while the shared connection is not up, the first call opens it alone (sshMaster.ts).
  const endTurn = options.target.kind === 'ssh' ? await sshTurn(options.target.controlDir, options.target.destination) : undefined;

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
        // Over ssh only the client itself is stopped (execa's cancelSignal does that): the
        // ControlPersist master that a call may have opened for the host lives on in that call's
        // process group, and every other call to the host shares it. Killing the group took the
        // master along, and the next call (Destroy after a timed-out Shut Down) failed with exit 255.
        if (!viaSsh) {
          killProcessGroup(pid);
          return;
        }
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
    endTurn?.();
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
    tool: command.program ?? 'xl',
    action: command.description,
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

/**
 * The run options for a command's program: xl as configured; `sh` as the login user (never
 * sudo) unless the command is `privileged`; every other program by name, through sudo by the
 * same rule as xl. On this machine an LVM tool is looked up in /usr/sbin and /sbin too, which a
 * login user's PATH often lacks (so is sudo's when sudoers sets no secure_path). Pure but for
 * that look-up, which `deps` can replace.
 */
export function programOptions<O extends ArgvOptions>(command: Pick<XlCommand<unknown>, 'program' | 'privileged'>, options: O, deps: ResolveXlPathDeps = {}): O {
  const program: XlProgram = command.program ?? 'xl';
  switch (program) {
    case 'xl':
      return options;
    case 'sh':
      return { ...options, xlPath: 'sh', sudo: command.privileged === true ? options.sudo : 'never' };
    case 'xenstore-read':
      return { ...options, xlPath: 'xenstore-read' };
    case 'vgs':
    case 'lvs':
    case 'lvcreate':
    case 'lvremove':
    case 'xentop':
      return { ...options, xlPath: options.target.kind === 'local' ? resolveProgramPath(program, deps) : program };
  }
}

/**
 * A system program for local use: its bare name when it is on PATH, else the first of
 * /usr/sbin/NAME and /sbin/NAME that is executable, else the bare name (running it then reports
 * it missing). Read-only checks.
 */
export function resolveProgramPath(name: string, deps: ResolveXlPathDeps = {}): string {
  const isExecutable = deps.isExecutable ?? defaultIsExecutable;
  const pathEnv = deps.pathEnv ?? process.env.PATH ?? '';
  for (const dir of pathEnv.split(':')) {
    if (dir !== '' && isExecutable(path.posix.join(dir, name))) return name;
  }
  for (const dir of ['/usr/sbin', '/sbin']) {
    const candidate = path.posix.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return name;
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
  return sshArgv(options, `export LC_ALL=C; ${remote}`, context.tty === true, context.neverMaster === true);
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
function sshArgv(options: SshArgvOptions, remoteCommand: string, tty: boolean, neverMaster = false): string[] {
  return sshInvocation(options, tty ? ['-t'] : [], [remoteCommand], neverMaster);
}

/** What an ssh command line needs from the options. */
type SshArgvOptions = Pick<RunOptions, 'target' | 'sshPath'>;

/**
 * Every ssh command line of the runner: the program, `flags`, the shared options (batch mode,
 * SSH_TIMEOUT_OPTIONS, the per-host connection master), `--`, the destination, then `rest`.
 */
function sshInvocation(options: SshArgvOptions, flags: readonly string[], rest: readonly string[], neverMaster = false): string[] {
  if (options.target.kind !== 'ssh') throw new XlError('failed', 'Internal error: an ssh command line for a local target.');
  const { destination, controlDir } = options.target;
  checkDestination(destination);
  return [
    options.sshPath ?? 'ssh',
    ...flags,
    '-o',
    'BatchMode=yes',
    ...SSH_TIMEOUT_OPTIONS.flatMap((option) => ['-o', option]),
    '-o',
    // `no` still joins a master that is up (ControlPath is set); it only never starts one.
    neverMaster ? 'ControlMaster=no' : 'ControlMaster=auto',
    '-o',
    'ControlPersist=60',
    '-o',
    `ControlPath=${controlPath(controlDir)}`,
    '--',
    destination,
    ...rest,
  ];
}

/** The argv of an interactive command (`console`, `create -c`) for a terminal. */
export function buildTerminalArgv(options: ArgvOptions, command: XlCommand<unknown>): string[] {
  // A terminal joins the host's shared connection but never starts it: a master opened by the
  // terminal's ssh lives in the terminal's session, which closing the terminal hangs up, and every
  // other call to the host would fail with ssh's exit status 255 (seen on the rig right after a
  // console was detached).
  return buildArgv(options, command.args, { tty: true, neverMaster: true });
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
  if (/^[A-Za-z0-9_/.,:@+-]+$/.test(word)) return word;
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

// --- byte streams: a TCP connection to ADDRESS:PORT as the target host sees it ---

/** Where a stream goes, as seen from the target host (for a guest's VNC server: its listen address and port). */
export interface StreamEndpoint {
  address: string;
  port: number;
}

/** What openStream and buildStreamArgv need from the run options. */
export type StreamTargetOptions = Pick<RunOptions, 'target' | 'sshPath'>;

export interface OpenStreamOptions {
  /** Aborting before the stream is open rejects with a 'cancelled' XlError; afterwards it closes the stream. */
  signal?: AbortSignal;
  /** Receives one entry when the stream has ended (or failed to open), with its duration and outcome. */
  log?: (entry: RunLogEntry) => void;
  /** Bound on opening the stream (default STREAM_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /**
   * The protocol's server talks first (RFB does): the stream counts as open only once its first
   * byte has arrived, which is still there for the reader. Over ssh this is the only sign that
   * the far end accepted the forward; without it the stream is open once ssh has started.
   */
  serverSpeaksFirst?: boolean;
}

export interface OpenedStream {
  /** The bytes both ways. Ends when the far side closes; emits an XlError when the transport fails. */
  stream: Duplex;
  /** The ssh client's process id (ssh targets only). */
  pid?: number;
  /** For logs: the ssh command line, or `tcp ADDRESS:PORT` for a direct connection. */
  commandLine: string;
  /** Ends the connection (or terminates ssh: TERM, then KILL after a grace) and resolves once it is gone. Idempotent. */
  close: () => Promise<void>;
}

/** Default bound on opening a stream: ssh's own ConnectTimeout (10 s) plus its login, with room. */
export const STREAM_CONNECT_TIMEOUT_MS = 20_000;
/** How long close() waits for a graceful end (the peer's FIN, ssh's exit after TERM) before forcing it. */
const STREAM_CLOSE_GRACE_MS = 1000;
/** The most of ssh's standard error a stream keeps for its error message (the end of it). */
const STREAM_STDERR_BYTES = 8192;

/**
 * Checks an endpoint before anything runs: the address must be an IPv4 or IPv6 literal (IPv6 may
 * come in brackets) or a DNS name of letters, digits, '-', '_' and dots that does not start with
 * '-' or '.', the port an integer from 1 to 65535. Returns the address without brackets and a
 * label for messages (`[::1]:5900`). Throws XlError('failed').
 */
export function checkStreamEndpoint(endpoint: StreamEndpoint): { address: string; port: number; label: string } {
  const raw = typeof endpoint.address === 'string' ? endpoint.address : '';
  const unbracketed = /^\[(.*)\]$/.exec(raw)?.[1] ?? raw;
  const port = endpoint.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new XlError('failed', `Invalid port ${JSON.stringify(port)}: a port is a whole number from 1 to 65535.`);
  }
  if (net.isIPv6(unbracketed) && !/[\s\0-\x1f\x7f[\]]/.test(unbracketed)) {
    return { address: unbracketed, port, label: `[${unbracketed}]:${port}` };
  }
  if (unbracketed === raw && (net.isIPv4(raw) || isDnsName(raw))) return { address: raw, port, label: `${raw}:${port}` };
  throw new XlError(
    'failed',
    `Invalid address ${JSON.stringify(raw)}: expected an IPv4 or IPv6 address or a host name (letters, digits, '-', '_' and dots, not starting with '-').`,
  );
}

function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = (name.endsWith('.') ? name.slice(0, -1) : name).split('.');
  return labels.every((label) => /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/.test(label));
}

/**
 * The ssh argv that forwards standard input and output to ADDRESS:PORT as the ssh host sees it
 * (`ssh -W`), with the same options and connection master as every other ssh call of the runner.
 * Pure. Throws XlError for a local target, a bad endpoint, destination or control directory.
 */
export function buildStreamArgv(options: StreamTargetOptions, endpoint: StreamEndpoint): string[] {
  if (options.target.kind !== 'ssh') throw new XlError('failed', 'buildStreamArgv is for ssh hosts; a local stream is a direct TCP connection.');
  const { label } = checkStreamEndpoint(endpoint);
  // The console's byte stream ends whenever its tab closes: it must not carry the host's master.
  return sshInvocation(options, ['-W', label], [], true);
}

/**
 * Opens a byte stream to `endpoint` as the target host sees it: a TCP connection for the local
 * host, `ssh -W` (see buildStreamArgv) for an ssh host, with the ssh client's standard output and
 * input as the stream. Rejects only with XlError, naming the endpoint (and ssh's own words when
 * it failed). Every stream is reported once through `opts.log` when it has ended.
 */
export async function openStream(options: StreamTargetOptions, endpoint: StreamEndpoint, opts: OpenStreamOptions = {}): Promise<OpenedStream> {
  const started = performance.now();
  let commandLine = '';
  let description = `connect to ${String(endpoint.address)}:${String(endpoint.port)}`;
  let logged = false;
  const report = (outcome: RunLogEntry['outcome'], exitCode: number | undefined, stderr: string): void => {
    if (logged) return;
    logged = true;
    opts.log?.({ description, commandLine, exitCode, durationMs: Math.round(performance.now() - started), stderr, outcome });
  };
  let checked: ReturnType<typeof checkStreamEndpoint>;
  let argv: string[] | undefined;
  let destination = '';
  try {
    checked = checkStreamEndpoint(endpoint);
    if (options.target.kind === 'ssh') {
      destination = options.target.destination;
      description = `forward to ${checked.label} through ${destination}`;
      argv = buildStreamArgv(options, checked);
      commandLine = quoteForRemoteShell(argv);
    } else {
      description = `connect to ${checked.label}`;
      commandLine = `tcp ${checked.label}`;
    }
  } catch (error) {
    const failure = asXlError(error);
    failure.commandLine = commandLine || undefined;
    report(failure.kind, undefined, '');
    throw failure;
  }
  if (opts.signal?.aborted) {
    report('cancelled', undefined, '');
    throw new XlError('cancelled', `Connecting to ${checked.label} was cancelled.`, { commandLine });
  }
  const timeoutMs = opts.connectTimeoutMs ?? STREAM_CONNECT_TIMEOUT_MS;
  let opened: OpeningStream;
  try {
    opened = argv === undefined ? connectTcp(checked, report) : spawnForward(argv, checked, destination, commandLine, report);
  } catch (error) {
    // net.connect and spawn report their failures as events; this is an invalid option.
    const failure = new XlError('failed', `Could not open a connection to ${checked.label}: ${error instanceof Error ? error.message : String(error)}`, { cause: error, commandLine });
    report(failure.kind, undefined, '');
    throw failure;
  }
  try {
    await untilOpen(opened, { timeoutMs, signal: opts.signal, serverSpeaksFirst: opts.serverSpeaksFirst === true, label: checked.label });
  } catch (error) {
    const failure = asXlError(error);
    failure.commandLine = commandLine;
    opened.fail(failure);
    await opened.close();
    throw failure;
  }
  if (opts.signal !== undefined) {
    const signal = opts.signal;
    const onAbort = (): void => void opened.close();
    signal.addEventListener('abort', onAbort, { once: true });
    void opened.ended.then(() => signal.removeEventListener('abort', onAbort));
  }
  return { stream: opened.stream, pid: opened.pid, commandLine, close: opened.close };
}

/** A stream being opened or open, as openStream's two transports provide it. */
interface OpeningStream {
  stream: Duplex;
  pid?: number;
  /** Resolves when the transport has opened (TCP connected, ssh started); rejects with an XlError. */
  started: Promise<void>;
  /** Resolves once the transport is gone (socket closed, ssh exited) and its log entry was written. */
  ended: Promise<void>;
  /** Records why opening failed, for the log entry, before close(). */
  fail(error: XlError): void;
  /** The transport's own words for an error the stream emitted. */
  describe(error: Error): XlError;
  close: () => Promise<void>;
}

/** Waits until the stream is open (and, with serverSpeaksFirst, has data), within the time bound. */
function untilOpen(opening: OpeningStream, how: { timeoutMs: number; signal?: AbortSignal; serverSpeaksFirst: boolean; label: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const { stream } = opening;
    const cleanup = (): void => {
      settled = true;
      clearTimeout(timer);
      how.signal?.removeEventListener('abort', onAbort);
      stream.off('readable', onReadable);
      stream.off('error', onError);
    };
    const succeed = (): void => {
      if (settled) return;
      cleanup();
      resolve();
    };
    const failWith = (error: unknown): void => {
      if (settled) return;
      cleanup();
      reject(error);
    };
    const onAbort = (): void => failWith(new XlError('cancelled', `Connecting to ${how.label} was cancelled.`));
    const onError = (error: Error): void => failWith(opening.describe(error));
    // A 'readable' listener lets data wait in the stream's buffer without consuming it; once it is
    // removed, the stream flows again for whoever reads it next.
    // 'readable' without buffered data means the end of the stream.
    const onReadable = (): void => {
      if (stream.readableLength > 0) succeed();
      else failWith(new XlError('failed', `${how.label} closed the connection before sending anything.`));
    };
    const timer = setTimeout(() => {
      const seconds = how.timeoutMs / 1000;
      failWith(new XlError('timeout', `No ${how.serverSpeaksFirst ? 'answer from' : 'connection to'} ${how.label} within ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s.`));
    }, how.timeoutMs);
    how.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('error', onError);
    opening.started.then(() => {
      if (settled) return;
      if (!how.serverSpeaksFirst) succeed();
      else stream.on('readable', onReadable);
    }, failWith);
  });
}

type StreamReport = (outcome: RunLogEntry['outcome'], exitCode: number | undefined, stderr: string) => void;
type CheckedEndpoint = ReturnType<typeof checkStreamEndpoint>;

/** The local transport: a TCP connection (Nagle off: RFB sends small messages such as key events). */
function connectTcp(endpoint: CheckedEndpoint, report: StreamReport): OpeningStream {
  const socket = net.connect({ host: endpoint.address, port: endpoint.port });
  socket.setNoDelay(true);
  let connected = false;
  let failure: XlError | undefined;
  // Kept for the stream's whole life: an error is recorded for the log entry, and never crashes
  // the process when the consumer has not attached its own listener yet.
  socket.on('error', (error) => {
    failure ??= connected ? new XlError('failed', `The connection to ${endpoint.label} failed: ${error.message}`, { cause: error }) : tcpFailure(error, endpoint);
  });
  const started = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      connected = true;
      resolve();
    });
    socket.once('error', (error) => {
      // The listener above has set failure by now (listeners run in order); the fallback is for the type.
      if (!connected) reject(failure ?? tcpFailure(error, endpoint));
    });
  });
  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => {
      report(failure?.kind ?? 'ok', undefined, '');
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      if (!socket.destroyed) {
        // A graceful end first; the peer's FIN may never come (or never be read while the
        // consumer has paused the socket), so the grace bounds it.
        if (connected) socket.end();
        else socket.destroy();
        const timer = setTimeout(() => socket.destroy(), STREAM_CLOSE_GRACE_MS);
        await ended;
        clearTimeout(timer);
      }
      await ended;
    })());
  return {
    stream: socket,
    started,
    ended,
    fail: (error) => {
      failure = error;
    },
    // The listener above ran first and put the error into words.
    describe: (error) => failure ?? asXlError(error),
    close,
  };
}

/** The words for a TCP connect that failed. */
function tcpFailure(error: Error, endpoint: CheckedEndpoint): XlError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `Could not connect to ${endpoint.label}`;
  switch (code) {
    case 'ECONNREFUSED':
      return new XlError('failed', `${where}: connection refused (nothing is listening there).`, { cause: error });
    case 'ETIMEDOUT':
      return new XlError('timeout', `${where}: the connection timed out.`, { cause: error });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new XlError('failed', `${where}: the host or its network is unreachable.`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new XlError('failed', `${where}: the name ${endpoint.address} does not resolve.`, { cause: error });
    default:
      return new XlError('failed', `${where}: ${error.message}`, { cause: error });
  }
}

/** True for the errors of writing to a process that has exited (its exit status tells why). */
function pipeGone(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
}

/**
 * The ssh transport: `ssh -W` in its own process group, its standard output and input joined
 * into one Duplex. The readable side ends once ssh has exited and its output is read: cleanly
 * for exit status 0 (the far side closed) or when we ended it, otherwise with an XlError that
 * carries the end of ssh's standard error.
 */
function spawnForward(argv: string[], endpoint: CheckedEndpoint, destination: string, commandLine: string, report: StreamReport): OpeningStream {
  let failure: XlError | undefined;
  let stderr = '';
  let exited = false;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let outputClosed = false;
  let stoppedByUs = false;
  let finished = false;
  let killTimer: NodeJS.Timeout | undefined;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));

  runnerStats.spawned++;
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so close() also ends a ProxyCommand that ssh started.
    detached: true,
    env: { ...process.env, LC_ALL: 'C' },
    windowsHide: true,
  });
  const { stdin, stdout } = child as ChildProcessByStdio<Writable, Readable, Readable>;
  const stop = (): void => {
    if (exited || child.pid === undefined) return;
    stoppedByUs = true;
    signalGroup(child.pid, 'SIGTERM');
    killTimer ??= setTimeout(() => {
      if (!exited && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    }, STREAM_CLOSE_GRACE_MS);
  };

  const stream = new Duplex({
    allowHalfOpen: false,
    read() {
      stdout.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      // One chunk at a time in the pipe: what ssh has not taken stays in this stream's
      // writableLength, where the caller can see it. Writing to an ssh that has exited loses the
      // bytes, as writing to a reset socket does; the exit status reports why.
      stdin.write(chunk, (error) => callback(error && !pipeGone(error) ? error : null));
    },
    final(callback) {
      stdin.end();
      callback();
    },
    destroy(error, callback) {
      stop();
      callback(error);
    },
  });
  stream.on('error', (error) => {
    failure ??= asXlError(error);
  });
  stdin.on('error', (error) => {
    // EPIPE and the like: ssh has exited, and its exit status says why.
    if (!pipeGone(error)) stream.destroy(error);
  });
  stdout.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) stdout.pause();
  });
  stdout.on('close', () => {
    outputClosed = true;
    finish();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STREAM_STDERR_BYTES);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    exitCode = code;
    exitSignal = signal;
    // A connection master that inherited our pipes could hold standard output open: do not wait for it.
    setTimeout(() => {
      if (!outputClosed) stdout.destroy();
    }, STREAM_CLOSE_GRACE_MS).unref();
    finish();
  });
  let spawned = false;
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => {
      spawned = true;
      resolve();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // After the start this is a signal that could not be sent: the process is gone already,
      // and its exit is reported by 'exit'.
      if (spawned) return;
      // The process could not be started (ssh missing): there is no exit to wait for.
      const program = argv[0];
      failure ??=
        error.code === 'ENOENT'
          ? new XlError('not-found', `ssh was not found ('${program}'). Install an OpenSSH client to reach remote Xen hosts.`, { cause: error, commandLine })
          : new XlError('failed', `Could not start '${program}' (${error.code ?? error.message}).`, { cause: error, commandLine });
      exited = true;
      outputClosed = true;
      reject(failure);
      finish();
    });
  });

  function finish(): void {
    if (finished || !exited || !outputClosed) return;
    finished = true;
    if (killTimer !== undefined) clearTimeout(killTimer);
    if (!stoppedByUs) failure ??= forwardFailure(exitCode, exitSignal, stderr, endpoint, destination, commandLine);
    report(failure?.kind ?? 'ok', exitCode ?? undefined, stderr);
    if (failure !== undefined && !stream.destroyed) stream.destroy(failure);
    else if (!stream.destroyed) stream.push(null);
    resolveEnded();
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stop();
      await ended;
      // Whatever was not read is dropped: the caller is done with the stream.
      if (!stream.destroyed) stream.destroy();
    })());
  return {
    stream,
    pid: child.pid,
    started,
    ended,
    fail: (error) => {
      failure = error;
    },
    describe: (error) => asXlError(error),
    close,
  };
}

/** Why an `ssh -W` that exited on its own failed; undefined for exit status 0 (the far side closed). */
function forwardFailure(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  endpoint: CheckedEndpoint,
  destination: string,
  commandLine: string,
): XlError | undefined {
  if (code === 0) return undefined;
  const options = { detail: stderr, exitCode: code ?? undefined, commandLine };
  if (code === null) return new XlError('failed', `ssh to ${destination} was terminated by ${signal ?? 'a signal'}.`, options);
  // ssh reached the host, but the host could not connect onwards.
  const refused = /^channel \d+: open failed: (.*)$/m.exec(stderr);
  if (refused !== null) {
    const why = refused[1].trim();
    const hint = /Connection refused/i.test(why) ? ' (nothing is listening there)' : '';
    return new XlError('failed', `${destination} could not connect to ${endpoint.label}: ${why}${hint}.`, options);
  }
  if (/stdio forwarding failed/.test(stderr)) {
    return new XlError('failed', `${destination} could not connect to ${endpoint.label} (ssh: stdio forwarding failed).`, options);
  }
  const line = stderr.split('\n').map((text) => text.trim()).find((text) => text.length > 0);
  if (code === 255) {
    return new XlError('ssh', `ssh could not connect to ${destination}: ${line ?? 'exit status 255 without a message'}.`, options);
  }
  return new XlError('failed', `ssh to ${destination} ended with exit status ${code}${line === undefined ? '' : `: ${line}`}.`, options);
}

// --- long-running commands whose output is read as it comes (xentop -b) ---

/** A long-running command whose stdout is read as it comes (xentop -b, tail -f). */
export interface StreamCommand {
  args: string[];
  program?: XlProgram;
  privileged?: boolean;
  description: string;
}

export interface StreamHandlers {
  /** Standard output as it arrives, decoded as UTF-8 (a character split across reads is kept whole). */
  onData(chunk: string): void;
}

export interface RunningStream {
  /** Ends the process (locally its group; over ssh also the remote group, like a timeout does). Idempotent. */
  stop(): void;
  /** Settles when the process ended: how (stopped by us, exited, failed to start/ssh), never rejects. */
  readonly ended: Promise<StreamEnd>;
}

export interface StreamEnd {
  stoppedByUs: boolean;
  exitCode?: number;
  /** Why it ended when that was a failure; never set when we stopped it. */
  error?: XlError;
  /** The end of its standard error (at most STREAM_STDERR_BYTES). */
  stderr: string;
}

/**
 * Starts a long-running command with the same argv, sudo rule, ssh launcher and environment as
 * runXl, and hands its standard output to `handlers.onData` as it arrives. It runs until it
 * exits or `stop()` is called; there is no timeout. `ended` reports how it ended, and the end is
 * logged once through `options.log`.
 */
export function startStream(command: StreamCommand, options: Omit<RunOptions, 'timeoutMs' | 'signal'>, handlers: StreamHandlers): RunningStream {
  const started = performance.now();
  const viaSsh = options.target.kind === 'ssh';
  let commandLine = '';
  let stopRequested = false;
  let stopNow: (() => void) | undefined;
  let resolveEnded!: (end: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((resolve) => (resolveEnded = resolve));
  let settled = false;
  const finish = (end: StreamEnd): void => {
    if (settled) return;
    settled = true;
    if (end.error !== undefined) end.error.commandLine ??= commandLine || undefined;
    options.log?.({
      description: command.description,
      commandLine,
      exitCode: end.exitCode,
      durationMs: Math.round(performance.now() - started),
      stderr: end.stderr,
      outcome: end.error?.kind ?? 'ok',
    });
    resolveEnded(end);
  };

  let argv: string[];
  try {
    argv = buildArgv(programOptions(command, options), command.args, { reportRemotePid: viaSsh, neverMaster: true });
    commandLine = quoteForRemoteShell(argv);
    if (argv.some((arg) => arg.includes('\0'))) throw new XlError('failed', 'An argument contains a NUL byte, which no program can receive.');
  } catch (error) {
    finish({ stoppedByUs: false, error: asXlError(error), stderr: '' });
    return { stop: () => undefined, ended };
  }

  const launch = async (): Promise<void> => {
    // Over ssh, while another call is opening the shared connection, wait to join it (sshMaster.ts).
    const endTurn = viaSsh && options.target.kind === 'ssh' ? await sshTurn(options.target.controlDir, options.target.destination, undefined, 'join-only') : undefined;
    if (stopRequested) {
      endTurn?.();
      finish({ stoppedByUs: true, stderr: '' });
      return;
    }
    try {
      runStreamProcess(argv, command, options, commandLine, handlers, finish, (stop) => (stopNow = stop), endTurn);
    } catch (error) {
      // spawn reports its failures as events; a throw is an invalid option, and `ended` must still settle.
      endTurn?.();
      finish({ stoppedByUs: false, error: new XlError('failed', `Could not run ${command.program ?? 'xl'}: ${String(error)}`, { cause: error }), stderr: '' });
    }
  };
  void launch();

  return {
    stop: () => {
      if (stopRequested) return;
      stopRequested = true;
      stopNow?.();
    },
    ended,
  };
}

/** startStream once argv is known and ssh's turn has come: spawns, reads, classifies the end. */
function runStreamProcess(
  argv: string[],
  command: StreamCommand,
  options: Omit<RunOptions, 'timeoutMs' | 'signal'>,
  commandLine: string,
  handlers: StreamHandlers,
  finish: (end: StreamEnd) => void,
  setStop: (stop: () => void) => void,
  endTurn: (() => void) | undefined,
): void {
  const viaSsh = options.target.kind === 'ssh';
  let stderr = '';
  // Over ssh, stderr's first line may be the launcher's (REMOTE_PID_LINE); it is held until complete.
  let stderrHead: string | undefined = viaSsh ? '' : undefined;
  let remote: RemoteProcess | undefined;
  let remoteStopping: Promise<RemoteStopOutcome> | undefined;
  let stoppedByUs = false;
  let exited = false;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let spawnError: NodeJS.ErrnoException | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  runnerStats.spawned++;
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() also ends what the program (or sudo, or a fake) started.
    detached: true,
    // strerror() texts are localised; the classifier needs English.
    env: { ...process.env, LC_ALL: 'C' },
    windowsHide: true,
  });
  const appendStderr = (text: string): void => {
    stderr = (stderr + text).slice(-STREAM_STDERR_BYTES);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    if (!stoppedByUs) handlers.onData(text);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderrHead === undefined) return appendStderr(text);
    stderrHead += text;
    const newline = stderrHead.indexOf('\n');
    if (newline < 0 && stderrHead.length < 200) return;
    const first = newline < 0 ? stderrHead : stderrHead.slice(0, newline);
    const rest = newline < 0 ? '' : stderrHead.slice(newline + 1);
    stderrHead = undefined;
    const match = REMOTE_PID_LINE.exec(first);
    if (match) {
      remote = { pid: Number(match[2]), group: match[1] === 'pgid' };
      // A stop that came before the remote process was named ends it now.
      if (stoppedByUs) remoteStopping ??= stopRemoteProcess(options, remote);
      appendStderr(rest);
    } else appendStderr(newline < 0 ? first : `${first}\n${rest}`);
  });

  const stop = (): void => {
    if (stoppedByUs || exited || child.pid === undefined) return;
    stoppedByUs = true;
    signalGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => {
      if (!exited && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    }, KILL_GRACE_MS);
    killTimer.unref();
    if (!viaSsh) return;
    // The remote program outlives the ssh client (and a connection master holds our pipes for it):
    // end it there, then stop waiting for output.
    if (remote !== undefined) remoteStopping ??= stopRemoteProcess(options, remote);
    void releaseOutputAfterStop(child, remoteStopping);
  };
  setStop(stop);

  child.on('error', (error: NodeJS.ErrnoException) => {
    // After the start this is a signal that could not be sent; 'close' still comes.
    if (child.pid !== undefined) return;
    spawnError = error;
    void conclude();
  });
  child.on('exit', (code, signal) => {
    exited = true;
    exitCode = code;
    exitSignal = signal;
    // A connection master that inherited our pipes could hold them open: do not wait for it.
    setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, KILL_GRACE_MS + OUTPUT_GRACE_MS).unref();
  });
  let concluded = false;
  const conclude = async (): Promise<void> => {
    if (concluded) return;
    concluded = true;
    if (killTimer !== undefined) clearTimeout(killTimer);
    endTurn?.();
    const remoteStop = remoteStopping === undefined ? undefined : await remoteStopping;
    if (stderrHead !== undefined) appendStderr(stderrHead);
    const code = exitCode ?? undefined;
    if (stoppedByUs) return finish({ stoppedByUs: true, exitCode: code, stderr });
    const tool = command.program ?? 'xl';
    const destination = options.target.kind === 'ssh' ? options.target.destination : undefined;
    let failure: XlError | undefined;
    if (spawnError !== undefined) {
      failure = classifyFailure({ stderr, spawnErrorCode: spawnError.code ?? 'EFAULT', program: argv[0], viaSsh, commandLine, tool, action: command.description });
    } else if (exitSignal !== null) {
      // Killed by a signal we did not send (locally: an OOM kill, an admin's kill).
      failure = new XlError('failed', `${tool} was terminated by ${exitSignal}${destination === undefined ? '' : ` on ${destination}`} (${command.description}).`, { detail: stderr, commandLine });
    } else {
      failure = classifyFailure({ exitCode: code, stderr, viaSsh, destination, commandLine, remoteStop, tool, action: command.description });
    }
    // A clean exit 0 (xentop -i N, tail without -f) is no failure.
    finish({ stoppedByUs: false, exitCode: code, error: failure, stderr });
  };
  child.on('close', () => void conclude());
}
