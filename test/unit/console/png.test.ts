// The PNG reader the workbench tests use to judge a guest's screen from a saved screenshot:
// images written here with each of PNG's five row filters read back pixel for pixel.

import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { test } from 'node:test';
import { decodePng, isBlue, shareOf } from '../../support/png';

function crcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
const CRC = crcTable();
function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, tail]);
}

/** Encodes RGB pixels, row y with filter y % 5 (a real encoder's choices, all of them). */
function encode(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw.push(filter);
    for (let x = 0; x < stride; x++) {
      const value = rgb[y * stride + x];
      const left = x >= 3 ? rgb[y * stride + x - 3] : 0;
      const above = y > 0 ? rgb[(y - 1) * stride + x] : 0;
      const upperLeft = x >= 3 && y > 0 ? rgb[(y - 1) * stride + x - 3] : 0;
      const p = left + above - upperLeft;
      const paeth = Math.abs(p - left) <= Math.abs(p - above) && Math.abs(p - left) <= Math.abs(p - upperLeft) ? left : Math.abs(p - above) <= Math.abs(p - upperLeft) ? above : upperLeft;
      const predicted = [0, left, above, (left + above) >> 1, paeth][filter];
      raw.push((value - predicted) & 0xff);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(raw))), chunk('IEND', new Uint8Array())]);
}

test('every row filter reads back to the pixels written, and shareOf counts the blue ones', () => {
  const width = 7;
  const height = 10;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i += 3) {
    const blue = (i / 3) % 2 === 0;
    rgb.set(blue ? [16, 32, 170 + (i % 50)] : [(i * 7) & 0xff, (i * 13) & 0xff, (i * 3) & 0x3f], i);
  }
  const image = decodePng(encode(width, height, rgb));
  assert.equal(image.width, width);
  assert.equal(image.height, height);
  for (let p = 0; p < width * height; p++) {
    assert.deepEqual([...image.rgba.subarray(p * 4, p * 4 + 4)], [...rgb.subarray(p * 3, p * 3 + 3), 255], `pixel ${p}`);
  }
  const expected = [...Array(width * height).keys()].filter((p) => isBlue(rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2])).length / (width * height);
  assert.equal(shareOf(image, isBlue), expected);
  assert.ok(expected > 0.45 && expected < 0.55);
});

test('refuses what is not a PNG it can read', () => {
  assert.throws(() => decodePng(new Uint8Array([1, 2, 3])), /not a PNG/);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([16, 2, 0, 0, 0], 8);
  const deep = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IEND', new Uint8Array())]);
  assert.throws(() => decodePng(deep), /unsupported PNG: depth 16/);
});
