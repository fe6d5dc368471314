// The text of the config New Guest writes: laid out as the extension's formatter lays it out
// (one space around `=`, a list on one line up to 100 columns, else one item per line), grouped in
// commented sections, and free of diagnostics. Only checked values reach the text, and comments
// hold no user-given text but the guest's name (whose characters are restricted).

import {
  bridgeProblem,
  diskChoiceProblem,
  diskPath,
  diskTargetProblem,
  formatSize,
  guestNameProblem,
  macProblem,
  memoryProblem,
  vcpusProblem,
  vncAddress,
  vncDisplayProblem,
  vncPasswordProblem,
} from './allocate';
import { INSTALL_CD_VDEV, systemDiskVdev, VNC_LISTEN_ADDRESS, type DiskChoice, type NewGuestChoices } from './choices';

/** The formatter's default line width, beyond which a list goes one item per line. */
const MAX_LINE_LENGTH = 100;
const INDENT = '    ';

const NOTHING_TAKEN = { running: new Set<string>(), configs: new Set<string>() };
const NOTHING_KNOWN = { existing: new Set<string>(), inUse: new Set<string>() };

/**
 * Why `choices` cannot be written as a config, or undefined. It checks what the text needs (each
 * value writable, the parts consistent with the guest's kind), not what the host has: whether the
 * name, disk or display is taken is the wizard's check against its survey of the host.
 */
export function choicesProblem(choices: NewGuestChoices): string | undefined {
  const { kind } = choices;
  const problem =
    guestNameProblem(choices.name, NOTHING_TAKEN) ??
    memoryProblem(choices.memoryMiB) ??
    vcpusProblem(choices.vcpus) ??
    diskChoiceProblem(choices.disk, choices.name, NOTHING_KNOWN) ??
    installProblem(choices) ??
    (choices.network === undefined ? undefined : bridgeProblem(choices.network.bridge) ?? macProblem(choices.network.mac));
  if (problem !== undefined) return problem;
  if (choices.vnc !== undefined) {
    if (kind === 'pvh') return 'A PVH guest has no emulated screen, so it cannot have a VNC display. Use its text console.';
    const vncProblem = vncDisplayProblem(choices.vnc.display, new Set());
    if (vncProblem !== undefined) return vncProblem;
    if (choices.vnc.password !== undefined) return vncPasswordProblem(choices.vnc.password, kind);
  }
  return undefined;
}

function installProblem(choices: NewGuestChoices): string | undefined {
  const { install } = choices;
  if (choices.kind !== 'hvm') {
    return install === undefined ? undefined : 'Only an HVM guest boots an installer: a PV or PVH guest boots through pygrub from its own disk.';
  }
  if (install === undefined) return 'Choose how the HVM guest installs: from an ISO image or over the network.';
  if (install.kind === 'iso') return diskTargetProblem(install.path);
  if (choices.network === undefined) return 'A network install needs a network interface: choose a bridge, or install from an ISO image.';
  return undefined;
}

/**
 * The config for `choices`, ending in a newline. Throws an Error with the problem's message when
 * `choices` fails `choicesProblem`: the wizard checks each step, so that is a bug in the caller.
 */
export function guestConfigText(choices: NewGuestChoices): string {
  const problem = choicesProblem(choices);
  if (problem !== undefined) throw new Error(`New Guest cannot write this config: ${problem}`);
  const sections = [headerSection(choices), guestSection(choices), resourceSection(choices), diskSection(choices), networkSection(choices), screenSection(choices)];
  return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

function headerSection(choices: NewGuestChoices): string[] {
  const what =
    choices.kind === 'pv' ? 'A PV guest that boots through pygrub from its own disk'
    : choices.kind === 'pvh' ? 'A PVH guest that boots through pygrub from its own disk'
    : choices.install?.kind === 'network' ? 'An HVM guest that installs over the network (PXE)'
    : 'An HVM guest that installs from an ISO image';
  return [`# ${choices.name}`, `# ${what}, written by New Guest.`, '# It is an ordinary xl config: change what you like, the editor checks it as you type.'];
}

function guestSection(choices: NewGuestChoices): string[] {
  return ['# Guest', setting('name', quoted(choices.name)), setting('type', quoted(choices.kind))];
}

function resourceSection(choices: NewGuestChoices): string[] {
  return ['# Memory (in MiB) and virtual CPUs', setting('memory', String(choices.memoryMiB)), setting('vcpus', String(choices.vcpus))];
}

function diskSection(choices: NewGuestChoices): string[] {
  const vdev = systemDiskVdev(choices.kind);
  const lines = ['# Disks and boot', `# ${vdev} is the guest's own disk: ${describeDisk(choices.disk)}.`];
  const disks = [diskSpec(diskFormat(choices.disk), vdev, 'rw', diskPath(choices.disk, choices.name))];
  if (choices.kind !== 'hvm') {
    lines.push('# pygrub reads the boot menu from that disk, so it must hold an installed system with a GRUB');
    lines.push('# config before the guest can start.');
    lines.push(list('disk', disks.map(quoted)));
    lines.push(setting('bootloader', quoted('pygrub')));
    return lines;
  }
  if (choices.install?.kind === 'iso') {
    disks.push(`format=raw, vdev=${INSTALL_CD_VDEV}, access=ro, devtype=cdrom, target=${choices.install.path}`);
    lines.push(`# ${INSTALL_CD_VDEV} is a CD drive holding the installer; the firmware boots from it first (d), then from`);
    lines.push('# the disk (c). Once the system is installed, boot from the disk alone (boot = "c"): the Finish');
    lines.push('# Install command ejects the ISO and makes that change.');
    lines.push(list('disk', disks.map(quoted)));
    lines.push(setting('boot', quoted('dc')));
  } else {
    lines.push('# The firmware boots from the network (n) first, then from the disk (c). Once the system is');
    lines.push('# installed, boot from the disk alone: boot = "c".');
    lines.push(list('disk', disks.map(quoted)));
    lines.push(setting('boot', quoted('nc')));
  }
  return lines;
}

function networkSection(choices: NewGuestChoices): string[] {
  if (choices.network === undefined) return ['# Network: none. Add a vif line with a bridge to give the guest a network interface.'];
  const spec = `mac=${choices.network.mac.toLowerCase()}, bridge=${choices.network.bridge}`;
  return ['# Network: one interface on a bridge of the host, with a MAC address from Xen\'s range (00:16:3e).', list('vif', [quoted(spec)])];
}

function screenSection(choices: NewGuestChoices): string[] {
  const { vnc, kind } = choices;
  if (kind === 'pvh') return ['# Screen: a PVH guest has no emulated screen. Use its text console (xl console).'];
  if (vnc === undefined) {
    if (kind === 'pv') return ['# Screen: none. The text console (xl console) works without one.'];
    return ['# Screen: no VNC server. The serial port gives a text console (xl console).', setting('vnc', '0'), setting('serial', quoted('pty'))];
  }
  const lines = [
    `# Screen: VNC display ${vnc.display} at ${vncAddress(vnc.display)}, reachable from this host only. The graphical console`,
    '# connects to it (through SSH when the host is another machine).',
  ];
  if (vnc.password !== undefined) lines.push('# VNC clients must give the password below.');
  if (kind === 'pv') {
    const parts = ['vnc=1', `vnclisten=${VNC_LISTEN_ADDRESS}`, `vncdisplay=${vnc.display}`, 'vncunused=0'];
    if (vnc.password !== undefined) parts.push(`vncpasswd=${vnc.password}`);
    lines.push(list('vfb', [quoted(parts.join(', '))]));
    return lines;
  }
  lines.push(setting('vnc', '1'), setting('vnclisten', quoted(VNC_LISTEN_ADDRESS)), setting('vncdisplay', String(vnc.display)), setting('vncunused', '0'));
  if (vnc.password !== undefined) lines.push(setting('vncpasswd', quoted(vnc.password)));
  lines.push('# The serial port gives a text console as well (xl console).', setting('serial', quoted('pty')));
  return lines;
}

function describeDisk(disk: DiskChoice): string {
  switch (disk.kind) {
    case 'new-volume':
      return `a new logical volume of ${formatSize(disk.sizeBytes)}`;
    case 'existing-volume':
      return 'an existing logical volume';
    case 'new-image':
      return disk.format === 'qcow2' ? `a new qcow2 image of ${formatSize(disk.sizeBytes)}` : `a new sparse raw image of ${formatSize(disk.sizeBytes)}`;
  }
}

function diskFormat(disk: DiskChoice): 'raw' | 'qcow2' {
  return disk.kind === 'new-image' ? disk.format : 'raw';
}

/** A disk spec in key=value form; `target=` comes last because it takes the rest of the spec. */
function diskSpec(format: string, vdev: string, access: string, target: string): string {
  return `format=${format}, vdev=${vdev}, access=${access}, target=${target}`;
}

function setting(key: string, value: string): string {
  return `${key} = ${value}`;
}

/** A list as the formatter writes it: on one line when it fits, else one item per line with a trailing comma. */
function list(key: string, items: string[]): string {
  const inline = `${key} = [ ${items.join(', ')} ]`;
  if (inline.length <= MAX_LINE_LENGTH) return inline;
  return [`${key} = [`, ...items.map((item) => `${INDENT}${item},`), ']'].join('\n');
}

/** A double-quoted config string: libxlu reads `\\` and `\"` back as `\` and `"`. */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
