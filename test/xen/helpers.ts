// Shared by the test/xen suites: where the rig is (environment set by test/xen/run.mjs), run
// options for our xl runner against it, and plain-ssh helpers for set-up and checks in dom0.
// The code under test is the runner; the plain-ssh helpers only prepare files and look around.

import { runXl, type RunLogEntry, type RunOptions, XlError, type XlCommand } from '../../client/src/xl';
import { rigGuestConfig, rigInstallGuestConfig, rigVncGuestConfig } from './lib/guestConfig.mjs';
import { runProcess, type ProcessResult } from '../support/process';

export const rig = {
  /** The ssh wrapper (`ssh -F <rig config>`), passed to the runner as `sshPath`. */
  ssh: process.env.XEN_TEST_SSH ?? '',
  /** The Host alias of dom0 in that config (root by default; `user@xen-test` for others). */
  host: process.env.XEN_TEST_HOST ?? 'xen-test',
  controlDir: process.env.XEN_TEST_CONTROL_DIR ?? '/tmp',
  /** dom0 folder with the guest kernel (`vmlinuz`) and initramfs (`initrd.gz`). */
  guestDir: process.env.XEN_TEST_GUEST_DIR ?? '/guest',
  /** The guest kernel in dom0: the ELF taken out of Debian's vmlinuz (much faster to load under TCG). */
  guestKernel: process.env.XEN_TEST_GUEST_KERNEL ?? '/guest/vmlinux',
  /** The same kernel as a bzImage, for HVM guests (QEMU's direct kernel boot). */
  guestBzImage: process.env.XEN_TEST_GUEST_BZIMAGE ?? '/guest/vmlinuz',
  resultsDir: process.env.XEN_TEST_RESULTS_DIR ?? 'test-results',
  /** dom0's volume group for guests' disks, on the rig's second disk (2 GiB). */
  volumeGroup: process.env.XEN_TEST_VOLUME_GROUP ?? 'xenvg',
  /** The installer ISO in dom0: a blue text screen titled XEN-XL TEST INSTALLER with a grey bar (lib/installerIso.mjs). */
  installerIso: process.env.XEN_TEST_INSTALLER_ISO ?? '/opt/isos/xenxl-installer.iso',
  /** dom0's ISO folder (holds installerIso only). */
  isoDir: process.env.XEN_TEST_ISO_DIR ?? '/opt/isos',
  /** dom0's folder for guests' image files (empty). */
  imagesDir: process.env.XEN_TEST_IMAGES_DIR ?? '/var/lib/xen/images',
  /** The Xen version the rig boots (`XEN_TEST_VERSION`, 4.17 by default), as major.minor. */
  xenVersion: process.env.XEN_TEST_VERSION || '4.17',
};

/** Why the suites cannot run; every test passes it as `skip`, so skips are visible. */
export const skipReason: string | undefined =
  process.env.XEN_TEST_SKIP ?? (rig.ssh === '' ? 'no Xen rig: run these through `node test/xen/run.mjs` (npm run test:xen)' : undefined);

/** Run options for our runner in its ssh-host mode against dom0. */
export function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    target: { kind: 'ssh', destination: rig.host, controlDir: rig.controlDir },
    xlPath: 'xl',
    sudo: 'never',
    timeoutMs: 90_000,
    sshPath: rig.ssh,
    ...overrides,
  };
}

/** Runs a command through our runner and also returns what it logged (stderr, exit status). */
export async function runLogged<T>(command: XlCommand<T>, overrides: Partial<RunOptions> = {}): Promise<{ value?: T; error?: XlError; entry: RunLogEntry }> {
  let entry: RunLogEntry | undefined;
  try {
    const value = await runXl(command, options({ ...overrides, log: (e) => (entry = e) }));
    return { value, entry: entry! };
  } catch (error) {
    if (!(error instanceof XlError)) throw error;
    return { error, entry: entry! };
  }
}

/** Runs a shell script in dom0 as root (or `user`) over plain ssh, without the runner. */
export function dom0(script: string, { input = '', user, timeoutMs = 60_000 }: { input?: string; user?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
  const destination = user ? `${user}@${rig.host}` : rig.host;
  return runProcess(rig.ssh, ['-o', 'ControlPath=none', destination, script], input, timeoutMs);
}

/** Like dom0() but throws unless the script exits 0. */
export async function dom0Ok(script: string, opts: { input?: string; user?: string; timeoutMs?: number } = {}): Promise<string> {
  const result = await dom0(script, opts);
  if (result.status !== 0) throw new Error(`dom0 script failed (${result.status}): ${script.slice(0, 200)}\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** POSIX single-quoting for scripts we send to dom0's shell. */
export function sq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Writes files into dom0 in one ssh call (a script on stdin: base64 through busybox), creating their folders. */
export async function upload(files: Record<string, string>): Promise<void> {
  const script = Object.entries(files)
    .map(([path, text]) => {
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      return `mkdir -p ${sq(dir)} && printf %s ${sq(Buffer.from(text).toString('base64'))} | base64 -d > ${sq(path)}`;
    })
    .join(' &&\n');
  await dom0Ok('sh -se', { input: `${script}\n`, timeoutMs: 60_000 });
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  /** The latest failure, as text (String() of an Error gives its name and message). */
  let last: string | undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A PV or PVH guest config with the rig's kernel and initramfs; `tag` shows on its console. */
export function guestConfig(name: string, type: 'pv' | 'pvh', tag: string, memory = 128): string {
  return rigGuestConfig({ name, type, tag, memory, kernel: rig.guestKernel, guestDir: rig.guestDir, comment: `written by test/xen: a ${type} guest whose /init prints XEN-XL-GUEST-UP tag=${tag}` });
}

/**
 * A guest with a screen behind a VNC server in dom0 (a PV framebuffer, or HVM with `vnc = 1`):
 * the screen shows `XEN-XL-VNC-GUEST tag=<tag>` and a shell on tty1, the console
 * `XEN-XL-GUEST-UP tag=<tag>` and, once that shell runs, `XEN-XL-SCREEN-SHELL tag=<tag>`.
 */
export function vncGuestConfig(name: string, type: 'pv' | 'hvm', tag: string, { password, keymap }: { password?: string; keymap?: string } = {}): string {
  return rigVncGuestConfig({
    name,
    type,
    tag,
    password,
    keymap,
    kernel: type === 'hvm' ? rig.guestBzImage : rig.guestKernel,
    guestDir: rig.guestDir,
    comment: `written by test/xen: a ${type} guest with a VNC screen (${type === 'pv' ? 'vfb' : 'vnc = 1'})`,
  });
}

/**
 * An HVM guest installing from the rig's ISO, as New Guest writes it: its disk the logical volume
 * /dev/<rig.volumeGroup>/<volume>, the ISO (or `null`: an empty CD drive) in `hdc`, boot "dc",
 * a vif on xenbr0 (with `mac`, else one made from the name), VNC on 127.0.0.1 at `display` (port 5900 + display).
 */
export function installGuestConfig(
  name: string,
  { volume = name, iso = rig.installerIso, display, boot, mac }: { volume?: string; iso?: string | null; display: number; boot?: string; mac?: string | null },
): string {
  return rigInstallGuestConfig({ name, volumeGroup: rig.volumeGroup, volume, iso, display, boot, mac, comment: 'written by test/xen: an HVM guest installing from an ISO onto a logical volume' });
}
