// `rdm = "strategy=host,policy=relaxed"` (HVM/x86): reserved device memory handling, checked
// like libxlu_pci.c's xlu_rdm_parse(), including its inverted policy check (see below).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, hasCaseless, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

export const RDM_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'strategy',
    doc: 'How reserved device memory regions of the host (such as Intel RMRRs) are handled for the guest. `host` reserves every such region of the host in the guest memory map, which is needed before hot-plugging devices that own them.',
    values: ['host'],
    valueDocs: { host: 'Mirror all host RDM regions into the guest\'s memory map as reserved.' },
    example: 'strategy=host',
  },
  {
    name: 'policy',
    doc: 'Default reaction to a clash between an RDM region and guest memory: `strict` fails creation, `relaxed` only warns. Because of a bug in xl since Xen 4.15, a valid policy here makes xl drop the whole rdm setting; use `rdm_policy=` in each pci entry instead.',
    values: ['strict', 'relaxed'],
    valueDocs: { strict: 'A clash stops guest creation.', relaxed: 'A clash is only logged.' },
    example: 'policy=relaxed',
  },
];

const IGNORED = 'xl then ignores the whole rdm setting';

/** The keys xl reads; a constant, so `closest` remembers its answers (a new array each call would not). */
const RDM_KEY_NAMES = ['strategy', 'policy'];

export const rdmLanguage = language('rdm', RDM_KEYS, (text, out: Collector) => {
  const length = text.length;
  if (length === 0) {
    out.warning(0, 0, 'rdm-ignored', `empty rdm value; ${IGNORED}`);
    return;
  }
  // Mirrors the state machine of xlu_rdm_parse(): TYPE ("key=") then a value up to "," or the end.
  let pos = 0;
  while (pos <= length) {
    let equals = pos;
    while (equals < length && text[equals] !== '=') equals++;
    if (equals >= length) {
      out.warning(pos, length, 'rdm-ignored', `${quoted(text.slice(pos))} is not a key=value item (a trailing comma also counts); ${IGNORED}`);
      return;
    }
    const key = text.slice(pos, equals);
    const valueStart = equals + 1;
    let valueEnd = valueStart;
    while (valueEnd < length && text[valueEnd] !== ',') valueEnd++;
    const value = text.slice(valueStart, valueEnd);
    if (key !== 'strategy' && key !== 'policy') {
      out.warning(pos, equals, 'spec-unknown-key', `unknown RDM option ${quoted(key)}${didYouMean(key, RDM_KEY_NAMES)}; accepted: strategy, policy; ${IGNORED}`);
      return;
    }
    out.part(key, value, pos, valueEnd, valueStart, true);
    if (key === 'strategy') {
      if (value !== 'host') {
        out.warning(valueStart, valueEnd, 'bad-enum', `unknown RDM strategy option ${quoted(value)}; the only strategy is "host"; ${IGNORED}`);
        return;
      }
    } else if (hasCaseless(['strict', 'relaxed'], value)) {
      // libxlu's check is inverted: a valid policy makes the parser fail, an invalid one is only reported.
      out.warning(pos, valueEnd, 'rdm-ignored', `because of a bug in xl (Xen 4.15 and later) a valid policy makes xl ignore the whole rdm setting; drop "${key}=${value}" and set rdm_policy= on each pci device instead`);
      return;
    } else {
      out.warning(valueStart, valueEnd, 'bad-enum', `unknown RDM policy ${quoted(value)}; accepted: "strict", "relaxed" (xl keeps the default policy)`);
    }
    if (valueEnd >= length) return;
    pos = valueEnd + 1;
    if (pos >= length) {
      out.warning(valueEnd, length, 'rdm-ignored', `trailing comma; ${IGNORED}`);
      return;
    }
  }
});
