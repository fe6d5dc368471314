// The Xen rig: a real Xen 4.17 hypervisor with a Debian PV dom0, booted under QEMU on this
// machine, reachable over ssh on 127.0.0.1. Built from Debian bookworm's own packages, fetched
// with `apt-get download` into a cache; nothing Xen-related is installed on the host.
//
// Facts this relies on (measured, see the project's xen-in-qemu notes, and TCG_CPU below for
// the CPU model, which differs from those notes); dom0 needs libgcc_s.so.1 (glibc dlopen()s it; without it `xl create` aborts) and /dev/stdin (Xen's
// hotplug locking); Debian's kernel has the Xen backends as modules.
//
// Every external step runs with a hard timeout. Steps that find the machine unable to run the
// rig throw RigSkip (the caller reports a visible skip); anything else throws a plain Error.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { CpioArchive } from './cpio.mjs';
import { VSCODE_DISK_DEVICE, VSCODE_MOUNT } from './vscodeDisk.mjs';

/**
 * The Xen versions the rig can boot (`XEN_TEST_VERSION`), each with the Debian release whose
 * packages it is built from and what differs between those releases' packages.
 *   - `ownLibraries`: every shared library dom0 gets comes from the release's packages, resolved
 *     by the release's own loader (4.20: trixie's glibc is newer than the host's); otherwise ldd
 *     on the host (4.17: the host is bookworm, so its libraries are bookworm's).
 *   - `privateApt`: the release's package lists live in the cache folder, with their own sources
 *     list; the host's apt configuration is neither read nor changed.
 */
const RIG_VERSIONS = {
  '4.17': { debian: 'Debian 12 (bookworm)', release: 'bookworm', ownLibraries: false, privateApt: false, libaio: 'libaio1', rtl8139Rom: '/usr/lib/ipxe/qemu/efi-rtl8139.rom', migrationMac: 'hmac-sha1' },
  // trixie's dropbear client has no hmac-sha1 any more (MIGRATION_SSH).
  '4.20': { debian: 'Debian 13 (trixie)', release: 'trixie', ownLibraries: true, privateApt: true, libaio: 'libaio1t64', rtl8139Rom: '/usr/share/qemu/efi-rtl8139.rom', migrationMac: 'hmac-sha2-256', deviceModelData: ['/usr/share/qemu/linuxboot_dma.bin'] },
};
function selectVersion(wanted) {
  const version = wanted === undefined || wanted === '' ? '4.17' : wanted;
  if (!Object.hasOwn(RIG_VERSIONS, version)) throw new Error(`XEN_TEST_VERSION=${wanted}: the rig boots Xen ${Object.keys(RIG_VERSIONS).join(' or ')}`);
  return version;
}
/** The Xen version this process's rig boots: `XEN_TEST_VERSION`, 4.17 by default. */
export const XEN_VERSION = selectVersion(process.env.XEN_TEST_VERSION);
/** What the rig of XEN_VERSION is built from (see RIG_VERSIONS). */
export const RIG_RELEASE = RIG_VERSIONS[XEN_VERSION];
/** Users in dom0 besides root (see buildDom0): what the sudo tests log in as. */
export const DOM0_USERS = {
  /** May run /usr/sbin/xl as root through sudo without a password. */
  sudoer: { name: 'xenadmin', uid: 1000 },
  /** Has no sudo rights at all. */
  plain: { name: 'xenuser', uid: 1001 },
  /** May run anything through sudo, but only after typing a password. */
  password: { name: 'xenpw', uid: 1002 },
};
/** The ssh Host alias that the generated ssh config defines. */
export const SSH_HOST = 'xen-test';
/** Where the guest kernel and initramfs are in dom0. */
export const GUEST_DIR = '/guest';
/** The guest kernel as Debian ships it (a bzImage) in GUEST_DIR, for HVM guests' direct kernel boot. */
export const GUEST_BZIMAGE = 'vmlinuz';
/** The volume group dom0's /init makes of the rig's second disk: guests' disks are its volumes. */
export const VOLUME_GROUP = 'xenvg';
/** That disk as dom0 sees it (virtio-blk), the only device LVM in dom0 looks at. */
export const VOLUME_GROUP_DISK = '/dev/vda';
/** Its size: a sparse file on the host, made for each run (so it costs no disk until written). */
export const VOLUME_GROUP_DISK_BYTES = 2 * 1024 ** 3;
/** The folder of installer ISOs in dom0: the first of the extension's default ISO folders. */
export const ISO_DIR = '/opt/isos';
/** The installer ISO in dom0 (see lib/installerIso.mjs). */
export const INSTALLER_ISO = `${ISO_DIR}/xenxl-installer.iso`;
/** Debian's folder for guests' image files: present and empty in dom0 (a default ISO folder too). */
export const IMAGES_DIR = '/var/lib/xen/images';
/** The LVM commands in dom0, each a link to the one `lvm` binary, which acts by the name it is called by. */
const LVM_COMMANDS = ['pvcreate', 'pvs', 'pvdisplay', 'vgcreate', 'vgchange', 'vgs', 'vgdisplay', 'lvcreate', 'lvremove', 'lvchange', 'lvs', 'lvdisplay', 'lvrename', 'lvextend'];

export class RigSkip extends Error {}

const started = Date.now();
export function log(message) {
  console.log(`[xen ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`);
}

// ---------------------------------------------------------------- processes

/** Runs a program to completion (blocking) with a hard timeout; throws with its stderr on failure. */
/** With `raw`, stdout is only returned as bytes (`stdoutBuffer`). */
export function run(command, args, { timeoutMs = 60_000, cwd, env, input, allowFail = false, maxBuffer = 64 << 20, raw = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: env ?? process.env,
    input,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer,
    encoding: 'buffer',
  });
  const stdout = raw ? '' : result.stdout?.toString('utf8') ?? '';
  const stderr = result.stderr?.toString('utf8') ?? '';
  const out = { status: result.status, signal: result.signal, stdout, stdoutBuffer: result.stdout, stderr, error: result.error };
  if (allowFail) return out;
  if (result.error?.code === 'ETIMEDOUT') throw new Error(`${command} ${args.join(' ')}: no result within ${timeoutMs / 1000} s`);
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${(stderr || stdout).trim().slice(-3000)}`);
  }
  return out;
}

/** Async variant for calls made while QEMU runs (keeps the event loop, and so Ctrl-C, alive). */
export function runAsync(command, args, { timeoutMs = 30_000, input, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr: stderr + String(error), timedOut });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

export function which(program) {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir === '') continue;
    const path = join(dir, program);
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- host tools

/**
 * Makes sure QEMU, the ssh client and the installer ISO's tool (xorriso) are on the host,
 * installing them with apt if needed.
 */
export function ensureHostTools() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new RigSkip(`the Xen rig needs an x86_64 Linux host (this is ${process.platform}/${process.arch})`);
  }
  for (const tool of ['apt-get', 'apt-cache', 'dpkg-deb', 'ldd', 'tar']) {
    if (!which(tool)) throw new RigSkip(`'${tool}' is missing: the Xen rig needs a Debian-family host (bookworm) with apt`);
  }
  const wanted = [
    ['qemu-system-x86_64', 'qemu-system-x86'],
    ['ssh', 'openssh-client'],
    ['ssh-keygen', 'openssh-client'],
    ['xorriso', 'xorriso'],
  ];
  const found = (tool) => (tool.startsWith('/') ? existsSync(tool) : which(tool) !== undefined);
  const missing = [...new Set(wanted.filter(([tool]) => !found(tool)).map(([, pkg]) => pkg))];
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      throw new RigSkip(`${missing.join(', ')} not installed, and installing needs root (run: apt-get install --no-install-recommends ${missing.join(' ')})`);
    }
    log(`installing on the host: ${missing.join(' ')}`);
    aptUpdate();
    const result = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=180', ...missing], {
      timeoutMs: 420_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      allowFail: true,
    });
    if (result.status !== 0) throw new RigSkip(`apt-get install ${missing.join(' ')} failed: ${lastLines(result.stderr || result.stdout)}`);
  }
  for (const [tool] of wanted) if (!found(tool)) throw new RigSkip(`'${tool}' is still missing after installing`);
}

let aptUpdated = false;
function aptUpdate() {
  if (aptUpdated) return;
  if (process.getuid?.() !== 0) throw new RigSkip('the apt package lists lack Xen 4.17 and `apt-get update` needs root');
  log('apt-get update');
  const result = run('apt-get', ['update', '-qq', '-o', 'DPkg::Lock::Timeout=180'], { timeoutMs: 240_000, allowFail: true });
  if (result.status !== 0) throw new RigSkip(`apt-get update failed: ${lastLines(result.stderr || result.stdout)}`);
  aptUpdated = true;
}

/** Which accelerator to use. KVM only when it can run ordinary guests (kvm_intel/kvm_amd). */
export function chooseAccelerator() {
  const hasKvmDevice = existsSync('/dev/kvm');
  const vendorModule = ['kvm_intel', 'kvm_amd'].find((m) => existsSync(`/sys/module/${m}`));
  if (hasKvmDevice && vendorModule && process.env.XEN_TEST_ACCEL !== 'tcg') return { accel: 'kvm', why: `/dev/kvm with ${vendorModule}` };
  const other = existsSync('/sys/module/kvm_pvm') ? 'kvm_pvm, which runs only PVM-enabled guest kernels' : 'no usable KVM';
  return { accel: 'tcg', why: hasKvmDevice ? `/dev/kvm is ${other}` : 'no /dev/kvm' };
}

// ---------------------------------------------------------------- packages

/** Debian packages for dom0 and the guest (the kernel package name is resolved at run time). */
function packageList(kernelPackage) {
  return [
    `xen-hypervisor-${XEN_VERSION}-amd64`,
    `xen-utils-${XEN_VERSION}`,
    'xen-utils-common',
    'xenstore-utils',
    `libxenmisc${XEN_VERSION}`,
    'libxencall1',
    'libxendevicemodel1',
    'libxenevtchn1',
    'libxenforeignmemory1',
    'libxengnttab1',
    'libxenhypfs1',
    'libxenstore4',
    'libxentoolcore1',
    'libxentoollog1',
    'libyajl2',
    kernelPackage,
    'busybox-static',
    'dropbear-bin',
    'libtomcrypt1',
    'libtommath1',
    'sudo',
    'libpam-modules',
    // The device model: QEMU built for Xen. It serves HVM guests (emulated PC, VGA, VNC) and the
    // PV framebuffer and keyboard backends (vfb/vkb with VNC). Its firmware and data files:
    'qemu-system-xen',
    'seabios',
    'qemu-system-data',
    // The option ROM of an HVM guest's default network card (rtl8139), which also network-boots.
    'ipxe-qemu',
    // LVM for the volume group that guests' disks are made in, and the libraries of its one
    // binary that a bare bookworm system lacks (the others are the host's, found by ldd).
    'lvm2',
    'libdevmapper1.02.1',
    'libdevmapper-event1.02.1',
    RIG_RELEASE.libaio,
    'libedit2',
    // With the release's own libraries (see RIG_VERSIONS): glibc and libgcc_s (which glibc
    // dlopen()s), and the tools the hotplug scripts run, which the 4.17 rig takes from the host.
    // The libraries all of these need are added by libraryClosure().
    ...(RIG_RELEASE.ownLibraries ? ['libc6', 'libgcc-s1', 'bash', 'util-linux', 'mount', 'coreutils'] : []),
  ];
}

/**
 * apt's options for the release's package lists: none for 4.17 (the host's own lists), else a
 * sources list, lists and cache of its own under `<cache>/xen-<version>/apt`, and no dpkg status
 * (candidates are the archive's, whatever the host has installed).
 */
function aptOptions(cacheDir) {
  if (!RIG_RELEASE.privateApt) return [];
  const dir = join(cacheDir, `xen-${XEN_VERSION}`, 'apt');
  const keyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
  const sources = join(dir, 'sources.list');
  const lines = [
    `deb [signed-by=${keyring}] http://deb.debian.org/debian ${RIG_RELEASE.release} main`,
    `deb [signed-by=${keyring}] http://deb.debian.org/debian ${RIG_RELEASE.release}-updates main`,
    `deb [signed-by=${keyring}] http://deb.debian.org/debian-security ${RIG_RELEASE.release}-security main`,
    '',
  ].join('\n');
  mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  if (!existsSync(sources) || readFileSync(sources, 'utf8') !== lines) writeFileSync(sources, lines);
  return [
    '-o', `Dir::Etc::SourceList=${sources}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(dir, 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', 'Dir::State::Status=/dev/null',
    '-o', 'APT::Architecture=amd64',
  ];
}

/** `apt-get update` of the release's own lists (privateApt); no root needed, nothing of the host's changes. */
function privateAptUpdate(apt) {
  if (!existsSync('/usr/share/keyrings/debian-archive-keyring.gpg')) throw new RigSkip(`no /usr/share/keyrings/debian-archive-keyring.gpg to check ${RIG_RELEASE.debian}'s archive with`);
  log(`apt-get update (${RIG_RELEASE.release}, the rig's own package lists)`);
  const result = run('apt-get', [...apt, 'update', '-qq'], { timeoutMs: 240_000, allowFail: true });
  if (result.status !== 0) throw new RigSkip(`apt-get update for ${RIG_RELEASE.release} failed: ${lastLines(result.stderr || result.stdout)}`);
}

/** The package names of a Depends field: the first of each set of alternatives, without versions or `:any`. */
function dependencyNames(field) {
  return field
    .split(',')
    .map((part) => part.split('|')[0].trim().split(/[\s(]/)[0].replace(/:any$/, ''))
    .filter(Boolean);
}

/**
 * Adds the library packages (lib*, zlib1g) that `records` depend on, recursively, when dom0 takes
 * its libraries from the release (ownLibraries). Only libraries are followed: python3, perl,
 * systemd and the like that some packages ask for are not what dom0's binaries load. Which
 * libraries a binary really loads is decided later by the loader; this only fetches enough.
 */
function libraryClosure(records, apt) {
  const known = new Map(records.map((r) => [r.pkg, r]));
  let frontier = records;
  while (frontier.length > 0) {
    const wanted = new Set();
    for (const r of frontier) {
      for (const dep of dependencyNames(`${r.depends}, ${r.preDepends ?? ''}`)) if (/^(lib|zlib1g$)/.test(dep) && !known.has(dep)) wanted.add(dep);
    }
    if (wanted.size === 0) break;
    // Virtual names (provided by another package) have no record of their own; a library the
    // loader misses later is reported then.
    frontier = candidates([...wanted], apt).filter((r) => !known.has(r.pkg) && r.arch !== undefined);
    for (const r of frontier) known.set(r.pkg, r);
  }
  return [...known.values()];
}

/** Candidate version records of packages from the apt lists (empty array if unknown). */
function candidates(packages, apt = []) {
  const result = run('apt-cache', [...apt, 'show', '--no-all-versions', ...packages], { timeoutMs: 60_000, allowFail: true });
  const records = [];
  for (const stanza of result.stdout.split(/\n\n+/)) {
    const field = (name) => new RegExp(`^${name}: (.*)$`, 'm').exec(stanza)?.[1]?.trim();
    const pkg = field('Package');
    if (pkg) records.push({ pkg, version: field('Version'), arch: field('Architecture'), depends: field('Depends') ?? '', preDepends: field('Pre-Depends') });
  }
  return records;
}

/**
 * Downloads (or finds in the cache) the candidate .deb of every package. Returns their paths.
 * Only the candidate versions are used, so stale files in the cache do no harm.
 */
export function fetchPackages(cacheDir) {
  // 4.17 keeps the cache's top folder; another version has a folder of its own in it.
  const debDir = RIG_RELEASE.privateApt ? join(cacheDir, `xen-${XEN_VERSION}`, 'debs') : join(cacheDir, 'debs');
  mkdirSync(debDir, { recursive: true });
  const apt = aptOptions(cacheDir);
  // One apt-cache call for everything but the kernel image, whose ABI name it tells us.
  const base = [...packageList(undefined).filter(Boolean), 'linux-image-amd64'];
  // The release's own lists are refreshed once a day (a point release removes old versions).
  const listsAge = RIG_RELEASE.privateApt ? listsAgeHours(apt) : 0;
  if (listsAge > 24) privateAptUpdate(apt);
  let records = candidates(base, apt);
  if (!records.some((r) => r.pkg === `xen-utils-${XEN_VERSION}`)) {
    if (RIG_RELEASE.privateApt) privateAptUpdate(apt);
    else aptUpdate();
    records = candidates(base, apt);
  }
  const kernelMeta = records.find((r) => r.pkg === 'linux-image-amd64');
  const kernelPackage = /linux-image-[0-9][^\s,(]*/.exec(kernelMeta?.depends ?? '')?.[0];
  if (!kernelPackage || !records.some((r) => r.pkg === `xen-utils-${XEN_VERSION}`)) {
    throw new RigSkip(`apt does not know linux-image-amd64 and xen-utils-${XEN_VERSION}: this is not Debian ${RIG_RELEASE.release} (or its package lists are missing)`);
  }
  records = [...records.filter((r) => r.pkg !== 'linux-image-amd64'), ...candidates([kernelPackage], apt)];
  if (RIG_RELEASE.ownLibraries) records = libraryClosure(records, apt);
  const packages = packageList(kernelPackage);
  const unknown = packages.filter((p) => !records.some((r) => r.pkg === p));
  if (unknown.length > 0) throw new RigSkip(`apt has no candidate for: ${unknown.join(' ')}`);
  const fileOf = (r) => join(debDir, `${r.pkg}_${r.version.replace(/:/g, '%3a')}_${r.arch}.deb`);
  const missing = records.filter((r) => !existsSync(fileOf(r)));
  if (missing.length > 0) {
    log(`apt-get download: ${missing.length} package(s) into ${debDir}`);
    const result = run('apt-get', [...apt, 'download', '-q', ...missing.map((r) => `${r.pkg}=${r.version}`)], {
      cwd: debDir,
      timeoutMs: 300_000,
      allowFail: true,
    });
    const still = missing.filter((r) => !existsSync(fileOf(r)));
    if (still.length > 0) {
      throw new RigSkip(`apt-get download failed for ${still.map((r) => r.pkg).join(' ')}: ${lastLines(result.stderr)}`);
    }
  } else {
    log(`all ${records.length} packages in the cache (${debDir})`);
  }
  return { debs: records.map(fileOf), kernelPackage, versions: Object.fromEntries(records.map((r) => [r.pkg, r.version])) };
}

/** Hours since the private lists were fetched (Infinity when they never were). */
function listsAgeHours(apt) {
  const lists = apt.find((a) => a.startsWith('Dir::State::Lists='))?.slice('Dir::State::Lists='.length) ?? '';
  const stamps = existsSync(lists) ? readdirSync(lists).filter((f) => f.endsWith('_InRelease')).map((f) => statSync(join(lists, f)).mtimeMs) : [];
  return stamps.length === 0 ? Infinity : (Date.now() - Math.min(...stamps)) / 3_600_000;
}

/** Kernel modules that dom0 loads (paths below lib/modules/<ver>/kernel, without .ko). */
const DOM0_MODULES = [
  'drivers/xen/xenfs/xenfs',
  'drivers/xen/xen-privcmd',
  'drivers/xen/xen-evtchn',
  'drivers/xen/xen-gntdev',
  'drivers/xen/xen-gntalloc',
  'drivers/block/xen-blkback/xen-blkback',
  'drivers/net/xen-netback/xen-netback',
  'drivers/virtio/virtio',
  'drivers/virtio/virtio_ring',
  'drivers/virtio/virtio_pci',
  'drivers/virtio/virtio_pci_modern_dev',
  'drivers/virtio/virtio_pci_legacy_dev',
  'drivers/net/virtio_net',
  'drivers/net/net_failover',
  'net/core/failover',
  'drivers/block/loop',
  'net/bridge/bridge',
  'net/802/stp',
  'net/llc/llc',
  // The rig's second disk (virtio-blk) and device-mapper, which LVM's volumes are made of.
  'drivers/block/virtio_blk',
  'drivers/md/dm-mod',
  // An HVM guest's emulated network card is a tap device the device model opens (/dev/net/tun).
  'drivers/net/tun',
  // The VS Code disk (lib/vscodeDisk.mjs), ext4 mounted read-only, when the run brings one.
  'fs/ext4/ext4',
  'fs/jbd2/jbd2',
  'fs/mbcache',
  'lib/crc16',
  'crypto/crc32c_generic',
];
/** The device model: Debian's libxl starts this path (from qemu-system-xen) for qemu-xen. */
export const DEVICE_MODEL = '/usr/libexec/xen-qemu-system-i386';
/** HVM's first firmware: libxl loads it into the guest, and it loads SeaBIOS. */
const HVMLOADER = `/usr/lib/xen-${XEN_VERSION}/boot/hvmloader`;
/**
 * The data files the device model opens; the rest of seabios and qemu-system-data (about 2 MB)
 * stays out of dom0. Found by starting guests without a file and reading the device model's log
 * (/var/log/xen/qemu-dm-<name>.log), which names what it could not open.
 */
const DEVICE_MODEL_DATA = [
  // SeaBIOS, which libxl hands to hvmloader (its path is built into libxl).
  '/usr/share/seabios/bios-256k.bin',
  // The option ROMs of the emulated VGA cards: cirrus (libxl's default; without it: `failed to
  // find romfile "vgabios-cirrus.bin"`) and stdvga (`vga = "stdvga"`).
  '/usr/share/seabios/vgabios-cirrus.bin',
  '/usr/share/seabios/vgabios-stdvga.bin',
  // The option ROM that boots an HVM guest's `kernel` directly (xenfv has no fw_cfg DMA, so not
  // linuxboot_dma.bin; without it: `Could not open option rom 'linuxboot.bin'`).
  '/usr/share/qemu/linuxboot.bin',
  // The VNC server's keysym-to-scancode map, en-us unless the config sets `keymap` (without it
  // every VNC guest fails: `could not read keymap file: 'en-us'`), and one other layout so that a
  // guest with a `keymap` can be tested. The other 36 layouts are left out.
  '/usr/share/qemu/keymaps/en-us',
  '/usr/share/qemu/keymaps/de',
  // The option ROM of the emulated network card an HVM guest's vif gets unless it names a
  // `model` (rtl8139; without it: `failed to find romfile "efi-rtl8139.rom"`, and xl create
  // fails). It is also what boots a guest from the network (`boot = "n"`). Its folder differs
  // between releases (RIG_VERSIONS).
  RIG_RELEASE.rtl8139Rom,
  // What a release's device model opens besides (trixie's QEMU 10 boots an HVM guest's `kernel`
  // with linuxboot_dma.bin: without it the guest never starts its kernel).
  ...(RIG_RELEASE.deviceModelData ?? []),
];

/** Loaded in this order by dom0's /init (modprobe resolves the rest from modules.dep). */
const DOM0_MODPROBE = ['xenfs', 'xen-evtchn', 'xen-gntdev', 'xen-gntalloc', 'xen-privcmd', 'virtio_pci', 'virtio_net', 'virtio_blk', 'dm-mod', 'xen-blkback', 'xen-netback', 'loop', 'bridge', 'tun'];

/** Unpacks the .debs into `x` (the kernel package only partly: it is ~430 MB unpacked). */
export function extractPackages(debs, x) {
  rmSync(x, { recursive: true, force: true });
  mkdirSync(x, { recursive: true });
  for (const deb of debs) {
    if (/\/linux-image-[^/]*\.deb$/.test(deb) && RIG_RELEASE.ownLibraries) {
      extractCompressedModules(deb, x);
    } else if (/\/linux-image-[^/]*\.deb$/.test(deb)) {
      const patterns = ['./boot/vmlinuz-*', ...DOM0_MODULES.map((m) => `./lib/modules/*/kernel/${m}.ko`)];
      run('sh', ['-c', 'deb=$1; dir=$2; shift 2; dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards "$@"', 'sh', deb, x, ...patterns], {
        timeoutMs: 120_000,
      });
    } else {
      run('dpkg-deb', ['-x', deb, x], { timeoutMs: 60_000 });
    }
  }
  const vmlinuz = readdirSync(join(x, 'boot')).filter((f) => f.startsWith('vmlinuz-')).sort();
  if (vmlinuz.length === 0) throw new Error('no vmlinuz in the kernel package');
  return { kernelVersion: vmlinuz[vmlinuz.length - 1].slice('vmlinuz-'.length) };
}

/** Where a release's kernel package keeps its modules: trixie's is below /usr, compressed with xz. */
const COMPRESSED_MODULES = 'usr/lib/modules';

/**
 * The kernel of a release whose modules are xz-compressed below /usr (trixie): the vmlinuz, and
 * DOM0_MODULES (found by file name: some moved or are built in) with every module they depend on
 * (the `depends=` of each module's .modinfo), decompressed, because busybox's modprobe may not
 * read .ko.xz. A module neither in the package nor in modules.builtin is an error.
 */
function extractCompressedModules(deb, x) {
  // The package's tar once, uncompressed (about 450 MB), next to `x`: listed, then read per pass.
  const tarFile = join(x, '..', 'kernel.tar');
  run('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" > "$2"', 'sh', deb, tarFile], { timeoutMs: 120_000 });
  const tarList = run('tar', ['-tf', tarFile], { timeoutMs: 60_000, maxBuffer: 64 << 20 }).stdout.split('\n');
  const moduleName = (path) => path.split('/').pop().replace(/\.ko(\.xz)?$/, '').replace(/-/g, '_');
  const byName = new Map(tarList.filter((p) => p.endsWith('.ko.xz') && p.includes(`${COMPRESSED_MODULES}/`)).map((p) => [moduleName(p), p]));
  const extract = (paths) => run('tar', ['-xf', tarFile, '-C', x, ...paths], { timeoutMs: 120_000 });
  extract([...tarList.filter((p) => /^\.\/boot\/vmlinuz-/.test(p) || /\/modules\.builtin$/.test(p))]);
  const builtinFile = tarList.find((p) => /\/modules\.builtin$/.test(p));
  const builtin = new Set(builtinFile ? readFileSync(join(x, builtinFile), 'utf8').split('\n').filter(Boolean).map(moduleName) : []);
  const chosen = new Map();
  let wanted = DOM0_MODULES.map(moduleName);
  while (wanted.length > 0) {
    const fresh = [...new Set(wanted)].filter((name) => !chosen.has(name) && !builtin.has(name));
    const missing = fresh.filter((name) => !byName.has(name));
    if (missing.length > 0) throw new Error(`the kernel package has no module ${missing.join(', ')} (neither a file nor built in)`);
    if (fresh.length === 0) break;
    extract(fresh.map((name) => byName.get(name)));
    wanted = [];
    for (const name of fresh) {
      const compressed = join(x, byName.get(name));
      const plain = compressed.replace(/\.xz$/, '');
      const data = run('xz', ['-dc', compressed], { timeoutMs: 60_000, raw: true, maxBuffer: 256 << 20 }).stdoutBuffer;
      writeFileSync(plain, data);
      rmSync(compressed);
      chosen.set(name, plain);
      const depends = /(?:^|\0)depends=([^\0]*)/.exec(data.toString('latin1'))?.[1] ?? '';
      wanted.push(...depends.split(',').filter(Boolean).map(moduleName));
    }
  }
  rmSync(tarFile, { force: true });
}

/** The modules extracted for dom0, as paths below `<modules>/<version>/kernel` without `.ko`. */
function extractedModules(x, kernelVersion) {
  if (!RIG_RELEASE.ownLibraries) return { base: join(x, 'lib/modules', kernelVersion), modules: DOM0_MODULES };
  const base = join(x, COMPRESSED_MODULES, kernelVersion);
  const modules = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}${entry.name}/`);
      else if (entry.name.endsWith('.ko')) modules.push(`${rel}${entry.name.slice(0, -3)}`);
    }
  };
  walk(join(base, 'kernel'), '');
  return { base, modules: modules.sort() };
}

function lastLines(text, n = 3) {
  return text.trim().split('\n').slice(-n).join(' | ') || '(no output)';
}

// ---------------------------------------------------------------- images

/**
 * Adds host or extracted binaries to the archive at their install path, with every shared library
 * that ldd finds (extracted packages first, then the host's bookworm libraries).
 */
function addWithLibraries(archive, x, files, libraryPath) {
  if (RIG_RELEASE.ownLibraries) return addWithOwnLibraries(archive, x, files, libraryPath);
  for (const file of files) {
    const inArchive = file.startsWith(x + '/') ? file.slice(x.length) : file;
    archive.file(inArchive, readFileSync(file), statSync(file).mode & 0o7777);
    const ldd = run('ldd', [file], { env: { ...process.env, LD_LIBRARY_PATH: libraryPath }, allowFail: true, timeoutMs: 20_000 });
    if (/not a dynamic executable|statically linked/.test(ldd.stdout + ldd.stderr)) continue;
    for (const line of ldd.stdout.split('\n')) {
      const notFound = /^\s*(\S+) => not found/.exec(line);
      if (notFound) throw new Error(`${file} needs ${notFound[1]}, which is neither in the packages nor on the host`);
      const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S*ld-linux\S*)/.exec(line);
      if (!match) continue;
      const library = match[1];
      const name = library.split('/').pop();
      const target = name.startsWith('ld-linux') ? `/lib64/${name}` : `/lib/x86_64-linux-gnu/${name}`;
      archive.file(target, readFileSync(realpathSync(library)), 0o755);
    }
  }
}

/** The release's own dynamic loader in the extracted tree (ownLibraries). */
function releaseLoader(x) {
  return join(x, 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
}

/**
 * addWithLibraries for a release newer than the host (ownLibraries): the release's loader lists
 * what each file loads (`ld.so --list`, its own search over `libraryPath`), and every library must
 * come from the extracted packages: one the loader found on the host (its default folders) is an
 * error, as is one it found nowhere. The loader goes to /lib64, where the binaries' PT_INTERP
 * points, whatever the host's is.
 */
function addWithOwnLibraries(archive, x, files, libraryPath) {
  const loader = releaseLoader(x);
  if (!existsSync(loader)) throw new Error(`no ${loader}: libc6 was not extracted`);
  archive.file('/lib64/ld-linux-x86-64.so.2', readFileSync(realpathSync(loader)), 0o755);
  for (const file of files) {
    const inArchive = file.startsWith(x + '/') ? file.slice(x.length) : file;
    archive.file(inArchive, readFileSync(file), statSync(file).mode & 0o7777);
    if (!readFileSync(file).subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) continue; // a script
    const listed = run(loader, ['--library-path', libraryPath, '--list', file], { allowFail: true, timeoutMs: 20_000 });
    if (/not a dynamic executable|statically linked/.test(listed.stdout + listed.stderr)) continue;
    if (listed.status !== 0) throw new Error(`${loader} --list ${file} exited ${listed.status}: ${(listed.stderr || listed.stdout).trim().slice(-1000)}`);
    for (const line of listed.stdout.split('\n')) {
      const notFound = /^\s*(\S+) => not found/.exec(line);
      if (notFound) throw new Error(`${file} needs ${notFound[1]}, which no fetched ${RIG_RELEASE.release} package has`);
      const match = /=>\s*(\/\S+)/.exec(line);
      if (!match) continue; // the loader itself, or the vDSO
      const library = match[1];
      if (!library.startsWith(x + '/')) throw new Error(`${file} needs ${library}, which the loader found on the host, not in the ${RIG_RELEASE.release} packages`);
      const name = library.split('/').pop();
      if (name.startsWith('ld-linux')) continue;
      archive.file(`/lib/x86_64-linux-gnu/${name}`, readFileSync(realpathSync(library)), 0o755);
    }
  }
}

/** The extracted busybox-static (/bin in bookworm, /usr/bin in trixie); static, so it runs on the host. */
function busyboxOf(x) {
  return existsSync(join(x, 'bin/busybox')) ? join(x, 'bin/busybox') : join(x, 'usr/bin/busybox');
}

/** busybox and a symlink for each of its applets. */
function addBusybox(archive, x) {
  archive.file('/bin/busybox', readFileSync(busyboxOf(x)), 0o755);
  const applets = run(busyboxOf(x), ['--list-full'], { timeoutMs: 10_000 }).stdout.split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'bin/busybox') archive.symlink(applet, '/bin/busybox');
}

function addSkeleton(archive) {
  for (const dir of ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'usr/lib', 'lib', 'lib64', 'etc', 'proc', 'sys', 'dev', 'run', 'var', 'var/log', 'var/lib', 'root']) {
    archive.dir(dir, dir === 'root' ? 0o700 : 0o755);
  }
  archive.dir('tmp', 0o1777);
  archive.charDevice('dev/console', 5, 1);
  archive.symlink('var/run', '/run');
  archive.symlink('var/lock', '/run/lock');
}

/** What a guest with a screen (`xenxl.screen`) writes on it, followed by ` tag=<xenxl.tag>`. */
export const VNC_GUEST_BANNER = 'XEN-XL-VNC-GUEST';

/** The guest's /init: marks its boot on the console, then hands over to busybox init. */
const GUEST_INIT = `#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
tag=$(tr ' ' '\\n' < /proc/cmdline | sed -n 's/^xenxl\\.tag=//p')
echo "XEN-XL-GUEST-UP tag=\${tag:-none} kernel=$(uname -r)"
# A guest that ignores shutdown requests (xenxl.ignoreshutdown on the kernel command line): the
# kernel's Xen driver answers \`xl shutdown\` by running /sbin/poweroff, and without it nothing
# happens, like a guest whose OS hangs at shutdown. \`xl destroy\` still ends it.
if grep -q xenxl.ignoreshutdown /proc/cmdline; then rm -f /sbin/poweroff; echo "XEN-XL-GUEST-IGNORES-SHUTDOWN"; fi
# A guest with a screen (xenxl.screen: a PV framebuffer, or an HVM guest's VGA): the screen shows
# tty1, so the banner goes there too, and a shell runs there (keys typed in a VNC viewer reach
# it); the console says when that shell starts. The cursor does not blink: the screen changes
# only when the guest writes to it.
if grep -q xenxl.screen /proc/cmdline; then
  [ -e /sys/class/graphics/fbcon/cursor_blink ] && echo 0 > /sys/class/graphics/fbcon/cursor_blink
  echo "${VNC_GUEST_BANNER} tag=\${tag:-none}" > /dev/tty1
  printf '#!/bin/sh\\necho "XEN-XL-SCREEN-SHELL tag=%s" > /dev/console\\nexec /bin/sh\\n' "\${tag:-none}" > /sbin/xenxl-screen-shell
  chmod 755 /sbin/xenxl-screen-shell
  echo "tty1::respawn:/sbin/xenxl-screen-shell" >> /etc/inittab
  echo "XEN-XL-GUEST-SCREEN tty1 $(cat /sys/class/graphics/fb0/virtual_size 2>/dev/null || echo text)"
fi
exec /sbin/init
`;
// `xl shutdown` writes control/shutdown in xenstore; the guest kernel's Xen driver reacts with an
// orderly poweroff, which runs /sbin/poweroff, which signals busybox init. Ctrl+Alt+Del on the
// guest's keyboard (a screen's VNC) makes the kernel signal init, which reboots, as a Linux does.
const GUEST_INITTAB = `::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/echo XEN-XL-GUEST-POWEROFF
`;

export function buildGuestInitrd(x) {
  const archive = new CpioArchive();
  addSkeleton(archive);
  addBusybox(archive, x);
  archive.file('init', GUEST_INIT, 0o755);
  archive.file('etc/inittab', GUEST_INITTAB);
  return archive.gzip();
}

/**
 * LVM in a dom0 without udev: LVM makes the device nodes and the /dev/<vg>/<lv> links itself
 * (udev_sync and udev_rules off), runs no daemons (lvmpolld, dmeventd monitoring, D-Bus), and
 * looks at the rig's disk only, never at guests' volumes, loop devices or anything a guest put on
 * its disk. Metadata backups stay on as on a Debian host (in /etc/lvm, in memory here): without
 * them every change would print a warning that a real host does not.
 */
const LVM_CONF = `devices {
	dir = "/dev"
	scan = [ "/dev" ]
	obtain_device_list_from_udev = 0
	external_device_info_source = "none"
	use_devicesfile = 0
	global_filter = [ "a|^${VOLUME_GROUP_DISK}$|", "r|.*|" ]
	multipath_component_detection = 0
	md_component_detection = 0
}
global {
	use_lvmpolld = 0
	event_activation = 0
	notify_dbus = 0
}
activation {
	udev_sync = 0
	udev_rules = 0
	verify_udev_operations = 0
	monitoring = 0
}
`;

/** dom0's /init: the essentials of Debian's xencommons in order, then ssh, then busybox init. */
const DOM0_INIT = `#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /run/lock /run/xen /run/xenstored /run/sudo /var/log/xen /var/lib/xen /var/lib/xenstored /var/lib/xen/save
# Save to File's default folder on a filesystem of its own: the initramfs root is one busybox df
# cannot place (so free-space checks would fail), and a bounded size lets a test fill it.
mount -t tmpfs -o size=256m,mode=0700 tmpfs /var/lib/xen/save
# devtmpfs has no /dev/fd or /dev/std*; Xen's hotplug locking stats /dev/stdin
ln -s /proc/self/fd /dev/fd
ln -s fd/0 /dev/stdin
ln -s fd/1 /dev/stdout
ln -s fd/2 /dev/stderr
hostname xen-dom0
echo "xen-xl-dom0: init at $(cut -d' ' -f1 /proc/uptime)s"
for m in ${DOM0_MODPROBE.join(' ')}; do modprobe "$m" || echo "xen-xl-dom0: modprobe $m failed"; done
# The second disk holds the volume group for guests' disks. A reboot (rig.reboot()) keeps the
# disk: then the group is there and only activated; on a run's first boot activating finds no
# group, and vgcreate makes one (and the physical volume under it). One LVM call either way.
echo "xen-xl-dom0: modules loaded at $(cut -d' ' -f1 /proc/uptime)s"
# The VS Code disk, when the run gives dom0 one (test/xen/lib/vscodeDisk.mjs).
if [ -b ${VSCODE_DISK_DEVICE} ]; then
  modprobe ext4 && mkdir -p ${VSCODE_MOUNT} && mount -t ext4 -o ro ${VSCODE_DISK_DEVICE} ${VSCODE_MOUNT} && echo "xen-xl-dom0: VS Code disk mounted at ${VSCODE_MOUNT}"
fi
if [ -b ${VOLUME_GROUP_DISK} ]; then
  if lvm vgchange -q -a y ${VOLUME_GROUP} >/dev/null 2>&1; then
    echo "xen-xl-dom0: volume group ${VOLUME_GROUP} activated at $(cut -d' ' -f1 /proc/uptime)s"
  else
    lvm vgcreate -q -y ${VOLUME_GROUP} ${VOLUME_GROUP_DISK} && echo "xen-xl-dom0: volume group ${VOLUME_GROUP} made on ${VOLUME_GROUP_DISK} at $(cut -d' ' -f1 /proc/uptime)s"
  fi
else
  echo "xen-xl-dom0: no ${VOLUME_GROUP_DISK}: no volume group"
fi
mount -t xenfs xenfs /proc/xen
grep -q control_d /proc/xen/capabilities || echo "xen-xl-dom0: not a control domain"
/usr/lib/xen-${XEN_VERSION}/bin/xenstored --pid-file /run/xenstored.pid
/usr/lib/xen-${XEN_VERSION}/bin/xen-init-dom0
/usr/lib/xen-${XEN_VERSION}/bin/xenconsoled --pid-file /run/xenconsoled.pid
ip link set lo up
ip link add xenbr0 type bridge && ip link set xenbr0 up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -s
echo "xen-xl-dom0: ready at $(cut -d' ' -f1 /proc/uptime)s"
exec /sbin/init
`;

/**
 * dom0's `ssh`, for `xl migrate` (which execs `ssh HOST xl migrate-receive` through a shell and
 * streams the guest over its stdin/stdout). Migrating to `localhost` is how one dom0 tests it:
 * dropbear's client with root's migration key (/root/.ssh/id_dropbear) and a known_hosts that
 * already holds dom0's host key, so nothing prompts and no warning lands in xl's stderr. HOME is
 * pinned because `sudo xl migrate` may keep the caller's HOME, where dbclient would look for both.
 * The cipher and MAC: under TCG the crypto is emulated and is what limits a migration; these two
 * move about 3.1 MB/s through dom0's loopback against 1.6 MB/s with dropbear's default
 * (chacha20-poly1305), measured with 32 MiB. Only PV-on-HVM guests can migrate here (see
 * test/fixtures/xl/README.md: Debian's hypervisor has no shadow paging, which PV guests need).
 */
const MIGRATION_SSH = `#!/bin/sh
HOME=/root exec /usr/bin/dbclient -c aes128-ctr -m ${RIG_RELEASE.migrationMac} -i /root/.ssh/id_dropbear "$@"
`;

/**
 * Builds dom0's initramfs: busybox, the Xen tools, dropbear, sudo, kernel modules, the guest
 * payload under /guest, users, and the run's public key. `migration` ({ key, publicKey,
 * hostPublicKey } from makeKeys) adds an ssh client and a key for localhost migration.
 */
export function buildDom0Initrd({ x, kernelVersion, publicKey, hostKey, migration, guestKernel, guestInitrd, guestBzImage, installerIso }) {
  const archive = new CpioArchive();
  addSkeleton(archive);
  addBusybox(archive, x);
  const libraryPath = [join(x, 'usr/lib/x86_64-linux-gnu'), join(x, 'lib/x86_64-linux-gnu'), join(x, 'usr/libexec/sudo')].join(':');
  const xenBin = join(x, `usr/lib/xen-${XEN_VERSION}/bin`);
  addWithLibraries(
    archive,
    x,
    [
      // xentop: the live figures (CPU, memory, I/O per guest) the Guests view and dashboard stream.
      ...['xl', 'xentop', 'xenstored', 'xenconsoled', 'xenconsole', 'xen-init-dom0', 'libxl-save-helper'].map((b) => join(xenBin, b)),
      join(x, 'usr/bin/xenstore'),
      join(x, 'usr/sbin/dropbear'),
      // dropbear's ssh client: `xl migrate` runs `ssh HOST xl migrate-receive` itself (see MIGRATION_SSH).
      join(x, 'usr/bin/dbclient'),
    ],
    libraryPath,
  );
  // Xen's hotplug scripts are bash and use util-linux flock/losetup and coreutils stat.
  // The 4.17 rig takes them from the host (bookworm), a newer release from its own packages.
  for (const host of ['/bin/bash', '/usr/bin/flock', '/usr/sbin/losetup', '/usr/bin/stat']) {
    if (RIG_RELEASE.ownLibraries) {
      const inRelease = [host, `/usr${host}`].find((path) => existsSync(join(x, path)));
      if (!inRelease) throw new Error(`no ${host} in the ${RIG_RELEASE.release} packages`);
      addWithLibraries(archive, x, [join(x, inRelease)], libraryPath);
      if (inRelease !== host) archive.symlink(host, inRelease);
      continue;
    }
    const real = realpathSync(host);
    addWithLibraries(archive, x, [real], libraryPath);
    if (real !== host) archive.symlink(host, real);
  }
  // glibc dlopen()s libgcc_s for pthread_cancel: without it xl create/shutdown abort at exit.
  const libgcc = RIG_RELEASE.ownLibraries ? join(x, 'usr/lib/x86_64-linux-gnu/libgcc_s.so.1') : '/lib/x86_64-linux-gnu/libgcc_s.so.1';
  archive.file('/lib/x86_64-linux-gnu/libgcc_s.so.1', readFileSync(realpathSync(libgcc)), 0o644);
  for (const name of ['ls', 'read', 'write', 'rm', 'list', 'exists', 'chmod', 'watch', 'control']) {
    archive.symlink(`/usr/bin/xenstore-${name}`, 'xenstore');
  }
  // Debian's wrapper: /usr/sbin/xl picks /usr/lib/xen-<major.minor>/bin/xl from sysfs.
  archive.file('/usr/lib/xen-common/bin/xen-utils-wrapper', readFileSync(join(x, 'usr/lib/xen-common/bin/xen-utils-wrapper')), 0o755);
  archive.symlink('/usr/sbin/xl', '/usr/lib/xen-common/bin/xen-utils-wrapper');
  archive.symlink('/usr/sbin/xentop', '/usr/lib/xen-common/bin/xen-utils-wrapper');
  archive.addTree(join(x, 'etc/xen'), 'etc/xen');

  // LVM: one binary that acts by the name it is called by, and its config for a dom0 without udev.
  const lvm = ['sbin/lvm', 'usr/sbin/lvm'].map((path) => join(x, path)).find((path) => existsSync(path));
  if (!lvm) throw new Error('no lvm binary in the lvm2 package');
  addWithLibraries(archive, x, [lvm], libraryPath);
  if (lvm !== join(x, 'sbin/lvm')) archive.symlink('/sbin/lvm', lvm.slice(x.length));
  for (const name of LVM_COMMANDS) archive.symlink(`/sbin/${name}`, 'lvm');
  archive.file('/etc/lvm/lvm.conf', LVM_CONF);
  // Installer media and images where a Debian dom0 keeps them (the extension's default folders).
  archive.dir(ISO_DIR, 0o755);
  if (installerIso) archive.file(INSTALLER_ISO, installerIso, 0o644);
  archive.dir(IMAGES_DIR, 0o755);

  // The device model (for HVM guests, and the vfb/vkb backends of PV guests) with its libraries
  // (the host's, brought by qemu-system-x86 from the same source package), hvmloader, and only
  // the data files it opens.
  addWithLibraries(archive, x, [join(x, DEVICE_MODEL.slice(1))], libraryPath);
  archive.file(HVMLOADER, readFileSync(join(x, HVMLOADER.slice(1))), 0o644);
  for (const file of DEVICE_MODEL_DATA) archive.file(file, readFileSync(join(x, file.slice(1))), 0o644);

  // sudo from Debian's package: setuid root, its plugins, and PAM that permits (NOPASSWD rules
  // skip authentication; account and session management still go through PAM).
  addWithLibraries(archive, x, [join(x, 'usr/bin/sudo')], libraryPath);
  archive.file('/usr/bin/sudo', readFileSync(join(x, 'usr/bin/sudo')), 0o4755);
  archive.addTree(join(x, 'usr/libexec/sudo'), 'usr/libexec/sudo');
  addWithLibraries(archive, x, [join(x, 'usr/libexec/sudo/sudoers.so')], libraryPath);
  const pamDir = existsSync(join(x, 'lib/x86_64-linux-gnu/security')) ? 'lib/x86_64-linux-gnu/security' : 'usr/lib/x86_64-linux-gnu/security';
  archive.file(`/${pamDir}/pam_permit.so`, readFileSync(join(x, pamDir, 'pam_permit.so')), 0o644);
  archive.file('/etc/pam.d/sudo', 'auth required pam_permit.so\naccount required pam_permit.so\nsession required pam_permit.so\n');
  archive.file('/etc/pam.d/other', 'auth required pam_permit.so\naccount required pam_permit.so\nsession required pam_permit.so\n');
  const { sudoer, plain, password } = DOM0_USERS;
  archive.file(
    '/etc/sudoers',
    [
      'Defaults env_reset',
      'Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
      'Defaults !syslog',
      // A log of every sudo call with the user who made it: the workbench suite tells its two ssh
      // aliases of this dom0 (root and xenadmin) apart by it.
      'Defaults logfile=/var/log/sudo.log',
      'Defaults loglinelen=0',
      'root ALL=(ALL:ALL) ALL',
      `${sudoer.name} ALL=(root) NOPASSWD: /usr/sbin/xl`,
      `${password.name} ALL=(ALL:ALL) ALL`,
      '',
    ].join('\n'),
    0o440,
  );

  // Accounts. Passwords are unusable (`*`); dropbear runs with -s (no password logins).
  const users = [sudoer, plain, password];
  archive.file('/etc/passwd', ['root:x:0:0:root:/root:/bin/sh', ...users.map((u) => `${u.name}:x:${u.uid}:${u.uid}::/home/${u.name}:/bin/sh`)].join('\n') + '\n');
  archive.file('/etc/group', ['root:x:0:', ...users.map((u) => `${u.name}:x:${u.uid}:`)].join('\n') + '\n');
  archive.file('/etc/shadow', ['root:*:19000:0:99999:7:::', ...users.map((u) => `${u.name}:*:19000:0:99999:7:::`)].join('\n') + '\n', 0o640);
  archive.file('/etc/shells', '/bin/sh\n/bin/bash\n');
  archive.file('/etc/hostname', 'xen-dom0\n');
  archive.file('/etc/hosts', '127.0.0.1 localhost\n127.0.1.1 xen-dom0\n');
  archive.file('/etc/nsswitch.conf', 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n');
  archive.dir('/root/.ssh', 0o700);
  // The migration key's public half lets dom0's root ssh to itself: `xl migrate GUEST localhost`.
  archive.file('/root/.ssh/authorized_keys', migration ? Buffer.concat([publicKey, Buffer.from(`\n${migration.publicKey}\n`)]) : publicKey, 0o600);
  if (migration) {
    archive.file('/root/.ssh/id_dropbear', migration.key, 0o600);
    // dom0's own host key under the names a migration may give it, so dbclient asks nothing.
    archive.file('/root/.ssh/known_hosts', ['localhost', '127.0.0.1', 'xen-dom0'].map((name) => `${name} ${migration.hostPublicKey}\n`).join(''), 0o644);
    archive.file('/usr/bin/ssh', MIGRATION_SSH, 0o755);
  }
  archive.dir('/home', 0o755);
  for (const user of users) {
    const owner = { uid: user.uid, gid: user.uid };
    archive.dir(`/home/${user.name}`, 0o700, owner);
    archive.dir(`/home/${user.name}/.ssh`, 0o700, owner);
    archive.file(`/home/${user.name}/.ssh/authorized_keys`, publicKey, 0o600, owner);
  }
  archive.dir('/etc/dropbear', 0o700);
  archive.file('/etc/dropbear/dropbear_ed25519_host_key', hostKey, 0o600);

  // Kernel modules and their dependency list (built by busybox depmod in a scratch tree).
  const moduleRoot = join(x, '..', 'modroot');
  rmSync(moduleRoot, { recursive: true, force: true });
  const moduleBase = `lib/modules/${kernelVersion}`;
  const extracted = extractedModules(x, kernelVersion);
  for (const m of extracted.modules) {
    const target = join(moduleRoot, moduleBase, 'kernel', `${m}.ko`);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(extracted.base, 'kernel', `${m}.ko`), target);
  }
  // A newer kernel has some of DOM0_MODPROBE built in (6.12: virtio_pci); with the list of
  // built-in modules, busybox modprobe takes them as loaded instead of failing.
  if (RIG_RELEASE.ownLibraries) copyFileSync(join(extracted.base, 'modules.builtin'), join(moduleRoot, moduleBase, 'modules.builtin'));
  run(busyboxOf(x), ['depmod', '-b', moduleRoot, kernelVersion], { timeoutMs: 30_000 });
  archive.addTree(join(moduleRoot, 'lib'), 'lib');

  archive.dir(GUEST_DIR, 0o755);
  archive.file(`${GUEST_DIR}/${guestKernel.name}`, guestKernel.data, 0o644);
  archive.file(`${GUEST_DIR}/initrd.gz`, guestInitrd, 0o644);
  // HVM guests boot the compressed kernel: QEMU's direct kernel boot wants a bzImage.
  if (guestBzImage) archive.file(`${GUEST_DIR}/${GUEST_BZIMAGE}`, guestBzImage, 0o644);
  archive.file('init', DOM0_INIT, 0o755);
  archive.file('etc/inittab', '::ctrlaltdel:/sbin/poweroff\n::shutdown:/bin/echo xen-xl-dom0: shutting down\n');
  return archive.gzip();
}

/**
 * The uncompressed ELF kernel inside a bzImage, or undefined if it cannot be found. Under TCG,
 * `xl create` spends most of its time decompressing the guest kernel in emulated dom0 (~17 s
 * against ~5 s for the ELF, measured), so guests boot the ELF. Tries each known compression
 * magic in file order; xz/zstd through the host tools (`--single-stream` ignores the tail).
 */
export function extractVmlinux(bzImage) {
  const magics = [
    { name: 'gzip', bytes: Buffer.from([0x1f, 0x8b, 0x08]), command: ['gzip', ['-dc']] },
    { name: 'xz', bytes: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), command: ['xz', ['-dc', '--single-stream']] },
    { name: 'zstd', bytes: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), command: ['zstd', ['-dcq']] },
  ];
  const found = magics.map((m) => ({ ...m, at: bzImage.indexOf(m.bytes) })).filter((m) => m.at >= 0).sort((a, b) => a.at - b.at);
  for (const m of found) {
    if (!which(m.command[0])) continue;
    const result = run(m.command[0], m.command[1], { input: bzImage.subarray(m.at), allowFail: true, timeoutMs: 60_000, maxBuffer: 512 << 20, raw: true });
    const out = result.stdoutBuffer ?? Buffer.alloc(0);
    if (out.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return { elf: out, compression: m.name };
  }
  return undefined;
}

/** Generates the run's client key (ssh-keygen) and dom0's host key (dropbearkey from the package). */
export function makeKeys(work, x) {
  const key = join(work, 'id_ed25519');
  rmSync(key, { force: true });
  rmSync(`${key}.pub`, { force: true });
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'xen-xl-test-throwaway', '-f', key], { timeoutMs: 20_000 });
  const hostKeyFile = join(work, 'dropbear_host_key');
  rmSync(hostKeyFile, { force: true });
  // A newer release's dropbearkey needs its own glibc: it runs through that release's loader.
  const dropbearkey = (args, options) =>
    RIG_RELEASE.ownLibraries
      ? run(releaseLoader(x), ['--library-path', join(x, 'usr/lib/x86_64-linux-gnu'), join(x, 'usr/bin/dropbearkey'), ...args], { timeoutMs: 20_000 })
      : run(join(x, 'usr/bin/dropbearkey'), args, options);
  dropbearkey(['-t', 'ed25519', '-f', hostKeyFile], {
    env: { ...process.env, LD_LIBRARY_PATH: join(x, 'usr/lib/x86_64-linux-gnu') },
    timeoutMs: 20_000,
  });
  // dom0 root's own client key (dropbear's format, for dbclient), used by `xl migrate GUEST localhost`.
  const migrationKeyFile = join(work, 'dropbear_migration_key');
  rmSync(migrationKeyFile, { force: true });
  const dropbearEnv = { ...process.env, LD_LIBRARY_PATH: join(x, 'usr/lib/x86_64-linux-gnu') };
  dropbearkey(['-t', 'ed25519', '-f', migrationKeyFile], { env: dropbearEnv, timeoutMs: 20_000 });
  const publicLine = (file) => {
    const out = dropbearkey(['-y', '-f', file], { env: dropbearEnv, timeoutMs: 20_000 }).stdout;
    const line = out.split('\n').find((l) => l.startsWith('ssh-ed25519 '));
    if (!line) throw new Error(`dropbearkey -y printed no public key for ${file}`);
    // Type and key only: the comment dropbearkey adds names this machine's user and host.
    return line.split(' ').slice(0, 2).join(' ');
  };
  const migration = { key: readFileSync(migrationKeyFile), publicKey: `${publicLine(migrationKeyFile)} xen-xl-dom0-migration`, hostPublicKey: publicLine(hostKeyFile) };
  return { key, publicKey: readFileSync(`${key}.pub`), hostKey: readFileSync(hostKeyFile), migration };
}

/** Writes the ssh config (Host alias) and a wrapper that runs `ssh -F <config>`. */
export function writeSshConfig(work, { port, key }) {
  const config = join(work, 'ssh_config');
  writeFileSync(
    config,
    [
      `Host ${SSH_HOST}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile "${key}"`,
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '  GlobalKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '  ConnectTimeout 10',
      '  ServerAliveInterval 5',
      '  ServerAliveCountMax 6',
      '',
    ].join('\n'),
  );
  const wrapper = join(work, 'ssh');
  writeFileSync(wrapper, `#!/bin/sh\n# ssh with the Xen rig's config (Host ${SSH_HOST})\nexec ssh -F ${shellQuote(config)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { config, wrapper };
}

export function shellQuote(word) {
  return /^[A-Za-z0-9_/.,:@+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- QEMU

/**
 * The TCG CPU model: qemu64 plus AMD SVM with nested paging, so Xen offers PV, PVH and HVM
 * (`virt_caps: pv hvm hap`). Measured here: with `max,-smap,-rdtscp` (SMAP crashes dom0 at once,
 * RDTSCP kills PVH guests) dom0 boots, but once guests run, dom0 user space crashes at random
 * (segfaults in busybox/xl/ld.so, malloc and ld.so assertions: 3 to 11 of 45 ssh calls; also with
 * -fsgsbase, -pcid/-invpcid, or single-threaded TCG). qemu64,+svm,+npt: 0 of 145, and `xl create`
 * and ssh calls are 3-5x faster (fewer features for TCG to emulate).
 */
export const TCG_CPU = 'qemu64,+svm,+npt';

/** Makes the volume group's disk: a sparse file of VOLUME_GROUP_DISK_BYTES (replacing one from before). */
export function makeVolumeGroupDisk(path) {
  rmSync(path, { force: true });
  const fd = openSync(path, 'wx', 0o600);
  try {
    ftruncateSync(fd, VOLUME_GROUP_DISK_BYTES);
  } finally {
    closeSync(fd);
  }
  return path;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts QEMU (in our process group, so Ctrl-C and `timeout` reach it too). Xen's console is
 * com1, written to serial.log together with dom0's hvc0. `disk`: a raw image file that dom0
 * sees as /dev/vda.
 */
export function startQemu({ work, xen, dom0Kernel, dom0Initrd, port, accel, disk, vscodeDisk, memoryMiB = 2048, dom0MemMiB = 768, cpus = 2 }) {
  const serialLog = join(work, 'serial.log');
  rmSync(serialLog, { force: true });
  const accelArgs = accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', process.env.XEN_TEST_TCG ?? 'tcg,thread=multi', '-cpu', process.env.XEN_TEST_CPU ?? TCG_CPU];
  const args = [
    ...accelArgs,
    '-machine', 'pc',
    '-m', String(memoryMiB),
    '-smp', String(cpus),
    '-kernel', xen,
    '-append', `console=com1 com1=115200,8n1 dom0_mem=${dom0MemMiB}M,max:${dom0MemMiB}M dom0_max_vcpus=${cpus} loglvl=all guest_loglvl=all bootscrub=0 noreboot`,
    // Multiboot modules, separated by `,` (a literal comma would be `,,`): dom0 kernel + its command line, then its initramfs.
    '-initrd', `${dom0Kernel.replace(/,/g, ',,')} console=hvc0 earlyprintk=xen nomodeset,${dom0Initrd.replace(/,/g, ',,')}`,
    '-netdev', `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:22`,
    '-device', 'virtio-net-pci,netdev=n0',
    // dom0's second disk (/dev/vda), for its volume group. Written through the host's page cache
    // without flushing (cache=unsafe): the file lives only as long as the run.
    ...(disk ? ['-drive', `file=${disk.replace(/,/g, ',,')},format=raw,if=none,id=vgdisk,cache=unsafe`, '-device', 'virtio-blk-pci,drive=vgdisk'] : []),
    // The VS Code disk (/dev/vdb, read-only): code-server and the packaged extension for dom0.
    ...(vscodeDisk ? ['-drive', `file=${vscodeDisk.replace(/,/g, ',,')},format=raw,if=none,id=vscode,readonly=on`, '-device', 'virtio-blk-pci,drive=vscode'] : []),
    '-display', 'none', '-vga', 'none', '-monitor', 'none',
    '-serial', `file:${serialLog}`,
    '-no-reboot',
  ];
  const qemuLog = join(work, 'qemu.log');
  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  child.on('close', () => {
    // After a stop the scratch folder may already be gone (Ctrl-C reaches QEMU and us at once):
    // then there is nowhere to keep QEMU's output, and nothing to report.
    try {
      writeFileSync(qemuLog, Buffer.concat(chunks));
    } catch (error) {
      if (error?.code !== 'ENOENT') throw error;
    }
  });
  return { child, serialLog, output: () => Buffer.concat(chunks).toString('utf8') };
}

/** A line of the serial log that means dom0 (or Xen) is dead, if there is one. */
export function fatalSerialLine(serialLog) {
  let text;
  try {
    text = readFileSync(serialLog, 'utf8');
  } catch {
    return undefined;
  }
  return /^.*(Hardware Dom0 crashed|Kernel panic|Panic on CPU|domain_crash_sync).*$/m.exec(text)?.[0];
}

/** The end of the serial log, for failure reports. */
export function serialTail(serialLog, lines = 40) {
  try {
    return readFileSync(serialLog, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no serial log)';
  }
}
