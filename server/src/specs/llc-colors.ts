// `llc_colors` list elements (Arm cache colouring): `N` or `N-M` in decimal, checked like
// xl_parse.c's sscanf("%u-%u") / sscanf("%u") pair.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, q } from './common';

export const LLC_COLORS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'colors', doc: 'Last-level cache colour, or inclusive range `N-M`, reserved for the guest. Colours the guest owns exclusively keep other domains from evicting its cache lines.', example: '0-3' },
];

/** A sscanf `%u`: optional blanks and sign, then digits. */
function scanU(s: string, pos: number): { value: number; end: number } | undefined {
  let i = pos;
  while (s[i] === ' ' || s[i] === '\t' || s[i] === '\n') i++;
  if (s[i] === '+' || s[i] === '-') i++;
  const ds = i;
  while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
  if (i === ds) return undefined;
  return { value: Number(s.slice(ds, i)), end: i };
}

export const llcColorsLanguage = language('llc_colors', LLC_COLORS_KEYS, (text, out: Collector) => {
  const n = text.length;
  const a = scanU(text, 0);
  if (!a) {
    out.error(0, n, 'llc-colors', `invalid LLC color range ${q(text)}; write N or N-M in decimal`);
    return;
  }
  out.part('colors', text, 0, n, 0, false);
  if (text[a.end] === '-') {
    const b = scanU(text, a.end + 1);
    if (b) {
      if (a.value > b.value) out.error(0, n, 'llc-colors', `start LLC color is greater than end: ${q(text)}`);
      else if (b.end !== n) out.warning(b.end, n, 'llc-colors', `trailing text ${q(text.slice(b.end))} is ignored by xl`);
      return;
    }
  }
  // Only the first number was read: anything after it is ignored by xl.
  if (a.end !== n) out.warning(a.end, n, 'llc-colors', `only ${a.value} is used; ${q(text.slice(a.end))} is ignored by xl`);
});
