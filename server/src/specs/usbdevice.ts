// `usbdevice` (HVM; string or list element): a QEMU emulated USB device, passed through unchecked
// by xl, so only warnings are given for forms QEMU is unlikely to accept.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

const FORMS: Readonly<Record<string, string>> = {
  tablet: 'A USB tablet: absolute pointer, keeps the VNC cursor in sync with the guest\'s.',
  mouse: 'A USB mouse with relative movement.',
  keyboard: 'A USB keyboard.',
  host: '`host:VID:PID` or `host:BUS.ADDR` passes a host USB device through QEMU.',
};

export const USBDEVICE_KEYS: readonly SpecKeyDoc[] = [
  { name: 'usbdevice', doc: 'Emulated USB device for an HVM guest; `tablet` is the usual choice for a smooth mouse pointer over VNC.', values: Object.keys(FORMS), valueDocs: FORMS, example: 'usbdevice = "tablet"' },
];

/** The devices xl knows; a constant, so `closest` remembers its answers (a new array each call would not). */
const DEVICES = ['tablet', 'mouse', 'keyboard'];

export const usbdeviceLanguage = language('usbdevice', USBDEVICE_KEYS, (text, out: Collector) => {
  const length = text.length;
  out.part('usbdevice', text, 0, length, 0, false);
  if (text === 'tablet' || text === 'mouse' || text === 'keyboard') return;
  if (text.startsWith('host:')) {
    const arg = text.slice(5);
    if (!/^([0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|[1-9][0-9]*\.[1-9][0-9]*)$/.test(arg)) {
      out.warning(5, length, 'usbdevice', `unusual host device ${quoted(arg)}; write host:VENDOR:PRODUCT in hex or host:BUS.ADDR in decimal without leading zeros`);
    }
    return;
  }
  out.warning(0, length, 'usbdevice', `unrecognised USB device ${quoted(text)}${didYouMean(text, DEVICES)}; use tablet, mouse, keyboard or host:VID:PID`);
});
