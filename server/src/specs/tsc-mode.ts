// `tsc_mode`: how the guest's TSC is provided. Names are case-insensitive (libxl enum parser);
// the old integer form 0-3 still works but xl prints a deprecation warning.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, hasCaseless, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

const MODES: Readonly<Record<string, string>> = {
  default: 'Native TSC while the guest stays on one host with a reliable TSC; emulated after migration to a different TSC frequency.',
  always_emulate: 'Every TSC read traps into Xen: monotonic and stable across migration, but slow for TSC-heavy workloads.',
  native: 'The guest always reads the hardware TSC; fastest, but the value may jump after migration or on hosts with unsynchronised TSCs.',
  native_paravirt: 'Removed mode; libxl refuses it in current Xen versions.',
};
const NAMES = Object.keys(MODES);
/** The names a suggestion may offer: not the removed `native_paravirt`. */
const CURRENT_NAMES = NAMES.slice(0, 3);

export const TSC_MODE_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'tsc_mode',
    doc: 'Trade-off between speed and consistency of the time stamp counter seen by the guest, especially across live migration.',
    values: ['default', 'always_emulate', 'native', 'native_paravirt'],
    valueDocs: MODES,
    default: 'default',
    example: 'tsc_mode = "always_emulate"',
  },
];

export const tscModeLanguage = language('tsc_mode', TSC_MODE_KEYS, (text, out: Collector) => {
  const length = text.length;
  out.part('tsc_mode', text, 0, length, 0, false);
  if (/^[0-9]+$/.test(text)) {
    const v = parseInt(text, 10);
    if (v > 3) out.error(0, length, 'bad-enum', `invalid value ${quoted(text)} for tsc_mode; use "default", "always_emulate" or "native"`);
    else if (v === 3) out.error(0, length, 'bad-enum', 'tsc_mode 3 (native_paravirt) was removed from Xen; use "default", "always_emulate" or "native"');
    else out.warning(0, length, 'spec-deprecated', `specifying tsc_mode as an integer is deprecated; write "${NAMES[v]}"`);
    return;
  }
  if (hasCaseless(NAMES, text)) {
    if (text.toLowerCase() === 'native_paravirt') {
      out.error(0, length, 'bad-enum', 'tsc_mode "native_paravirt" was removed from Xen and libxl refuses it; use "default", "always_emulate" or "native"');
    }
    return;
  }
  out.error(0, length, 'bad-enum', `invalid value ${quoted(text)} for tsc_mode${didYouMean(text, CURRENT_NAMES)}; accepted: default, always_emulate, native`);
});
