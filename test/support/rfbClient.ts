// A minimal RFB 3.8 client (RFC 6143) for tests and the bench: over any Duplex (a TCP socket, or
// the fake webview's channel behind the relay) it does the handshake with security None or VNC
// authentication, reads ServerInit, asks for 32-bit true colour and raw rectangles, reads
// framebuffer updates and sends key events, also a whole text typed as keys. Each step is
// recorded in `steps`, so a test can show how far it got. It is not a viewer: it counts what it
// receives and, when asked, keeps the screen's pixels (to compare two screens, or to write one as
// a PNG file for a test report).

import { writeFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { vncAuthResponse } from './des';

export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

export interface ServerInit {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  name: string;
}

export type HandshakeResult =
  | { ok: true; serverVersion: string; securityTypes: number[]; securityType: number; serverInit: ServerInit }
  /** The server refused: no usable security type, or authentication failed (with its reason). */
  | { ok: false; serverVersion: string; securityTypes: number[]; securityType?: number; reason: string };

export interface UpdateRect {
  x: number;
  y: number;
  width: number;
  height: number;
  encoding: number;
}

export interface FramebufferUpdate {
  rects: UpdateRect[];
  /** Bytes of pixel data in the update. */
  pixelBytes: number;
  /** Distinct pixel values among the raw rectangles (with `countColours`). */
  distinctColours: number;
  /** The framebuffer size after the update (DesktopSize rectangles change it). */
  width: number;
  height: number;
  /** Server messages other than updates that came before it (colour map, bell, cut text). */
  otherMessages: number;
}

/** The whole screen as the client holds it: 4 bytes a pixel (setPixelFormat32's layout: blue, green, red, unused), row by row. */
export interface Screen {
  width: number;
  height: number;
  pixels: Buffer;
}

export const ENCODING_RAW = 0;
/** Pseudo-encoding: the client can follow a change of the framebuffer size. */
export const ENCODING_DESKTOP_SIZE = -223;

export class RfbError extends Error {
  override readonly name = 'RfbError';
}

/** X11 keysyms of the keys typeText presses besides printable ASCII (whose keysyms are their codes). */
export const KEYSYM = { Return: 0xff0d, Tab: 0xff09, ShiftLeft: 0xffe1 } as const;

/**
 * The printable ASCII characters that need Shift on a US keyboard. A VNC server such as QEMU's
 * maps each keysym to the scancode of its key in the server's keymap and leaves the modifiers to
 * the client: without a Shift press, `A` arrives as `a` and `>` as `.`.
 */
const SHIFTED_US = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

/**
 * typeText's pause after each character, per key event sent. QEMU hands VNC key events to the
 * guest 10 ms apart (its key delay) through a queue of about fifty entries and drops what does not
 * fit, so a whole line sent at once loses most of it on a PS/2 keyboard (HVM guests). On the
 * rig's dom0, which runs under emulation, the device model's timers run late: 25 ms leaves it a
 * wide margin.
 */
export const TYPE_MS_PER_KEY_EVENT = 25;

/** Reads exact byte counts from a stream, waiting for them to arrive. */
class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiter: { count: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.serve();
    });
    stream.on('end', () => this.fail(new RfbError('the server closed the connection')));
    stream.on('close', () => this.fail(new RfbError('the connection closed')));
    stream.on('error', (error: Error) => this.fail(error));
  }

  read(count: number, timeoutMs: number): Promise<Buffer> {
    if (this.waiter !== undefined) return Promise.reject(new RfbError('two reads at once'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new RfbError(`no ${count} bytes within ${timeoutMs} ms (${this.length} arrived)`));
      }, timeoutMs);
      this.waiter = {
        count,
        resolve: (bytes) => {
          clearTimeout(timer);
          resolve(bytes);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.serve();
    });
  }

  private serve(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    if (this.length >= waiter.count) {
      this.waiter = undefined;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
      const rest = all.subarray(waiter.count);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.length = rest.length;
      waiter.resolve(all.subarray(0, waiter.count));
    } else if (this.failure !== undefined) {
      this.waiter = undefined;
      waiter.reject(this.failure);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.serve();
  }
}

export class RfbClient {
  /** What happened, one line per step ("version RFB 003.008", "security types 2", …). */
  readonly steps: string[] = [];
  width = 0;
  height = 0;
  bytesPerPixel = 4;
  private readonly reader: ByteReader;
  /** The screen's pixels, kept by readUpdate({ paint: true }) (4 bytes a pixel). */
  private framebuffer: Screen | undefined;

  constructor(
    private readonly stream: Duplex,
    private readonly timeoutMs = 15_000,
  ) {
    this.reader = new ByteReader(stream);
  }

  private read(count: number): Promise<Buffer> {
    return this.reader.read(count, this.timeoutMs);
  }

  private send(bytes: Buffer): void {
    this.stream.write(bytes);
  }

  /** Version, security (VNC authentication when a password is given and offered, else None), ClientInit, ServerInit. */
  async handshake(options: { password?: string; shared?: boolean } = {}): Promise<HandshakeResult> {
    const serverVersion = (await this.read(12)).toString('latin1');
    this.steps.push(`version ${JSON.stringify(serverVersion)}`);
    if (!/^RFB \d{3}\.\d{3}\n$/.test(serverVersion)) throw new RfbError(`not an RFB server: ${JSON.stringify(serverVersion)}`);
    this.send(Buffer.from('RFB 003.008\n', 'latin1'));
    const count = (await this.read(1))[0];
    if (count === 0) {
      const reason = await this.readString();
      this.steps.push(`refused: ${reason}`);
      return { ok: false, serverVersion, securityTypes: [], reason };
    }
    const securityTypes = [...(await this.read(count))];
    this.steps.push(`security types ${securityTypes.join(',')}`);
    const securityType = options.password !== undefined && securityTypes.includes(2) ? 2 : securityTypes.includes(1) ? 1 : undefined;
    if (securityType === undefined) {
      return { ok: false, serverVersion, securityTypes, reason: `no usable security type among ${securityTypes.join(',')}${options.password === undefined ? ' (no password given)' : ''}` };
    }
    this.send(Buffer.from([securityType]));
    this.steps.push(`chose security ${securityType}`);
    if (securityType === 2) {
      const challenge = await this.read(16);
      this.send(Buffer.from(vncAuthResponse(options.password ?? '', challenge)));
      this.steps.push('answered the VNC challenge');
    }
    const result = (await this.read(4)).readUInt32BE(0);
    if (result !== 0) {
      const reason = await this.readString();
      this.steps.push(`security result ${result}: ${reason}`);
      return { ok: false, serverVersion, securityTypes, securityType, reason };
    }
    this.steps.push('security result OK');
    this.send(Buffer.from([options.shared === false ? 0 : 1]));
    const init = await this.read(24);
    const serverInit: ServerInit = {
      width: init.readUInt16BE(0),
      height: init.readUInt16BE(2),
      pixelFormat: readPixelFormat(init.subarray(4, 20)),
      name: (await this.read(init.readUInt32BE(20))).toString('utf8'),
    };
    this.width = serverInit.width;
    this.height = serverInit.height;
    this.bytesPerPixel = serverInit.pixelFormat.bitsPerPixel / 8;
    this.steps.push(`server init ${serverInit.width}x${serverInit.height} ${serverInit.pixelFormat.bitsPerPixel}bpp ${JSON.stringify(serverInit.name)}`);
    return { ok: true, serverVersion, securityTypes, securityType, serverInit };
  }

  /** SetPixelFormat: 32 bits per pixel, depth 24, little-endian true colour, 8 bits per channel. */
  setPixelFormat32(): void {
    const message = Buffer.alloc(20);
    message[0] = 0;
    const format = message.subarray(4);
    format[0] = 32;
    format[1] = 24;
    format[2] = 0;
    format[3] = 1;
    format.writeUInt16BE(255, 4);
    format.writeUInt16BE(255, 6);
    format.writeUInt16BE(255, 8);
    format[10] = 16;
    format[11] = 8;
    format[12] = 0;
    this.send(message);
    this.bytesPerPixel = 4;
    this.steps.push('set pixel format 32bpp true colour');
  }

  /** SetEncodings, e.g. [ENCODING_RAW, ENCODING_DESKTOP_SIZE]. */
  setEncodings(encodings: number[]): void {
    const message = Buffer.alloc(4 + 4 * encodings.length);
    message[0] = 2;
    message.writeUInt16BE(encodings.length, 2);
    encodings.forEach((encoding, index) => message.writeInt32BE(encoding, 4 + 4 * index));
    this.send(message);
    this.steps.push(`set encodings ${encodings.join(',')}`);
  }

  /** FramebufferUpdateRequest; by default the whole screen, not incremental. */
  requestUpdate(incremental = false, area = { x: 0, y: 0, width: this.width, height: this.height }): void {
    const message = Buffer.alloc(10);
    message[0] = 3;
    message[1] = incremental ? 1 : 0;
    message.writeUInt16BE(area.x, 2);
    message.writeUInt16BE(area.y, 4);
    message.writeUInt16BE(area.width, 6);
    message.writeUInt16BE(area.height, 8);
    this.send(message);
  }

  /**
   * Reads server messages up to and including the next FramebufferUpdate (raw and DesktopSize
   * rectangles). With `paint`, the raw rectangles are also copied into the screen the client keeps
   * (see screen()); that needs 32 bits per pixel (setPixelFormat32).
   */
  async readUpdate(options: { countColours?: boolean; paint?: boolean } = {}): Promise<FramebufferUpdate> {
    if (options.paint && this.bytesPerPixel !== 4) throw new RfbError(`keeping the screen needs 32 bits per pixel, not ${this.bytesPerPixel * 8}`);
    let otherMessages = 0;
    for (;;) {
      const type = (await this.read(1))[0];
      if (type === 0) break;
      otherMessages++;
      if (type === 1) {
        const header = await this.read(5);
        await this.read(6 * header.readUInt16BE(3));
      } else if (type === 2) {
        // Bell: no payload.
      } else if (type === 3) {
        const header = await this.read(7);
        await this.read(header.readUInt32BE(3));
      } else {
        throw new RfbError(`unexpected server message type ${type}`);
      }
    }
    const count = (await this.read(3)).readUInt16BE(1);
    const rects: UpdateRect[] = [];
    const colours = new Set<number>();
    let pixelBytes = 0;
    for (let index = 0; index < count; index++) {
      const header = await this.read(12);
      const rect = { x: header.readUInt16BE(0), y: header.readUInt16BE(2), width: header.readUInt16BE(4), height: header.readUInt16BE(6), encoding: header.readInt32BE(8) };
      rects.push(rect);
      if (rect.encoding === ENCODING_RAW) {
        const size = rect.width * rect.height * this.bytesPerPixel;
        const pixels = size === 0 ? Buffer.alloc(0) : await this.read(size);
        pixelBytes += size;
        if (options.countColours && this.bytesPerPixel === 4) for (let offset = 0; offset < pixels.length; offset += 4) colours.add(pixels.readUInt32LE(offset));
        if (options.paint) this.paint(rect, pixels);
      } else if (rect.encoding === ENCODING_DESKTOP_SIZE) {
        this.width = rect.width;
        this.height = rect.height;
        this.steps.push(`desktop size ${rect.width}x${rect.height}`);
      } else {
        throw new RfbError(`unexpected encoding ${rect.encoding}`);
      }
    }
    return { rects, pixelBytes, distinctColours: colours.size, width: this.width, height: this.height, otherMessages };
  }

  /**
   * Asks for the whole screen (not incremental), reads the update into the screen the client
   * keeps, and returns a copy of that screen. Needs setPixelFormat32 first.
   */
  async screen(): Promise<Screen> {
    this.requestUpdate(false);
    await this.readUpdate({ paint: true });
    const screen = this.keptScreen();
    return { width: screen.width, height: screen.height, pixels: Buffer.from(screen.pixels) };
  }

  /** KeyEvent: a key (X11 keysym) pressed or released. */
  keyEvent(down: boolean, keysym: number): void {
    this.send(keyMessage(down, keysym));
    this.steps.push(`key ${down ? 'down' : 'up'} 0x${keysym.toString(16)}`);
  }

  /**
   * Types a text as key presses and releases: printable ASCII, `\n` as Return and `\t` as Tab,
   * holding Shift around the characters that need it on a US keyboard (see SHIFTED_US). Each
   * character's events (Shift down, key down, key up, Shift up) go out in one message, so that a
   * late key-up cannot make the guest repeat the key; after it, typeText waits `msPerKeyEvent`
   * for each event it sent (see TYPE_MS_PER_KEY_EVENT), so that the server never holds more than
   * one character. Records one step with the length only, so that a typed password never shows
   * in a test's output. Throws, before sending anything, for a character it cannot type.
   */
  async typeText(text: string, { msPerKeyEvent = TYPE_MS_PER_KEY_EVENT }: { msPerKeyEvent?: number } = {}): Promise<void> {
    const groups: Buffer[][] = [];
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      const keysym = char === '\n' ? KEYSYM.Return : char === '\t' ? KEYSYM.Tab : code;
      if (keysym === code && (code < 0x20 || code > 0x7e)) throw new RfbError(`typeText types printable ASCII, newline and tab, not U+${code.toString(16).padStart(4, '0')}`);
      const shift = SHIFTED_US.has(char);
      const group = [keyMessage(true, keysym), keyMessage(false, keysym)];
      if (shift) group.unshift(keyMessage(true, KEYSYM.ShiftLeft));
      if (shift) group.push(keyMessage(false, KEYSYM.ShiftLeft));
      groups.push(group);
    }
    for (const [index, group] of groups.entries()) {
      this.send(Buffer.concat(group));
      if (index < groups.length - 1 && msPerKeyEvent > 0) await new Promise((resolve) => setTimeout(resolve, msPerKeyEvent * group.length));
    }
    this.steps.push(`typed ${groups.length} characters`);
  }

  private keptScreen(): Screen {
    if (this.framebuffer === undefined || this.framebuffer.width !== this.width || this.framebuffer.height !== this.height) {
      this.framebuffer = { width: this.width, height: this.height, pixels: Buffer.alloc(this.width * this.height * 4) };
    }
    return this.framebuffer;
  }

  /** Copies a raw rectangle (4 bytes a pixel) into the kept screen. */
  private paint(rect: UpdateRect, pixels: Buffer): void {
    const screen = this.keptScreen();
    if (rect.x + rect.width > screen.width || rect.y + rect.height > screen.height) {
      throw new RfbError(`a ${rect.width}x${rect.height} rectangle at ${rect.x},${rect.y} does not fit the ${screen.width}x${screen.height} screen`);
    }
    const rowBytes = rect.width * 4;
    for (let row = 0; row < rect.height; row++) {
      pixels.copy(screen.pixels, ((rect.y + row) * screen.width + rect.x) * 4, row * rowBytes, (row + 1) * rowBytes);
    }
  }

  private async readString(): Promise<string> {
    const length = (await this.read(4)).readUInt32BE(0);
    return (await this.read(Math.min(length, 65536))).toString('utf8');
  }
}

function keyMessage(down: boolean, keysym: number): Buffer {
  const message = Buffer.alloc(8);
  message[0] = 4;
  message[1] = down ? 1 : 0;
  message.writeUInt32BE(keysym >>> 0, 4);
  return message;
}

/** How many different colours a screen has (the unused byte of each pixel does not count). */
export function colourCount(screen: Screen): number {
  const colours = new Set<number>();
  for (let offset = 0; offset + 4 <= screen.pixels.length; offset += 4) colours.add(screen.pixels.readUInt32LE(offset) & 0xffffff);
  return colours.size;
}

/** The CRC-32 that PNG chunks carry (polynomial 0xEDB88320, reflected). */
const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A screen as a PNG image: 8-bit RGB, no filtering, one zlib stream. */
export function encodePng(screen: Screen): Buffer {
  const { width, height, pixels } = screen;
  if (pixels.length !== width * height * 4) throw new RfbError(`a ${width}x${height} screen has ${width * height * 4} bytes, not ${pixels.length}`);
  const stride = 1 + width * 3;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    // Each row starts with its filter type, 0 (none).
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = y * stride + 1 + x * 3;
      rows[to] = pixels[from + 2];
      rows[to + 1] = pixels[from + 1];
      rows[to + 2] = pixels[from];
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const framed = Buffer.alloc(body.length + 8);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body), body.length + 4);
    return framed;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // colour type: RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Writes a screen to a PNG file (for test reports). */
export function writePng(file: string, screen: Screen): void {
  writeFileSync(file, encodePng(screen));
}

function readPixelFormat(bytes: Buffer): PixelFormat {
  return {
    bitsPerPixel: bytes[0],
    depth: bytes[1],
    bigEndian: bytes[2] !== 0,
    trueColour: bytes[3] !== 0,
    redMax: bytes.readUInt16BE(4),
    greenMax: bytes.readUInt16BE(6),
    blueMax: bytes.readUInt16BE(8),
    redShift: bytes[10],
    greenShift: bytes[11],
    blueShift: bytes[12],
  };
}
