// The decisions behind the guest commands, as pure functions: which guests an action applies to,
// which selection a tree command acts on, when and how to ask first, how `xl -N create` stderr
// maps to lines of the config. No `vscode` import.

import { guestStateKey, type GuestStateKey } from '../tree/model';
import type { Domain } from '../xl';

export type GuestAction = 'shutdown' | 'reboot' | 'pause' | 'unpause' | 'destroy' | 'console' | 'graphicalConsole' | 'vnc' | 'showConfig' | 'copy' | 'media' | 'finishInstall' | 'delete' | 'log' | 'resources' | 'save' | 'migrate';

/**
 * Which states each action is offered for. Mirrors the `viewItem` clauses in package.json (the
 * manifest test compares them). Domain-0 gets nothing that changes it.
 */
export const ACTION_STATES: Record<GuestAction, readonly GuestStateKey[]> = {
  shutdown: ['running'],
  reboot: ['running'],
  pause: ['running'],
  unpause: ['paused'],
  destroy: ['running', 'paused', 'shutdown', 'crashed'],
  console: ['running', 'paused'],
  graphicalConsole: ['running', 'paused'],
  vnc: ['running', 'paused'],
  showConfig: ['dom0', 'running', 'paused', 'shutdown', 'crashed'],
  copy: ['dom0', 'running', 'paused', 'shutdown', 'crashed', 'dying'],
  media: ['running', 'paused'],
  finishInstall: ['running'],
  delete: ['running', 'paused', 'shutdown', 'crashed'],
  log: ['running', 'paused', 'shutdown', 'crashed'],
  // Running only: a paused guest answers neither the suspend request of save and migrate nor a
  // new balloon target.
  resources: ['running'],
  save: ['running'],
  migrate: ['running'],
};

export function actionApplies(action: GuestAction, domain: Pick<Domain, 'id' | 'state'>): boolean {
  return ACTION_STATES[action].includes(guestStateKey(domain));
}

/**
 * The items a tree command acts on. VS Code passes the clicked item and, with `canSelectMany`,
 * the whole selection; the selection counts only when it contains the clicked item (a
 * right-click outside the selection means "this one").
 */
export function selectTargets<T>(clicked: T | undefined, selected: readonly T[] | undefined, same: (a: T, b: T) => boolean): T[] {
  if (clicked === undefined) return selected ? [...selected] : [];
  if (selected && selected.length > 1 && selected.some((item) => same(item, clicked))) return [...selected];
  return [clicked];
}

/** Splits targets into those the action applies to and those it skips (with why). */
export function partitionTargets<T extends { domain: Domain }>(action: GuestAction, targets: readonly T[]): { applicable: T[]; skipped: T[] } {
  const applicable: T[] = [];
  const skipped: T[] = [];
  for (const target of targets) (actionApplies(action, target.domain) ? applicable : skipped).push(target);
  return { applicable, skipped };
}

/** Destroy always asks (unless turned off); so does any action on more than one guest. */
export function needsConfirmation(action: GuestAction, count: number, confirmSetting: boolean): boolean {
  if (!confirmSetting || count === 0) return false;
  return action === 'destroy' || (count > 1 && ACTION_VERBS[action] !== undefined);
}

export const ACTION_VERBS: Partial<Record<GuestAction, { verb: string; button: string; progress: string }>> = {
  shutdown: { verb: 'Shut down', button: 'Shut Down', progress: 'Shutting down' },
  reboot: { verb: 'Reboot', button: 'Reboot', progress: 'Rebooting' },
  pause: { verb: 'Pause', button: 'Pause', progress: 'Pausing' },
  unpause: { verb: 'Unpause', button: 'Unpause', progress: 'Unpausing' },
  destroy: { verb: 'Destroy', button: 'Destroy', progress: 'Destroying' },
};

/** How messages name an action done to a guest: "Cannot finish the install of …", "Finish the install of: choose a guest". */
const ACTION_PHRASES: Record<GuestAction, string> = {
  shutdown: 'shut down',
  reboot: 'reboot',
  pause: 'pause',
  unpause: 'unpause',
  destroy: 'destroy',
  console: 'open the console of',
  graphicalConsole: 'open the screen of',
  vnc: 'show the VNC address of',
  showConfig: 'show the configuration of',
  copy: 'copy',
  media: 'change the CD of',
  finishInstall: 'finish the install of',
  delete: 'delete',
  log: 'open the log of',
  resources: 'change the resources of',
  save: 'save',
  migrate: 'migrate',
};

export function actionPhrase(action: GuestAction): string {
  return ACTION_PHRASES[action];
}

/**
 * The modal question, naming every guest (the first 10 and a count of the rest). Names are
 * quoted with JSON rules, so a name with newlines or quotes cannot disguise itself.
 */
export function confirmationText(action: GuestAction, guests: readonly { name: string; hostLabel?: string }[]): { message: string; detail: string } {
  const verb = ACTION_VERBS[action]?.verb ?? action;
  const shown = guests.slice(0, 10).map((guest) => `${JSON.stringify(guest.name)}${guest.hostLabel ? ` on ${guest.hostLabel}` : ''}`);
  const more = guests.length > 10 ? ` and ${guests.length - 10} more` : '';
  const subject = guests.length === 1 ? `guest ${shown[0]}` : `${guests.length} guests: ${shown.join(', ')}${more}`;
  const detail =
    action === 'destroy'
      ? 'Destroy stops the guest at once, like pulling the power cord: unsaved data in the guest is lost.'
      : action === 'shutdown'
        ? 'Each guest is asked to shut down cleanly.'
        : action === 'reboot'
          ? 'Each guest is asked to reboot cleanly.'
          : '';
  return { message: `${verb} ${subject}?`, detail };
}

/** One problem of a host-side check, on a 0-based line of the config. */
export interface HostProblem {
  line: number;
  severity: 'error' | 'warning' | 'information';
  message: string;
}

/**
 * Maps the stderr of `xl -N create -f FILE` to problems on lines of FILE. libxlu prefixes parse
 * errors with `FILE:LINE:`; other messages that name a key set in the file (`"kernel"`,
 * `vif: ...`) go to the line of that key; the rest to line 0. `Parsing config from`, libxl debug
 * chatter and blank lines are dropped. When xl failed (`failed`) and no line was an error, the
 * failure itself becomes an error on line 0.
 */
export function mapHostCheckOutput(stderr: string, filePath: string, text: string, failed: { message: string } | undefined): HostProblem[] {
  const keyLines = assignedKeyLines(text);
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  const problems: HostProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: HostProblem): void => {
    const key = `${problem.line}\0${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };

  let locatedError = false;
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || /^Parsing config from\b/.test(line) || /^libxl: (debug|info|verbose|detail):/i.test(line)) continue;
    // Where the file is (or is not) on the host says nothing about its text.
    if (CONFIG_LOCATION_PROBLEM.test(line)) continue;
    const located = locateInFile(line, filePath, base);
    if (located !== undefined) {
      const severity = severityOf(located.message, 'error');
      locatedError ||= severity === 'error';
      add({ line: located.line, severity, message: `xl: ${located.message}` });
      continue;
    }
    // xl's closing summary of a syntax error says nothing the located line has not said.
    if (PARSE_SUMMARY.test(line) && locatedError) continue;
    const severity = severityOf(line, 'information');
    add({ line: lineOfMentionedKey(line, keyLines) ?? 0, severity, message: `xl: ${stripLibxlPrefix(line)}` });
  }
  if (failed !== undefined && !CONFIG_LOCATION_PROBLEM.test(stderr) && !problems.some((problem) => problem.severity === 'error')) {
    add({ line: 0, severity: 'error', message: failed.message });
  }
  return problems;
}

/** xl's one-line summary after libxlu reported where the text is broken. */
const PARSE_SUMMARY = /^(?:xl: )?Failed to parse config(?: file)?:/;

/** xl could not read the config file itself: a problem of the host, not of the config's text. */
const CONFIG_LOCATION_PROBLEM = /^(?:xl: )?Failed to (?:read|open) config file\b/m;

/** The line saying xl could not read the config file, when stderr has one. */
export function configLocationProblem(stderr: string): string | undefined {
  return stderr.split('\n').map((line) => line.trim()).find((line) => CONFIG_LOCATION_PROBLEM.test(line));
}

/**
 * How a config reaches xl. Its path only when xl runs on the machine that has the file and the
 * editor holds what is on disk; in every other case the editor's text, through a temporary
 * file, so that xl never reads some other file that happens to sit at that path.
 */
export function configDelivery(facts: { isFile: boolean; hostIsLocal: boolean; isDirty: boolean }): { kind: 'path' } | { kind: 'text'; reason: string } {
  if (!facts.isFile) return { kind: 'text', reason: 'the config is not a file on this machine' };
  if (!facts.hostIsLocal) return { kind: 'text', reason: 'the file is on this machine, not on the host' };
  if (facts.isDirty) return { kind: 'text', reason: 'the editor has unsaved changes, which are not written to disk' };
  return { kind: 'path' };
}

/** How many configs keep a remembered host; the oldest choices are dropped beyond it. */
export const REMEMBERED_HOSTS_LIMIT = 200;

/**
 * The remembered host choices after choosing `hostId` for `configKey`: the newest last, at most
 * REMEMBERED_HOSTS_LIMIT. Only a file's URI and a host id (`local` or `ssh:<destination>`).
 */
export function rememberHost(previous: Readonly<Record<string, string>> | undefined, configKey: string, hostId: string): Record<string, string> {
  const entries = Object.entries(previous ?? {}).filter(([key, value]) => key !== configKey && typeof value === 'string');
  entries.push([configKey, hostId]);
  return Object.fromEntries(entries.slice(-REMEMBERED_HOSTS_LIMIT));
}

/** Line (0-based) of the last assignment of each key in the file. */
export function assignedKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    const match = /^[ \t]*([A-Za-z_][A-Za-z0-9_.]*)[ \t]*\+?=/.exec(line);
    if (match) lines.set(match[1], index);
  });
  return lines;
}

/** `xl create` may run a bootloader and start a device model: allow it more than a list. */
export function createTimeoutMs(commandTimeoutMs: number): number {
  return Math.max(commandTimeoutMs, 120_000);
}

/** The question when a config has errors: names the first one so the user can judge. */
export function startWithErrorsText(fileName: string, errors: readonly { line: number; message: string }[]): string {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${fileName} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`} that xl will probably refuse: line ${first.line + 1}: ${first.message}${more}. Start anyway?`;
}

// --- helpers ---

function locateInFile(line: string, filePath: string, base: string): { line: number; message: string } | undefined {
  const match = /^(.+?):(\d+):\s*(.*)$/.exec(line);
  if (match === null) return undefined;
  const [, file, number, message] = match;
  // libxl's own `libxl_create.c:123:` locations name source files, not the config.
  if (file !== filePath && file !== base && !file.endsWith(`/${base}`)) return undefined;
  return { line: Math.max(0, Number(number) - 1), message: message || 'error' };
}

function severityOf(line: string, fallback: HostProblem['severity']): HostProblem['severity'] {
  if (/warning/i.test(line)) return 'warning';
  if (/\berror\b|failed|invalid|unknown|cannot|can't|unable|not supported|refus/i.test(line)) return 'error';
  return fallback;
}

function stripLibxlPrefix(line: string): string {
  // `libxl: error: libxl_create.c:1234:func: message` → `libxl error: message`
  const match = /^libxl: (error|warning): [^ ]+?:\d+:[^:]*: (.*)$/.exec(line);
  return match ? `libxl ${match[1]}: ${match[2]}` : line;
}

function lineOfMentionedKey(line: string, keyLines: Map<string, number>): number | undefined {
  for (const match of line.matchAll(/["'`]([A-Za-z_][A-Za-z0-9_.]*)["'`]/g)) {
    const found = keyLines.get(match[1]);
    if (found !== undefined) return found;
  }
  const leading = /^(?:WARNING:\s*)?([A-Za-z_][A-Za-z0-9_.]*)\s*:/.exec(line);
  if (leading) return keyLines.get(leading[1]);
  return undefined;
}
