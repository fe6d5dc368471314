// Pure builders of xl invocations: each returns the argv after `xl` and the parser of its
// stdout, and runs nothing. Every domain name and path goes after `--`, so a name starting
// with `-` can never be read as an option.
//
// NOTE: `--` is safe for every command here: they all parse options with getopt_long through
// xl's SWITCH_FOREACH_OPT (tools/xl/xl_utils.h), which stops at `--` and leaves optind on the
// next argument, where each command reads its domain. `xl create` additionally treats any
// positional argument containing `=` as a config line, so the config file is passed with
// `-f FILE` (getopt takes the next argv element verbatim as the option's value). mem-set,
// vcpu-set, save, restore and migrate read their positional arguments the same way.

import { parseBlockList, parseInfo, parseList, parseNetworkList, parseUptime, parseVcpuList, parseVncEndpoint } from './parsers';
import { parseDomainConfigJson, parseListLong } from './records';
import { CONFIG_TEXT_PATH } from './types';
import type {
  BlockDevice,
  Domain,
  DomainConfig,
  DomainDetails,
  DomainUptime,
  HostInfo,
  NetworkInterface,
  Vcpu,
  XlCommand,
} from './types';

/**
 * A domain as xl accepts it: a domid (number) or a name. NOTE: xl reads an all-digit argument
 * as a domid, so a domain literally named "123" can only be addressed by its id.
 */
export type DomainRef = string | number;

export interface CreateOptions {
  /** `-c`: attach the console after creation; the command becomes interactive. */
  console?: boolean;
  /** Global `-N`: print the resulting config as JSON and create nothing. */
  dryRun?: boolean;
  /** `-p`: leave the domain paused. */
  paused?: boolean;
}

/** `xl list`: all domains with state flags and CPU time. */
export function list(): XlCommand<Domain[]> {
  return { args: ['list'], parse: parseList, description: 'list domains' };
}

/** `xl list -l [domain]`: stored configuration(s) as JSON. */
export function listLong(domain?: DomainRef): XlCommand<DomainDetails[]> {
  return {
    args: domain === undefined ? ['list', '-l'] : ['list', '-l', '--', domainArg(domain)],
    parse: parseListLong,
    description: domain === undefined ? 'read domain configurations' : `read the configuration of domain ${show(domain)}`,
  };
}

export function info(): XlCommand<HostInfo> {
  return { args: ['info'], parse: parseInfo, description: 'read host information' };
}

/** `xl vcpu-list [domain]`. */
export function vcpuList(domain?: DomainRef): XlCommand<Vcpu[]> {
  return {
    args: domain === undefined ? ['vcpu-list'] : ['vcpu-list', '--', domainArg(domain)],
    parse: parseVcpuList,
    description: domain === undefined ? 'list vCPUs' : `list the vCPUs of domain ${show(domain)}`,
  };
}

/** `xl uptime [domain]`. */
export function uptime(domain?: DomainRef): XlCommand<DomainUptime[]> {
  return {
    args: domain === undefined ? ['uptime'] : ['uptime', '--', domainArg(domain)],
    parse: parseUptime,
    description: domain === undefined ? 'read domain uptimes' : `read the uptime of domain ${show(domain)}`,
  };
}

export function networkList(domain: DomainRef): XlCommand<NetworkInterface[]> {
  return {
    args: ['network-list', '--', domainArg(domain)],
    parse: parseNetworkList,
    description: `list the network interfaces of domain ${show(domain)}`,
    // An unknown domain is reported on stderr without a failing exit status.
    failureOnStderr: /invalid domain identifier/,
  };
}

export function blockList(domain: DomainRef): XlCommand<BlockDevice[]> {
  return {
    args: ['block-list', '--', domainArg(domain)],
    parse: parseBlockList,
    description: `list the disks of domain ${show(domain)}`,
    failureOnStderr: /invalid domain identifier/,
  };
}

/**
 * `xl [-N] create [-p] [-c] -f FILE`. With `dryRun` the parse result is the
 * config xl would build; otherwise nothing useful is printed on stdout.
 */
export function create(file: string, options: CreateOptions & { dryRun: true }): XlCommand<DomainConfig>;
export function create(file: string, options?: CreateOptions): XlCommand<void>;
export function create(file: string, options: CreateOptions = {}): XlCommand<DomainConfig | void> {
  requireText(file, 'config file path');
  const args = [
    ...(options.dryRun ? ['-N'] : []),
    'create',
    ...(options.paused ? ['-p'] : []),
    ...(options.console ? ['-c'] : []),
    '-f',
    file,
  ];
  const command: XlCommand<DomainConfig | void> = {
    args,
    parse: options.dryRun ? parseDomainConfigJson : ignoreOutput,
    description: options.dryRun ? `check ${file} with xl create -N` : `create a domain from ${file}`,
  };
  if (options.console) command.interactive = true;
  return command;
}

/**
 * `xl create` (or `xl -N create` with `dryRun`) of config TEXT rather than a file of the host:
 * the runner hands the text to xl in a temporary file and names it `label` in xl's messages.
 * This is how the editor's text reaches a remote dom0, and how an unsaved buffer is checked.
 */
export function createFromText(text: string, label: string, options: CreateOptions & { dryRun: true }): XlCommand<DomainConfig>;
export function createFromText(text: string, label: string, options?: CreateOptions): XlCommand<void>;
export function createFromText(text: string, label: string, options: CreateOptions = {}): XlCommand<DomainConfig | void> {
  requireText(label, 'config label');
  if (text.includes('\0')) throw new RangeError('config text contains a NUL byte');
  const command = create(CONFIG_TEXT_PATH, options) as XlCommand<DomainConfig | void>;
  command.configText = { text, label };
  command.description = options.dryRun ? `check the editor's text of ${label} with xl create -N` : `create a domain from the editor's text of ${label}`;
  return command;
}

export interface ShutdownOptions {
  /** `-w`: return only when the domain has shut down. */
  wait?: boolean;
  /** `-F`: fall back to an ACPI power event when the guest has no PV drivers. */
  acpiFallback?: boolean;
}

/** `xl shutdown`: only a request; the guest may ignore it. */
export function shutdown(domain: DomainRef, options: ShutdownOptions = {}): XlCommand<void> {
  return lifecycle('shutdown', domain, options, `shut down domain ${show(domain)}`);
}

export function reboot(domain: DomainRef, options: ShutdownOptions = {}): XlCommand<void> {
  return lifecycle('reboot', domain, options, `reboot domain ${show(domain)}`);
}

/** `xl destroy`: pulls the plug immediately; unsaved guest state is lost. */
export function destroy(domain: DomainRef): XlCommand<void> {
  return {
    args: ['destroy', '--', domainArg(domain)],
    parse: ignoreOutput,
    description: `destroy domain ${show(domain)}`,
  };
}

/** `xl pause`: exits 0 even when it failed, so libxl error lines on stderr count as failure. */
export function pause(domain: DomainRef): XlCommand<void> {
  return {
    args: ['pause', '--', domainArg(domain)],
    parse: ignoreOutput,
    description: `pause domain ${show(domain)}`,
    failureOnStderr: /^libxl: error:/m,
  };
}

export function unpause(domain: DomainRef): XlCommand<void> {
  return {
    args: ['unpause', '--', domainArg(domain)],
    parse: ignoreOutput,
    description: `unpause domain ${show(domain)}`,
    failureOnStderr: /^libxl: error:/m,
  };
}

/** `xl console`: interactive; build its full argv with `buildTerminalArgv` and run it in a terminal. */
export function console(domain: DomainRef): XlCommand<void> {
  return {
    args: ['console', '--', domainArg(domain)],
    parse: ignoreOutput,
    description: `open the console of domain ${show(domain)}`,
    interactive: true,
  };
}

/** Where a running domain's VNC server listens, as its device model recorded it in xenstore. */
export interface VncEndpoint {
  /** The address as recorded (`0.0.0.0` and `::` mean every address of the host). */
  listen: string;
  port: number;
}

/**
 * `xenstore-read` of the two keys `xl vncviewer` reads: `/local/domain/<domid>/console/vnc-listen`
 * and `.../vnc-port`. Not an xl command, but it needs root in the same way, so it runs through
 * sudo by the same rule. Fails (exit 1) when either key is missing, e.g. a guest without VNC or a
 * device model that has not started yet.
 */
export function vncEndpoint(domid: number): XlCommand<VncEndpoint> {
  const base = `/local/domain/${domainArg(domid)}/console`;
  return {
    program: 'xenstore-read',
    args: ['--', `${base}/vnc-listen`, `${base}/vnc-port`],
    parse: parseVncEndpoint,
    description: `read the VNC address of domain ${domid} from xenstore`,
  };
}

/**
 * `xl cd-insert -- DOM VDEV PATH`: puts an image into a running HVM guest's CD drive (which must
 * exist, empty or not); libxl records it in the guest's stored configuration. xl builds a disk
 * spec of the form `vdev=VDEV,...,target=PATH`, so the drive's name must be a plain device name
 * (a comma would add spec keys); the path must be absolute (`target=` takes the rest of the spec
 * literally, and xl checks that the file exists).
 */
export function cdInsert(domain: DomainRef, vdev: string, path: string): XlCommand<void> {
  requireVdev(vdev);
  requireText(path, 'image path');
  if (!path.startsWith('/')) throw new RangeError(`image path must be absolute (start with /): ${JSON.stringify(path)}`);
  return {
    args: ['cd-insert', '--', domainArg(domain), vdev, path],
    parse: ignoreOutput,
    description: `insert ${path} into drive ${vdev} of domain ${show(domain)}`,
  };
}

/** `xl cd-eject -- DOM VDEV`: empties a running HVM guest's CD drive; the drive stays. */
export function cdEject(domain: DomainRef, vdev: string): XlCommand<void> {
  requireVdev(vdev);
  return {
    args: ['cd-eject', '--', domainArg(domain), vdev],
    parse: ignoreOutput,
    description: `eject the disc in drive ${vdev} of domain ${show(domain)}`,
  };
}

/** The most memory `memSet` accepts, in MiB (16 TiB; xl's own limit is far beyond any host). */
export const MEM_SET_LIMIT_MIB = 16 * 1024 * 1024;

/**
 * `xl mem-set -- DOM <N>m`: the guest's balloon target in MiB. libxl refuses a target above the
 * guest's maxmem; below what the guest uses, the guest's balloon driver gives memory back. A guest
 * without one keeps what it has and xl still exits 0, so a caller that wants to know must look at
 * `xl list` afterwards.
 */
export function memSet(domain: DomainRef, mib: number): XlCommand<void> {
  if (!Number.isSafeInteger(mib) || mib < 1 || mib > MEM_SET_LIMIT_MIB) throw new RangeError(`invalid memory size in MiB: ${String(mib)}`);
  return {
    args: ['mem-set', '--', domainArg(domain), `${mib}m`],
    parse: ignoreOutput,
    description: `set the memory of domain ${show(domain)} to ${mib} MiB`,
  };
}

/**
 * `xl vcpu-set -- DOM N`: how many vCPUs are online, at most the maximum the guest booted with.
 * Without `--ignore-host` xl refuses to go beyond the host's CPUs (when it would add vCPUs); that
 * check stays on.
 */
export function vcpuSet(domain: DomainRef, count: number): XlCommand<void> {
  if (!Number.isSafeInteger(count) || count < 1 || count > 0x7fffffff) throw new RangeError(`invalid vCPU count: ${String(count)}`);
  return {
    args: ['vcpu-set', '--', domainArg(domain), String(count)],
    parse: ignoreOutput,
    description: `set the vCPUs of domain ${show(domain)} to ${count}`,
  };
}

export interface SaveOptions {
  /** `-c`: write a checkpoint and let the guest run on (it pauses while its memory is written). */
  keepRunning?: boolean;
  /** `-p`: leave the guest paused after the save instead of destroying it. */
  paused?: boolean;
}

/**
 * `xl save [-c] [-p] -- DOM FILE`: the guest's memory and config into FILE (an absolute path of
 * the host). xl opens FILE with truncation, so a caller that must not overwrite checks first.
 * Without `keepRunning` or `paused` xl destroys the guest once the file is written.
 */
export function save(domain: DomainRef, file: string, options: SaveOptions = {}): XlCommand<void> {
  requireAbsolute(file, 'save file path');
  const stops = !options.keepRunning && !options.paused;
  return {
    args: ['save', ...(options.keepRunning ? ['-c'] : []), ...(options.paused ? ['-p'] : []), '--', domainArg(domain), file],
    parse: ignoreOutput,
    description: `save domain ${show(domain)} to ${file}${stops ? ' and stop it' : options.paused ? ' and leave it paused' : ''}`,
  };
}

/**
 * `xl restore [-p] -- FILE`: a guest from a save file (the config inside the file is used). Like
 * `xl create`, xl leaves a monitoring process behind for the guest.
 */
export function restore(file: string, options: { paused?: boolean } = {}): XlCommand<void> {
  requireAbsolute(file, 'save file path');
  return {
    args: ['restore', ...(options.paused ? ['-p'] : []), '--', file],
    parse: ignoreOutput,
    description: `restore a guest from ${file}`,
  };
}

/**
 * Why ADDRESS cannot be a migration target, or undefined when it can: `[user@]host` with the
 * host made of letters, digits, `.`, `-` and `_` (which covers IPv4 addresses), neither part
 * starting with `-` or `.`. NOTE: xl pastes the address into `exec ssh ADDRESS xl
 * migrate-receive` and hands that line to `sh -c` on the dom0 (tools/xl/xl_migrate.c), so
 * anything looser would be shell code run as root there.
 */
export function migrationAddressProblem(address: string): string | undefined {
  if (address.length === 0) return 'the address is empty';
  if (address.length > 255) return 'the address is longer than 255 characters';
  const at = address.indexOf('@');
  const user = at < 0 ? undefined : address.slice(0, at);
  const host = at < 0 ? address : address.slice(at + 1);
  const part = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
  if (user !== undefined && !part.test(user)) {
    return 'the user name may hold only letters, digits, ".", "-" and "_" (not first: "-" or ".")';
  }
  if (!part.test(host)) {
    return 'the host must be a name or an IPv4 address: letters, digits, ".", "-" and "_" (not first: "-" or "."), optionally after user@; IPv6 addresses and ssh options are not accepted';
  }
  return undefined;
}

/**
 * `xl migrate -- DOM ADDRESS`: live migration to the dom0 at ADDRESS, which xl reaches by running
 * `ssh ADDRESS xl migrate-receive` as root on the source (see migrationAddressProblem: ADDRESS is
 * checked here, a RangeError otherwise). xl's own ssh command is kept: a dom0's `ssh` may be
 * dropbear's, which knows few of OpenSSH's options, and without a terminal it cannot ask for a
 * password anyway. Disks are not copied: the target must reach them under the same paths.
 */
export function migrate(domain: DomainRef, address: string): XlCommand<void> {
  const problem = migrationAddressProblem(address);
  if (problem !== undefined) throw new RangeError(`invalid migration address ${JSON.stringify(address)}: ${problem}`);
  return {
    args: ['migrate', '--', domainArg(domain), address],
    parse: ignoreOutput,
    description: `migrate domain ${show(domain)} to ${address}`,
  };
}

// --- helpers ---

/** A virtual device name as xl writes them (`hdc`, `xvdb`, `sda1`, `d0p1`): letters first, then letters and digits. */
function requireVdev(vdev: string): void {
  if (!/^[a-z]+[a-z0-9]*$/.test(vdev) || vdev.length > 32) throw new RangeError(`invalid virtual device name: ${JSON.stringify(vdev)}`);
}

function lifecycle(verb: 'shutdown' | 'reboot', domain: DomainRef, options: ShutdownOptions, description: string): XlCommand<void> {
  return {
    args: [verb, ...(options.wait ? ['-w'] : []), ...(options.acpiFallback ? ['-F'] : []), '--', domainArg(domain)],
    parse: ignoreOutput,
    description,
  };
}

function domainArg(domain: DomainRef): string {
  if (typeof domain === 'number') {
    if (!Number.isSafeInteger(domain) || domain < 0) throw new RangeError(`invalid domain id: ${domain}`);
    return String(domain);
  }
  requireText(domain, 'domain name');
  return domain;
}

/** Empty strings and NUL bytes can never be valid xl arguments (argv strings end at NUL). */
function requireText(value: string, what: string): void {
  if (value.length === 0) throw new RangeError(`${what} is empty`);
  if (value.includes('\0')) throw new RangeError(`${what} contains a NUL byte`);
}

/** A path of the host as xl gets it: absolute, so it can never look like an option. */
function requireAbsolute(value: string, what: string): void {
  requireText(value, what);
  if (!value.startsWith('/')) throw new RangeError(`${what} must be absolute (start with /): ${JSON.stringify(value)}`);
}

function show(domain: DomainRef): string {
  return typeof domain === 'number' ? String(domain) : JSON.stringify(domain);
}

function ignoreOutput(): void {
  return undefined;
}
