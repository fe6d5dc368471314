// The rig's installer ISO: a small BIOS-bootable CD made on this machine with Debian's
// grub-mkrescue (grub-pc-bin) and xorriso. An HVM guest that boots it shows GRUB's menu on a blue
// screen, titled XEN-XL TEST INSTALLER, and stays there (no timeout): a screen a test can tell
// apart from a firmware's or a kernel's by its colour and from a screenshot by its title.
// It installs nothing; its entries boot the guest's first hard disk or power the guest off.
//
// The image is cached in the rig's package cache, keyed by everything that goes into it (the
// GRUB config, the options, the versions of grub-mkrescue and xorriso), so a run builds it only
// when one of those changed.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RigSkip, log, run } from './rig.mjs';

/** The title on the menu's entries: what a screenshot of the installer shows. */
export const INSTALLER_TITLE = 'XEN-XL TEST INSTALLER';
/** The ISO's volume label. */
export const INSTALLER_VOLUME_ID = 'XENXL_INSTALLER';

/** GRUB's BIOS platform files (package grub-pc-bin): the only platform put on the ISO. */
const GRUB_PC_DIR = '/usr/lib/grub/i386-pc';

/**
 * The menu. White on blue everywhere (`color_normal` is what GRUB clears the screen with, the
 * menu colours the box), and `timeout=-1`: the menu waits for a key, so the screen holds still.
 */
const GRUB_CFG = `set timeout=-1
set color_normal=white/blue
set menu_color_normal=white/blue
set menu_color_highlight=blue/white
menuentry "${INSTALLER_TITLE}: boot from the first hard disk" {
  set root=(hd0)
  chainloader +1
}
menuentry "${INSTALLER_TITLE}: power off" {
  halt
}
`;

/**
 * GRUB modules copied onto the ISO besides those its boot image needs anyway (iso9660, biosdisk):
 * the menu, chainloading, halt, and every partition map (GRUB's menu looks at the guest's hard
 * disk through each, and prints an error on the screen for each one missing). Fonts, locales and
 * themes stay out; the menu is VGA text.
 */
const GRUB_MODULES = [
  'normal', 'chain', 'halt', 'biosdisk',
  ...['acorn', 'amiga', 'apple', 'bsd', 'dfly', 'dvh', 'gpt', 'msdos', 'plan', 'sun', 'sunpc'].map((map) => `part_${map}`),
];

function mkrescueArgs(output, root) {
  return [
    '--directory', GRUB_PC_DIR,
    '--output', output,
    `--install-modules=${GRUB_MODULES.join(' ')}`,
    '--fonts=',
    '--locales=',
    '--themes=',
    '--compress=xz',
    root,
    '--',
    '-volid', INSTALLER_VOLUME_ID,
  ];
}

/** The first line of a tool's `--version` (part of the cache key). */
function versionOf(program) {
  const result = run(program, ['--version'], { timeoutMs: 20_000, allowFail: true });
  return (result.stdout || result.stderr).split('\n').find((line) => line.trim() !== '')?.trim() ?? 'unknown';
}

/**
 * The installer ISO's bytes: from `cacheDir/iso` when one with the same inputs was built before,
 * else built now with grub-mkrescue (which calls xorriso) and kept there. Throws RigSkip when the
 * tools are missing (ensureHostTools installs them), Error when grub-mkrescue fails.
 */
export function installerIso(cacheDir) {
  if (!existsSync(join(GRUB_PC_DIR, 'cdboot.img'))) throw new RigSkip(`${GRUB_PC_DIR}/cdboot.img is missing (package grub-pc-bin)`);
  const key = createHash('sha256')
    .update(JSON.stringify({ cfg: GRUB_CFG, args: mkrescueArgs('OUT', 'ROOT'), grub: versionOf('grub-mkrescue'), xorriso: versionOf('xorriso') }))
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir, 'iso');
  const cached = join(dir, `xenxl-installer-${key}.iso`);
  if (existsSync(cached)) {
    log(`installer ISO from the cache (${cached})`);
    return readFileSync(cached);
  }
  mkdirSync(dir, { recursive: true });
  const scratch = mkdtempSync(join(dir, 'build-'));
  try {
    const root = join(scratch, 'root');
    mkdirSync(join(root, 'boot/grub'), { recursive: true });
    writeFileSync(join(root, 'boot/grub/grub.cfg'), GRUB_CFG);
    const output = join(scratch, 'installer.iso');
    run('grub-mkrescue', mkrescueArgs(output, root), { timeoutMs: 120_000 });
    // Renamed into place only when complete, so an interrupted build leaves no half ISO behind.
    renameSync(output, cached);
    const bytes = readFileSync(cached);
    log(`installer ISO built: ${(bytes.length / 1024).toFixed(0)} KiB (${cached})`);
    return bytes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
