// `serial` (HVM; a string or one list element): a QEMU `-serial` character device. xl passes it
// through unchecked, so problems here are only warnings about forms QEMU is unlikely to accept.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

const FORMS: Readonly<Record<string, string>> = {
  pty: 'A pseudo-terminal; reach it with `xl console -t serial`.',
  vc: 'QEMU\'s virtual console (only visible in the VNC/SDL display).',
  none: 'No serial port.',
  null: 'A port that discards output and never receives input.',
  stdio: 'QEMU\'s standard input/output (rarely useful under Xen, where QEMU runs detached).',
  file: '`file:PATH` writes the output to a file on the host.',
  pipe: '`pipe:PATH` uses the named pipes PATH.in and PATH.out.',
  tcp: '`tcp:[HOST]:PORT[,server=on][,wait=off]` connects to or listens on a TCP socket.',
  telnet: '`telnet:HOST:PORT[,server=on]` like tcp but speaking the telnet protocol.',
  udp: '`udp:[REMOTE]:PORT[@[LOCAL]:PORT]` sends and receives UDP datagrams.',
  unix: '`unix:PATH[,server=on]` uses a Unix domain socket.',
  mon: '`mon:DEV` multiplexes the QEMU monitor onto the device DEV.',
  chardev: '`chardev:ID` uses a character device defined elsewhere on the QEMU command line.',
  '/dev/': 'A host device node such as `/dev/ttyS0` is handed to the guest\'s port directly.',
};

export const SERIAL_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'serial',
    doc: 'Where the HVM guest\'s emulated serial port is connected, in QEMU `-serial` syntax; `pty` is the usual choice so `xl console` can attach.',
    values: Object.keys(FORMS),
    valueDocs: FORMS,
    example: 'serial = "pty"',
  },
];

const WITH_ARG = ['file', 'pipe', 'tcp', 'telnet', 'udp', 'unix', 'mon', 'chardev', 'vc', 'websocket'];
const BARE = ['pty', 'vc', 'none', 'null', 'stdio', 'msmouse', 'braille', 'testdev'];
/** Every form, for did-you-mean; one constant, so `closest` remembers its answers. */
const ALL_FORMS = [...BARE, ...WITH_ARG];

export const serialLanguage = language('serial', SERIAL_KEYS, (text, out: Collector) => {
  const length = text.length;
  out.part('serial', text, 0, length, 0, false);
  if (length === 0) {
    out.warning(0, 0, 'serial-device', 'empty serial device; use "pty", "none", "file:/path", "tcp::4555,server=on" or "/dev/ttyS0"');
    return;
  }
  if (text.startsWith('/dev/') || BARE.includes(text) || /^COM[0-9]+$/.test(text)) return;
  const colon = text.indexOf(':');
  const word = colon < 0 ? text : text.slice(0, colon);
  if (colon >= 0 && WITH_ARG.includes(word)) {
    if (colon === length - 1 && word !== 'vc') out.warning(colon, length, 'serial-device', `${quoted(word + ':')} needs an argument after the colon`);
    if ((word === 'tcp' || word === 'telnet') && !/:[0-9]+(,|$)/.test(text.slice(colon))) {
      out.warning(colon + 1, length, 'serial-device', `${quoted(text)} has no port number; write e.g. "${word}::4555,server=on"`);
    }
    return;
  }
  if (text.startsWith('/')) {
    out.warning(0, length, 'serial-device', `${quoted(text)} is not under /dev/; to log to a file write "file:${text}"`);
    return;
  }
  out.warning(0, colon < 0 ? length : colon, 'serial-device', `unrecognised serial device ${quoted(text)}${didYouMean(word, ALL_FORMS)}; QEMU will probably refuse it; common forms: pty, none, file:PATH, tcp:HOST:PORT, /dev/ttyS0`);
});
