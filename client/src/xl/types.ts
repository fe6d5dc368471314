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
   * The program to run (see XlProgram): `xl` by default. Every program but `sh` needs root and
   * goes through sudo by the rule of xen.sudo; `sh` runs as the login user unless `privileged`.
   */
  program?: XlProgram;
  /**
   * Only for `sh`: the script changes the host as root (creates an image file, an autostart link),
   * so it goes through sudo by the same rule as xl. Without it `sh` never uses sudo. The other
   * programs ignore it.
   */
  privileged?: boolean;
  /** Working directory for a local run (xl resolves relative paths in a config against it). */
  cwd?: string;
}

/**
 * The programs the runner may start: `xl`; `sh` for scripts that are constant text in the source
 * (their data only ever comes as positional parameters); `xenstore-read`; the LVM tools; `xentop`
 * (the live figures, streamed). Closed,
 * so no caller can make the runner start anything else.
 */
export type XlProgram = 'xl' | 'sh' | 'xenstore-read' | 'vgs' | 'lvs' | 'lvcreate' | 'lvremove' | 'xentop';

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

// --- host facts for creating guests (hostTools.ts builds the commands, hostParsers.ts reads them) ---

/** One LVM volume group, sizes in bytes. */
export interface VolumeGroup {
  name: string;
  sizeBytes: number;
  freeBytes: number;
  /** A logical volume's size is a whole number of these. */
  extentBytes: number;
}

/** One LVM logical volume that has a device node (thin pools and other internal volumes have none). */
export interface LogicalVolume {
  name: string;
  vg: string;
  /** The device node, e.g. `/dev/vg0/web01`. */
  path: string;
  sizeBytes: number;
  /** False also when LVM could not tell (its attribute shows `X` without device-mapper). */
  active: boolean;
  /** Some process (a running guest's backend, a mount) holds it open. */
  open: boolean;
}

/** The ISO images found in the folders asked for. */
export interface IsoListing {
  /** Every folder asked for, in the order asked. */
  folders: { path: string; exists: boolean }[];
  /** Files named *.iso or *.ISO directly in those folders, sorted by path, at most ISO_LIMIT. */
  isos: { path: string; sizeBytes: number }[];
  /** Set when more ISOs were there than the listing keeps. */
  truncated?: boolean;
}

/** What a host offers for a new guest's network and disk. */
export interface HostToolFacts {
  /** Names of the host's bridges (interfaces with /sys/class/net/NAME/bridge). */
  bridges: string[];
  /** lvcreate and qemu-img found on the login user's PATH, or in /sbin or /usr/sbin. */
  tools: { lvm: boolean; qemuImg: boolean };
}

/** One entry of the autostart folder (`/etc/xen/auto`). */
export interface AutostartEntry {
  /** The entry's name inside the folder (not a path). */
  file: string;
  /** Where it points, when it is a symbolic link (as stored in the link, possibly relative). */
  target?: string;
}
