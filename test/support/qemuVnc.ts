// A real VNC server for tests and the bench: qemu-system-x86_64 with a standard VGA card, no disk
// (SeaBIOS paints its text screen, 720x400) or with a one-sector boot disk that switches the card
// to 1024x768 at 32 bits per pixel and paints it, once or again and again (see BOOT_CODE). VNC listens on
// 127.0.0.1 at the first free display from 100 on (QEMU's `to=`); the port is read back through
// QMP on QEMU's standard input and output, so two runs never race for a port. An optional VNC
// password is handed over in a 0600 file (a QEMU secret object), never on the command line.
// Every QEMU started here is killed by pid when stopped, and when this process exits.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const QEMU_PROGRAM = 'qemu-system-x86_64';

/** The QEMU binary's version line, or undefined when it cannot be run. */
export function qemuVersion(): string | undefined {
  const result = spawnSync(QEMU_PROGRAM, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error !== undefined || result.status !== 0) return undefined;
  return result.stdout.split('\n')[0];
}

/**
 * 16-bit boot sector code (assembled with GNU as, `as --32` and `objcopy -O binary`; source
 * below), padded to 512 bytes with the 0x55AA signature by bootDisk(). It programs the Bochs
 * display interface of QEMU's standard VGA (index port 0x1CE, data port 0x1CF) to 1024x768 at 32
 * bits per pixel, then fills the 3 MiB framebuffer through the 64 KiB bank window at A000:0000,
 * bank by bank, with a counting pattern (many colours). STILL halts after one picture; MOVING
 * paints again forever, each picture shifted by one, so the screen keeps changing and QEMU's VNC
 * server keeps its shortest refresh interval (it backs off up to 3 s while nothing changes).
 * PACED is MOVING that waits for the BIOS timer tick (18.2 Hz) after each picture: the screen still
 * changes all the time, but the emulated CPU idles between pictures instead of taking a whole host
 * core, as a guest under Xen leaves the dom0's CPUs to its device model.
 *
 *          cli; cld
 *          mov $0x1ce,%dx
 *          out 4→index, 0→data        (disable)
 *          out 1→index, 1024→data     (x resolution)
 *          out 2→index, 768→data      (y resolution)
 *          out 3→index, 32→data       (bits per pixel)
 *          out 4→index, 1→data        (enable, banked window)
 *          mov $0xa000,%ax; mov %ax,%es
 *          xor %si,%si                (MOVING only: picture number)
 *   frame: xor %bx,%bx
 *   paint: out 5→index, %bx→data      (bank)
 *          xor %di,%di; mov $0x8000,%cx; mov %bx,%ax
 *          add %si,%ax                (MOVING only)
 *   fill:  stosw; inc %ax; loop fill
 *          inc %bx; cmp $48,%bx; jb paint
 *          STILL: halt: hlt; jmp halt
 *          MOVING: inc %si; jmp frame
 *          PACED: inc %si; sti; hlt; jmp frame
 */
const BOOT_CODE = {
  still:
    'fafcbace01b80400ef4231c0ef4ab80100ef42b80004ef4ab80200ef42b80003ef4ab80300ef42b82000ef4ab80400ef42b80100ef4ab800a08ec031dbb80500ef4289d8ef4a31ffb9008089d8ab40e2fc4383fb3072e6f4ebfd',
  moving:
    'fafcbace01b80400ef4231c0ef4ab80100ef42b80004ef4ab80200ef42b80003ef4ab80300ef42b82000ef4ab80400ef42b80100ef4ab800a08ec031f631dbb80500ef4289d8ef4a31ffb9008089d801f0ab40e2fc4383fb3072e446ebdf',
  paced:
    'fafcbace01b80400ef4231c0ef4ab80100ef42b80004ef4ab80200ef42b80003ef4ab80300ef42b82000ef4ab80400ef42b80100ef4ab800a08ec031f631dbb80500ef4289d8ef4a31ffb9008089d801f0ab40e2fc4383fb3072e446fbf4ebdd',
};

/** A 1 MiB raw disk image whose boot sector paints 1024x768 (see BOOT_CODE). */
export function bootDisk1024x768(kind: keyof typeof BOOT_CODE): Buffer {
  const disk = Buffer.alloc(1024 * 1024);
  Buffer.from(BOOT_CODE[kind], 'hex').copy(disk, 0);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  return disk;
}

export interface QemuVnc {
  port: number;
  pid: number;
  /** QEMU's `query-vnc` answer. */
  vnc: { auth?: string; service?: string; host?: string };
  /** Runs one QMP command and returns its `return` value. */
  qmp(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Quits QEMU (QMP `quit`, then SIGKILL after 5 s) and removes its files. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcessWithoutNullStreams>();
let exitHook = false;

export interface QemuVncOptions {
  /** Turn on VNC authentication with this password. */
  password?: string;
  /** 'bios' (default): no disk, SeaBIOS's text screen; else the 1024x768 painter of BOOT_CODE. */
  screen?: 'bios' | '1024x768' | '1024x768-moving' | '1024x768-paced';
  /** Bound on QEMU starting and answering QMP (default 20 s). */
  timeoutMs?: number;
}

export async function startQemuVnc(options: QemuVncOptions = {}): Promise<QemuVnc> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xen-xl-qemu-vnc-'));
  const args = ['-M', 'pc', '-accel', 'tcg', '-m', '32', '-nodefaults', '-no-user-config', '-vga', 'std', '-display', 'none', '-qmp', 'stdio'];
  let vnc = '127.0.0.1:100,to=199';
  if (options.password !== undefined) {
    const secret = path.join(dir, 'vnc-password');
    writeFileSync(secret, options.password, { mode: 0o600 });
    args.push('-object', `secret,id=vncpw,file=${secret}`);
    vnc += ',password-secret=vncpw';
  }
  args.push('-vnc', vnc);
  if (options.screen !== undefined && options.screen !== 'bios') {
    const disk = path.join(dir, 'boot.img');
    writeFileSync(disk, bootDisk1024x768(options.screen === '1024x768' ? 'still' : options.screen === '1024x768-moving' ? 'moving' : 'paced'));
    args.push('-drive', `file=${disk},format=raw,if=ide,index=0,media=disk`);
  }
  const child = spawn(QEMU_PROGRAM, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const qemu of running) qemu.kill('SIGKILL');
    });
  }
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  // QMP: one JSON object per line; answers carry `return` or `error`, events `event`.
  const lines = createInterface({ input: child.stdout });
  const pending: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  let greeted!: () => void;
  const greeting = new Promise<void>((resolve) => (greeted = resolve));
  lines.on('line', (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // QEMU prints a few plain lines on stdout too ("VNC server running on …").
      return;
    }
    if ('QMP' in message) greeted();
    else if ('return' in message) pending.shift()?.resolve(message.return);
    else if ('error' in message) pending.shift()?.reject(new Error(`QMP: ${JSON.stringify(message.error)}`));
  });
  void exited.then(() => {
    for (const waiter of pending.splice(0)) waiter.reject(new Error(`QEMU exited: ${stderr.trim()}`));
  });
  const qmp = (command: string, commandArgs?: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`QEMU has exited: ${stderr.trim()}`));
        return;
      }
      pending.push({ resolve, reject });
      child.stdin.write(JSON.stringify(commandArgs === undefined ? { execute: command } : { execute: command, arguments: commandArgs }) + '\n');
    });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      qmp('quit').catch(() => child.kill('SIGKILL'));
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const timeoutMs = options.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      (async () => {
        await greeting;
        await qmp('qmp_capabilities');
        return (await qmp('query-vnc')) as QemuVnc['vnc'];
      })(),
      exited.then(() => {
        throw new Error(`QEMU exited at start: ${stderr.trim()}`);
      }),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`QEMU did not answer QMP within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
      }),
    ]);
    const port = Number(info.service);
    if (!Number.isInteger(port) || port <= 0) throw new Error(`QEMU's VNC server has no port: ${JSON.stringify(info)}`);
    return { port, pid: child.pid!, vnc: info, qmp, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
