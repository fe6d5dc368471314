// How a size in bytes reads wherever the client shows one: New Guest's steps and summary, the
// descriptions of the volume and image commands. Pure.

const SIZE_UNITS: readonly [number, string][] = [
  [1024 ** 5, 'PiB'],
  [1024 ** 4, 'TiB'],
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
];

/** `20 GiB`, `1.5 TiB`, `512 MiB`, `0 B`: the largest unit that keeps the number at 1 or more, with up to two decimals. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  if (bytes < 0) return `-${formatSize(-bytes)}`;
  for (const [size, name] of SIZE_UNITS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${name}`;
  }
  return `${bytes} B`;
}
