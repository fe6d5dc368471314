// `boot` (HVM): the boot device order handed to QEMU as `-boot order=...`. xl does not check it;
// QEMU does, so bad letters stop the device model and with it `xl create`.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';

const DEVICE_DOCS: Readonly<Record<string, string>> = {
  c: 'First hard disk.',
  d: 'First CD-ROM drive.',
  n: 'Network boot (PXE) from the first emulated NIC.',
  a: 'Floppy drive; accepted for old configs, HVM guests have no floppy.',
};

export const BOOT_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'boot',
    doc: 'Boot devices of an HVM guest as a string of letters tried in order: `c` hard disk, `d` CD-ROM, `n` network. For example `dc` tries the CD first and falls back to the disk.',
    values: ['c', 'd', 'n', 'a'],
    valueDocs: DEVICE_DOCS,
    default: 'cda',
    example: 'boot = "dc"',
  },
];

export const bootLanguage = language('boot', BOOT_KEYS, (text, out: Collector) => {
  out.part('boot', text, 0, text.length, 0, false);
  if (text === '') {
    out.warning(0, 0, 'boot-device', 'empty boot order; use letters such as "c" (disk), "d" (CD-ROM), "n" (network)');
    return;
  }
  const seen = new Set<string>();
  // Past the problems described per value, the rest of the string can only add more (dropped).
  for (let i = 0; i < text.length && !out.full; i++) {
    const c = text[i];
    if (c >= 'a' && c <= 'p') {
      if (seen.has(c)) {
        // QEMU's validate_bootdevices(): "Boot device 'c' was given twice".
        out.error(i, i + 1, 'boot-device', `boot device ${quoted(c)} was given twice; list each device once`);
      } else if (!'acdn'.includes(c)) {
        out.warning(i, i + 1, 'boot-device', `boot device ${quoted(c)} has no device behind it on a Xen HVM guest; use c (disk), d (CD-ROM) or n (network)`);
      }
      seen.add(c);
    } else {
      out.error(i, i + 1, 'boot-device', `invalid boot device ${quoted(c)}; use c (disk), d (CD-ROM) or n (network)`);
    }
  }
});
