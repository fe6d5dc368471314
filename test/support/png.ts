// Reads the PNG files our console saves (8-bit RGB or RGBA, not interlaced), so that a test can
// tell what a guest's screen showed: how much of it is of one hue. Enough of PNG for that, and it
// refuses what it does not handle instead of guessing.

import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  width: number;
  height: number;
  /** Four bytes a pixel (R, G, B, A), rows top to bottom. */
  rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodePng(file: Uint8Array): DecodedImage {
  if (file.length < 8 || SIGNATURE.some((byte, i) => file[i] !== byte)) throw new Error('not a PNG file');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Uint8Array[] = [];
  for (let at = 8; at + 8 <= file.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...file.subarray(at + 4, at + 8));
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colourType, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6)) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
      }
      channels = colourType === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  if (channels === 0) throw new Error('PNG without a header');
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error('PNG data shorter than its size says');
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? out[x - channels] : 0;
      const above = up[x];
      const upperLeft = x >= channels ? up[x - channels] : 0;
      out[x] = (line[x] + unfilter(filter, left, above, upperLeft)) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += channels, j += 4) {
    rgba[j] = pixels[i];
    rgba[j + 1] = pixels[i + 1];
    rgba[j + 2] = pixels[i + 2];
    rgba[j + 3] = channels === 4 ? pixels[i + 3] : 255;
  }
  return { width, height, rgba };
}

function unfilter(filter: number, left: number, above: number, upperLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return above;
    case 3:
      return (left + above) >> 1;
    case 4: {
      const estimate = left + above - upperLeft;
      const toLeft = Math.abs(estimate - left);
      const toAbove = Math.abs(estimate - above);
      const toUpperLeft = Math.abs(estimate - upperLeft);
      return toLeft <= toAbove && toLeft <= toUpperLeft ? left : toAbove <= toUpperLeft ? above : upperLeft;
    }
    default:
      throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** The share (0..1) of the image's pixels for which `test(r, g, b)` holds. */
export function shareOf(image: DecodedImage, test: (r: number, g: number, b: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < image.rgba.length; i += 4) if (test(image.rgba[i], image.rgba[i + 1], image.rgba[i + 2])) count++;
  return image.width * image.height === 0 ? 0 : count / (image.width * image.height);
}

/** Clearly blue: the blue channel well above red and green (the rig's installer screen, and many installers' menus). */
export const isBlue = (r: number, g: number, b: number): boolean => b >= 96 && b > r + 60 && b > g + 60;
