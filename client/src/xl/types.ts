// Plain data returned by the xl parsers and the shape of a command description. Nothing here
// spawns or parses; the tree and commands layers import these types only.

/**
 * A command for `runXl`: the arguments after `xl`, and how to read its stdout. Builders in
 * commands.ts return these without running anything.
 */
export interface XlCommand<T> {
  /** Arguments after the xl binary (the binary, sudo and ssh are added by the runner). */
  args: string[];
  parse(stdout: string): T;
  /** Loses guest state (e.g. `destroy`); the UI should confirm first. */
  destructive?: boolean;
  /** Human wording for logs and progress, e.g. `shut down domain "web01"`. */
  description: string;
  /**
   * Needs a terminal (`xl console`, `xl create -c`): run the argv from `buildTerminalArgv` in a
   * terminal; `runXl` refuses these.
   */
  interactive?: boolean;
  /**
   * Some xl commands exit 0 even when they failed (`pause`/`unpause`, `block-list` with a bad
   * domain; xl-commands.md §5, §7). Stderr matching this makes a zero exit a failure.
   */
  failureOnStderr?: RegExp;
  /**
   * Config text that xl should read instead of a file of the host (the editor's text). The
   * runner writes it to a private temporary file (on the dom0 for an ssh host), puts that file's
   * path where `args` holds CONFIG_TEXT_PATH, removes the file when the process ends, and
   * rewrites the temporary path to `label` in what xl printed.
   */
  configText?: ConfigText;
  /**
   * The program to run: `xl` (default); `sh` for the small read-only host checks of
   * preflight.ts, which run as the login user, never through sudo; or `xenstore-read`, which
   * needs root like xl and so goes through sudo by the same rule.
   */
  program?: 'xl' | 'sh' | 'xenstore-read';
  /** Working directory for a local run (xl resolves relative paths in a config against it). */
  cwd?: string;
}

/** The text of a config handed to xl through a temporary file; see XlCommand.configText. */
export interface ConfigText {
  text: string;
  /** How messages should name the file: the user's path of the config. */
  label: string;
}

/** Stands in `XlCommand.args` for the temporary file that carries `configText`. */
export const CONFIG_TEXT_PATH = '@xen-xl-config-text@';

/**
 * A domain's state for the UI, from the six `xl list` state flags. `idle` is xl's `------`:
 * runnable but not on a CPU at this instant, which a UI should present as running.
 */
export type DomainState = 'running' | 'blocked' | 'idle' | 'paused' | 'shutdown' | 'crashed' | 'dying';

/** Flag 5 of `xl list`: why a domain shut down (`-` when it has not). */
export type ShutdownReason = 'poweroff' | 'reboot' | 'suspend' | 'crash' | 'watchdog' | 'soft-reset' | 'unknown';

/** One row of `xl list`. */
export interface Domain {
  name: string;
  id: number;
  /** Current memory plus any outstanding claim, in MiB. */
  memoryMiB: number;
  /** Online vCPUs. */
  vcpus: number;
  state: DomainState;
  /** The six raw state characters, e.g. `-b----`. */
  flags: string;
  /** Set when flag 4 (`s`) is set. */
  shutdownReason?: ShutdownReason;
  cpuTimeSeconds: number;
}

/** `xl info`: the commonly used fields, typed, plus every line as text. */
export interface HostInfo {
  host?: string;
  release?: string;
  machine?: string;
  nrCpus?: number;
  nrNodes?: number;
  cpuMhz?: number;
  totalMemoryMiB?: number;
  freeMemoryMiB?: number;
  /** Built from xen_major, xen_minor and xen_extra, e.g. `4.17.3` (or xen_version if present). */
  xenVersion?: string;
  /** `virt_caps`, e.g. ['pv', 'hvm', 'hap']. */
  virtCaps: string[];
  /** `xen_caps`, e.g. ['xen-3.0-x86_64', 'hvm-3.0-x86_64']. */
  xenCaps: string[];
  xenScheduler?: string;
  xenCommandline?: string;
  /** Every `key : value` line in order of appearance (later duplicates win). */
  raw: Record<string, string>;
}

/** One row of `xl vcpu-list`. */
export interface Vcpu {
  domainName: string;
  domainId: number;
  vcpu: number;
  /** The physical CPU it is on; undefined when the vCPU is offline (`-`). */
  cpu?: number;
  /** `running` (r), `blocked` (b), `offline` (p: xl prints `--p` for offline vCPUs), else `runnable`. */
  state: 'running' | 'blocked' | 'runnable' | 'offline';
  /** The three raw state characters, e.g. `-b-`. */
  flags: string;
  cpuTimeSeconds: number;
  /** CPU sets as xl prints them: `all`, `none` or ranges such as `0-3,6`. */
  hardAffinity: string;
  softAffinity?: string;
}

/** One row of `xl uptime`. */
export interface DomainUptime {
  name: string;
  id: number;
  uptimeSeconds: number;
}

/** Xenbus states printed as numbers by network-list and block-list. */
export type XenbusState = 'unknown' | 'initialising' | 'init-wait' | 'initialised' | 'connected' | 'closing' | 'closed' | 'reconfiguring' | 'reconfigured';

/** One row of `xl network-list`. */
export interface NetworkInterface {
  index: number;
  backendDomid: number;
  mac: string;
  handle: number;
  state: number;
  stateName: XenbusState;
  eventChannel: number;
  txRingRef: number;
  rxRingRef: number;
  backendPath: string;
}

/** One row of `xl block-list`. */
export interface BlockDevice {
  /** xl prints the numeric virtual device id (51712 = xvda), not its name. */
  vdev: number;
  /** Decoded name (`xvda`, `hdc`, `sdb1`), when the number follows the Xen vbd scheme. */
  vdevName?: string;
  backendDomid: number;
  /** NOTE: xl prints the frontend domid in the `handle` column (xl-commands.md §7). */
  handle: number;
  state: number;
  stateName: XenbusState;
  eventChannel: number;
  ringRef: number;
  backendPath: string;
}

/** One disk of a domain configuration (libxl field names, see records.ts). */
export interface DiskRecord {
  target?: string;
  vdev?: string;
  backend?: string;
  format?: string;
  readwrite?: boolean;
  isCdrom?: boolean;
}

/** One network interface of a domain configuration. */
export interface NicRecord {
  devid?: number;
  mac?: string;
  bridge?: string;
  ip?: string;
  model?: string;
  type?: string;
  script?: string;
}

/** A libxl_domain_config as printed by `xl list -l` and `xl -N create`, reduced to what the UI uses. */
export interface DomainConfig {
  name: string;
  uuid?: string;
  /** `pv`, `pvh` or `hvm` (libxl enum names). */
  type?: string;
  maxVcpus?: number;
  maxMemKiB?: number;
  targetMemKiB?: number;
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  bootloader?: string;
  disks: DiskRecord[];
  nics: NicRecord[];
  onPoweroff?: string;
  onReboot?: string;
  onWatchdog?: string;
  onCrash?: string;
  onSoftReset?: string;
  /** The whole `config` object as xl printed it, for "show JSON" views. */
  raw: Record<string, unknown>;
}

/** One entry of `xl list -l`. */
export interface DomainDetails extends DomainConfig {
  domid: number;
}
