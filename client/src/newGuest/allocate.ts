// The values New Guest picks or checks for a new guest: its name, a MAC address, a VNC display,
// the path of its disk, sizes typed by the user, and the strings that end up inside the config.
// Each `...Problem` function returns the message to show (what is wrong and how to fix it), or
// undefined when the value is fine. Pure: every fact about the host comes in as a parameter.

import { formatSize } from '../xl/sizes';
import { VNC_LISTEN_ADDRESS, type DiskChoice, type GuestKind } from './choices';

/** Sizes read the same everywhere the client shows one (the xl layer's rule). */
export { formatSize };

export const MAX_GUEST_NAME_LENGTH = 64;

/** The control domain's name: it is always running, so no guest can take it. */
const CONTROL_DOMAIN = 'Domain-0';

/**
 * Logical volume names LVM refuses (lvm2 lib/misc/lvm-string.c): two reserved beginnings and the
 * suffixes of its internal component volumes anywhere in the name. The guest name also names its
 * new logical volume, so these are checked whatever disk the user picks later.
 */
const LVM_RESERVED_PREFIXES = ['snapshot', 'pvmove'];
const LVM_RESERVED_PARTS = ['_cdata', '_cmeta', '_corig', '_cpool', '_cvol', '_wcorig', '_mimage', '_mlog', '_rimage', '_rmeta', '_tdata', '_tmeta', '_vdata', '_imeta', '_iorig', '_pmspare', '_vorigin'];

/**
 * What the name is checked against: the guests xl lists now, and the names the workspace's configs
 * give their guests (the wizard adds the names of the config files in the target folder, without
 * `.cfg`, so the new file's name is free too).
 */
export interface TakenNames {
  running: ReadonlySet<string>;
  configs: ReadonlySet<string>;
}

/**
 * Why `name` cannot name a new guest, or undefined. The name becomes the domain's name, the config
 * file `<name>.cfg`, a logical volume or image file name and QEMU's `-name` argument, so only
 * letters, digits and `. _ + -` are allowed (what LVM accepts, and nothing a file name, a shell or
 * an option list reads specially).
 */
export function guestNameProblem(name: string, taken: TakenNames): string | undefined {
  if (name.length === 0) return 'Enter a name for the guest.';
  const bad = [...name].find((character) => !/^[A-Za-z0-9._+-]$/.test(character));
  if (bad !== undefined) {
    return `A guest name cannot contain ${describeCharacter(bad)}: use letters, digits and . _ + - only (the name also becomes the config file's name and the disk's name).`;
  }
  if (name.length > MAX_GUEST_NAME_LENGTH) return `The name is ${name.length} characters long: use at most ${MAX_GUEST_NAME_LENGTH}.`;
  if (name.startsWith('-')) return 'A guest name cannot start with "-": commands would read it as an option. Start it with a letter or a digit.';
  if (name.startsWith('.')) return 'A guest name cannot start with ".": its config file would be hidden. Start it with a letter or a digit.';
  if (/^[0-9]+$/.test(name)) return 'xl reads a name made only of digits as a domain number, so no command could find this guest by name. Add a letter.';
  if (name === CONTROL_DOMAIN) return `"${CONTROL_DOMAIN}" is the control domain's name. Choose another name.`;
  const prefix = LVM_RESERVED_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined) return `LVM reserves names that start with "${prefix}", and the name also names the guest's logical volume. Choose another name.`;
  const part = LVM_RESERVED_PARTS.find((reserved) => name.includes(reserved));
  if (part !== undefined) return `LVM reserves names that contain "${part}", and the name also names the guest's logical volume. Choose another name.`;
  if (taken.running.has(name)) return `A guest called "${name}" is running on this host. Choose another name.`;
  if (taken.configs.has(name)) return `A config in the workspace already uses the name "${name}". Choose another name.`;
  return undefined;
}

/** Xen's MAC prefix (its IEEE OUI). */
export const XEN_MAC_PREFIX = '00:16:3e';

/**
 * Addresses below 00:16:3e:80:00:00, the half of Xen's range that libxl itself draws from when a
 * vif has no MAC (it clears the top bit of the fourth byte).
 */
const XEN_MAC_COUNT = 0x800000;

/**
 * A random MAC address in Xen's range that is not in `used` (compared without regard to case).
 * `random` returns numbers in [0, 1), like Math.random. After a few draws that all hit used
 * addresses, the first free address after the last draw is taken, so a poor random source still
 * gets an unused address.
 */
export function freshXenMac(random: () => number, used: ReadonlySet<string>): string {
  const taken = new Set<string>();
  for (const mac of used) taken.add(mac.trim().toLowerCase());
  let suffix = 0;
  for (let draw = 0; draw < 32; draw++) {
    const value = random();
    suffix = Number.isFinite(value) ? Math.min(XEN_MAC_COUNT - 1, Math.max(0, Math.floor(value * XEN_MAC_COUNT))) : 0;
    const mac = xenMac(suffix);
    if (!taken.has(mac)) return mac;
  }
  for (let step = 1; step < XEN_MAC_COUNT; step++) {
    const mac = xenMac((suffix + step) % XEN_MAC_COUNT);
    if (!taken.has(mac)) return mac;
  }
  throw new Error(`Every MAC address from ${xenMac(0)} to ${xenMac(XEN_MAC_COUNT - 1)} is in use.`);
}

function xenMac(suffix: number): string {
  const byte = (shift: number) => ((suffix >> shift) & 0xff).toString(16).padStart(2, '0');
  return `${XEN_MAC_PREFIX}:${byte(16)}:${byte(8)}:${byte(0)}`;
}

/** Why `mac` cannot be written as the guest's MAC address, or undefined. */
export function macProblem(mac: string): string | undefined {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) return `"${mac}" is not a MAC address: write six pairs of hex digits separated by colons, for example ${XEN_MAC_PREFIX}:12:34:56.`;
  if (parseInt(mac.slice(0, 2), 16) & 1) return `${mac} is a multicast address, which no network interface can have. Use one from Xen's range, ${XEN_MAC_PREFIX}:xx:xx:xx.`;
  return undefined;
}

/** VNC display N listens on TCP port 5900 + N. */
export const VNC_BASE_PORT = 5900;
export const MAX_VNC_DISPLAY = 65535 - VNC_BASE_PORT;

/** The smallest display from 1 up that no config or running guest uses (0 is often taken by the host's own VNC server). */
export function nextVncDisplay(used: ReadonlySet<number>): number {
  let display = 1;
  while (used.has(display)) display++;
  return display;
}

/** Why `display` cannot be the guest's VNC display, or undefined. */
export function vncDisplayProblem(display: number, used: ReadonlySet<number>): string | undefined {
  if (!Number.isInteger(display) || display < 0 || display > MAX_VNC_DISPLAY) return `A VNC display is a whole number from 0 to ${MAX_VNC_DISPLAY} (display N listens on port ${VNC_BASE_PORT} + N).`;
  if (used.has(display)) return `VNC display ${display} (port ${VNC_BASE_PORT + display}) is used by another config or running guest. Choose another display.`;
  return undefined;
}

/**
 * Why `password` cannot be written into the config as the VNC password, or undefined. VNC
 * authentication reads only 8 bytes of it; a PV guest's password sits inside the `vfb` option list,
 * which xl splits at commas.
 */
export function vncPasswordProblem(password: string, kind: GuestKind): string | undefined {
  if (password.length === 0) return 'Enter a password, or choose to write none into the config.';
  // The message never names the character: no part of a password goes into a message.
  if ([...password].some((character) => character < ' ' || character > '~')) {
    return 'The VNC password can hold only letters, digits, spaces and ASCII punctuation: VNC clients send it as plain ASCII, and accents, other scripts and control characters do not survive that.';
  }
  if (password.length > VNC_PASSWORD_LENGTH) return `VNC authentication uses only the first ${VNC_PASSWORD_LENGTH} characters of a password, so any password starting with the same ${VNC_PASSWORD_LENGTH} would be accepted. Use at most ${VNC_PASSWORD_LENGTH} characters.`;
  if (kind === 'pv' && password.includes(',')) return 'A PV guest\'s VNC password is written inside the vfb option list, where a comma ends it. Use a password without commas.';
  return undefined;
}

/** The bytes of a VNC password that authentication reads (a DES key). */
export const VNC_PASSWORD_LENGTH = 8;

/**
 * Why `bridge` cannot be written as the guest's bridge, or undefined. A comma would end the value
 * inside the vif option list, and the name is handed to the hotplug script, so only the characters
 * bridges are normally named with pass.
 */
export function bridgeProblem(bridge: string): string | undefined {
  if (bridge.length === 0) return 'Choose a bridge for the network interface.';
  const bad = [...bridge].find((character) => !/^[A-Za-z0-9._+@-]$/.test(character));
  if (bad !== undefined) return `The bridge name "${bridge}" contains ${describeCharacter(bad)}, which New Guest cannot write into a vif line. Use a bridge named with letters, digits and . _ + - @ only.`;
  if (bridge.length > 15) return `"${bridge}" is longer than the 15 characters Linux allows for a network interface: it cannot be a bridge of this host.`;
  return undefined;
}

/** The absolute path of the guest's disk: `/dev/<vg>/<name>`, the chosen volume, or `<folder>/<name>.img|.qcow2`. */
export function diskPath(disk: DiskChoice, name: string): string {
  switch (disk.kind) {
    case 'new-volume':
      return `/dev/${disk.vg}/${name}`;
    case 'existing-volume':
      return disk.path;
    case 'new-image': {
      const folder = disk.folder.replace(/\/+$/, '');
      return `${folder}/${name}.${disk.format === 'qcow2' ? 'qcow2' : 'img'}`;
    }
  }
}

/**
 * Why `path` cannot be written as a disk's or CD's target in the config, or undefined. libxl hands
 * an HVM guest's disks to QEMU inside a comma-separated option list without escaping, so a path with
 * a comma cannot be used; control characters cannot be written on one config line.
 */
export function diskTargetProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return `"${path}" is not an absolute path: a disk's path must start with "/".`;
  if (path.endsWith('/')) return `"${path}" ends with "/", so it names a folder, not a disk or an image file.`;
  if (path.includes(',')) return `"${path}" contains a comma. libxl passes disk paths to QEMU in a comma-separated list without escaping them, so the guest could not use this disk. Rename the file or folder without commas.`;
  const bad = [...path].find((character) => character < ' ' || character === '\x7f');
  if (bad !== undefined) return `The path contains ${describeCharacter(bad)}, which cannot be written into a config line. Rename the file or folder.`;
  if (path.length > 4095) return 'The path is longer than Linux allows (4095 characters).';
  return undefined;
}

/** What the disk step is checked against: paths that exist on the host, and paths other configs or running guests use. */
export interface KnownDisks {
  existing: ReadonlySet<string>;
  inUse: ReadonlySet<string>;
}

/** Why `disk` cannot be the new guest's disk, or undefined: its path, its size, and what already exists. */
export function diskChoiceProblem(disk: DiskChoice, name: string, known: KnownDisks): string | undefined {
  if (disk.kind === 'new-volume') {
    if (!/^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/.test(disk.vg)) return `"${disk.vg}" is not the name of a volume group. Choose one of the host's volume groups.`;
  }
  if (disk.kind === 'new-image' && !disk.folder.startsWith('/')) return `"${disk.folder}" is not an absolute path: choose a folder on the host, starting with "/".`;
  const path = diskPath(disk, name);
  const targetProblem = diskTargetProblem(path);
  if (targetProblem !== undefined) return targetProblem;
  if (disk.kind === 'existing-volume') {
    if (known.inUse.has(path)) return `${path} is the disk of another config or a running guest. Choose a volume nothing uses, or create a new one.`;
    return undefined;
  }
  const sizeError = sizeProblem(disk.sizeBytes);
  if (sizeError !== undefined) return sizeError;
  if (known.existing.has(path)) {
    const what = disk.kind === 'new-volume' ? 'A logical volume' : 'A file';
    return `${what} ${path} exists already, and New Guest never overwrites one. Choose another ${disk.kind === 'new-volume' ? 'volume group or guest name, or pick it as an existing volume' : 'folder or guest name'}.`;
  }
  return undefined;
}

const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;
const TIB = GIB * 1024;
const PIB = TIB * 1024;

/** The largest disk New Guest creates; anything larger is a typing mistake. */
export const MAX_DISK_BYTES = PIB;

const UNITS: Readonly<Record<string, number>> = { b: 1, k: KIB, m: MIB, g: GIB, t: TIB, p: PIB };

/**
 * Bytes from a size as people type it: `20G`, `512 M`, `1.5T`, `20GiB`, `20gb`. Units are powers
 * of 1024 (as lvcreate reads them); a plain number is in `defaultUnit`. The result is rounded up to
 * a whole MiB, since disks are used in whole sectors and LVM in whole extents. A string is the
 * problem with the text.
 */
export function parseSize(text: string, defaultUnit: 'M' | 'G' = 'G'): number | string {
  const trimmed = text.trim();
  const example = defaultUnit === 'G' ? 'for example 20G or 512M' : 'for example 2048 or 2G';
  if (trimmed === '') return `Enter a size, ${example}.`;
  if (trimmed.startsWith('-')) return 'A size cannot be negative.';
  const match = /^(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)$/.exec(trimmed);
  if (match === null) return `"${trimmed}" is not a size: write a number and a unit, ${example}.`;
  const unit = match[2].toLowerCase();
  const multiplier = unit === '' ? UNITS[defaultUnit.toLowerCase()] : unitMultiplier(unit);
  if (multiplier === undefined) return `"${match[2]}" is not a size unit: use K, M, G or T (powers of 1024), ${example}.`;
  const bytes = Number(match[1]) * multiplier;
  if (bytes === 0) return 'The size must be more than zero.';
  if (!(bytes <= MAX_DISK_BYTES)) return `That is more than ${formatSize(MAX_DISK_BYTES)}: check the number and its unit.`;
  return Math.ceil(bytes / MIB) * MIB;
}

/** `k`, `kb`, `kib` and the like for K, M, G, T, P; `b` alone is bytes. */
function unitMultiplier(unit: string): number | undefined {
  const match = /^([kmgtp])(?:i?b)?$|^(b)$/.exec(unit);
  if (match === null) return undefined;
  return UNITS[match[1] ?? match[2]];
}

/** Why `bytes` cannot be a new disk's size, or undefined. */
export function sizeProblem(bytes: number): string | undefined {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) return 'The disk size must be a positive whole number of bytes.';
  if (bytes % MIB !== 0) return 'The disk size must be a whole number of MiB.';
  if (bytes > MAX_DISK_BYTES) return `The disk size is more than ${formatSize(MAX_DISK_BYTES)}.`;
  return undefined;
}

/** Memory in MiB from what the user typed: a plain number is MiB, `2G` and `512M` work too. */
export function parseMemoryMiB(text: string): number | string {
  const bytes = parseSize(text, 'M');
  if (typeof bytes === 'string') return bytes;
  return bytes / MIB;
}

/** The least memory New Guest writes; xl's own default for a config without `memory` is 32 MiB. */
export const MIN_MEMORY_MIB = 32;

/** Why `memoryMiB` cannot be the guest's memory, or undefined. The host's free memory is shown to the user, not enforced: xl can balloon dom0 down. */
export function memoryProblem(memoryMiB: number): string | undefined {
  if (!Number.isSafeInteger(memoryMiB)) return 'Memory must be a whole number of MiB.';
  if (memoryMiB < MIN_MEMORY_MIB) return `Give the guest at least ${MIN_MEMORY_MIB} MiB of memory.`;
  if (memoryMiB > MAX_DISK_BYTES / MIB) return 'That is more memory than any host has: check the number and its unit.';
  return undefined;
}

/** vCPUs from what the user typed, checked against the host's CPU count when it is known. */
export function parseVcpus(text: string, hostCpus?: number): number | string {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter the number of virtual CPUs as a whole number, for example 2.';
  const vcpus = Number(trimmed);
  return vcpusProblem(vcpus, hostCpus) ?? vcpus;
}

/** The most vCPUs libxl lets an HVM guest have (HVM_MAX_VCPUS); New Guest keeps every kind under it. */
export const MAX_VCPUS = 128;

/** Why `vcpus` cannot be the guest's vCPU count, or undefined. */
export function vcpusProblem(vcpus: number, hostCpus?: number): string | undefined {
  if (!Number.isSafeInteger(vcpus) || vcpus < 1) return 'A guest needs at least 1 virtual CPU.';
  if (hostCpus !== undefined && hostCpus > 0 && vcpus > hostCpus) return `The host has ${hostCpus} CPU${hostCpus === 1 ? '' : 's'}: more virtual CPUs than that only slow the guest down. Use at most ${hostCpus}.`;
  if (vcpus > MAX_VCPUS) return `Use at most ${MAX_VCPUS} virtual CPUs.`;
  return undefined;
}

/** A character named so that a message shows it even when it is invisible. */
function describeCharacter(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (character === '\n' || character === '\r') return 'a line break';
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return `"${character}"`;
}

/** The address the VNC server listens on, for texts that describe the screen. */
export function vncAddress(display: number): string {
  return `${VNC_LISTEN_ADDRESS}:${VNC_BASE_PORT + display}`;
}
