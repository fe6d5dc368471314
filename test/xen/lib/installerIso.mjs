// The rig's installer ISO: a small BIOS-bootable CD made on this machine with xorriso. Its boot
// image is a few dozen bytes of 16-bit code, assembled below: it clears the VGA text screen to
// blue, writes the title XEN-XL TEST INSTALLER and a light bar like a menu's chosen entry, and
// then halts until the next interrupt, for ever. A test tells that screen apart from a firmware's
// or a kernel's by its colour, and a screenshot by its title. It installs nothing.
//
// Why not a real boot loader: the ISO used to carry GRUB's menu (grub-mkrescue), and GRUB at its
// menu triple-faulted when the CD was ejected under it in about two of five tries on the rig
// (`xl cd-eject` on a fresh guest; Xen logs "Triple fault - invoking HVM shutdown action 1" and
// xl restarts the domain), which is what Eject ISO and Finish Install do. This image runs in real
// mode with the firmware's interrupt table, so an interrupt from the CD drive is just handled; and
// it waits in `hlt`, so the guest uses no CPU while its screen is shown (GRUB's menu spun at 100%).
//
// The image is cached in the rig's package cache, keyed by everything that goes into it (the boot
// image's bytes, xorriso's options and version), so a run builds it only when one of those changed.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, run } from './rig.mjs';

/** The title on the screen: what a screenshot of the installer shows. */
export const INSTALLER_TITLE = 'XEN-XL TEST INSTALLER';
/** The ISO's volume label. */
export const INSTALLER_VOLUME_ID = 'XENXL_INSTALLER';

/** VGA text attributes (background in the high nibble): white on blue, and blue on light grey. */
const WHITE_ON_BLUE = 0x1f;
const BLUE_ON_GREY = 0x71;
/** Where SeaBIOS loads a no-emulation boot image and jumps to (segment 0). */
const LOAD_ADDRESS = 0x7c00;

/**
 * What the screen shows, as [row, column, attribute, cells to fill first with that attribute,
 * text]. Rows and columns count from 0 on the 80x25 screen. The bar (row 4) is as wide as a menu
 * entry's in GRUB's layout, so the share of light pixels stays that of a menu: 5 to 15 %.
 */
const SCREEN = [
  [1, 29, WHITE_ON_BLUE, 0, INSTALLER_TITLE],
  [4, 2, BLUE_ON_GREY, 76, ` ${INSTALLER_TITLE}: this CD installs nothing`],
  [5, 2, BLUE_ON_GREY, 76, ' Eject it and boot from the first hard disk to finish'],
  [8, 2, WHITE_ON_BLUE, 0, 'The guest waits here (halted between interrupts) until it is destroyed or the'],
  [9, 2, WHITE_ON_BLUE, 0, 'CD is taken out and the guest restarted.'],
];

/**
 * The boot image's code, one instruction a line, each with its assembly. `rel8` marks a short jump
 * whose last byte is the distance to a label, filled in by assemble(); `abs16` a 16-bit address
 * (the screen table's).
 */
const CODE = [
  { bytes: [0xfa], asm: 'cli' },
  { bytes: [0x31, 0xc0], asm: 'xor ax, ax' },
  { bytes: [0x8e, 0xd0], asm: 'mov ss, ax' },
  { bytes: [0x8e, 0xd8], asm: 'mov ds, ax' },
  { bytes: [0xbc, 0x00, 0x7c], asm: 'mov sp, 0x7c00' },
  { bytes: [0xfb], asm: 'sti' },
  { bytes: [0xb8, 0x03, 0x00], asm: 'mov ax, 0x0003 ; video mode 3: 80x25 text' },
  { bytes: [0xcd, 0x10], asm: 'int 0x10' },
  { bytes: [0xb4, 0x01], asm: 'mov ah, 0x01 ; cursor shape' },
  { bytes: [0xb9, 0x00, 0x20], asm: 'mov cx, 0x2000 ; no cursor' },
  { bytes: [0xcd, 0x10], asm: 'int 0x10' },
  { bytes: [0xb8, 0x00, 0xb8], asm: 'mov ax, 0xb800 ; the text screen' },
  { bytes: [0x8e, 0xc0], asm: 'mov es, ax' },
  { bytes: [0x31, 0xff], asm: 'xor di, di' },
  { bytes: [0xb8, 0x20, WHITE_ON_BLUE], asm: 'mov ax, (WHITE_ON_BLUE << 8) | " "' },
  { bytes: [0xb9, 0xd0, 0x07], asm: 'mov cx, 2000 ; 80 x 25 cells' },
  { bytes: [0xfc], asm: 'cld' },
  { bytes: [0xf3, 0xab], asm: 'rep stosw ; the whole screen blue' },
  { bytes: [0xbe, 0, 0], abs16: 'table', asm: 'mov si, table' },
  { label: 'next' },
  { bytes: [0xad], asm: 'lodsw ; the cell offset, or 0xffff at the end' },
  { bytes: [0x3d, 0xff, 0xff], asm: 'cmp ax, 0xffff' },
  { bytes: [0x74, 0], rel8: 'idle', asm: 'je idle' },
  { bytes: [0x89, 0xc7], asm: 'mov di, ax' },
  { bytes: [0xad], asm: 'lodsw ; al: attribute, ah: cells to fill' },
  { bytes: [0x89, 0xc3], asm: 'mov bx, ax' },
  { bytes: [0x31, 0xc9], asm: 'xor cx, cx' },
  { bytes: [0x88, 0xf9], asm: 'mov cl, bh' },
  { bytes: [0x88, 0xdc], asm: 'mov ah, bl' },
  { bytes: [0xb0, 0x20], asm: 'mov al, " "' },
  { bytes: [0x57], asm: 'push di' },
  { bytes: [0xf3, 0xab], asm: 'rep stosw ; the filled cells (none when cx is 0)' },
  { bytes: [0x5f], asm: 'pop di' },
  { label: 'print' },
  { bytes: [0xac], asm: 'lodsb' },
  { bytes: [0x08, 0xc0], asm: 'or al, al ; the text ends with a zero byte' },
  { bytes: [0x74, 0], rel8: 'next', asm: 'jz next' },
  { bytes: [0xab], asm: 'stosw ; the character with the attribute in ah' },
  { bytes: [0xeb, 0], rel8: 'print', asm: 'jmp print' },
  { label: 'idle' },
  { bytes: [0xfb], asm: 'sti' },
  { bytes: [0xf4], asm: 'hlt ; until the next interrupt' },
  { bytes: [0xeb, 0], rel8: 'idle', asm: 'jmp idle' },
];

/** The screen table: per entry the cell offset (u16), attribute (u8), fill count (u8), text, zero byte; 0xffff ends it. */
function screenTable() {
  const parts = [];
  for (const [row, column, attribute, fill, text] of SCREEN) {
    if (column + Math.max(fill, text.length) > 80) throw new Error(`installer screen: "${text}" does not fit on row ${row}`);
    const head = Buffer.alloc(4);
    head.writeUInt16LE((row * 80 + column) * 2, 0);
    head.writeUInt8(attribute, 2);
    head.writeUInt8(fill, 3);
    parts.push(head, Buffer.from(`${text}\0`, 'latin1'));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

/** The boot image: CODE with its jumps and the table's address filled in, then the table, padded to 2048 bytes (one CD sector). */
export function bootImage() {
  const labels = {};
  let at = 0;
  for (const line of CODE) {
    if (line.label) labels[line.label] = at;
    else at += line.bytes.length;
  }
  labels.table = at;
  const out = [];
  for (const line of CODE) {
    if (line.label) continue;
    const bytes = [...line.bytes];
    if (line.rel8) {
      const distance = labels[line.rel8] - (out.length + bytes.length);
      if (distance < -128 || distance > 127) throw new Error(`installer boot image: ${line.asm} is too far`);
      bytes[bytes.length - 1] = distance & 0xff;
    }
    if (line.abs16) {
      const address = LOAD_ADDRESS + labels[line.abs16];
      bytes[1] = address & 0xff;
      bytes[2] = address >> 8;
    }
    out.push(...bytes);
  }
  const image = Buffer.alloc(2048);
  Buffer.from(out).copy(image, 0);
  const table = screenTable();
  if (out.length + table.length > image.length) throw new Error('installer boot image: more than one sector');
  table.copy(image, out.length);
  return image;
}

function xorrisoArgs(output, root) {
  // El Torito, no emulation: the BIOS loads 4 sectors of 512 bytes (the image) at 0x7c00.
  return ['-as', 'mkisofs', '-R', '-V', INSTALLER_VOLUME_ID, '-b', 'boot.bin', '-no-emul-boot', '-boot-load-size', '4', '-o', output, root];
}

/** The first line of a tool's `--version` (part of the cache key). */
function versionOf(program) {
  const result = run(program, ['--version'], { timeoutMs: 20_000, allowFail: true });
  return (result.stdout || result.stderr).split('\n').find((line) => line.trim() !== '')?.trim() ?? 'unknown';
}

/**
 * The installer ISO's bytes: from `cacheDir/iso` when one with the same inputs was built before,
 * else built now with xorriso and kept there. Throws Error when xorriso fails.
 */
export function installerIso(cacheDir) {
  const boot = bootImage();
  const key = createHash('sha256')
    .update(boot)
    .update(JSON.stringify({ args: xorrisoArgs('OUT', 'ROOT'), xorriso: versionOf('xorriso') }))
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
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'boot.bin'), boot);
    const output = join(scratch, 'installer.iso');
    run('xorriso', xorrisoArgs(output, root), { timeoutMs: 120_000 });
    // Renamed into place only when complete, so an interrupted build leaves no half ISO behind.
    renameSync(output, cached);
    const bytes = readFileSync(cached);
    log(`installer ISO built: ${(bytes.length / 1024).toFixed(0)} KiB (${cached})`);
    return bytes;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
