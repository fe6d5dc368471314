// The RFB update tracker of the console benchmark (test/support/rfbUpdates.ts) on a stream built
// here byte by byte: handshake, Tight rectangles (fill, basic with and without a palette, compact
// lengths of one to three bytes, short data without a length, JPEG), Raw, DesktopSize, LastRect,
// other server messages; whatever the chunking, the same spans at the same offsets. The real-QEMU
// check is in test/qemu/vnc.test.ts.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RfbUpdateTracker, type UpdateSpan } from '../../support/rfbUpdates';

const u8 = (...bytes: number[]): Buffer => Buffer.from(bytes);
const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const u32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value | 0);
  return out;
};
const rect = (x: number, y: number, width: number, height: number, encoding: number): Buffer => Buffer.concat([u16(x), u16(y), u16(width), u16(height), u32(encoding)]);
/** Tight's compact length. */
function compact(length: number): Buffer {
  if (length < 0x80) return u8(length);
  if (length < 0x4000) return u8((length & 0x7f) | 0x80, length >> 7);
  return u8((length & 0x7f) | 0x80, ((length >> 7) & 0x7f) | 0x80, length >> 14);
}
const filler = (length: number, seed = 7): Buffer => Buffer.from(Array.from({ length }, (_, index) => (index * 31 + seed) & 0xff));

function handshake(width: number, height: number, securityType: 1 | 2 = 1): Buffer {
  const init = Buffer.alloc(24);
  init.writeUInt16BE(width, 0);
  init.writeUInt16BE(height, 2);
  init[4] = 32;
  init[5] = 24;
  const name = Buffer.from('QEMU (guest)');
  init.writeUInt32BE(name.length, 20);
  return Buffer.concat([Buffer.from('RFB 003.008\n', 'latin1'), u8(1, securityType), securityType === 2 ? filler(16) : Buffer.alloc(0), u32(0), init, name]);
}

interface Built {
  stream: Buffer;
  spans: Omit<UpdateSpan, 'encodings'>[];
}

/** A session: handshake, three updates with other messages between them. */
function session(): Built {
  const parts: Buffer[] = [handshake(1024, 768)];
  const spans: Omit<UpdateSpan, 'encodings'>[] = [];
  let offset = parts[0].length;
  const add = (part: Buffer): void => {
    parts.push(part);
    offset += part.length;
  };
  // Update 1: the whole 1024x768 screen in four Tight rectangles of 1024x192.
  let start = offset;
  add(Buffer.concat([u8(0, 0), u16(4)]));
  add(Buffer.concat([rect(0, 0, 1024, 192, 7), u8(0x80), filler(3)])); // fill
  add(Buffer.concat([rect(0, 192, 1024, 192, 7), u8(0x00), compact(300), filler(300)])); // basic, copy filter
  add(Buffer.concat([rect(0, 384, 1024, 192, 7), u8(0x40, 1, 1), filler(6), compact(20_000), filler(20_000)])); // palette of 2
  add(Buffer.concat([rect(0, 576, 1024, 192, 7), u8(0x50, 2), compact(70_000), filler(70_000)])); // gradient, 3-byte length, stream 1
  spans.push({ start, end: offset, rects: 4, area: 1024 * 768, tightImages: 0 });
  add(u8(2)); // Bell
  add(Buffer.concat([u8(3, 0, 0, 0), u32(5), Buffer.from('hello')])); // ServerCutText
  // Update 2: a small Raw rectangle, a 2x2 palette rectangle of 3 colours (12 bytes: has a length), a 1x3 copy (9 bytes: none), a JPEG.
  start = offset;
  add(Buffer.concat([u8(0, 0), u16(4)]));
  add(Buffer.concat([rect(10, 10, 10, 10, 0), filler(400)]));
  add(Buffer.concat([rect(0, 0, 2, 2, 7), u8(0x40, 1, 2), filler(9), filler(4)])); // 3 colours: 4 bytes of indices, under 12: no length
  add(Buffer.concat([rect(0, 0, 1, 3, 7), u8(0x00), filler(9)])); // 9 bytes uncompressed: no length
  add(Buffer.concat([rect(0, 0, 64, 64, 7), u8(0x90), compact(1234), filler(1234)])); // JPEG
  spans.push({ start, end: offset, rects: 4, area: 100 + 4 + 3 + 64 * 64, tightImages: 1 });
  // Update 3: LastRect-terminated, with pseudo-encodings: ExtendedDesktopSize to 800x600, LED state, cursor, then a fill.
  start = offset;
  add(Buffer.concat([u8(0, 0), u16(0xffff)]));
  add(Buffer.concat([rect(0, 0, 800, 600, -308), u8(1, 0, 0, 0), filler(16)]));
  add(Buffer.concat([rect(0, 0, 0, 0, -261), u8(4)]));
  add(Buffer.concat([rect(0, 0, 0, 0, -258)]));
  add(Buffer.concat([rect(2, 2, 9, 3, -239), filler(9 * 3 * 4 + 2 * 3)]));
  add(Buffer.concat([rect(0, 0, 800, 600, 7), u8(0x80), filler(3)]));
  add(rect(0, 0, 0, 0, -224));
  spans.push({ start, end: offset, rects: 5, area: 800 * 600, tightImages: 0 });
  return { stream: Buffer.concat(parts), spans };
}

function feed(stream: Buffer, sizes: (index: number) => number): RfbUpdateTracker {
  const tracker = new RfbUpdateTracker();
  let index = 0;
  for (let offset = 0; offset < stream.length; index++) {
    const size = Math.max(1, sizes(index));
    // A fresh buffer per chunk that is overwritten after the call, as a reused read buffer would be.
    const chunk = new Uint8Array(stream.subarray(offset, offset + size));
    tracker.push(chunk);
    chunk.fill(0xee);
    offset += size;
  }
  return tracker;
}

describe('RfbUpdateTracker', () => {
  const built = session();

  for (const [name, sizes] of [
    ['in one piece', () => built.stream.length],
    ['a byte at a time', () => 1],
    ['in chunks of 7', () => 7],
    ['in chunks of 64 KiB', () => 65_536],
    ['in uneven chunks', (index: number) => [3, 1, 500, 12, 9000, 2][index % 6]],
  ] as const) {
    test(`finds each update's bytes and the pixels it covers, fed ${name}`, () => {
      const tracker = feed(built.stream, sizes);
      assert.equal(tracker.error, undefined);
      assert.deepEqual(
        tracker.updates.map(({ encodings: _encodings, ...span }) => span),
        built.spans,
      );
      assert.equal(tracker.offset, built.stream.length);
      assert.equal(tracker.otherMessages, 2);
      assert.deepEqual(tracker.updates[0].encodings, { 7: 4 });
      assert.deepEqual(tracker.updates[2].encodings, { 7: 1, '-308': 1, '-261': 1, '-258': 1, '-239': 1 });
      assert.deepEqual([tracker.width, tracker.height], [800, 600], 'the size follows ExtendedDesktopSize');
    });
  }

  test('VNC authentication: the challenge is skipped', () => {
    const stream = Buffer.concat([handshake(640, 480, 2), u8(0, 0), u16(1), rect(0, 0, 640, 480, 7), u8(0x80), filler(3)]);
    const tracker = feed(stream, () => 5);
    assert.equal(tracker.error, undefined);
    assert.deepEqual([tracker.width, tracker.height], [640, 480]);
    assert.equal(tracker.updates.length, 1);
    assert.equal(tracker.updates[0].area, 640 * 480);
  });

  test('an encoding it does not know stops it with the reason; later bytes change nothing', () => {
    const stream = Buffer.concat([handshake(64, 64), u8(0, 0), u16(1), rect(0, 0, 8, 8, 5), filler(50)]);
    const tracker = feed(stream, () => 1000);
    assert.match(tracker.error ?? '', /encoding 5 at offset \d+ is not known/);
    const at = tracker.offset;
    tracker.push(filler(100));
    assert.equal(tracker.offset, at);
    assert.deepEqual(tracker.updates, []);
  });

  test('not an RFB server, several security types, a refused authentication: each said', () => {
    assert.match(feed(Buffer.from('HTTP/1.1 400\r\n'), () => 100).error ?? '', /not an RFB/);
    assert.match(feed(Buffer.concat([Buffer.from('RFB 003.008\n'), u8(2, 1, 2)]), () => 100).error ?? '', /security types 1,2/);
    assert.match(feed(Buffer.concat([Buffer.from('RFB 003.008\n'), u8(1, 2), filler(16), u32(1)]), () => 100).error ?? '', /refused the authentication/);
  });

  test('at most maxUpdates updates are kept', () => {
    const update = Buffer.concat([u8(0, 0), u16(1), rect(0, 0, 8, 8, 7), u8(0x80), filler(3)]);
    const tracker = new RfbUpdateTracker(3);
    tracker.push(Buffer.concat([handshake(8, 8), ...Array.from({ length: 10 }, () => update)]));
    assert.equal(tracker.error, undefined);
    assert.equal(tracker.updates.length, 3);
    assert.equal(tracker.offset, handshake(8, 8).length + 10 * update.length);
  });
});
