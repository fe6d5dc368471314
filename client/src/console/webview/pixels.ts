// How varied the screen is, from a grid of sample points: a uniform screen (black before the guest
// draws, or a failed decoder) gives 1. Pure, unit tested under Node.

export const SAMPLE_COLUMNS = 64;
export const SAMPLE_ROWS = 48;

/**
 * Distinct RGB colours at `columns` × `rows` points spread evenly over an RGBA image (the centre
 * of each grid cell). 0 for an empty image.
 */
export function countDistinctColours(rgba: ArrayLike<number>, width: number, height: number, columns = SAMPLE_COLUMNS, rows = SAMPLE_ROWS): number {
  if (width <= 0 || height <= 0) return 0;
  if (rgba.length < width * height * 4) throw new RangeError(`${rgba.length} bytes cannot hold a ${width}x${height} RGBA image`);
  const colours = new Set<number>();
  for (let row = 0; row < rows; row++) {
    const y = Math.min(height - 1, Math.floor(((row + 0.5) * height) / rows));
    for (let column = 0; column < columns; column++) {
      const x = Math.min(width - 1, Math.floor(((column + 0.5) * width) / columns));
      const i = (y * width + x) * 4;
      colours.add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
    }
  }
  return colours.size;
}
