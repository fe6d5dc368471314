// Pure parsers for xl's table outputs (list, info, vcpu-list, uptime, network-list,
// block-list). They never throw anything but XlError('bad-output'); formats are those of
// tools/xl at Xen 4.17..4.23 as described in xl-commands.md.

import { badOutput } from './errors';
import type {
  BlockDevice,
  Domain,
  DomainState,
  DomainUptime,
  HostInfo,
  NetworkInterface,
  ShutdownReason,
  Vcpu,
  XenbusState,
} from './types';

export { parseListLong, parseDomainConfigJson } from './records';

/**
 * `xl list`. Names are unrestricted (spaces, unicode, longer than the 40-column field), so each
 * row is split from the right: the last five fields never contain whitespace.
 */
export function parseList(stdout: string): Domain[] {
  const lines = contentLines(stdout);
  if (lines.length === 0) return [];
  if (!isHeader(lines[0], 'Name', ['ID', 'Mem', 'VCPUs', 'State'])) {
    throw badOutput('xl list', 'the header line "Name ID Mem VCPUs State Time(s)" is missing', stdout);
  }
  const domains: Domain[] = [];
  for (const line of lines.slice(1)) {
    const row = splitFromRight(line, 5);
    const [id, memory, vcpus, flags, time] = row?.tail ?? [];
    if (
      !row ||
      row.head === '' ||
      !isUnsigned(id) ||
      !isUnsigned(memory) ||
      !isUnsigned(vcpus) ||
      !DOMAIN_FLAGS.test(flags) ||
      !isDecimal(time)
    ) {
      throw badOutput('xl list', `cannot read the row ${JSON.stringify(line)}`, stdout);
    }
    const domain: Domain = {
      name: row.head,
      id: Number(id),
      memoryMiB: Number(memory),
      vcpus: Number(vcpus),
      state: domainStateFromFlags(flags),
      flags,
      cpuTimeSeconds: Number(time),
    };
    if (flags[3] === 's') domain.shutdownReason = SHUTDOWN_REASONS[flags[4]] ?? 'unknown';
    domains.push(domain);
  }
  return domains;
}

/**
 * Maps the six `xl list` flags (r b p s <reason> d) to one state. The order encodes what a
 * user must know first: a dying or crashed domain matters more than whether it is paused.
 */
export function domainStateFromFlags(flags: string): DomainState {
  if (flags[5] === 'd') return 'dying';
  if (flags[4] === 'c') return 'crashed';
  if (flags[3] === 's') return 'shutdown';
  if (flags[2] === 'p') return 'paused';
  if (flags[0] === 'r') return 'running';
  if (flags[1] === 'b') return 'blocked';
  return 'idle';
}

/** `xl info`: `key<padding>: value` lines; values may contain colons (hw_caps). */
export function parseInfo(stdout: string): HostInfo {
  const raw: Record<string, string> = {};
  for (const line of contentLines(stdout)) {
    const match = INFO_LINE.exec(line);
    if (match) raw[match[1]] = (match[2] ?? '').trim();
    // Other lines belong to the `-n` topology tables; they are not key/value data.
  }
  if (raw.xen_major === undefined && raw.xen_version === undefined) {
    throw badOutput('xl info', 'no xen_major or xen_version line', stdout);
  }
  const info: HostInfo = {
    host: raw.host,
    release: raw.release,
    machine: raw.machine,
    nrCpus: optionalNumber(raw.nr_cpus),
    nrNodes: optionalNumber(raw.nr_nodes),
    cpuMhz: optionalNumber(raw.cpu_mhz),
    totalMemoryMiB: optionalNumber(raw.total_memory),
    freeMemoryMiB: optionalNumber(raw.free_memory),
    xenVersion: raw.xen_version ?? joinVersion(raw.xen_major, raw.xen_minor, raw.xen_extra),
    virtCaps: words(raw.virt_caps),
    xenCaps: words(raw.xen_caps),
    xenScheduler: raw.xen_scheduler,
    xenCommandline: raw.xen_commandline,
    raw,
  };
  return info;
}

/**
 * `xl vcpu-list`: `Name ID VCPU CPU State Time(s) Affinity (Hard / Soft)`. Offline vCPUs print
 * `-` for the CPU and `--p` for the state.
 */
export function parseVcpuList(stdout: string): Vcpu[] {
  const lines = contentLines(stdout);
  if (lines.length === 0) return [];
  if (!isHeader(lines[0], 'Name', ['ID', 'VCPU', 'CPU', 'State'])) {
    throw badOutput('xl vcpu-list', 'the header line "Name ID VCPU CPU State Time(s) Affinity" is missing', stdout);
  }
  const vcpus: Vcpu[] = [];
  for (const line of lines.slice(1)) {
    // With soft affinity (Xen >= 4.5) the tail is `... hard / soft`; without, just `hard`.
    const withSoft = splitFromRight(line, 8);
    const row = withSoft && withSoft.tail[6] === '/' ? withSoft : splitFromRight(line, 6);
    const tail = row?.tail ?? [];
    const [id, vcpu, cpu, flags, time, hard] = tail;
    const soft = tail.length === 8 ? tail[7] : undefined;
    if (
      !row ||
      row.head === '' ||
      !isUnsigned(id) ||
      !isUnsigned(vcpu) ||
      !(isUnsigned(cpu) || cpu === '-') ||
      !VCPU_FLAGS.test(flags) ||
      !isDecimal(time) ||
      hard === '/'
    ) {
      throw badOutput('xl vcpu-list', `cannot read the row ${JSON.stringify(line)}`, stdout);
    }
    const entry: Vcpu = {
      domainName: row.head,
      domainId: Number(id),
      vcpu: Number(vcpu),
      state: flags[2] === 'p' ? 'offline' : flags[0] === 'r' ? 'running' : flags[1] === 'b' ? 'blocked' : 'runnable',
      flags,
      cpuTimeSeconds: Number(time),
      hardAffinity: hard,
    };
    if (cpu !== '-') entry.cpu = Number(cpu);
    if (soft !== undefined) entry.softAffinity = soft;
    vcpus.push(entry);
  }
  return vcpus;
}

/** `xl uptime` (not `-s`): `Name ID Uptime` with uptime `H:MM:SS` or `N day(s), H:MM:SS`. */
export function parseUptime(stdout: string): DomainUptime[] {
  const lines = contentLines(stdout);
  if (lines.length === 0) return [];
  if (!isHeader(lines[0], 'Name', ['ID', 'Uptime'])) {
    throw badOutput('xl uptime', 'the header line "Name ID Uptime" is missing', stdout);
  }
  const result: DomainUptime[] = [];
  for (const line of lines.slice(1)) {
    const long = splitFromRight(line, 4);
    const hasDays = long !== undefined && isUnsigned(long.tail[1]) && /^days?,$/.test(long.tail[2]);
    const row = hasDays ? long : splitFromRight(line, 2);
    const tail = row?.tail ?? [];
    const id = tail[0];
    const clock = CLOCK.exec(tail[tail.length - 1] ?? '');
    if (!row || row.head === '' || !isUnsigned(id) || !clock) {
      throw badOutput('xl uptime', `cannot read the row ${JSON.stringify(line)}`, stdout);
    }
    const days = hasDays ? Number(tail[1]) : 0;
    result.push({
      name: row.head,
      id: Number(id),
      uptimeSeconds: days * 86400 + Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]),
    });
  }
  return result;
}

/** `xl network-list <domain>`: `Idx BE Mac Addr. handle state evt-ch tx-/rx-ring-ref BE-path`. */
export function parseNetworkList(stdout: string): NetworkInterface[] {
  const result: NetworkInterface[] = [];
  for (const line of contentLines(stdout)) {
    if (isHeader(line, 'Idx', ['BE', 'Mac'])) continue;
    const fields = line.trim().split(/\s+/);
    const [index, backend, mac, handle, state, eventChannel, rings, backendPath = ''] = fields;
    const ringMatch = /^(-?\d+)\/(-?\d+)$/.exec(rings ?? '');
    if (
      fields.length < 7 ||
      fields.length > 8 ||
      !isInteger(index) ||
      !isInteger(backend) ||
      !MAC.test(mac) ||
      !isInteger(handle) ||
      !isInteger(state) ||
      !isInteger(eventChannel) ||
      !ringMatch
    ) {
      throw badOutput('xl network-list', `cannot read the row ${JSON.stringify(line)}`, stdout);
    }
    result.push({
      index: Number(index),
      backendDomid: Number(backend),
      mac: mac.toLowerCase(),
      handle: Number(handle),
      state: Number(state),
      stateName: xenbusStateName(Number(state)),
      eventChannel: Number(eventChannel),
      txRingRef: Number(ringMatch[1]),
      rxRingRef: Number(ringMatch[2]),
      backendPath,
    });
  }
  return result;
}

/** `xl block-list <domain>`: `Vdev BE handle state evt-ch ring-ref BE-path`. */
export function parseBlockList(stdout: string): BlockDevice[] {
  const result: BlockDevice[] = [];
  for (const line of contentLines(stdout)) {
    if (isHeader(line, 'Vdev', ['BE', 'handle'])) continue;
    const fields = line.trim().split(/\s+/);
    const [vdev, backend, handle, state, eventChannel, ringRef, backendPath = ''] = fields;
    if (
      fields.length < 6 ||
      fields.length > 7 ||
      !isUnsigned(vdev) ||
      !isInteger(backend) ||
      !isInteger(handle) ||
      !isInteger(state) ||
      !isInteger(eventChannel) ||
      !isInteger(ringRef)
    ) {
      throw badOutput('xl block-list', `cannot read the row ${JSON.stringify(line)}`, stdout);
    }
    const device: BlockDevice = {
      vdev: Number(vdev),
      backendDomid: Number(backend),
      handle: Number(handle),
      state: Number(state),
      stateName: xenbusStateName(Number(state)),
      eventChannel: Number(eventChannel),
      ringRef: Number(ringRef),
      backendPath,
    };
    const name = decodeVdev(Number(vdev));
    if (name !== undefined) device.vdevName = name;
    result.push(device);
  }
  return result;
}

/**
 * Decodes a Xen virtual block device number into its Linux-style name, following the vbd
 * numbering scheme (docs/misc/vbd-interface.txt): xvd majors 202 and the extended 1<<28 form,
 * sd major 8, hd majors 3 and 22. Returns undefined for numbers outside the scheme.
 */
export function decodeVdev(vdev: number): string | undefined {
  if (!Number.isInteger(vdev) || vdev < 0) return undefined;
  if (vdev & (1 << 28)) {
    const disk = (vdev >> 8) & 0xfffff;
    return `xvd${diskLetters(disk)}${partition(vdev & 0xff)}`;
  }
  const major = vdev >> 8;
  const minor = vdev & 0xff;
  switch (major) {
    case 202:
      return `xvd${diskLetters(minor >> 4)}${partition(minor & 15)}`;
    case 8:
      return `sd${diskLetters(minor >> 4)}${partition(minor & 15)}`;
    case 3:
      return `hd${diskLetters(minor >> 6)}${partition(minor & 63)}`;
    case 22:
      return `hd${diskLetters(2 + (minor >> 6))}${partition(minor & 63)}`;
    default:
      return undefined;
  }
}

export function xenbusStateName(state: number): XenbusState {
  return XENBUS_STATES[state] ?? 'unknown';
}

// --- helpers ---

const DOMAIN_FLAGS = /^[r-][b-][p-][s-][-rscwS?][d-]$/;
const VCPU_FLAGS = /^[r-][b-][p-]$/;
const INFO_LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s+:(?: (.*)|)$/;
const CLOCK = /^(\d+):(\d\d):(\d\d)$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

const SHUTDOWN_REASONS: Record<string, ShutdownReason> = {
  '-': 'poweroff',
  r: 'reboot',
  s: 'suspend',
  c: 'crash',
  w: 'watchdog',
  S: 'soft-reset',
  '?': 'unknown',
};

const XENBUS_STATES: XenbusState[] = [
  'unknown',
  'initialising',
  'init-wait',
  'initialised',
  'connected',
  'closing',
  'closed',
  'reconfiguring',
  'reconfigured',
];

/** Non-blank lines without a trailing CR. */
function contentLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.trim().length > 0);
}

function isHeader(line: string, first: string, others: string[]): boolean {
  const words = line.trim().split(/\s+/);
  return words[0] === first && others.every((word) => words.includes(word));
}

/**
 * Splits off the last `count` whitespace-separated fields of a line; the rest (trailing
 * whitespace removed, inner whitespace kept) is the head. Linear time, so a hostile line
 * cannot cause regex backtracking.
 */
function splitFromRight(line: string, count: number): { head: string; tail: string[] } | undefined {
  const tail: string[] = [];
  let end = line.length;
  while (tail.length < count) {
    while (end > 0 && isSpace(line[end - 1])) end--;
    if (end === 0) return undefined;
    let start = end;
    while (start > 0 && !isSpace(line[start - 1])) start--;
    tail.unshift(line.slice(start, end));
    end = start;
  }
  let headEnd = end;
  while (headEnd > 0 && isSpace(line[headEnd - 1])) headEnd--;
  return { head: line.slice(0, headEnd), tail };
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\v' || char === '\f' || char === '\r';
}

function isUnsigned(text: string | undefined): text is string {
  return text !== undefined && /^\d{1,15}$/.test(text);
}

function isInteger(text: string | undefined): text is string {
  return text !== undefined && /^-?\d{1,15}$/.test(text);
}

function isDecimal(text: string | undefined): text is string {
  return text !== undefined && /^\d{1,15}(\.\d+)?$/.test(text);
}

function optionalNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function words(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(/\s+/).filter((word) => word.length > 0);
}

function joinVersion(major?: string, minor?: string, extra?: string): string | undefined {
  if (major === undefined) return undefined;
  // xen_extra already carries its leading dot or dash (".3", "-rc").
  return `${major}${minor === undefined ? '' : `.${minor}`}${extra ?? ''}`;
}

/** Bijective base-26 as Linux names disks: 0 → a, 25 → z, 26 → aa. */
function diskLetters(index: number): string {
  let name = '';
  let n = index + 1;
  while (n > 0) {
    n -= 1;
    name = String.fromCharCode(97 + (n % 26)) + name;
    n = Math.floor(n / 26);
  }
  return name;
}

function partition(number: number): string {
  return number === 0 ? '' : String(number);
}

/**
 * The two lines `xenstore-read` prints for `vnc-listen` and `vnc-port` (see vncEndpoint): an
 * address (the listen address may carry no port) and a TCP port number.
 */
export function parseVncEndpoint(stdout: string): { listen: string; port: number } {
  const lines = stdout.split('\n').map((line) => line.trim());
  const [listen, portText] = lines;
  const port = Number(portText);
  if (listen === undefined || listen === '' || !/^\d{1,5}$/.test(portText ?? '') || port < 1 || port > 65535) {
    throw badOutput('xenstore-read', 'expected a VNC listen address and a port, one per line', stdout);
  }
  return { listen, port };
}
