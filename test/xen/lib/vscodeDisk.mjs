// The disk that brings VS Code into dom0 (issue 21, "the Remote-SSH way"): an ext4 image, made
// without root by `mke2fs -d`, holding what code-server needs to run inside dom0 and nothing that
// dom0's initramfs already has:
//
//   /node                 the Node 24 that code-server needs (the e2e toolchain's)
//   /node_modules/        code-server and its dependencies, as the toolchain installed them
//   /lib/                 the C++ runtime its native modules link (from this bookworm host, like
//                         the rest of dom0's libraries)
//   /xen-xl.vsix          the packaged extension, which dom0's code-server installs as a user would
//
// dom0's /init mounts it read-only at /opt/vscode when QEMU gives dom0 the disk (/dev/vdb); the
// ext4 modules are in dom0's initramfs. A second disk rather than the initramfs: code-server is
// ~600 MiB and the initramfs lives in dom0's memory, while the disk is read on demand.

import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Where dom0's /init mounts the disk. */
export const VSCODE_MOUNT = '/opt/vscode';
/** The VSIX below the disk's root. */
export const VSIX_NAME = 'xen-xl.vsix';
/** code-server's entry below the disk's root. */
export const CODE_SERVER_ENTRY = 'node_modules/code-server/out/node/entry.js';
/** The device node the disk gets in dom0 (the volume group's disk is /dev/vda). */
export const VSCODE_DISK_DEVICE = '/dev/vdb';

/** Libraries the native modules of code-server and Node itself need beyond dom0's (ldd on this host). */
const RUNTIME_LIBRARIES = ['libstdc++.so.6', 'libgcc_s.so.1', 'libdl.so.2', 'libpthread.so.0', 'libutil.so.1', 'libm.so.6'];

/** Copies a tree as hard links where it can (same filesystem), else as files. */
function linkTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) cpSync(source, target, { verbatimSymlinks: true });
    else {
      try {
        linkSync(source, target);
      } catch (error) {
        if (error?.code !== 'EXDEV' && error?.code !== 'EPERM') throw error;
        cpSync(source, target);
      }
    }
  }
}

function treeBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(path) + 4096;
    else if (entry.isFile()) total += Math.ceil(statSync(path).size / 4096) * 4096 + 256;
    else total += 4096;
  }
  return total;
}

/**
 * Makes the image at `image` from the e2e toolchain (node24, codeServer) and the packaged
 * extension `vsix`. Returns { image, bytes, seconds }.
 */
export function buildVscodeDisk({ toolchain, vsix, image, scratch }) {
  const started = Date.now();
  const stage = join(scratch, 'vscode-disk');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  cpSync(realpathSync(toolchain.node24.node), join(stage, 'node'));
  // The toolchain's node_modules as they are: code-server and its hoisted dependencies.
  if (!existsSync(toolchain.codeServer.entry)) throw new Error(`no code-server at ${toolchain.codeServer.entry}`);
  const modules = realpathSync(join(toolchain.codeServer.entry, '..', '..', '..', '..'));
  linkTree(modules, join(stage, 'node_modules'));
  mkdirSync(join(stage, 'lib'));
  for (const name of RUNTIME_LIBRARIES) cpSync(realpathSync(`/lib/x86_64-linux-gnu/${name}`), join(stage, 'lib', name));
  cpSync(vsix, join(stage, VSIX_NAME));
  // Room for ext4's own metadata: a fifth more than the files, plus 64 MiB.
  const bytes = Math.ceil((treeBytes(stage) * 1.2 + 64 * 1048576) / 1048576) * 1048576;
  rmSync(image, { force: true });
  const made = spawnSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-O', '^has_journal,^metadata_csum', '-L', 'vscode', '-E', 'root_owner=0:0', '-d', stage, image, `${bytes / 1024}k`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (made.status !== 0) throw new Error(`mke2fs of the VS Code disk failed (${made.status ?? made.signal}): ${made.stderr}${made.stdout}`);
  rmSync(stage, { recursive: true, force: true });
  return { image, bytes, seconds: (Date.now() - started) / 1000 };
}
