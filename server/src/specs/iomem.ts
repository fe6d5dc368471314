// `iomem` list elements: `START,NUM[@GFN]` in hex page numbers, checked like xl_parse.c's
// sscanf("%x,%x%n@%x%n") with the rule that nothing may follow.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, isCSpace, isHexDigit, language, q } from './common';

export const IOMEM_KEYS: readonly SpecKeyDoc[] = [
  { name: 'start', doc: 'First host machine frame (4 KiB page number, hex) of the memory range to map into the guest; a byte address must be shifted right by 12 bits first.', example: 'fe000' },
  { name: 'num', doc: 'Number of 4 KiB pages to map, in hex.', example: '10' },
  { name: 'gfn', doc: 'Optional guest frame (hex page number) where the range appears in the guest; without `@GFN` it is mapped 1:1 at the same address.', example: 'fe000' },
];

/** A sscanf `%x` (skips blanks, optional sign and 0x). */
export function scanfHex(s: string, pos: number): { value: bigint; end: number } | undefined {
  let i = pos;
  while (i < s.length && isCSpace(s[i])) i++;
  if (s[i] === '+' || s[i] === '-') i++;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isHexDigit(s[i + 2])) i += 2;
  const ds = i;
  while (i < s.length && isHexDigit(s[i])) i++;
  if (i === ds) return undefined;
  return { value: BigInt('0x' + s.slice(ds, i)), end: i };
}

export const iomemLanguage = language('iomem', IOMEM_KEYS, (text, out: Collector) => {
  const n = text.length;
  const bad = (why: string) => out.error(0, n, 'iomem-spec', `invalid argument parsing iomem ${q(text)}: ${why}; write START,NUM[@GFN] in hex pages, e.g. "fe000,10@fe000"`);
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
      out.error(used, n, 'iomem-spec', `invalid argument parsing iomem: ${q(text.slice(used))} is not "@" followed by a hex guest frame`);
      return;
    }
    out.part('gfn', text.slice(used + 1, gfn.end), used, gfn.end, used + 1, false);
    used = gfn.end;
  }
  if (used !== n) {
    out.error(used, n, 'iomem-spec', `invalid argument parsing iomem: unexpected ${q(text.slice(used))}; write START,NUM[@GFN]`);
    return;
  }
  if (num.value === 0n) out.warning(start.end + 1, num.end, 'iomem-spec', 'NUM is 0, so nothing is mapped');
});
