// The one error type of the xl layer, and the classifier that turns a finished (or failed to
// start) process into it, so every caller sees the same kinds and plain-language messages.

import type { Domain, XlProgram } from './types';

/** Why an xl call failed. The UI chooses its wording and actions from this. */
export type XlErrorKind =
  | 'not-found' // the xl binary (or sudo, or ssh) is missing or cannot be executed
  | 'not-root' // xl ran but was refused access to the hypervisor: run as root / via sudo
  | 'sudo-password' // `sudo -n` would have had to ask for a password
  | 'no-hypervisor' // not a Xen dom0: no hypercall interface, no xenstore
  | 'ssh' // ssh itself failed (exit 255): connection, host key or authentication
  | 'timeout'
  | 'cancelled'
  | 'failed' // xl ran and reported an error
  | 'bad-output'; // xl succeeded but printed something we cannot read

/**
 * What the second ssh call that ends the remote xl of a timed-out or cancelled call found:
 * `ended` after SIGTERM, `killed` (SIGKILL after the grace), `gone` (it had already ended), or
 * `unreachable` (the host did not answer, so xl may still run there).
 */
export type RemoteStopOutcome = 'ended' | 'killed' | 'gone' | 'unreachable';

export interface XlErrorOptions {
  /** What the program said, usually stderr (trimmed). Shown as "details" in the UI. */
  detail?: string;
  exitCode?: number;
  /** The command line that ran, quoted for display. */
  commandLine?: string;
  cause?: unknown;
  remoteStop?: RemoteStopOutcome;
  /** After a stopped `xl create`: what `xl list` showed about the guest (stoppedCreateOutcome). */
  guestOutcome?: string;
}

export class XlError extends Error {
  override readonly name = 'XlError';
  readonly kind: XlErrorKind;
  readonly detail: string;
  readonly exitCode: number | undefined;
  commandLine: string | undefined;
  /** For a timed-out or cancelled ssh call: what became of the remote xl. */
  readonly remoteStop: RemoteStopOutcome | undefined;
  /** After a stopped `xl create`: whether the guest exists anyway, in words. */
  readonly guestOutcome: string | undefined;

  constructor(kind: XlErrorKind, message: string, options: XlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.detail = options.detail?.trim() ?? '';
    this.exitCode = options.exitCode;
    this.commandLine = options.commandLine;
    this.remoteStop = options.remoteStop;
    this.guestOutcome = options.guestOutcome;
  }
}

export function isXlError(value: unknown): value is XlError {
  return value instanceof XlError;
}

/** Everything known about a finished process; all fields are optional except stderr. */
export interface FailureFacts {
  exitCode?: number;
  stderr: string;
  stdout?: string;
  timedOut?: boolean;
  isCanceled?: boolean;
  /** `error.code` when the process could not be started at all (ENOENT, EACCES, ...). */
  spawnErrorCode?: string;
  /** True when the command went through ssh, which reserves exit status 255 for itself. */
  viaSsh?: boolean;
  /** The ssh destination, for messages. */
  destination?: string;
  /** The program that failed to start (xl path, `sudo` or `ssh`), for messages. */
  program?: string;
  timeoutMs?: number;
  commandLine?: string;
  /** What the runner did about the remote xl after a timeout or cancel over ssh. */
  remoteStop?: RemoteStopOutcome;
  /** The program the command ran (`xl` when absent), named in messages; not the sudo or ssh in front of it. */
  tool?: XlProgram;
  /** The command's description (`create logical volume ...`): a failed `sh` script is told in these words. */
  action?: string;
}

/**
 * Classifies a process result. Returns undefined when the facts describe a success
 * (exit 0, no timeout, no cancellation, no spawn error).
 */
export function classifyFailure(facts: FailureFacts): XlError | undefined {
  const stderr = facts.stderr ?? '';
  const options: XlErrorOptions = {
    detail: stderr,
    exitCode: facts.exitCode,
    commandLine: facts.commandLine,
  };
  const where = facts.viaSsh && facts.destination ? ` on ${facts.destination}` : '';
  const stopped = remoteStopSentence(facts.remoteStop, facts.destination);
  const tool = facts.tool ?? 'xl';
  // xl and xenstore-read talk to Xen and keep xl's wording; LVM and scripts have their own.
  const xenTool = tool === 'xl' || tool === 'xenstore-read';
  const subject = tool === 'sh' ? 'The host script' : tool;

  // A timeout is implemented as a cancellation, so it must be checked first.
  if (facts.timedOut) {
    const seconds = facts.timeoutMs === undefined ? '' : ` within ${formatSeconds(facts.timeoutMs)}`;
    const what = xenTool ? 'xl' : subject;
    return new XlError('timeout', `${what} did not finish${seconds}${where} and was stopped.${stopped}`, { ...options, remoteStop: facts.remoteStop });
  }
  if (facts.isCanceled) {
    const what = xenTool ? 'xl command' : tool === 'sh' ? 'host script' : `${tool} command`;
    return new XlError('cancelled', `The ${what} was cancelled.${stopped}`, { ...options, remoteStop: facts.remoteStop });
  }

  if (facts.spawnErrorCode !== undefined) {
    const program = facts.program ?? 'xl';
    if (facts.spawnErrorCode === 'ENOENT') {
      return new XlError('not-found', notFoundMessage(program, ''), { ...options, detail: stderr || `${program}: not found` });
    }
    if (facts.spawnErrorCode === 'EACCES') {
      return new XlError(
        'not-found',
        `'${program}' exists but cannot be executed (permission denied). Check the file and the xen.xlPath setting.`,
        options,
      );
    }
    return new XlError('failed', `Could not start '${program}' (${facts.spawnErrorCode}).`, options);
  }

  if (facts.exitCode === 0) return undefined;
  if (facts.exitCode === undefined) {
    // Killed by a signal that we did not send.
    return new XlError('failed', `xl was terminated${where} before it finished.`, options);
  }

  // ssh exits 255 for its own failures. xl's own exit codes are small (EXIT_FAILURE or a
  // negated libxl error code), but a remote `exit(-1)` would also read as 255, so a libxl
  // line on stderr means the remote side ran.
  if (facts.viaSsh && facts.exitCode === 255 && !/libxl|xl context/.test(stderr)) {
    // A remote program killed by a signal also makes ssh exit 255, without a word from ssh: then
    // stderr holds only the program's last words, e.g. glibc's "double free or corruption (out)"
    // (seen with xl 4.17 on a nested `cpus` list).
    if (stderr.trim() !== '' && !SSH_OWN_FAILURE.test(stderr)) {
      return new XlError(
        'failed',
        `${xenTool ? 'xl' : subject} ended abnormally${where} (ssh exit status 255: it was probably killed by a signal, e.g. it crashed): ${lastMeaningfulLine(stderr)}`,
        options,
      );
    }
    const target = facts.destination ? ` to ${facts.destination}` : '';
    const lost = deadLinkMessage(stderr, facts.destination);
    if (lost !== undefined) return new XlError('ssh', lost, options);
    if (stderr.trim() === '') {
      // Since the runner's launcher reports a remote signal as 128 + N, a silent 255 is the
      // connection itself: cut (its shared master connection stopped, the host went away) or a
      // remote shell killed outright.
      return new XlError(
        'ssh',
        `The connection to ${facts.destination ?? 'the host'} ended without a message from ssh (exit status 255): it was cut, or the remote shell was killed. ` +
          'The views try again by themselves; if it keeps failing, run the ssh command from the log in a terminal.',
        options,
      );
    }
    return new XlError(
      'ssh',
      `ssh could not connect${target} or log in: ${firstLine(stderr)}. ` +
        'The extension runs ssh in batch mode, so key-based login (ssh-agent or a key without a passphrase) must work without prompts.',
      options,
    );
  }

  // Over ssh xl runs under a waiting shell (the runner's launcher), which exits 128 + N when xl
  // was killed by signal N; libxl's error codes never reach that range.
  if (facts.viaSsh && facts.exitCode > 128 && facts.exitCode < 160 && !/libxl|xl context/.test(stderr)) {
    const signal = SIGNAL_NAMES[facts.exitCode - 128] ?? `signal ${facts.exitCode - 128}`;
    const last = lastMeaningfulLine(stderr);
    return new XlError('failed', `${xenTool ? 'xl' : subject} ended abnormally${where} (killed by ${signal}, e.g. it crashed)${last ? `: ${last}` : '.'}`, options);
  }

  if (SUDO_PASSWORD.test(stderr) && !xenTool) {
    return new XlError('sudo-password', sudoPasswordMessage(tool, where), options);
  }
  if (SUDO_PASSWORD.test(stderr)) {
    return new XlError(
      'sudo-password',
      `sudo needs a password to run xl${where}, and the extension never asks for one. ` +
        'Allow xl without a password with a sudoers rule (edit with `visudo -f /etc/sudoers.d/xen-xl`), ' +
        'for example `youruser ALL=(root) NOPASSWD: /usr/sbin/xl`, or connect as root and set xen.sudo to "never". ' +
        'Note that such a rule lets that user do anything xl can do, which amounts to root.',
      options,
    );
  }
  if (SUDO_REFUSED.test(stderr)) {
    return new XlError(
      'not-root',
      `sudo refused to run ${xenTool ? 'xl' : tool}${where} for this user. Add a sudoers rule for ${xenTool ? 'xl' : tool} or connect as root.`,
      options,
    );
  }

  // A missing LVM tool or qemu-img, as sudo, the remote shell or a host script reports it.
  const missingTool = MISSING_TOOL.exec(stderr);
  if (missingTool !== null) return new XlError('not-found', notFoundMessage(missingTool[1], where), options);

  // 127 is the shell's "command not found" (only reachable through ssh or sudo).
  if (facts.exitCode === 127 || /(^|\s)(sudo|xl|[^\s:]*\/xl): (command )?not found/m.test(stderr)) {
    if (/(^|\s)sudo: (command )?not found|sudo: not found/.test(stderr)) return new XlError('not-found', notFoundMessage('sudo', '') + where, options);
    if (tool === 'sh') {
      return new XlError('not-found', `Could not ${facts.action ?? 'run the host script'}${where}: a program it needs is missing (${lastMeaningfulLine(stderr) || 'exit status 127'}).`, options);
    }
    const program = xenTool ? facts.program ?? 'xl' : tool;
    return new XlError('not-found', xenTool ? notFoundMessage(program, '') + where : notFoundMessage(program, where), options);
  }

  if (!xenTool) return toolFailure(facts, tool, where, options);

  // Access to the hypercall device or xenstore denied: xl itself does no uid check, so this is
  // how "not root" shows up (xl-commands.md §1).
  const talksToXen = /cannot init xl context|privcmd|xencall|xenstore|libxl_ctx_alloc|\/proc\/xen|\/dev\/xen/i.test(stderr);
  if (
    (talksToXen && /permission denied|operation not permitted/i.test(stderr)) ||
    /must be root|need to be root|requires root|are you root/i.test(stderr)
  ) {
    return new XlError(
      'not-root',
      `xl was denied access to the hypervisor${where}: it must run as root. Set xen.sudo to "auto" or connect as root.`,
      options,
    );
  }

  if (/cannot connect to xenstore/i.test(stderr)) {
    return new XlError(
      'no-hypervisor',
      `xl could not connect to xenstore${where}: Xen is running but xenstored is not (start the xencommons service).`,
      options,
    );
  }
  if (
    /cannot init xl context|can't find hypervisor information in sysfs|\/proc\/xen|cannot open libxc handle|could not obtain handle on privileged command interface/i.test(
      stderr,
    )
  ) {
    return new XlError(
      'no-hypervisor',
      `xl could not reach the Xen hypervisor${where}. This machine is not running Xen, or this is not dom0.`,
      options,
    );
  }

  const reason = lastMeaningfulLine(stderr);
  return new XlError(
    'failed',
    reason ? `xl failed${where} (exit status ${facts.exitCode}): ${reason}` : `xl failed${where} with exit status ${facts.exitCode}.`,
    options,
  );
}

/**
 * The sentence added to a timed-out or cancelled `xl create` after looking at `xl list`: whether
 * the guest exists anyway (xl may have got that far) or not. `domains` undefined: the look
 * failed, with `listError` saying why.
 */
export function stoppedCreateOutcome(name: string, domains: readonly Pick<Domain, 'name' | 'id' | 'state'>[] | undefined, listError?: string): string {
  const quoted = JSON.stringify(name);
  if (domains === undefined) return `Could not tell whether the guest ${quoted} was created (xl list failed: ${listError ?? 'no answer'}); look in the Guests view.`;
  const domain = domains.find((candidate) => candidate.name === name && candidate.state !== 'dying');
  if (domain === undefined) return `No guest ${quoted} was created.`;
  if (domain.state === 'paused') {
    // xl builds a domain paused and unpauses it last: stopped in between, it stays paused.
    return `The guest ${quoted} was created anyway and is paused (id ${domain.id}): xl was stopped before it let it run. Destroy it in the Guests view, or unpause it.`;
  }
  const state = domain.state === 'blocked' || domain.state === 'idle' ? 'running' : domain.state === 'shutdown' ? 'shut down' : domain.state;
  return `The guest ${quoted} was created anyway and is ${state} (id ${domain.id}).`;
}

/** Builds the 'bad-output' error that parsers throw; the excerpt goes into `detail`. */
export function badOutput(what: string, problem: string, output: string): XlError {
  const excerpt = output.length > 2000 ? `${output.slice(0, 2000)}\n…(${output.length - 2000} more characters)` : output;
  return new XlError('bad-output', `Unexpected output from '${what}': ${problem}`, { detail: excerpt });
}

/** What the OpenSSH client itself prints when it fails (connection, authentication, config, multiplexing). */
const SSH_OWN_FAILURE =
  /^ssh: |^ssh_[a-z_]+: |Permission denied \(|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|kex_exchange_identification|banner exchange|^Connection (closed|reset|refused|timed out)|^Connection to \S+ closed|Received disconnect|^Disconnected from|Unable to negotiate|Too many authentication failures|Bad configuration option|bad configuration options|Bad owner or permissions|^Load key |mux_client|^Control ?[Ss]ocket|^channel \d+: open failed|client_loop: |Timeout, server .* not responding|Could not resolve hostname|No route to host|Network is unreachable|Authentication failed/m;

const SIGNAL_NAMES: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM' };

const SUDO_PASSWORD = /sudo: (a )?password is required|sudo: a terminal is required|sudo: no tty present/i;
const SUDO_REFUSED = /is not in the sudoers file|is not allowed to (execute|run)|sorry, user \S+ (is not allowed|may not run)/i;

/**
 * Plain words for an ssh failure that is about the network or the host being down, rather than
 * about logging in: the first sentence says what happened, the next what to check. Undefined for
 * other ssh failures.
 */
function deadLinkMessage(stderr: string, destination: string | undefined): string | undefined {
  const host = destination ?? 'the host';
  if (/kex_exchange_identification|banner exchange/.test(stderr) && !/timed out/.test(stderr)) {
    return `${host} took the connection but its ssh server hung up before logging in (it may be starting up, or limiting connections). Try again in a moment.`;
  }
  if (/Timeout, server .* not responding|client_loop: send disconnect|Broken pipe|Connection reset|closed by remote host|^Connection closed by/m.test(stderr)) {
    return `The connection to ${host} was lost: it stopped answering while xl ran (it may have rebooted, or the network dropped). Check that ${host} is up; the views try again by themselves.`;
  }
  if (/Connection timed out|Operation timed out|timed out during banner exchange|No route to host|Network is unreachable|Host is unreachable/m.test(stderr)) {
    return `${host} did not answer: ssh could not reach it within 10 s (the host is down, or the network or a firewall is in the way). Check that ${host} is up and reachable.`;
  }
  if (/Connection refused/m.test(stderr)) {
    return `${host} refused the ssh connection: the host is up but no ssh server is listening (sshd stopped, or a different port). Check sshd on ${host}.`;
  }
  if (/Could not resolve hostname|Name or service not known|Temporary failure in name resolution/m.test(stderr)) {
    return `ssh could not find the host ${host}: the name does not resolve. Check the name in xen.hosts (or your ssh config) and the DNS.`;
  }
  return undefined;
}

function remoteStopSentence(outcome: RemoteStopOutcome | undefined, destination: string | undefined): string {
  const host = destination ?? 'the host';
  switch (outcome) {
    case undefined:
      return '';
    case 'ended':
      return ` xl on ${host} was ended too.`;
    case 'killed':
      return ` xl on ${host} ignored SIGTERM and was killed.`;
    case 'gone':
      return ` xl on ${host} had already finished.`;
    case 'unreachable':
      return ` ${host} could not be reached to end xl there, so it may still be running.`;
  }
}

/**
 * The failure of a program that is not xl: an LVM tool (its own reason line, or `not-root` when
 * LVM says it lacks root) or a host script (its own last line, in the words of its description).
 */
function toolFailure(facts: FailureFacts, tool: XlProgram, where: string, options: XlErrorOptions): XlError {
  const stderr = facts.stderr ?? '';
  const status = facts.exitCode === undefined ? '' : ` (exit status ${facts.exitCode})`;
  if (tool === 'sh') {
    const reason = lastMeaningfulLine(stderr);
    return new XlError('failed', `Could not ${facts.action ?? 'run the host script'}${where}${reason ? `: ${reason}` : `${status}.`}`, options);
  }
  // xentop says only this when it cannot open the hypervisor's statistics: as a user, that is root missing.
  if (tool === 'xentop' && /Failed to initialize xenstat library/.test(stderr)) {
    return new XlError('not-root', `xentop could not read the hypervisor's figures${where}: it must run as root. Set xen.sudo to "auto" (with a sudoers rule for xentop) or connect as root.`, options);
  }
  if (/Running as a non-root user|^\s*\S+: open failed: Permission denied/m.test(stderr)) {
    return new XlError('not-root', `${tool} must run as root${where}: set xen.sudo to "auto" (with a sudoers rule for ${tool}) or connect as root.`, options);
  }
  const reason = lvmReason(stderr);
  return new XlError('failed', reason ? `${tool} failed${where}${status}: ${reason}` : `${tool} failed${where}${status}.`, options);
}

/**
 * The line of LVM's stderr that says why: the first one that is not a warning, a note about
 * inherited file descriptors, or the pointer to --help.
 */
function lvmReason(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const reason = lines.find((line) => !/^WARNING:|^File descriptor \d+ .*leaked on|^Run `\S+ --help'/.test(line));
  return reason ?? lastMeaningfulLine(stderr);
}

/** The Debian package of each program the runner may find missing, for the not-found message. */
const TOOL_PACKAGES: Record<string, string> = {
  vgs: 'lvm2',
  lvs: 'lvm2',
  lvcreate: 'lvm2',
  lvremove: 'lvm2',
  'qemu-img': 'qemu-utils',
  xentop: 'xen-utils',
};

/** `lvcreate: command not found` (sudo, bash), `exec: lvcreate: not found` (dash), `qemu-img: not found` (our scripts). */
const MISSING_TOOL = /(?:^|[\s:/])(lvcreate|lvremove|vgs|lvs|qemu-img|xentop): (?:command )?not found/m;

/** `where` is ` on HOST` for an ssh host, empty for this machine. */
function notFoundMessage(program: string, where: string): string {
  const name = program.slice(program.lastIndexOf('/') + 1);
  const pkg = TOOL_PACKAGES[name];
  if (pkg !== undefined) return `${name} is not installed ${where === '' ? 'on this machine' : where.trim()} (package ${pkg}).`;
  if (program === 'ssh') return "ssh was not found. Install an OpenSSH client to manage remote Xen hosts.";
  if (program === 'sudo') return 'sudo was not found. Install sudo, or connect as root and set xen.sudo to "never".';
  return `xl was not found ('${program}'). Install the Xen tools (e.g. the xen-utils package) or set xen.xlPath.`;
}

/** sudo asked for a password to run an LVM tool or a host script; the extension never gives one. */
function sudoPasswordMessage(tool: XlProgram, where: string): string {
  const what = tool === 'sh' ? 'sh (for a small script that changes files as root)' : tool;
  const example = tool === 'sh' ? '/bin/sh' : `/usr/sbin/${tool}`;
  return (
    `sudo needs a password to run ${what}${where}, and the extension never asks for one. ` +
    `Allow it without a password with a sudoers rule (edit with \`visudo -f /etc/sudoers.d/xen-xl\`), for example \`youruser ALL=(root) NOPASSWD: ${example}\`, ` +
    'or connect as root and set xen.sudo to "never".' +
    (tool === 'sh' ? ' Note that a rule for sh lets that user do anything as root.' : '')
  );
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line.length > 0) ?? '';
}

/** The last non-empty stderr line: xl prints its own summary last (`destroy failed (rc=-3)`). */
function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.length === 0 ? '' : lines[lines.length - 1];
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
