// One booted Xen rig as a reusable object: prepares the images (packages from the cache), boots
// QEMU (KVM when usable, else TCG), waits until `xl list` answers over ssh, and stops it again by
// PID. Used by test/xen/run.mjs (the node --test suites, then the workbench stage), by
// test/e2e/xen/run.mjs (`npm run test:e2e:xen`) and by `npm start -- --xen`.
//
//   const rig = await bootRig({ cacheDir, resultsDir, timings });   // throws RigSkip when the machine cannot
//   rig.sshWrapper, rig.sshConfigPath, rig.hostAlias, rig.keyPath, rig.port, rig.xenVersion, ...
//   rig.volumeGroup ('xenvg', on a 2 GiB second disk), rig.installerIso ('/opt/isos/xenxl-installer.iso')
//   await rig.reboot();   // dom0 "reboots": QEMU powered off and started again, same port, images and host key
//   await rig.stop('why');                                          // idempotent; also rig.emergencyStop()

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { installerIso } from './installerIso.mjs';
import {
  GUEST_BZIMAGE,
  GUEST_DIR,
  IMAGES_DIR,
  INSTALLER_ISO,
  ISO_DIR,
  SSH_HOST,
  VOLUME_GROUP,
  VOLUME_GROUP_DISK_BYTES,
  RIG_RELEASE,
  XEN_VERSION,
  buildDom0Initrd,
  buildGuestInitrd,
  chooseAccelerator,
  ensureHostTools,
  extractPackages,
  extractVmlinux,
  fatalSerialLine,
  fetchPackages,
  freePort,
  log,
  makeKeys,
  makeVolumeGroupDisk,
  runAsync,
  serialTail,
  startQemu,
  writeSshConfig,
} from './rig.mjs';

const repo = resolve(new URL('../../..', import.meta.url).pathname);

/** Sessions that are booting or up: a signal handler can stop them before bootRig() returns. */
const live = new Set();

/** Stops every rig of this process (for signal handlers; a rig still booting included). */
export async function stopAllRigs(reason) {
  await Promise.all([...live].map((session) => session.stop(reason)));
}

/** Synchronous last resort (process exit): SIGKILL every QEMU of this process. */
export function killAllRigsNow() {
  for (const session of live) session.emergencyStop();
}

/** The package cache folder: $XEN_TEST_CACHE, $XDG_CACHE_HOME/xen-xl-xen, or node_modules/.cache/xen-xl-xen. */
export function defaultCacheDir() {
  return resolve(
    process.env.XEN_TEST_CACHE ?? (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'xen-xl-xen') : join(repo, 'node_modules/.cache/xen-xl-xen')),
  );
}

/** Records `name: seconds` in `timings` and logs it. */
async function step(timings, name, fn) {
  const t = Date.now();
  const value = await fn();
  timings[name] = (Date.now() - t) / 1000;
  log(`${name}: ${timings[name].toFixed(1)} s`);
  return value;
}

function mib(file) {
  return `${(readFileSync(file).length / 1048576).toFixed(1)} MiB`;
}

async function prepareImages(cacheDir, work, timings) {
  await step(timings, 'host tools', () => ensureHostTools());
  const { debs, versions, kernelPackage } = await step(timings, 'fetch packages', () => fetchPackages(cacheDir));
  log(`xen-utils-${XEN_VERSION} ${versions[`xen-utils-${XEN_VERSION}`]}, ${kernelPackage} ${versions[kernelPackage]} (${RIG_RELEASE.debian})`);
  const x = join(work, 'x');
  const { kernelVersion } = await step(timings, 'extract packages', () => extractPackages(debs, x));
  const iso = await step(timings, 'installer ISO', () => installerIso(cacheDir));
  return step(timings, 'build images', () => {
    const img = join(work, 'img');
    mkdirSync(img);
    const xen = join(img, 'xen');
    // QEMU's multiboot loader wants the plain 32-bit ELF, not the gzip Debian ships.
    writeFileSync(xen, gunzipSync(readFileSync(join(x, `boot/xen-${XEN_VERSION}-amd64.gz`))));
    const kernel = join(img, 'vmlinuz');
    copyFileSync(join(x, `boot/vmlinuz-${kernelVersion}`), kernel);
    const keys = makeKeys(work, x);
    const guestInitrd = buildGuestInitrd(x);
    const vmlinux = extractVmlinux(readFileSync(kernel));
    const guestKernel = vmlinux ? { name: 'vmlinux', data: vmlinux.elf } : { name: 'vmlinuz', data: readFileSync(kernel) };
    log(vmlinux ? `guest kernel: the ELF inside vmlinuz (${vmlinux.compression}, ${(vmlinux.elf.length / 1048576).toFixed(0)} MiB)` : 'guest kernel: vmlinuz (no ELF found inside; guests will start slowly)');
    const dom0Initrd = join(img, 'dom0-initrd.gz');
    // Without the ELF, the guest kernel is the bzImage already, under the same name.
    const guestBzImage = vmlinux ? readFileSync(kernel) : undefined;
    const image = buildDom0Initrd({ x, kernelVersion, publicKey: keys.publicKey, hostKey: keys.hostKey, migration: keys.migration, guestKernel, guestInitrd, guestBzImage, installerIso: iso });
    writeFileSync(dom0Initrd, image);
    rmSync(x, { recursive: true, force: true });
    // The volume group's disk: made once per run, kept by rig.reboot() like a real disk.
    const disk = makeVolumeGroupDisk(join(img, 'xenvg-disk.img'));
    log(`images: xen ${mib(xen)}, vmlinuz ${mib(kernel)}, dom0 initramfs ${mib(dom0Initrd)} (installer ISO ${(iso.length / 1024).toFixed(0)} KiB), guest initramfs ${(guestInitrd.length / 1048576).toFixed(1)} MiB, volume group disk ${VOLUME_GROUP_DISK_BYTES / 1024 ** 3} GiB (sparse)`);
    return { xen, kernel, dom0Initrd, disk, key: keys.key, kernelVersion, versions, guestKernel: `${GUEST_DIR}/${guestKernel.name}`, guestBzImage: `${GUEST_DIR}/${GUEST_BZIMAGE}` };
  });
}

function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/**
 * Boots the rig. Options: `cacheDir`, `resultsDir` (the serial log is copied there at stop),
 * `keepWork`, `timings` (an object that receives step times), `images` (from an earlier
 * prepare, for a retry). Throws RigSkip when this machine cannot run it, Error when dom0 did
 * not come up (the serial log tail is in the message).
 */
export async function bootRig({ cacheDir = defaultCacheDir(), resultsDir = join(repo, 'test-results'), keepWork = false, timings = {}, vscodeDisk, dom0MemMiB, memoryMiB } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'xen-xl-xen-'));
  const controlDir = join(work, 'cm');
  mkdirSync(controlDir, { mode: 0o700 });
  mkdirSync(resultsDir, { recursive: true });
  let qemu;
  let sshWrapper;
  let sshConfigPath;
  let port;
  let dom0Ready = false;
  let stopped = false;
  let images;
  let reboots = 0;

  const closeSshMasters = () => {
    if (!sshWrapper || !existsSync(controlDir)) return;
    for (const name of readdirSync(controlDir)) {
      spawnSync(sshWrapper, ['-o', `ControlPath=${join(controlDir, name)}`, '-O', 'exit', SSH_HOST], { timeout: 5000, stdio: 'ignore' });
    }
  };

  const stopQemu = async () => {
    if (!qemu || qemu.child.exitCode !== null || qemu.child.signalCode !== null) return;
    const pid = qemu.child.pid;
    if (sshWrapper && dom0Ready) await runAsync(sshWrapper, ['-o', 'ControlMaster=no', '-o', 'ControlPath=none', SSH_HOST, 'poweroff -f'], { timeoutMs: 6000 });
    if (!(await exited(qemu.child, dom0Ready ? 5000 : 0))) {
      log(`QEMU (pid ${pid}) still running: SIGTERM`);
      qemu.child.kill('SIGTERM');
      if (!(await exited(qemu.child, 5000))) {
        log(`QEMU (pid ${pid}) ignores SIGTERM: SIGKILL`);
        qemu.child.kill('SIGKILL');
        await exited(qemu.child, 5000);
      }
    }
    log(`QEMU (pid ${pid}) stopped`);
  };

  const session = {
    work,
    controlDir,
    hostAlias: SSH_HOST,
    guestDir: GUEST_DIR,
    get sshWrapper() {
      return sshWrapper;
    },
    get sshConfigPath() {
      return sshConfigPath;
    },
    get port() {
      return port;
    },
    keyPath: undefined,
    /** The PV/PVH guest kernel in dom0 (the ELF when it could be taken out of the bzImage). */
    guestKernel: undefined,
    /** The guest kernel as a bzImage in dom0, for HVM guests (QEMU's direct kernel boot). */
    guestBzImage: undefined,
    /** dom0's volume group (on the rig's second disk), for guests' disks. */
    volumeGroup: VOLUME_GROUP,
    /** The installer ISO in dom0: a blue text screen titled XEN-XL TEST INSTALLER (lib/installerIso.mjs). */
    installerIso: INSTALLER_ISO,
    /** dom0's folder of ISOs, and its empty folder for guests' image files. */
    isoDir: ISO_DIR,
    imagesDir: IMAGES_DIR,
    xenVersion: undefined,
    accel: undefined,
    get serialLog() {
      return qemu?.serialLog;
    },
    get qemuPid() {
      return qemu?.child.pid;
    },
    /** QEMU's peak resident memory in MiB (while it runs). */
    peakRssMiB() {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${qemu.child.pid}/status`, 'utf8'))?.[1];
        return kb ? Math.round(Number(kb) / 1024) : undefined;
      } catch {
        return undefined; // already gone
      }
    },
    /** The environment the test/xen suites read (see test/xen/helpers.ts). */
    env() {
      return {
        XEN_TEST_SSH: sshWrapper,
        XEN_TEST_HOST: SSH_HOST,
        XEN_TEST_CONTROL_DIR: controlDir,
        XEN_TEST_GUEST_DIR: GUEST_DIR,
        XEN_TEST_GUEST_KERNEL: session.guestKernel,
        XEN_TEST_GUEST_BZIMAGE: session.guestBzImage,
        XEN_TEST_VOLUME_GROUP: VOLUME_GROUP,
        XEN_TEST_INSTALLER_ISO: INSTALLER_ISO,
        XEN_TEST_ISO_DIR: ISO_DIR,
        XEN_TEST_IMAGES_DIR: IMAGES_DIR,
        XEN_TEST_RESULTS_DIR: resultsDir,
        XEN_TEST_SERIAL_LOG: qemu?.serialLog,
        // The Xen version the rig was built for (lib/rig.mjs RIG_VERSIONS): what the suites expect xl info to say.
        XEN_TEST_VERSION: XEN_VERSION,
      };
    },
    /** Runs a shell command in dom0 as root over plain ssh (no connection sharing). */
    dom0(script, timeoutMs = 30_000) {
      return runAsync(sshWrapper, ['-o', 'ControlPath=none', SSH_HOST, script], { timeoutMs });
    },
    /** Powers dom0 off, stops QEMU by PID, closes ssh masters, removes the scratch folder. Idempotent. */
    async stop(reason) {
      if (stopped) return;
      stopped = true;
      live.delete(session);
      if (reason) log(`teardown: ${reason}`);
      await stopQemu();
      closeSshMasters();
      if (qemu?.serialLog && existsSync(qemu.serialLog)) copyFileSync(qemu.serialLog, join(resultsDir, 'xen-serial.log'));
      for (let n = 1; n <= reboots; n++) {
        const earlier = join(work, `serial-before-reboot-${n}.log`);
        if (existsSync(earlier)) copyFileSync(earlier, join(resultsDir, `xen-serial-before-reboot-${n}.log`));
      }
      if (keepWork) log(`scratch folder kept: ${work}`);
      else rmSync(work, { recursive: true, force: true });
    },
    /**
     * dom0 "reboots": QEMU runs with -no-reboot and dom0 lives in an initramfs, so this powers dom0
     * off (QEMU exits; SIGTERM/SIGKILL if it does not) and starts QEMU again with the same images
     * and the same forwarded ssh port. The host key is in the initramfs, so ssh aliases of the rig
     * keep working; everything dom0 held in memory (guests, /tmp) is gone, /guest is back. The
     * volume group's disk is the same file, so its logical volumes survive, as on a real host:
     * dom0's /init activates the group instead of making it.
     * Options `vscodeDisk`, `dom0MemMiB`, `memoryMiB` (as for bootRig) change what this boot and
     * the later ones give dom0.
     * Resolves once `xl list` answers over ssh again, with the times and whether the host key
     * that ssh-keyscan sees is the one from before; throws when dom0 does not come back.
     */
    async reboot({ deadlineS = session.accel === 'kvm' ? 90 : 240, vscodeDisk: disk, dom0MemMiB: dom0Mem, memoryMiB: memory } = {}) {
      if (stopped || !images) throw new Error('the rig is not running');
      // What the next boots give dom0 (and keep giving it): the VS Code disk, more memory.
      if (disk !== undefined) vscodeDisk = disk;
      if (dom0Mem !== undefined) dom0MemMiB = dom0Mem;
      if (memory !== undefined) memoryMiB = memory;
      const keyBefore = await scanHostKey(port);
      const t = Date.now();
      log(`reboot ${reboots + 1}: powering dom0 off`);
      await stopQemu();
      dom0Ready = false;
      closeSshMasters();
      const downSeconds = (Date.now() - t) / 1000;
      reboots += 1;
      if (qemu?.serialLog && existsSync(qemu.serialLog)) copyFileSync(qemu.serialLog, join(work, `serial-before-reboot-${reboots}.log`));
      const t2 = Date.now();
      const up = await boot(images, session.accel, deadlineS, { keepPort: true, timing: `reboot ${reboots}: boot to xl list over ssh` });
      if (!up) throw new Error(`dom0 did not come back after reboot ${reboots} within ${deadlineS} s; serial log tail:\n${serialTail(qemu.serialLog)}`);
      const keyAfter = await scanHostKey(port);
      const result = { downSeconds, bootSeconds: (Date.now() - t2) / 1000, port, hostKeyUnchanged: keyBefore !== undefined && keyBefore === keyAfter, hostKey: keyAfter };
      log(`reboot ${reboots}: dom0 off after ${downSeconds.toFixed(1)} s, back after ${result.bootSeconds.toFixed(1)} s on port ${port}; host key ${result.hostKeyUnchanged ? 'unchanged' : `CHANGED (${keyBefore} -> ${keyAfter})`}`);
      return result;
    },
    /** Last resort on a signal or crash: kill QEMU synchronously. */
    emergencyStop() {
      live.delete(session);
      if (qemu && qemu.child.exitCode === null) {
        try {
          qemu.child.kill('SIGKILL');
        } catch {
          // gone
        }
      }
      closeSshMasters();
      if (!keepWork) rmSync(work, { recursive: true, force: true });
    },
  };

  live.add(session);

  /** Boots once with `accel`; true when `xl list` answered over ssh within `deadlineS`. */
  const boot = async (images, accel, deadlineS, { keepPort = false, timing = 'boot to xl list over ssh' } = {}) => {
    if (!keepPort) port = await freePort();
    const ssh = writeSshConfig(work, { port, key: images.key });
    sshWrapper = ssh.wrapper;
    sshConfigPath = ssh.config;
    log(`starting QEMU (${accel}), ssh on 127.0.0.1:${port}`);
    qemu = startQemu({ work, xen: images.xen, dom0Kernel: images.kernel, dom0Initrd: images.dom0Initrd, disk: images.disk, vscodeDisk, dom0MemMiB, memoryMiB, port, accel });
    log(`QEMU pid ${qemu.child.pid}, serial log ${qemu.serialLog}`);
    const t = Date.now();
    while ((Date.now() - t) / 1000 < deadlineS) {
      if (qemu.child.exitCode !== null || qemu.child.signalCode !== null) {
        log(`QEMU exited early (${qemu.child.exitCode ?? qemu.child.signalCode}): ${qemu.output().trim()}`);
        return false;
      }
      const fatal = fatalSerialLine(qemu.serialLog);
      if (fatal) {
        log(`dom0 died during boot: ${fatal.trim()}; serial log tail:\n${serialTail(qemu.serialLog)}`);
        return false;
      }
      const probe = await runAsync(ssh.wrapper, ['-o', 'ConnectTimeout=5', '-o', 'ControlPath=none', SSH_HOST, 'xl list'], { timeoutMs: 20_000 });
      if (probe.status === 0 && /Domain-0/.test(probe.stdout)) {
        dom0Ready = true;
        timings[timing] = (Date.now() - t) / 1000;
        log(`dom0 ready after ${timings[timing].toFixed(1)} s`);
        return true;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    log(`dom0 did not answer within ${deadlineS} s; serial log tail:\n${serialTail(qemu.serialLog)}`);
    return false;
  };

  try {
    images = await prepareImages(cacheDir, work, timings);
    session.keyPath = images.key;
    session.guestKernel = images.guestKernel;
    session.guestBzImage = images.guestBzImage;
    const accel = chooseAccelerator();
    log(`accelerator: ${accel.accel} (${accel.why})`);
    let up = false;
    if (accel.accel === 'kvm') {
      up = await boot(images, 'kvm', 90);
      session.accel = 'kvm';
      if (!up) {
        log('KVM boot failed, falling back to TCG');
        await stopQemu();
        qemu = undefined;
        dom0Ready = false;
      }
    }
    if (!up) {
      session.accel = 'tcg';
      up = await boot(images, 'tcg', 240);
    }
    if (!up) throw new Error('dom0 did not come up (serial log in test-results/xen-serial.log)');
    const info = await session.dom0('xl info');
    session.xenVersion = /^xen_version\s*:\s*(\S+)/m.exec(info.stdout)?.[1] ?? `${/^xen_major\s*:\s*(\d+)/m.exec(info.stdout)?.[1]}.${/^xen_minor\s*:\s*(\d+)/m.exec(info.stdout)?.[1]}`;
    log(`Xen ${session.xenVersion} is up`);
    return session;
  } catch (error) {
    await session.stop(error instanceof Error ? error.message.split('\n')[0] : String(error));
    throw error;
  }
}

/** dom0's ed25519 host key as ssh-keyscan sees it on 127.0.0.1:`port` (undefined if none answered). */
async function scanHostKey(port) {
  const scan = await runAsync('ssh-keyscan', ['-T', '10', '-t', 'ed25519', '-p', String(port), '127.0.0.1'], { timeoutMs: 20_000 });
  const line = scan.stdout.split('\n').find((l) => /\sssh-ed25519\s/.test(l));
  return line?.split(/\s+/)[2];
}

/**
 * An ssh config block for `alias` that reaches the rig as a user's ~/.ssh/config would: the
 * rig's port, the run's throwaway key, no host key checks (each bootRig() makes a new host key;
 * rig.reboot() keeps it).
 */
export function sshConfigBlock(rig, alias, { user = 'root' } = {}) {
  return [
    `Host ${alias}`,
    '  HostName 127.0.0.1',
    `  Port ${rig.port}`,
    `  User ${user}`,
    `  IdentityFile "${rig.keyPath}"`,
    '  IdentitiesOnly yes',
    '  StrictHostKeyChecking no',
    '  UserKnownHostsFile /dev/null',
    '  GlobalKnownHostsFile /dev/null',
    '  LogLevel ERROR',
    '',
  ].join('\n');
}
