// Preflight on the target host: which files and bridges a config names (a small scan of the
// text, since the client shares no code with the server's parser), and one read-only POSIX sh
// program, run through the runner like xl, that reports which of them the host lacks. `xl -N
// create` opens none of them, so without this a config "passes" and Start then fails.

import { CONFIG_MAX_BYTES } from '../../../common/limits';
import type { XlCommand } from './types';

/** Something on the host a config depends on, at a 0-based line of the config. */
export interface HostReference {
  kind: 'file' | 'bridge' | 'netdev';
  /** The path or interface name as the config gives it. */
  value: string;
  line: number;
  /** The key it came from: `kernel`, `disk`, `vif`, ... */
  key: string;
}

export type PreflightStatus = 'missing' | 'unreadable' | 'not-bridge' | 'unknown';

export interface PreflightFinding {
  reference: HostReference;
  status: PreflightStatus;
}

/** Keys whose string is a file xl (or libxl) opens on the host; relative ones resolve against xl's cwd. */
const FILE_KEYS = new Set(['kernel', 'ramdisk']);
/** Keys that may be a path or a word (`bootloader = "pygrub"` is found on PATH): only absolute ones are checked. */
const ABSOLUTE_FILE_KEYS = new Set(['bootloader', 'device_model_override']);
/** At most this many references go into one check (a config names a handful). */
export const MAX_REFERENCES = 200;

/**
 * The files and bridges a config names, in order: `kernel`, `ramdisk`, absolute `bootloader` and
 * `device_model_override`, the targets of `disk` specs (ISOs and CD-ROMs included; not empty
 * CD-ROM drives, not targets handed to a block `script=`, not `proto:...` targets such as rbd or
 * iscsi), and the `bridge=` of `vif` specs (with an openvswitch script only the device is
 * checked). The last assignment of a key wins, `+=` appends, as in libxlu. Pure.
 */
export function scanHostReferences(text: string): HostReference[] {
  const settings = scanStringSettings(text.length > CONFIG_MAX_BYTES ? text.slice(0, CONFIG_MAX_BYTES) : text);
  const references: HostReference[] = [];
  for (const [key, values] of settings) {
    for (const { value, line } of values) {
      if (FILE_KEYS.has(key)) {
        if (isPlausiblePath(value)) references.push({ kind: 'file', value, line, key });
      } else if (ABSOLUTE_FILE_KEYS.has(key)) {
        if (value.startsWith('/') && isPlausiblePath(value)) references.push({ kind: 'file', value, line, key });
      } else if (key === 'disk') {
        const target = diskTarget(value);
        if (target !== undefined) references.push({ kind: 'file', value: target, line, key });
      } else if (key === 'vif') {
        const bridge = vifBridge(value);
        if (bridge !== undefined) references.push({ ...bridge, line, key });
      }
    }
  }
  return references.slice(0, MAX_REFERENCES);
}

/** The spec strings of the `disk` lists xl reads (the last `disk =` and its `+=`), in order. Pure. */
export function scanDiskSpecs(text: string): string[] {
  const settings = scanStringSettings(text.length > CONFIG_MAX_BYTES ? text.slice(0, CONFIG_MAX_BYTES) : text);
  return (settings.get('disk') ?? []).map((entry) => entry.value);
}

/**
 * Checks on the host that each reference exists: files with `test -e` (a file in a directory the
 * login user may not search is reported as unreadable, not missing), bridges under
 * /sys/class/net/<name>/bridge. Runs `sh`, not xl, as the login user (never through sudo).
 */
export function preflight(references: readonly HostReference[]): XlCommand<PreflightFinding[]> {
  const args = ['-c', PREFLIGHT_SCRIPT, 'xen-xl-preflight'];
  for (const reference of references) args.push(reference.kind === 'file' ? 'f' : reference.kind === 'bridge' ? 'b' : 'n', reference.value);
  return {
    args,
    program: 'sh',
    description: `check that ${references.length} file${references.length === 1 ? '' : 's'} and bridges of the config exist`,
    parse: (stdout) => parsePreflightOutput(stdout, references),
  };
}

/** Reads the `<index> <status>` lines the preflight program prints. */
export function parsePreflightOutput(stdout: string, references: readonly HostReference[]): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(\d+) (missing|unreadable|not-bridge|unknown)$/.exec(line.trim());
    if (match === null) continue;
    const reference = references[Number(match[1]) - 1];
    if (reference !== undefined) findings.push({ reference, status: match[2] as PreflightStatus });
  }
  return findings;
}

/** The message of a finding, naming the host: `on xen-test: /guest/vmlinuz does not exist`. */
export function preflightMessage(finding: PreflightFinding, hostLabel: string): string {
  const { reference, status } = finding;
  const what = reference.kind === 'file' ? reference.value : `${reference.kind === 'bridge' ? 'bridge' : 'network device'} ${reference.value}`;
  switch (status) {
    case 'missing':
      return `on ${hostLabel}: ${what} does not exist${reference.kind === 'file' && !reference.value.startsWith('/') ? " (a relative path: xl looks in its working folder, the config's folder on this machine and the login folder over ssh)" : ''}`;
    case 'not-bridge':
      return `on ${hostLabel}: ${reference.value} exists but is not a bridge`;
    case 'unreadable':
      return `on ${hostLabel}: could not check ${what} (the login user may not look into its folder)`;
    case 'unknown':
      return `on ${hostLabel}: could not check ${what} (no /sys/class/net there)`;
  }
}

/** Missing files and bridges make `xl create` fail; what could not be checked does not. */
export function isBlocking(finding: PreflightFinding): boolean {
  return finding.status === 'missing' || finding.status === 'not-bridge';
}

// --- internals ---

/**
 * Arguments come in pairs (kind, value); the program prints `<pair number> <status>` for each
 * that fails. Fixed text: the values reach it only as positional parameters.
 */
const PREFLIGHT_SCRIPT = [
  'i=0',
  'while [ "$#" -ge 2 ]; do',
  '  i=$((i + 1)); k=$1; v=$2; shift 2',
  '  case $k in',
  '    f) if [ ! -e "$v" ]; then d=$(dirname -- "$v"); if [ -d "$d" ] && [ ! -x "$d" ]; then echo "$i unreadable"; else echo "$i missing"; fi; fi ;;',
  '    b) if [ ! -d /sys/class/net ]; then echo "$i unknown"; elif [ ! -d "/sys/class/net/$v/bridge" ]; then if [ -e "/sys/class/net/$v" ]; then echo "$i not-bridge"; else echo "$i missing"; fi; fi ;;',
  '    n) if [ ! -d /sys/class/net ]; then echo "$i unknown"; elif [ ! -e "/sys/class/net/$v" ]; then echo "$i missing"; fi ;;',
  '  esac',
  'done',
].join('\n');

function isPlausiblePath(value: string): boolean {
  return value.length > 0 && value.length <= 4096 && !/[\0\n]/.test(value);
}

/** Deprecated target prefixes libxlu accepts before the target (`phy:`, `file:`, `tap:aio:`, ...). */
const DISK_PREFIX = /^(?:(?:tap2?|tapdisk|aio|phy|file|raw|qcow2?|vhd|qed):)+/;
const DISK_FLAGS = new Set(['cdrom', 'discard', 'no-discard', 'trusted', 'untrusted', 'direct-io-safe', 'colo']);

/** The target of a disk spec when it is a path on the host, else undefined. */
export function diskTarget(spec: string): string | undefined {
  let target: string | undefined;
  let positional = 0;
  let hasScript = false;
  let rest = spec;
  while (rest.length > 0) {
    const trimmed = rest.replace(/^[ \t]+/, '');
    // `target=` takes the rest of the spec, commas included.
    const targetKey = /^target=/.exec(trimmed);
    if (targetKey !== null) {
      target = trimmed.slice(targetKey[0].length);
      break;
    }
    const comma = trimmed.indexOf(',');
    const item = (comma < 0 ? trimmed : trimmed.slice(0, comma)).trim();
    rest = comma < 0 ? '' : trimmed.slice(comma + 1);
    const keyed = /^([a-z][a-z0-9_-]*)=(.*)$/.exec(item);
    if (keyed !== null) {
      if (keyed[1] === 'script') hasScript = true;
      continue;
    }
    if (DISK_FLAGS.has(item)) continue;
    positional++;
    if (positional === 1) target = item;
  }
  if (hasScript || target === undefined) return undefined;
  const path = target.replace(DISK_PREFIX, '').trim();
  // `rbd:pool/image`, `iscsi:...`, `nbd:...`: not a local path.
  if (path === '' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) return undefined;
  return isPlausiblePath(path) ? path : undefined;
}

/** The bridge of a vif spec (or, with an openvswitch script, the switch's device). */
export function vifBridge(spec: string): { kind: 'bridge' | 'netdev'; value: string } | undefined {
  let bridge: string | undefined;
  let script = '';
  for (const item of spec.split(',')) {
    const match = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(item);
    if (match === null) continue;
    if (match[1] === 'bridge') bridge = match[2];
    else if (match[1] === 'script') script = match[2];
  }
  if (bridge === undefined || bridge === '') return undefined;
  if (/openvswitch/.test(script)) {
    // `ovsbr0.10` or `ovsbr0:10:20` carry VLAN tags after the switch's name.
    const name = bridge.split(/[.:]/)[0];
    return isInterfaceName(name) ? { kind: 'netdev', value: name } : undefined;
  }
  return isInterfaceName(bridge) ? { kind: 'bridge', value: bridge } : undefined;
}

/** Linux interface names: 1-15 bytes, no `/`, no whitespace, not `.` or `..`. */
function isInterfaceName(name: string): boolean {
  return /^[^\s/:\0]{1,15}$/.test(name) && name !== '.' && name !== '..';
}

interface StringValue {
  value: string;
  line: number;
}

/**
 * A lenient reader of the xl.cfg statements that matter here: `KEY = "string"`,
 * `KEY = [ "a", "b" ]` and `KEY += [...]`, with comments and both quote kinds. Anything it does
 * not understand is skipped to the end of the statement; the language server reports syntax.
 */
function scanStringSettings(text: string): Map<string, StringValue[]> {
  const settings = new Map<string, StringValue[]>();
  let i = 0;
  let line = 0;
  const n = text.length;

  const skipBlank = (newlines: boolean): void => {
    while (i < n) {
      const c = text[i];
      if (c === '#') {
        while (i < n && text[i] !== '\n') i++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        i++;
      } else if (c === '\n' && newlines) {
        line++;
        i++;
      } else {
        return;
      }
    }
  };
  const readString = (): StringValue | undefined => {
    const quote = text[i];
    const startLine = line;
    i++;
    let value = '';
    while (i < n && text[i] !== quote) {
      if (text[i] === '\n') return undefined; // unterminated on its line, as libxlu sees it
      if (text[i] === '\\' && i + 1 < n) {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        i += 2;
        continue;
      }
      value += text[i++];
    }
    if (i >= n) return undefined;
    i++;
    return { value, line: startLine };
  };
  const skipStatement = (): void => {
    while (i < n && text[i] !== '\n' && text[i] !== ';') {
      if (text[i] === '"' || text[i] === "'") {
        if (readString() === undefined) return;
      } else i++;
    }
  };

  while (i < n) {
    skipBlank(true);
    if (i >= n) break;
    const key = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i, i + 200));
    if (key === null) {
      if (text[i] === ';') i++;
      else skipStatement();
      if (i < n && text[i] === ';') i++;
      continue;
    }
    i += key[0].length;
    skipBlank(false);
    let append = false;
    if (text.startsWith('+=', i)) {
      append = true;
      i += 2;
    } else if (text[i] === '=') {
      i++;
    } else {
      skipStatement();
      continue;
    }
    skipBlank(false);
    const values: StringValue[] = [];
    if (text[i] === '"' || text[i] === "'") {
      const value = readString();
      if (value !== undefined) values.push(value);
    } else if (text[i] === '[') {
      i++;
      while (i < n) {
        skipBlank(true);
        if (text[i] === ']') {
          i++;
          break;
        }
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '"' || text[i] === "'") {
          const value = readString();
          if (value === undefined) break;
          values.push(value);
          continue;
        }
        if (text[i] === '[') break; // nested lists name no paths we check
        // A number or a stray token.
        while (i < n && !/[\s,\]#]/.test(text[i])) i++;
      }
    }
    skipStatement();
    const name = key[0];
    settings.set(name, append ? [...(settings.get(name) ?? []), ...values] : values);
  }
  return settings;
}
