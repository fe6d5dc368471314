// VIRTIO_DEVICE_STRING (`virtio = [ ... ]` entries, Arm): generic virtio-mmio devices, checked
// like xl_parse.c's parse_virtio_list(), including its special handling of commas in `type=`.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, checkLooseNumber, hasCaseless, language, quoted, skipSpaces, splitPair, strtok, type Token } from './common';
import { didYouMean } from '../text/suggest';

export const VIRTIO_KEYS: readonly SpecKeyDoc[] = [
  { name: 'backend', doc: 'Name or id of the domain running the virtio backend (for example a QEMU or vhost-user daemon).', default: 'dom0', example: 'backend=dom0' },
  {
    name: 'type',
    doc: 'Device-tree compatible string of the device: `virtio,device<ID>` with the virtio device id in lower-case hex (e.g. `virtio,device1a` for GPIO), or `virtio,device` for a generic node. The comma inside is allowed here.',
    example: 'type=virtio,device22',
  },
  {
    name: 'transport',
    doc: 'Transport between guest and backend; only memory-mapped virtio is available.',
    values: ['mmio'],
    valueDocs: { mmio: 'virtio-mmio registers placed in the guest\'s memory map.' },
    example: 'transport=mmio',
  },
  { name: 'grant_usage', doc: 'Set to 1 to make the device use Xen grant mappings, 0 to let the backend map guest memory directly. Defaults to 1 when the backend is not dom0.', values: ['0', '1'], example: 'grant_usage=1' },
];
const KEY_NAMES = VIRTIO_KEYS.map((k) => k.name);

export const virtioLanguage = language('virtio', VIRTIO_KEYS, (text, out: Collector) => {
  const toks = strtok(text, ',');
  for (let i = 0; i < toks.length; i++) {
    let tok: Token = skipSpaces(toks[i]);
    if (tok.text.startsWith('type=') && tok.text.slice(5).startsWith('virtio')) {
      // xl glues the next comma-separated token back on: "type=virtio,device1a".
      const next = toks[i + 1];
      if (!next) {
        out.error(tok.start, tok.end, 'virtio-type', `${quoted(tok.text)} must be followed by ",device<ID>" (xl crashes otherwise), e.g. "type=virtio,device1a"`);
        return;
      }
      tok = { text: text.slice(tok.start, next.end), start: tok.start, end: next.end };
      i++;
    }
    const kv = splitPair(tok, false);
    if (!kv.hasEquals || !KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(tok.text)} in virtio spec${didYouMean(kv.key, KEY_NAMES)}; accepted keys: ${KEY_NAMES.join(', ')}`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    if (kv.key === 'transport' && !hasCaseless(['mmio'], kv.value)) {
      out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `unknown virtio transport ${quoted(kv.value)} (xl exits without a message); the only transport is "mmio"`);
      return;
    }
    if (kv.key === 'grant_usage') checkLooseNumber(out, kv.value, kv.valueStart, kv.key);
    if (kv.key === 'type' && !/^virtio,device([0-9a-f]+)?$/.test(kv.value)) {
      out.warning(kv.valueStart, kv.valueEnd, 'virtio-type', `unusual virtio type ${quoted(kv.value)}; expected "virtio,device<ID>" with a lower-case hex id, or "virtio,device"`);
    }
  }
});
