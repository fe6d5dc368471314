// PVCALLS (`pvcalls = [ ... ]` entries): PV calls (socket offload) frontends; only `backend=` exists.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const PVCALLS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'backend', doc: 'Name or id of the domain that runs the PV calls backend and performs socket calls for the guest.', default: 'dom0', example: 'backend=netdom' },
];

/** The one key xl reads; a constant, so `closest` remembers its answers (a new array each call would not). */
const BACKEND_ONLY = ['backend'];

export const pvcallsLanguage = language('pvcalls', PVCALLS_KEYS, (text, out: Collector) => {
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals) {
      out.warning(tok.start, text.length, 'spec-ignored', `item ${quoted(tok.text)} has no "="; xl silently stops reading the pvcalls spec here`);
      return;
    }
    if (kv.key !== 'backend') {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(kv.key)} in pvcalls spec${didYouMean(kv.key, BACKEND_ONLY)}; the only key is backend`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
  }
});
