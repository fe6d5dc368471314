// VDISPL_SPEC (`vdispl = [ ... ]` entries): PV display devices, checked like xl_parse.c's
// parse_vdispl_config(); every problem there is fatal.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, checkLooseNumber, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const VDISPL_KEYS: readonly SpecKeyDoc[] = [
  { name: 'backend', doc: 'Name or id of the domain running the display backend.', default: 'dom0', example: 'backend=dom0' },
  { name: 'be-alloc', doc: 'Set to 1 to have the backend allocate the display buffers and share them with the guest, instead of the guest allocating them.', values: ['0', '1'], default: '0', example: 'be-alloc=1' },
  { name: 'connectors', doc: 'Virtual display outputs as `ID:WIDTHxHEIGHT` entries separated by `;`, e.g. `id0:1920x1080;id1:800x600`. At least one is required.', example: 'connectors=id0:1920x1080' },
];
const KEY_NAMES = VDISPL_KEYS.map((k) => k.name);

export const vdisplLanguage = language('vdispl', VDISPL_KEYS, (text, out: Collector) => {
  let connectors = 0;
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals || !KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(tok.text)} in vdispl spec${didYouMean(kv.key, KEY_NAMES)}; accepted keys: ${KEY_NAMES.join(', ')}`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    if (kv.key === 'be-alloc') checkLooseNumber(out, kv.value, kv.valueStart, kv.key);
    if (kv.key !== 'connectors') continue;
    const list = strtok(kv.value, ';', kv.valueStart);
    if (list.length === 0) {
      // split_string_into_string_list() on an empty string dereferences NULL.
      out.error(kv.valueStart, kv.valueEnd, 'vdispl-connector', 'empty connectors list (xl crashes on it); give at least one ID:WIDTHxHEIGHT');
      return;
    }
    connectors += list.length;
    for (const c of list) {
      const colon = c.text.indexOf(':');
      const res = colon < 0 ? '' : c.text.slice(colon + 1);
      // sscanf("%ux%u") must convert two numbers. parse_vdispl_config() returns what sscanf
      // returned: when not even the width converts, that is 0, which its caller takes for
      // success, so xl prints its message and goes on (without the connectors after this one).
      if (colon >= 0 && res !== '' && !/^\s*[+-]?[0-9]/.test(res)) {
        out.warning(c.start, c.end, 'vdispl-connector', `can't parse connector resolution in ${quoted(c.text)}: xl says so but goes on with a 0x0 connector and skips the ones after it; write ID:WIDTHxHEIGHT, e.g. "id0:1920x1080"`);
        break;
      }
      if (colon < 0 || !/^\s*[+-]?[0-9]+x\s*[+-]?[0-9]+/.test(res)) {
        out.error(c.start, c.end, 'vdispl-connector', `can't parse connector resolution in ${quoted(c.text)}; write ID:WIDTHxHEIGHT, e.g. "id0:1920x1080"`);
        return;
      }
    }
  }
  if (connectors === 0) out.error(0, text.length, 'vdispl-connector', 'at least one connector should be specified, e.g. "connectors=id0:1920x1080"');
});
