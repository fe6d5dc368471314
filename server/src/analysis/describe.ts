// Plain-language readings of values, shared by hover and inlay hints: sizes in friendly units and
// the boot order spelled out. Pure functions of the value text.

import { parseXlInteger } from '../syntax';

/** Names of the boot device letters, in our own short words. */
export const BOOT_DEVICE_NAMES: Readonly<Record<string, string>> = {
  c: 'hard disk',
  d: 'CD-ROM',
  n: 'network (PXE)',
  a: 'floppy',
};

/** `dc` → "CD-ROM first, then hard disk". Undefined when a letter is not a boot device. */
export function describeBootOrder(letters: string): string | undefined {
  if (letters === '') return undefined;
  const names: string[] = [];
  for (const letter of letters) {
    const name = BOOT_DEVICE_NAMES[letter];
    if (name === undefined) return undefined;
    names.push(name);
  }
  if (names.length === 1) return `${names[0]} only`;
  return `${names[0]} first, then ${names.slice(1).join(', then ')}`;
}

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * A number in `unit` (KiB or MiB, as the catalogue says) in the largest unit that keeps it at least
 * 1: 4096 MiB → "4 GiB", 1536 MiB → "1.5 GiB". Undefined when xl cannot read the number.
 */
export function describeSize(value: string, unit: string): string | undefined {
  const index = SIZE_UNITS.indexOf(unit);
  const parsed = parseXlInteger(value);
  if (index < 0 || !parsed.ok) return undefined;
  let amount = Number(parsed.value);
  if (!Number.isFinite(amount) || amount < 0) return undefined;
  let unitIndex = index;
  while (amount >= 1024 && unitIndex < SIZE_UNITS.length - 1) {
    amount /= 1024;
    unitIndex++;
  }
  const rounded = Math.round(amount * 100) / 100;
  return `${rounded} ${SIZE_UNITS[unitIndex]}`;
}

/** True for the units `describeSize` understands. */
export function isSizeUnit(unit: string | undefined): boolean {
  return unit !== undefined && SIZE_UNITS.includes(unit);
}

/** The integer xl reads from a value, or undefined. */
export function integerOf(value: string): number | undefined {
  const parsed = parseXlInteger(value);
  return parsed.ok ? Number(parsed.value) : undefined;
}
