// `mca_caps` list elements (HVM, x86): machine-check capabilities offered to the guest.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';

export const MCA_CAPS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'lmce', doc: 'Local machine check exceptions: a memory error can be delivered to just the affected vCPU instead of broadcast to all of them.', example: '"lmce"' },
];

export const mcaCapsLanguage = language('mca_caps', MCA_CAPS_KEYS, (text, out: Collector) => {
  if (text === 'lmce') {
    out.part('lmce', text, 0, text.length, 0, false);
    return;
  }
  out.error(0, text.length, 'bad-enum', `unrecognized MCA capability ${quoted(text)}; the only capability is "lmce"`);
});
