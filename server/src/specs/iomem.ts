// `iomem` list elements: `START,NUM[@GFN]` in hex page numbers, checked like xl_parse.c's
// sscanf("%x,%x%n@%x%n") with the rule that nothing may follow.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, isCSpace, isHexDigit, language, quoted } from './common';

export const IOMEM_KEYS: readonly SpecKeyDoc[] = [
  { name: 'start', doc: 'First host machine frame (4 KiB page number, hex) of the memory range to map into the guest; a byte address must be shifted right by 12 bits first.', example: 'fe000' },
  { name: 'num', doc: 'Number of 4 KiB pages to map, in hex.', example: '10' },
  { name: 'gfn', doc: 'Optional guest frame (hex page number) where the range appears in the guest; without `@GFN` it is mapped 1:1 at the same address.', example: 'fe000' },
];

/** A sscanf `%x` (skips blanks, optional sign and 0x). */
export function scanfHex(text: string, pos: number): { value: bigint; end: number } | undefined {
  let i = pos;
  while (i < text.length && isCSpace(text[i])) i++;
  if (text[i] === '+' || text[i] === '-') i++;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && isHexDigit(text[i + 2])) i += 2;
  const digitsStart = i;
  while (i < text.length && isHexDigit(text[i])) i++;
  if (i === digitsStart) return undefined;
  return { value: BigInt('0x' + text.slice(digitsStart, i)), end: i };
}

export const iomemLanguage = language('iomem', IOMEM_KEYS, (text, out: Collector) => {
  const length = text.length;
  const bad = (why: string) => out.error(0, length, 'iomem-spec', `invalid argument parsing iomem ${quoted(text)}: ${why}; write START,NUM[@GFN] in hex pages, e.g. "fe000,10@fe000"`);
  const start = scanfHex(text, 0);
  if (!start) return bad('START is not a hex number');
  out.part('start', text.slice(0, start.end), 0, start.end, 0, false);
  if (text[start.end] !== ',') return bad('"," is missing after START');
  const num = scanfHex(text, start.end + 1);
  if (!num) return bad('NUM is not a hex number');
  out.part('num', text.slice(start.end + 1, num.end), start.end + 1, num.end, start.end + 1, false);
  let used = num.end;
  if (text[used] === '@') {
    const gfn = scanfHex(text, used + 1);
    if (!gfn) {
      out.error(used, length, 'iomem-spec', `invalid argument parsing iomem: ${quoted(text.slice(used))} is not "@" followed by a hex guest frame`);
      return;
    }
    out.part('gfn', text.slice(used + 1, gfn.end), used, gfn.end, used + 1, false);
    used = gfn.end;
  }
  if (used !== length) {
    out.error(used, length, 'iomem-spec', `invalid argument parsing iomem: unexpected ${quoted(text.slice(used))}; write START,NUM[@GFN]`);
    return;
  }
  if (num.value === 0n) out.warning(start.end + 1, num.end, 'iomem-spec', 'NUM is 0, so nothing is mapped');
});
