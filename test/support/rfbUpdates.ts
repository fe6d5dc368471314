// Follows the server's side of an RFB stream (RFB 3.8, as QEMU sends it to noVNC) without decoding
// pixels: where each FramebufferUpdate begins and ends in the byte stream, how many of the screen's
// pixels its rectangles cover, and in which encodings. The console benchmark uses it to find the
// full-screen updates among the bytes the relay posts to the webview (bench/consoleLatency.ts).
//
// It reads the handshake (version, one offered security type: None or VNC authentication,
// SecurityResult, ServerInit), then server messages. Rectangles are skipped by their length, which
// for Tight takes its compression-control byte, filter and compact length (the encodings QEMU's VNC
// server offers: Raw, CopyRect, Zlib, Tight, ZRLE, and the pseudo-encodings noVNC asks for). Pixel
// data are taken as noVNC asks for them: 32 bits per pixel, depth 24 (Tight's pixels are 3 bytes).
// An unknown message or encoding stops it with `error` set; it never guesses.

export interface UpdateSpan {
  /** Offset of the update's message-type byte in the stream (bytes from the server since the connection began). */
  start: number;
  /** Offset just after its last byte. */
  end: number;
  rects: number;
  /** Pixels covered by the rectangles that carry pixels (pseudo-encodings left out). */
  area: number;
  /** Rectangles per encoding number. */
  encodings: Record<string, number>;
  /** Tight rectangles sent as JPEG or PNG, which noVNC decodes asynchronously. */
  tightImages: number;
}

type Need = number | { skip: number };
type Parser = Generator<Need, void, Buffer | undefined>;

const BYTES_PER_PIXEL = 4;
const TIGHT_PIXEL_BYTES = 3;

export class RfbUpdateTracker {
  /** The framebuffer's size (ServerInit, then DesktopSize changes). */
  width = 0;
  height = 0;
  /** Bytes taken so far. */
  offset = 0;
  /** Why the stream could not be followed any further. */
  error: string | undefined;
  readonly updates: UpdateSpan[] = [];
  /** Other server messages seen (bell, cut text, fences…). */
  otherMessages = 0;

  private readonly parser: Parser;
  private need: Need;
  private readonly queue: Buffer[] = [];
  private queued = 0;

  constructor(private readonly maxUpdates = 100_000) {
    this.parser = this.stream();
    this.need = this.advance(undefined);
  }

  /** Takes the next bytes of the stream. Bytes left over for a later call are copied. */
  push(chunk: Uint8Array): void {
    if (this.error !== undefined || chunk.byteLength === 0) return;
    this.queue.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.queued += chunk.byteLength;
    try {
      for (;;) {
        const need = this.need;
        if (typeof need === 'number') {
          if (this.queued < need) break;
          const bytes = this.take(need);
          this.offset += need;
          this.need = this.advance(bytes);
        } else {
          const count = Math.min(need.skip, this.queued);
          this.drop(count);
          this.offset += count;
          need.skip -= count;
          if (need.skip > 0) break;
          this.need = this.advance(undefined);
        }
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    // The caller's buffer may be reused or moved: keep copies of what waits.
    for (let index = 0; index < this.queue.length; index++) this.queue[index] = Buffer.from(this.queue[index]);
  }

  private advance(bytes: Buffer | undefined): Need {
    const next = this.parser.next(bytes);
    if (next.done) throw new Error('the RFB stream ended');
    return next.value;
  }

  private take(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const head = this.queue[0];
      const used = Math.min(head.length, count - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      this.consumeHead(used);
    }
    return out;
  }

  private drop(count: number): void {
    let left = count;
    while (left > 0) {
      const used = Math.min(this.queue[0].length, left);
      this.consumeHead(used);
      left -= used;
    }
  }

  private consumeHead(count: number): void {
    const head = this.queue[0];
    if (count === head.length) this.queue.shift();
    else this.queue[0] = head.subarray(count);
    this.queued -= count;
  }

  private *stream(): Parser {
    const version = (yield 12)!.toString('latin1');
    if (!/^RFB 003\.00[78]\n$/.test(version)) throw new Error(`not an RFB 3.7/3.8 server: ${JSON.stringify(version)}`);
    const count = (yield 1)![0];
    if (count === 0) throw new Error('the server refused the connection');
    const types = [...(yield count)!];
    // Which type the client chose is in the other direction; with one type offered it is that one.
    if (types.length !== 1 || (types[0] !== 1 && types[0] !== 2)) throw new Error(`security types ${types.join(',')}: only one of None (1) or VNC authentication (2) can be followed`);
    if (types[0] === 2) yield { skip: 16 };
    if ((yield 4)!.readUInt32BE(0) !== 0) throw new Error('the server refused the authentication');
    const init = (yield 24)!;
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    yield { skip: init.readUInt32BE(20) };
    for (;;) {
      const start = this.offset;
      const type = (yield 1)![0];
      switch (type) {
        case 0:
          yield* this.update(start);
          continue;
        case 1: // SetColourMapEntries
          yield { skip: 6 * (yield 5)!.readUInt16BE(3) };
          break;
        case 2: // Bell
          break;
        case 3: // ServerCutText (a negative length: the extended clipboard)
          yield { skip: Math.abs((yield 7)!.readInt32BE(3)) };
          break;
        case 150: // EndOfContinuousUpdates
          break;
        case 248: // ServerFence: padding, flags, payload length
          yield { skip: (yield 8)![7] };
          break;
        default:
          throw new Error(`server message type ${type} at offset ${start} is not known here`);
      }
      this.otherMessages++;
    }
  }

  private *update(start: number): Parser {
    const count = (yield 3)!.readUInt16BE(1);
    const span: UpdateSpan = { start, end: start, rects: 0, area: 0, encodings: {}, tightImages: 0 };
    // 0xffff rectangles: as many as come before a LastRect.
    for (let index = 0; count === 0xffff || index < count; index++) {
      const header = (yield 12)!;
      const width = header.readUInt16BE(4);
      const height = header.readUInt16BE(6);
      const encoding = header.readInt32BE(8);
      if (encoding === -224) break; // LastRect
      span.rects++;
      span.encodings[encoding] = (span.encodings[encoding] ?? 0) + 1;
      switch (encoding) {
        case 0: // Raw
          span.area += width * height;
          yield { skip: width * height * BYTES_PER_PIXEL };
          break;
        case 1: // CopyRect
          span.area += width * height;
          yield { skip: 4 };
          break;
        case 6: // Zlib
        case 16: // ZRLE
          span.area += width * height;
          yield { skip: (yield 4)!.readUInt32BE(0) };
          break;
        case 7: // Tight
          span.area += width * height;
          yield* this.tight(width, height, span);
          break;
        case -223: // DesktopSize
          this.width = width;
          this.height = height;
          break;
        case -308: // ExtendedDesktopSize: screens, padding, 16 bytes per screen
          this.width = width;
          this.height = height;
          yield { skip: 3 + 16 * (yield 1)![0] };
          break;
        case -258: // QEMU extended key events: supported
        case -259: // QEMU audio: supported
          break;
        case -261: // QEMU LED state
          yield { skip: 1 };
          break;
        case -239: // Cursor: pixels and a bit mask
          yield { skip: width * height * BYTES_PER_PIXEL + ((width + 7) >> 3) * height };
          break;
        case -307: // DesktopName
          yield { skip: (yield 4)!.readUInt32BE(0) };
          break;
        default:
          throw new Error(`encoding ${encoding} at offset ${this.offset - 12} is not known here`);
      }
    }
    span.end = this.offset;
    if (this.updates.length < this.maxUpdates) this.updates.push(span);
  }

  /** One Tight rectangle after its header: compression control, then fill, image or basic data. */
  private *tight(width: number, height: number, span: UpdateSpan): Parser {
    const control = (yield 1)![0];
    const kind = control >> 4;
    if (kind === 0x8) {
      yield { skip: TIGHT_PIXEL_BYTES };
      return;
    }
    if (kind === 0x9 || kind === 0xa) {
      span.tightImages++;
      yield* this.compactData();
      return;
    }
    if (kind > 0xa) throw new Error(`Tight compression control 0x${control.toString(16)} at offset ${this.offset - 1} is not known here`);
    const filter = control & 0x40 ? (yield 1)![0] : 0;
    let size: number;
    if (filter === 1) {
      const colours = (yield 1)![0] + 1;
      yield { skip: colours * TIGHT_PIXEL_BYTES };
      size = colours === 2 ? ((width + 7) >> 3) * height : width * height;
    } else if (filter === 0 || filter === 2) {
      size = width * height * TIGHT_PIXEL_BYTES;
    } else {
      throw new Error(`Tight filter ${filter} is not known here`);
    }
    // Less than 12 bytes go uncompressed and without a length.
    if (size < 12) yield { skip: size };
    else yield* this.compactData();
  }

  /** Tight's compact length (7 bits per byte, the third byte 8), then that many bytes. */
  private *compactData(): Parser {
    let length = 0;
    for (let index = 0; index < 3; index++) {
      const byte = (yield 1)![0];
      if (index === 2) {
        length |= byte << 14;
        break;
      }
      length |= (byte & 0x7f) << (7 * index);
      if ((byte & 0x80) === 0) break;
    }
    yield { skip: length };
  }
}
