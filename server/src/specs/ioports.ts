// `ioports` list elements: `PORT` or `FIRST-LAST` in hex, checked like xl_parse.c (strtoul base 16).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, UINT32_MAX, cStrtoul, language, quoted } from './common';

export const IOPORTS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'first', doc: 'First x86 I/O port (hex, `0x` optional) of the range the guest may access directly.', example: '2f8' },
  { name: 'last', doc: 'Last I/O port of the range, inclusive (hex). Without it only the single port is granted.', example: '2ff' },
];

export const ioportsLanguage = language('ioports', IOPORTS_KEYS, (text, out: Collector) => {
  const length = text.length;
  const low = cStrtoul(text, 0, 16);
  if (!low.ok) {
    out.error(0, length, 'ioports-spec', `invalid argument parsing ioport ${quoted(text)}; write a hex port or FIRST-LAST, e.g. "2f8-2ff"`);
    return;
  }
  if (low.value >= BigInt(UINT32_MAX)) {
    out.error(0, low.end, 'ioports-spec', `ioport ${quoted(text.slice(0, low.end))} too big`);
    return;
  }
  out.part('first', text.slice(0, low.end), 0, low.end, 0, false);
  if (text[low.end] === '-') {
    const high = cStrtoul(text, low.end + 1, 16);
    if (!high.ok || high.end !== length) {
      out.error(low.end, length, 'ioports-spec', `invalid argument parsing ioport ${quoted(text)}; the end of the range must be a hex port with nothing after it`);
      return;
    }
    if (high.value >= BigInt(UINT32_MAX)) {
      out.error(low.end + 1, length, 'ioports-spec', `ioport ${quoted(text.slice(low.end + 1))} too big`);
      return;
    }
    out.part('last', text.slice(low.end + 1), low.end + 1, length, low.end + 1, false);
    if (high.value < low.value) out.warning(0, length, 'ioports-spec', `the range ${quoted(text)} ends before it starts; xl does not check the order and the grant will be wrong`);
    if (high.value > 0xffffn) out.warning(low.end + 1, length, 'ioports-spec', 'x86 I/O ports only go up to ffff');
  } else if (low.end !== length) {
    out.warning(low.end, length, 'ioports-spec', `invalid argument parsing ioport ${quoted(text)}: trailing ${quoted(text.slice(low.end))} is reported and ignored`);
  } else if (low.value > 0xffffn) {
    out.warning(0, length, 'ioports-spec', 'x86 I/O ports only go up to ffff');
  }
});
