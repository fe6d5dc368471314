// A writer for the "newc" cpio format that the Linux kernel unpacks as an initramfs. Writing the
// archive ourselves (instead of `cpio` or `busybox cpio` over a staged tree) lets us set owners
// and modes (setuid sudo, a user's home) without being root, and add /dev/console without mknod.

import { gzipSync } from 'node:zlib';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

/** Collects entries in memory and serialises them; paths are archive paths without a leading `/`; a later entry for a path replaces the earlier one. */
export class CpioArchive {
  constructor() {
    /** @type {Map<string, {name: string, mode: number, uid: number, gid: number, data: Buffer, rdevMajor: number, rdevMinor: number}>} */
    this.entries = new Map();
  }

  add(name, { type, perm, uid = 0, gid = 0, data = Buffer.alloc(0), rdevMajor = 0, rdevMinor = 0 }) {
    const clean = posix.normalize(name).replace(/^\/+/, '');
    if (clean === '' || clean === '.') return;
    // The kernel's unpacker creates no missing parents: give every path its directories.
    const slash = clean.lastIndexOf('/');
    if (slash > 0 && !this.entries.has(clean.slice(0, slash))) this.dir(clean.slice(0, slash));
    // A later entry replaces an earlier one (a real program over a busybox applet link).
    this.entries.set(clean, { name: clean, mode: type | (perm & 0o7777), uid, gid, data: Buffer.from(data), rdevMajor, rdevMinor });
  }

  dir(name, perm = 0o755, owner = {}) {
    this.add(name, { type: S_IFDIR, perm, ...owner });
  }

  file(name, data, perm = 0o644, owner = {}) {
    this.add(name, { type: S_IFREG, perm, data: typeof data === 'string' ? Buffer.from(data) : data, ...owner });
  }

  symlink(name, target) {
    this.add(name, { type: S_IFLNK, perm: 0o777, data: Buffer.from(target) });
  }

  charDevice(name, major, minor, perm = 0o600) {
    this.add(name, { type: S_IFCHR, perm, rdevMajor: major, rdevMinor: minor });
  }

  /**
   * Adds a staged directory tree under `prefix`. `override(path)` may return `{uid, gid, perm}`
   * for an archive path (e.g. `usr/bin/sudo`); everything else is root-owned with its on-disk mode.
   */
  addTree(root, prefix = '', override = () => undefined) {
    const walk = (dir, rel) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        const archivePath = rel === '' ? name : `${rel}/${name}`;
        const stat = lstatSync(path);
        const extra = override(archivePath) ?? {};
        const perm = extra.perm ?? stat.mode & 0o7777;
        const owner = { uid: extra.uid ?? 0, gid: extra.gid ?? 0 };
        const full = prefix === '' ? archivePath : `${prefix}/${archivePath}`;
        if (stat.isSymbolicLink()) this.symlink(full, readlinkSync(path));
        else if (stat.isDirectory()) {
          this.add(full, { type: S_IFDIR, perm, ...owner });
          walk(path, archivePath);
        } else if (stat.isFile()) this.add(full, { type: S_IFREG, perm, data: readFileSync(path), ...owner });
      }
    };
    walk(root, '');
  }

  /** The archive bytes, parents before children, ending with the TRAILER!!! record. */
  toBuffer() {
    const parts = [];
    let ino = 1;
    const sorted = [...this.entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const record = (entry, inode) => {
      const name = Buffer.from(`${entry.name}\0`);
      const fields = [
        inode,
        entry.mode,
        entry.uid,
        entry.gid,
        (entry.mode & 0o170000) === S_IFDIR ? 2 : 1,
        0, // mtime: fixed, so the same tree gives the same bytes
        entry.data.length,
        0,
        0,
        entry.rdevMajor,
        entry.rdevMinor,
        name.length,
        0, // check (only used by the crc format)
      ];
      const header = Buffer.from('070701' + fields.map((n) => (n >>> 0).toString(16).padStart(8, '0')).join(''));
      parts.push(header, name, pad(header.length + name.length));
      parts.push(entry.data, pad(entry.data.length));
    };
    for (const entry of sorted) record(entry, ino++);
    record({ name: 'TRAILER!!!', mode: 0, uid: 0, gid: 0, data: Buffer.alloc(0), rdevMajor: 0, rdevMinor: 0 }, 0);
    return Buffer.concat(parts);
  }

  gzip() {
    return gzipSync(this.toBuffer(), { level: 1 });
  }
}

function pad(length) {
  return Buffer.alloc((4 - (length % 4)) % 4);
}
