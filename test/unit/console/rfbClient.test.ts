// The test RFB client itself (test/support/rfbClient.ts and des.ts), so that the real-VNC tests
// rest on checked ground: DES against the standard's worked examples, the VNC challenge response
// against values computed with noVNC's implementation, and the client's messages against a
// scripted server in memory; typing a text as key events, the screen the client keeps, and the PNG
// it writes.

import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { desEncryptBlock, vncAuthResponse } from '../../support/des';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, RfbClient, colourCount, encodePng } from '../../support/rfbClient';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('DES', () => {
  test('the worked examples', () => {
    assert.equal(hex(desEncryptBlock(Buffer.from('133457799BBCDFF1', 'hex'), Buffer.from('0123456789ABCDEF', 'hex'))), '85e813540f0ab405');
    assert.equal(hex(desEncryptBlock(Buffer.from('0E329232EA6D0D73', 'hex'), Buffer.from('8787878787878787', 'hex'))), '0000000000000000');
  });

  test('VNC challenge responses match noVNC\'s (password bits reversed, zero-padded to 8 bytes)', () => {
    const challenge = Buffer.from('0b30557a9fc4e90e33587da2c7ec1136', 'hex');
    assert.equal(hex(vncAuthResponse('secretpw', challenge)), '7dce27b2ba6ccc312766a44ac037bc36');
    assert.equal(hex(vncAuthResponse('pw', challenge)), '1925f1d4e2851f80ede8d3b5d5c0762b');
    // Only the first 8 characters count.
    assert.equal(hex(vncAuthResponse('secretpw-and-more', challenge)), '7dce27b2ba6ccc312766a44ac037bc36');
  });
});

/** A server end in memory: the test pushes its bytes and reads what the client wrote. */
function pair(): { client: RfbClient; server: Duplex; written: () => Buffer } {
  const chunks: Buffer[] = [];
  const server = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _encoding, callback) => {
      chunks.push(chunk);
      callback();
    },
  });
  return { client: new RfbClient(server, 2000), server, written: () => Buffer.concat(chunks) };
}

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 255]);
const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
};
const s32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const PIXEL_FORMAT = Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]);

describe('RfbClient', () => {
  test('handshake with security None: version, choice, ClientInit, ServerInit', async () => {
    const { client, server, written } = pair();
    server.push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([2, 1, 2]), u32(0), u16(800), u16(600), PIXEL_FORMAT, u32(4), Buffer.from('QEMU')]));
    const result = await client.handshake();
    assert.deepEqual(result, {
      ok: true,
      serverVersion: 'RFB 003.008\n',
      securityTypes: [1, 2],
      securityType: 1,
      serverInit: {
        width: 800,
        height: 600,
        name: 'QEMU',
        pixelFormat: { bitsPerPixel: 32, depth: 24, bigEndian: false, trueColour: true, redMax: 255, greenMax: 255, blueMax: 255, redShift: 16, greenShift: 8, blueShift: 0 },
      },
    });
    assert.equal(written().toString('latin1'), 'RFB 003.008\n\x01\x01');
    assert.deepEqual(client.steps, ['version "RFB 003.008\\n"', 'security types 1,2', 'chose security 1', 'security result OK', 'server init 800x600 32bpp "QEMU"']);
  });

  test('VNC authentication: answers the challenge; a failure carries the server\'s reason', async () => {
    const { client, server, written } = pair();
    const challenge = Buffer.from('0b30557a9fc4e90e33587da2c7ec1136', 'hex');
    server.push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 2]), challenge, u32(1), u32(21), Buffer.from('Authentication failed')]));
    const result = await client.handshake({ password: 'secretpw' });
    assert.deepEqual(result, { ok: false, serverVersion: 'RFB 003.008\n', securityTypes: [2], securityType: 2, reason: 'Authentication failed' });
    assert.equal(hex(written().subarray(13)), '7dce27b2ba6ccc312766a44ac037bc36');
  });

  test('a server that refuses at once, and one that is not RFB', async () => {
    const refused = pair();
    refused.server.push(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([0]), u32(9), Buffer.from('Too many!')]));
    assert.deepEqual(await refused.client.handshake(), { ok: false, serverVersion: 'RFB 003.008\n', securityTypes: [], reason: 'Too many!' });
    const other = pair();
    other.server.push(Buffer.from('SSH-2.0-Open'));
    await assert.rejects(other.client.handshake(), /not an RFB server/);
  });

  test('client messages: pixel format, encodings, update request, key event', () => {
    const { client, written } = pair();
    client.width = 720;
    client.height = 400;
    client.setPixelFormat32();
    client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
    client.requestUpdate(false);
    client.keyEvent(true, 0xffe3);
    const bytes = written();
    assert.equal(hex(bytes.subarray(0, 20)), '00000000' + '20180001' + '00ff00ff00ff' + '100800' + '000000');
    assert.equal(hex(bytes.subarray(20, 32)), '02' + '00' + '0002' + '00000000' + 'ffffff21');
    assert.equal(hex(bytes.subarray(32, 42)), '03' + '00' + '0000' + '0000' + '02d0' + '0190');
    assert.equal(hex(bytes.subarray(42)), '04' + '01' + '0000' + '0000ffe3');
  });

  test('reads an update of DesktopSize and raw rectangles, skipping a bell and cut text, counting colours', async () => {
    const { client, server } = pair();
    client.width = 640;
    client.height = 480;
    const pixels = Buffer.alloc(2 * 2 * 4);
    pixels.writeUInt32LE(0x00ff0000, 4);
    server.push(
      Buffer.concat([
        Buffer.from([2]),
        Buffer.from([3, 0, 0, 0]),
        u32(3),
        Buffer.from('abc'),
        Buffer.from([0, 0]),
        u16(2),
        u16(0),
        u16(0),
        u16(2),
        u16(2),
        s32(ENCODING_DESKTOP_SIZE),
        u16(0),
        u16(0),
        u16(2),
        u16(2),
        s32(ENCODING_RAW),
        pixels,
      ]),
    );
    const update = await client.readUpdate({ countColours: true });
    assert.deepEqual(update, {
      rects: [
        { x: 0, y: 0, width: 2, height: 2, encoding: ENCODING_DESKTOP_SIZE },
        { x: 0, y: 0, width: 2, height: 2, encoding: ENCODING_RAW },
      ],
      pixelBytes: 16,
      distinctColours: 2,
      width: 2,
      height: 2,
      otherMessages: 2,
    });
  });

  test('a connection that ends mid-message is an error, not a hang', async () => {
    const { client, server } = pair();
    server.push(Buffer.from('RFB 003'));
    server.push(null);
    await assert.rejects(client.handshake(), /closed the connection/);
  });

  test('typeText: keysyms for ASCII, Return for a newline, Shift held around the characters a US keyboard shifts', async () => {
    const { client, written } = pair();
    await client.typeText('aA>\n', { msPerKeyEvent: 0 });
    const events: string[] = [];
    const bytes = written();
    for (let offset = 0; offset < bytes.length; offset += 8) {
      assert.equal(bytes[offset], 4, 'a KeyEvent');
      events.push(`${bytes[offset + 1] ? 'down' : 'up'} ${bytes.readUInt32BE(offset + 4).toString(16)}`);
    }
    assert.deepEqual(events, ['down 61', 'up 61', 'down ffe1', 'down 41', 'up 41', 'up ffe1', 'down ffe1', 'down 3e', 'up 3e', 'up ffe1', 'down ff0d', 'up ff0d']);
    // The text itself is not recorded (it may be a password).
    assert.deepEqual(client.steps, ['typed 4 characters']);
  });

  test('typeText refuses a character it cannot type, before sending anything', async () => {
    const { client, written } = pair();
    await assert.rejects(client.typeText('ok é'), /not U\+00e9/);
    await assert.rejects(client.typeText('\u0007'), /not U\+0007/);
    assert.equal(written().length, 0);
  });

  test('typeText sends each character\'s key events in one message, then pauses before the next character', async () => {
    const chunks: Buffer[] = [];
    const server = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _encoding, callback) => {
        chunks.push(chunk);
        callback();
      },
    });
    const client = new RfbClient(server, 2000);
    const typing = client.typeText('Ab', { msPerKeyEvent: 1 });
    // The first character goes out at once (Shift down, A down, A up, Shift up); the next waits.
    assert.deepEqual(chunks.map((chunk) => chunk.length), [32]);
    await typing;
    assert.deepEqual(chunks.map((chunk) => chunk.length), [32, 16]);
    assert.equal(hex(chunks[1]), '040100000000006204000000' + '00000062');
  });

  test('screen(): asks for the whole screen, paints the raw rectangles into it, follows a DesktopSize', async () => {
    const { client, server, written } = pair();
    client.width = 4;
    client.height = 4;
    client.setPixelFormat32();
    const pixel = (value: number): Buffer => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(value);
      return bytes;
    };
    const rect = (x: number, y: number, width: number, height: number, encoding: number): Buffer => Buffer.concat([u16(x), u16(y), u16(width), u16(height), s32(encoding)]);
    // A resize to 3x2, then two raw rectangles that cover it: row 0 (3 pixels), and 2x1 at (1, 1).
    server.push(
      Buffer.concat([
        Buffer.from([0, 0]),
        u16(3),
        rect(0, 0, 3, 2, ENCODING_DESKTOP_SIZE),
        rect(0, 0, 3, 1, ENCODING_RAW),
        pixel(0x00ff0000),
        pixel(0x0000ff00),
        pixel(0x000000ff),
        rect(1, 1, 2, 1, ENCODING_RAW),
        pixel(0x01ffffff),
        pixel(0x00ffffff),
      ]),
    );
    const screen = await client.screen();
    assert.equal(hex(written().subarray(20)), '03' + '00' + '0000' + '0000' + '0004' + '0004');
    assert.deepEqual([screen.width, screen.height], [3, 2]);
    assert.equal(hex(screen.pixels), '0000ff00' + '00ff0000' + 'ff000000' + '00000000' + 'ffffff01' + 'ffffff00');
    // The unused byte does not make a colour: red, green, blue, black, white.
    assert.equal(colourCount(screen), 5);
    // The copy returned is the caller's: the next update does not change it.
    server.push(Buffer.concat([Buffer.from([0, 0]), u16(1), rect(0, 0, 1, 1, ENCODING_RAW), pixel(0)]));
    const next = await client.screen();
    assert.equal(hex(next.pixels.subarray(0, 4)), '00000000');
    assert.equal(hex(screen.pixels.subarray(0, 4)), '0000ff00');
  });

  test('screen(): a rectangle outside the screen is an error', async () => {
    const { client, server } = pair();
    client.width = 2;
    client.height = 2;
    client.setPixelFormat32();
    server.push(Buffer.concat([Buffer.from([0, 0]), u16(1), u16(1), u16(1), u16(2), u16(1), s32(ENCODING_RAW), Buffer.alloc(8)]));
    await assert.rejects(client.screen(), /a 2x1 rectangle at 1,1 does not fit the 2x2 screen/);
  });
});

/** CRC-32 (reflected, polynomial 0xEDB88320) one bit at a time, independent of encodePng's table. */
function bitwiseCrc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('encodePng', () => {
  test('signature, IHDR, IDAT with the RGB rows, IEND, each chunk with its CRC', () => {
    // 2x1: a red pixel and a blue one, as setPixelFormat32 lays them out (blue, green, red, unused).
    const png = encodePng({ width: 2, height: 1, pixels: Buffer.from([0, 0, 255, 0, 255, 0, 0, 0]) });
    assert.equal(hex(png.subarray(0, 8)), '89504e470d0a1a0a');
    const chunks: { type: string; data: Buffer; crc: number }[] = [];
    for (let offset = 8; offset < png.length; ) {
      const length = png.readUInt32BE(offset);
      chunks.push({ type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length), crc: png.readUInt32BE(offset + 8 + length) });
      offset += 12 + length;
    }
    assert.deepEqual(chunks.map((chunk) => chunk.type), ['IHDR', 'IDAT', 'IEND']);
    // Width 2, height 1, 8 bits a sample, RGB, deflate, no filter, no interlace.
    assert.equal(hex(chunks[0].data), '00000002' + '00000001' + '08' + '02' + '00' + '00' + '00');
    // Filter type 0, then R G B for each pixel.
    assert.equal(hex(inflateSync(chunks[1].data)), '00' + 'ff0000' + '0000ff');
    // IEND's CRC is the same in every PNG file; each chunk's covers its type and data.
    assert.equal(chunks[2].crc, 0xae426082);
    for (const chunk of chunks) assert.equal(chunk.crc, bitwiseCrc32(Buffer.concat([Buffer.from(chunk.type, 'latin1'), chunk.data])), chunk.type);
  });

  test('the bit-by-bit CRC-32 the test checks with gives the standard check value', () => {
    assert.equal(bitwiseCrc32(Buffer.from('123456789')), 0xcbf43926);
  });

  test('a screen whose size and pixels disagree is an error', () => {
    assert.throws(() => encodePng({ width: 2, height: 2, pixels: Buffer.alloc(12) }), /a 2x2 screen has 16 bytes, not 12/);
  });
});

