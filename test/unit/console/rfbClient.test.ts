// The test RFB client itself (test/support/rfbClient.ts and des.ts), so that the real-VNC tests
// rest on checked ground: DES against the standard's worked examples, the VNC challenge response
// against values computed with noVNC's implementation, and the client's messages against a
// scripted server in memory.

import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { desEncryptBlock, vncAuthResponse } from '../../support/des';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, RfbClient } from '../../support/rfbClient';

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
});
