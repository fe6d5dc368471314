// USBCTRL_SPEC (`usbctrl = [ ... ]` entries): virtual USB controllers, checked like xl_parse.c's
// parse_usbctrl_config() plus the version/ports limits libxl enforces when the guest is created.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, cAtoi, checkLooseNumber, hasCaseless, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

const TYPES = ['auto', 'pv', 'qusb', 'devicemodel'];

export const USBCTRL_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'type',
    doc: 'Implementation of the controller. `auto` picks `devicemodel` for HVM guests and `pv` (or `qusb` when the kernel backend is missing) otherwise.',
    values: TYPES,
    default: 'auto',
    valueDocs: {
      auto: 'Let libxl choose from the guest type and the available backends.',
      pv: 'PV USB through the usbback kernel driver; the guest needs a PV USB frontend.',
      qusb: 'PV USB served by QEMU in the backend domain.',
      devicemodel: 'Emulated USB controller inside the HVM guest\'s device model (UHCI, EHCI or XHCI by version).',
    },
    example: 'type=devicemodel',
  },
  {
    name: 'version',
    doc: 'USB protocol version of the controller: 1 (USB 1.1), 2 (USB 2.0) or 3 (USB 3.0, emulated controllers only).',
    values: ['1', '2', '3'],
    default: '2',
    example: 'version=3',
  },
  {
    name: 'ports',
    doc: 'Number of ports on the controller (1-31). Emulated controllers are fixed: 2 ports for USB 1.1, 6 for USB 2.0, up to 15 for USB 3.0.',
    default: '8 (pv/qusb)',
    example: 'ports=4',
  },
];
const KEY_NAMES = USBCTRL_KEYS.map((k) => k.name);

export const usbctrlLanguage = language('usbctrl', USBCTRL_KEYS, (text, out: Collector) => {
  let type = 'auto';
  let version: { v: number; s: number; e: number } | undefined;
  let ports: { v: number; s: number; e: number } | undefined;
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals || !KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(tok.text)} in usbctrl spec${didYouMean(kv.key, KEY_NAMES)}; accepted keys: type, version, ports`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    if (kv.key === 'type') {
      if (!hasCaseless(TYPES, kv.value)) {
        out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `invalid usb controller type ${quoted(kv.value)}; accepted: ${TYPES.join(', ')}`);
        return;
      }
      type = kv.value.toLowerCase();
    } else {
      checkLooseNumber(out, kv.value, kv.valueStart, kv.key, 10);
      const r = { v: cAtoi(kv.value).value, s: kv.valueStart, e: kv.valueEnd };
      if (kv.key === 'version') version = r;
      else ports = r;
    }
  }
  // Mirrors libxl__device_usbctrl_setdefault(); 0 means "use the default".
  if (version && version.v !== 0 && (version.v < 1 || version.v > 3)) {
    out.error(version.s, version.e, 'usbctrl-spec', `illegal USB version ${version.v}; use 1, 2 or 3`);
    return;
  }
  if (version && (type === 'pv' || type === 'qusb') && version.v === 3) {
    out.error(version.s, version.e, 'usbctrl-spec', 'the USB version for paravirtualized controllers (pv, qusb) must be 1 or 2');
    return;
  }
  if (ports && ports.v !== 0 && (ports.v < 1 || ports.v > 31)) {
    out.error(ports.s, ports.e, 'usbctrl-spec', `${ports.v} ports is out of range; a USB controller has 1-31 ports`);
    return;
  }
  if (type === 'devicemodel' && ports && ports.v !== 0) {
    const v = version && version.v !== 0 ? version.v : 2;
    if (v === 1 && ports.v !== 2) out.error(ports.s, ports.e, 'usbctrl-spec', 'number of ports for USB controller of version 1 is always 2');
    else if (v === 2 && ports.v !== 6) out.error(ports.s, ports.e, 'usbctrl-spec', 'number of ports for USB controller of version 2 is always 6');
    else if (v === 3 && ports.v > 15) out.error(ports.s, ports.e, 'usbctrl-spec', 'number of ports for USB controller of version 3 is limited to 15');
  }
});
