// VNUMA: one string of a virtual node's list (`vnuma = [ ["pnode=0","size=512",...], ... ]`),
// checked like xl_parse.c's parse_vnuma_config(); the caller handles the nesting of lists.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, checkUlong, language, quoted, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';
import { parseRange } from './cpus';

export const VNUMA_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'pnode',
    doc: 'Host NUMA node whose memory backs this virtual node. Must exist on the host; setting it turns off automatic NUMA placement.',
    example: 'pnode=0',
  },
  {
    name: 'size',
    doc: 'Memory of this virtual node in MiB. The sizes of all vnodes must add up to `maxmem` when that is set.',
    example: 'size=2048',
  },
  {
    name: 'vcpus',
    doc: 'vCPUs that belong to this virtual node, as numbers and ranges such as `0-3,8`. Across all vnodes they must add up to `maxvcpus` when that is set.',
    example: 'vcpus=0-3',
  },
  {
    name: 'vdistances',
    doc: 'Distances from this vnode to every vnode in order (its own first in position i), as comma-separated numbers; 10 conventionally means local.',
    example: 'vdistances=10,20',
  },
];

const KEY_NAMES = VNUMA_KEYS.map((k) => k.name);

export const vnumaLanguage = language('vnuma', VNUMA_KEYS, (text, out: Collector) => {
  const kv = splitPair({ text, start: 0, end: text.length }, true);
  // Mirrors split_string_into_pair(..., isspace): a missing "=" or nothing after it is fatal.
  if (!kv.hasEquals || kv.rawValueEmpty) {
    out.error(0, text.length, 'vnuma-spec', `failed to split ${quoted(text)} into pair; write KEY=VALUE with KEY one of ${KEY_NAMES.join(', ')}`);
    return;
  }
  if (!KEY_NAMES.includes(kv.key)) {
    out.warning(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown vnode option ${quoted(kv.key)}${didYouMean(kv.key, KEY_NAMES)}; xl ignores it silently`);
    return;
  }
  out.part(kv.key, kv.value, kv.keyStart, kv.valueEnd, kv.valueStart, true);
  switch (kv.key) {
    case 'pnode':
      checkUlong(out, kv.value, kv.valueStart, 'pnode');
      return;
    case 'size': {
      const v = checkUlong(out, kv.value, kv.valueStart, 'size (MiB)');
      if (v === 0n) out.warning(kv.valueStart, kv.valueEnd, 'vnuma-spec', 'a virtual node with size 0 has no memory');
      return;
    }
    case 'vcpus':
      // xl ignores parse_range()'s result here: a bad range is silently miscounted.
      for (const t of strtok(kv.value, ',', kv.valueStart)) {
        const problem = parseRange(t.text);
        if (problem) out.warning(t.start, t.end, 'cpus-range', `invalid vcpu range ${quoted(t.text)}: ${problem}; xl does not reject it but counts the vCPUs wrongly`);
      }
      return;
    case 'vdistances':
      for (const t of strtok(kv.value, ',', kv.valueStart)) {
        checkUlong(out, t.text, t.start, 'vdistances');
      }
      return;
  }
});
