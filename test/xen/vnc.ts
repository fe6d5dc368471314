// A small RFB 3.8 client for the rig's VNC guests, over `ssh -W ADDR:PORT` to dom0 (plain ssh,
// not the code under test): enough to read the server's banner and security types, log in
// without a password, read the whole screen as raw 32-bit pixels, and type keys.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { rig } from './helpers';

/** X11 keysyms that the screen's shell needs besides printable ASCII. */
const KEYSYM = { Return: 0xff0d, ShiftL: 0xffe1 };
/** Characters typed with Shift on a US keyboard (QEMU turns keysyms into scancodes with its en-us keymap). */
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

export interface ServerInit {
  width: number;
  height: number;
  name: string;
}

export class RfbProbe {
  private buffered = Buffer.alloc(0);
  private waiter: { bytes: number; resolve: (data: Buffer) => void; reject: (error: Error) => void } | undefined;
  private ended: Error | undefined;
  private stderr = '';
  /** The server's first 12 bytes, e.g. `RFB 003.008\n`. */
  version = '';
  /** The security types the server offered (1 None, 2 VNC authentication). */
  securityTypes: number[] = [];

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (data: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, data]);
      this.pump();
    });
    child.stderr.on('data', (data: Buffer) => (this.stderr += data.toString()));
    child.on('close', (status, signal) => {
      this.ended = new Error(`ssh -W ended (${status ?? signal})${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
      this.pump();
    });
    child.on('error', (error) => {
      this.ended = error;
      this.pump();
    });
    child.stdin.on('error', () => {
      // The stream's end is reported through 'close' above.
    });
  }

  /** Opens `ssh -W address:port` to dom0 and reads the version banner and the security types. */
  static async open(port: number, address = '127.0.0.1', timeoutMs = 30_000): Promise<RfbProbe> {
    const child = spawn(rig.ssh, ['-o', 'ControlPath=none', '-W', `${address}:${port}`, rig.host], { stdio: ['pipe', 'pipe', 'pipe'] });
    const probe = new RfbProbe(child);
    try {
      probe.version = (await probe.read(12, timeoutMs)).toString('latin1');
      if (!/^RFB \d{3}\.\d{3}\n$/.test(probe.version)) throw new Error(`not an RFB server: ${JSON.stringify(probe.version)}`);
      probe.write(Buffer.from('RFB 003.008\n', 'latin1'));
      const count = (await probe.read(1, timeoutMs))[0];
      if (count === 0) {
        const length = (await probe.read(4, timeoutMs)).readUInt32BE(0);
        throw new Error(`the server refused the connection: ${(await probe.read(length, timeoutMs)).toString()}`);
      }
      probe.securityTypes = [...(await probe.read(count, timeoutMs))];
      return probe;
    } catch (error) {
      await probe.close();
      throw error;
    }
  }

  /** Security type None, then ClientInit (shared) and ServerInit; sets 32-bit true colour and raw encoding. */
  async loginWithoutPassword(timeoutMs = 30_000): Promise<ServerInit> {
    if (!this.securityTypes.includes(1)) throw new Error(`the server wants authentication: security types ${this.securityTypes.join(', ')}`);
    this.write(Buffer.from([1]));
    const result = (await this.read(4, timeoutMs)).readUInt32BE(0);
    if (result !== 0) {
      const length = (await this.read(4, timeoutMs)).readUInt32BE(0);
      throw new Error(`security result ${result}: ${(await this.read(length, timeoutMs)).toString()}`);
    }
    this.write(Buffer.from([1]));
    const init = await this.read(24, timeoutMs);
    const name = (await this.read(init.readUInt32BE(20), timeoutMs)).toString();
    // SetPixelFormat: 32 bpp, depth 24, little-endian true colour, red at 16, green at 8, blue at 0.
    this.write(Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]));
    // SetEncodings: raw only.
    this.write(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    return { width: this.width, height: this.height, name };
  }

  private width = 0;
  private height = 0;

  /** Asks for the whole screen (not incremental) and returns it as 4 bytes per pixel (B, G, R, unused). */
  async screen(timeoutMs = 60_000): Promise<Buffer> {
    const { width, height } = this;
    const request = Buffer.alloc(10);
    request[0] = 3;
    request.writeUInt16BE(width, 6);
    request.writeUInt16BE(height, 8);
    this.write(request);
    const pixels = Buffer.alloc(width * height * 4);
    for (;;) {
      const type = (await this.read(1, timeoutMs))[0];
      if (type === 2) continue; // Bell
      if (type === 3) {
        // ServerCutText: skip it.
        const length = (await this.read(7, timeoutMs)).readUInt32BE(3);
        await this.read(length, timeoutMs);
        continue;
      }
      if (type !== 0) throw new Error(`unexpected server message type ${type}`);
      const rectangles = (await this.read(3, timeoutMs)).readUInt16BE(1);
      for (let i = 0; i < rectangles; i++) {
        const header = await this.read(12, timeoutMs);
        const [x, y, w, h, encoding] = [header.readUInt16BE(0), header.readUInt16BE(2), header.readUInt16BE(4), header.readUInt16BE(6), header.readInt32BE(8)];
        if (encoding !== 0) throw new Error(`unexpected encoding ${encoding} (only raw was asked for)`);
        const data = await this.read(w * h * 4, timeoutMs);
        for (let row = 0; row < h; row++) data.copy(pixels, ((y + row) * width + x) * 4, row * w * 4, (row + 1) * w * 4);
      }
      return pixels;
    }
  }

  /** Sends one KeyEvent. */
  key(keysym: number, down: boolean): void {
    const message = Buffer.alloc(8);
    message[0] = 4;
    message[1] = down ? 1 : 0;
    message.writeUInt32BE(keysym, 4);
    this.write(message);
  }

  /** Types printable ASCII (and `\n` as Return), pressing Shift where a US keyboard needs it. */
  type(text: string): void {
    for (const char of text) {
      const keysym = char === '\n' ? KEYSYM.Return : char.charCodeAt(0);
      if (char !== '\n' && (keysym < 0x20 || keysym > 0x7e)) throw new Error(`cannot type ${JSON.stringify(char)}`);
      const shift = SHIFTED.has(char);
      if (shift) this.key(KEYSYM.ShiftL, true);
      this.key(keysym, true);
      this.key(keysym, false);
      if (shift) this.key(KEYSYM.ShiftL, false);
    }
  }

  /** Ends the ssh process and waits for it. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    this.child.kill('SIGTERM');
    await closed;
  }

  private write(data: Buffer): void {
    this.child.stdin.write(data);
  }

  private read(bytes: number, timeoutMs: number): Promise<Buffer> {
    if (this.waiter) throw new Error('one read at a time');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no ${bytes} bytes from the VNC server within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiter = {
        bytes,
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.pump();
    });
  }

  private pump(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    if (this.buffered.length >= waiter.bytes) {
      this.waiter = undefined;
      const data = this.buffered.subarray(0, waiter.bytes);
      this.buffered = this.buffered.subarray(waiter.bytes);
      waiter.resolve(Buffer.from(data));
    } else if (this.ended) {
      this.waiter = undefined;
      waiter.reject(this.ended);
    }
  }
}

/** How many different colours a screen from RfbProbe.screen() has. */
export function colourCount(pixels: Buffer): number {
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += 4) colours.add(pixels.readUInt32LE(i) & 0xffffff);
  return colours.size;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Writes a screen from RfbProbe.screen() as an RGB PNG file (for the test report). */
export function savePng(file: string, pixels: Buffer, width: number, height: number): void {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = y * stride + 1 + x * 3;
      raw[to] = pixels[from + 2];
      raw[to + 1] = pixels[from + 1];
      raw[to + 2] = pixels[from];
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}
