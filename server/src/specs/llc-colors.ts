// `llc_colors` list elements (Arm cache colouring): `N` or `N-M` in decimal, checked like
// xl_parse.c's sscanf("%u-%u") / sscanf("%u") pair.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';

export const LLC_COLORS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'colors', doc: 'Last-level cache colour, or inclusive range `N-M`, reserved for the guest. Colours the guest owns exclusively keep other domains from evicting its cache lines.', example: '0-3' },
];

/** A sscanf `%u`: optional blanks and sign, then digits. */
function scanUnsigned(text: string, pos: number): { value: number; end: number } | undefined {
  let i = pos;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n') i++;
  if (text[i] === '+' || text[i] === '-') i++;
  const digitsStart = i;
  while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
  if (i === digitsStart) return undefined;
  return { value: Number(text.slice(digitsStart, i)), end: i };
}

export const llcColorsLanguage = language('llc_colors', LLC_COLORS_KEYS, (text, out: Collector) => {
  const length = text.length;
  const low = scanUnsigned(text, 0);
  if (!low) {
    out.error(0, length, 'llc-colors', `invalid LLC color range ${quoted(text)}; write N or N-M in decimal`);
    return;
  }
  out.part('colors', text, 0, length, 0, false);
  if (text[low.end] === '-') {
    const high = scanUnsigned(text, low.end + 1);
    if (high) {
      if (low.value > high.value) out.error(0, length, 'llc-colors', `start LLC color is greater than end: ${quoted(text)}`);
      else if (high.end !== length) out.warning(high.end, length, 'llc-colors', `trailing text ${quoted(text.slice(high.end))} is ignored by xl`);
      return;
    }
  }
  // Only the first number was read: anything after it is ignored by xl.
  if (low.end !== length) out.warning(low.end, length, 'llc-colors', `only ${low.value} is used; ${quoted(text.slice(low.end))} is ignored by xl`);
});
