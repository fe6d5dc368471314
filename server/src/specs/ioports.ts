// `ioports` list elements: `PORT` or `FIRST-LAST` in hex, checked like xl_parse.c (strtoul base 16).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, UINT32_MAX, cStrtoul, language, q } from './common';

export const IOPORTS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'first', doc: 'First x86 I/O port (hex, `0x` optional) of the range the guest may access directly.', example: '2f8' },
  { name: 'last', doc: 'Last I/O port of the range, inclusive (hex). Without it only the single port is granted.', example: '2ff' },
];

export const ioportsLanguage = language('ioports', IOPORTS_KEYS, (text, out: Collector) => {
  const n = text.length;
  const a = cStrtoul(text, 0, 16);
  if (!a.ok) {
    out.error(0, n, 'ioports-spec', `invalid argument parsing ioport ${q(text)}; write a hex port or FIRST-LAST, e.g. "2f8-2ff"`);
    return;
  }
  if (a.value >= BigInt(UINT32_MAX)) {
    out.error(0, a.end, 'ioports-spec', `ioport ${q(text.slice(0, a.end))} too big`);
    return;
  }
  out.part('first', text.slice(0, a.end), 0, a.end, 0, false);
  if (text[a.end] === '-') {
    const b = cStrtoul(text, a.end + 1, 16);
    if (!b.ok || b.end !== n) {
      out.error(a.end, n, 'ioports-spec', `invalid argument parsing ioport ${q(text)}; the end of the range must be a hex port with nothing after it`);
      return;
    }
    if (b.value >= BigInt(UINT32_MAX)) {
      out.error(a.end + 1, n, 'ioports-spec', `ioport ${q(text.slice(a.end + 1))} too big`);
      return;
    }
    out.part('last', text.slice(a.end + 1), a.end + 1, n, a.end + 1, false);
    if (b.value < a.value) out.warning(0, n, 'ioports-spec', `the range ${q(text)} ends before it starts; xl does not check the order and the grant will be wrong`);
    if (b.value > 0xffffn) out.warning(a.end + 1, n, 'ioports-spec', 'x86 I/O ports only go up to ffff');
  } else if (a.end !== n) {
    out.warning(a.end, n, 'ioports-spec', `invalid argument parsing ioport ${q(text)}: trailing ${q(text.slice(a.end))} is reported and ignored`);
  } else if (a.value > 0xffffn) {
    out.warning(0, n, 'ioports-spec', 'x86 I/O ports only go up to ffff');
  }
});
