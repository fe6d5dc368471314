// VFB_SPEC (`vfb = [ ... ]` entries): PV framebuffer options. xl stops reading the spec at the
// first item without "=" and ignores unknown keys, both silently; we flag them as warnings.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, DuplicateTracker, checkLooseNumber, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const KEYMAPS = [
  'ar', 'da', 'de', 'de-ch', 'en-gb', 'en-us', 'es', 'et', 'fi', 'fo', 'fr', 'fr-be', 'fr-ca', 'fr-ch', 'hr',
  'hu', 'is', 'it', 'ja', 'lt', 'lv', 'mk', 'nl', 'nl-be', 'no', 'pl', 'pt', 'pt-br', 'ru', 'sl', 'sv', 'th', 'tr',
];

export const VFB_KEYS: readonly SpecKeyDoc[] = [
  { name: 'vnc', doc: 'Set to 1 to serve this framebuffer over VNC, 0 to turn VNC off.', values: ['0', '1'], default: '1', example: 'vnc=1' },
  { name: 'vnclisten', doc: 'Address the VNC server listens on, optionally with `:DISPLAY`. Keep the default loopback address: the extension\'s graphical console connects on the host itself (over SSH for a remote host).', default: '127.0.0.1', example: 'vnclisten=127.0.0.1' },
  { name: 'vncpasswd', doc: 'Password VNC clients must give; an empty value disables authentication. VNC authentication reads only its first 8 characters. It is stored in plain text in the config and in xenstore. The device model needs a DES cipher for it (Debian 12\'s `qemu-system-xen` has none: `xl create` then fails).', example: 'vncpasswd=s3cret' },
  { name: 'vncdisplay', doc: 'VNC display number; the server listens on TCP port 5900 plus this number.', example: 'vncdisplay=1' },
  { name: 'vncunused', doc: 'Set to 1 to let the VNC server search for the first free display number instead of failing when the chosen one is busy.', values: ['0', '1'], default: '1', example: 'vncunused=1' },
  { name: 'keymap', doc: 'Keyboard layout QEMU uses to translate VNC key events, such as `en-us` or `de`. Only needed when clients send keys the default layout gets wrong; it can garble keys in clients that send raw key codes, such as the extension\'s graphical console.', values: KEYMAPS, default: 'en-us', example: 'keymap=de' },
  { name: 'sdl', doc: 'Set to 1 to show the framebuffer in an SDL window on the host\'s X display (needs `display`/`xauthority` when xl runs without a desktop session).', values: ['0', '1'], default: '0', example: 'sdl=1' },
  {
    name: 'opengl',
    doc: 'Set to 1 to draw the SDL window with OpenGL, together with sdl=1. Only the old qemu-xen-traditional device model reads it; with qemu-xen it does nothing.',
    values: ['0', '1'],
    default: '0',
    example: 'opengl=1',
    version: { deprecatedIn: '4.21', source: 'b1763edcea docs: remove qemu-traditional support from documentation (xl still reads the key)' },
  },
  { name: 'display', doc: 'X display the SDL window opens on, for example `:0`.', example: 'display=:0' },
  { name: 'xauthority', doc: 'Path of the X authority file QEMU uses to connect to the SDL display.', example: 'xauthority=/root/.Xauthority' },
];
const KEY_NAMES = VFB_KEYS.map((k) => k.name);

export const vfbLanguage = language('vfb', VFB_KEYS, (text, out: Collector) => {
  const dup = new DuplicateTracker(out, 'vfb');
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals) {
      out.warning(tok.start, text.length, 'spec-ignored', `item ${quoted(tok.text)} has no "="; xl silently stops reading the vfb spec here, so the rest is ignored`);
      return;
    }
    if (!KEY_NAMES.includes(kv.key)) {
      out.warning(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown vfb option ${quoted(kv.key)}${didYouMean(kv.key, KEY_NAMES)}; xl silently ignores it`);
      continue;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    dup.note(kv.key, kv.keyStart, kv.keyEnd);
    switch (kv.key) {
      case 'vnc':
      case 'vncunused':
      case 'sdl':
      case 'opengl':
      case 'vncdisplay':
        checkLooseNumber(out, kv.value, kv.valueStart, kv.key, 10);
        break;
      case 'keymap':
        if (!KEYMAPS.includes(kv.value)) {
          out.warning(kv.valueStart, kv.valueEnd, 'bad-enum', `unknown keymap ${quoted(kv.value)}${didYouMean(kv.value, KEYMAPS)}; QEMU ships layouts such as en-us, en-gb, de, fr`);
        }
        break;
    }
  }
});
