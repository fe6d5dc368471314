// USBDEV_SPEC (`usbdev = [ ... ]` entries): host USB devices passed to the guest, checked like
// xl_parse.c's parse_usbdev_config(); unknown keys and a bad type are fatal.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, checkLooseNumber, hasCaseless, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const USBDEV_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'type',
    doc: 'Kind of USB device; only host devices can be assigned.',
    values: ['hostdev'],
    default: 'hostdev',
    valueDocs: { hostdev: 'A physical USB device of the host, chosen by hostbus and hostaddr.' },
    example: 'type=hostdev',
  },
  { name: 'hostbus', doc: 'Host USB bus number of the device, as shown by `lsusb` ("Bus 003").', example: 'hostbus=3' },
  { name: 'hostaddr', doc: 'Device address on that host bus, as shown by `lsusb` ("Device 005"). It changes when the device is replugged.', example: 'hostaddr=5' },
  { name: 'controller', doc: 'Id of the guest USB controller (from the usbctrl list, starting at 0) to attach the device to. Without it a free port on any controller is used.', example: 'controller=0' },
  { name: 'port', doc: 'Port on the chosen controller, starting at 1; only meaningful together with controller.', example: 'port=1' },
];
const KEY_NAMES = USBDEV_KEYS.map((k) => k.name);

export const usbdevLanguage = language('usbdev', USBDEV_KEYS, (text, out: Collector) => {
  const seen = new Map<string, [number, number]>();
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals || !KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(tok.text)} in usbdev spec${didYouMean(kv.key, KEY_NAMES)}; accepted keys: ${KEY_NAMES.join(', ')}`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    seen.set(kv.key, [kv.start, kv.end]);
    if (kv.key === 'type') {
      if (!hasCaseless(['hostdev'], kv.value)) {
        out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `invalid usb device type ${quoted(kv.value)}; the only type is "hostdev"`);
        return;
      }
    } else {
      checkLooseNumber(out, kv.value, kv.valueStart, kv.key, kv.key === 'controller' || kv.key === 'port' ? 10 : 0);
    }
  }
  const port = seen.get('port');
  if (port && !seen.has('controller')) out.warning(port[0], port[1], 'usbdev-spec', 'port is only used together with controller=');
  if (!seen.has('hostbus') || !seen.has('hostaddr')) {
    out.warning(0, text.length, 'usbdev-spec', 'a host USB device needs both hostbus= and hostaddr= to be found');
  }
});
