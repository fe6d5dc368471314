// ARM_SCI (`arm_sci = "type=scmi_smc"`, Arm): firmware System Control Interface access; only the
// `type` item is read, other items are silently ignored.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, hasCaseless, language, quoted, splitPair, strtok } from './common';
import { closest } from '../text/suggest';

export const ARM_SCI_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'type',
    doc: 'Whether the guest gets access to the firmware\'s SCMI interface for clocks, power domains and resets.',
    values: ['none', 'scmi_smc'],
    default: 'none',
    valueDocs: { none: 'No SCI access.', scmi_smc: 'SCMI over SMC calls, mediated by Xen so the guest only reaches its own resources.' },
    example: 'type=scmi_smc',
  },
];

/** The one key xl reads; a constant, so `closest` remembers its answers (a new array each call would not). */
const TYPE_ONLY = ['type'];

export const armSciLanguage = language('arm_sci', ARM_SCI_KEYS, (text, out: Collector) => {
  for (const tok of strtok(text, ',')) {
    const kv = splitPair(tok, false);
    if (kv.hasEquals && kv.key === 'type') {
      out.part('type', kv.value, kv.start, kv.end, kv.valueStart, true);
      if (!hasCaseless(['none', 'scmi_smc'], kv.value)) {
        out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `unknown ARM_SCI type ${quoted(kv.value)}; accepted: "none", "scmi_smc"`);
        return;
      }
    } else {
      const suggestion = closest(kv.key, TYPE_ONLY);
      out.warning(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `${quoted(tok.text)} is ignored by xl; only type= is read${suggestion ? ` (did you mean "type"?)` : ''}`);
    }
  }
});
