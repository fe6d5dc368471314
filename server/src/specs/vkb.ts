// VKB_SPEC (`vkb = [ ... ]` entries): PV keyboard/pointer devices, checked like xl_parse.c's
// parse_vkb_config() and parse_vkb_list(); every problem there is fatal.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, checkLooseNumber, cStrtoul, hasCaseless, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const VKB_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'backend-type',
    doc: 'Which program provides the virtual keyboard/pointer backend. Required in every vkb spec.',
    values: ['qemu', 'linux'],
    valueDocs: { qemu: 'QEMU provides the backend (e.g. alongside a VNC framebuffer).', linux: 'A user-space backend in a Linux domain (for example a display manager\'s input backend).' },
    example: 'backend-type=linux',
  },
  { name: 'backend', doc: 'Name or id of the domain running the backend.', default: 'dom0', example: 'backend=dom0' },
  { name: 'unique-id', doc: 'Identifier the backend uses to tell several input devices apart; it must match what the backend expects.', example: 'unique-id=KEYBOARD0' },
  { name: 'feature-disable-keyboard', doc: 'Set to 1 to expose only a pointer and no keyboard.', values: ['0', '1'], example: 'feature-disable-keyboard=1' },
  { name: 'feature-disable-pointer', doc: 'Set to 1 to expose only a keyboard and no pointer.', values: ['0', '1'], example: 'feature-disable-pointer=1' },
  { name: 'feature-abs-pointer', doc: 'Set to 1 to report absolute pointer coordinates (tablet style) rather than relative mouse movement.', values: ['0', '1'], example: 'feature-abs-pointer=1' },
  { name: 'feature-raw-pointer', doc: 'Set to 1 to pass raw, unscaled pointer coordinates to the guest.', values: ['0', '1'], example: 'feature-raw-pointer=1' },
  { name: 'feature-multi-touch', doc: 'Set to 1 to expose a multi-touch device; then the three multi-touch sizes must be given too.', values: ['0', '1'], example: 'feature-multi-touch=1' },
  { name: 'width', doc: 'Width of the absolute pointer coordinate range.', example: 'width=1920' },
  { name: 'height', doc: 'Height of the absolute pointer coordinate range.', example: 'height=1080' },
  { name: 'multi-touch-width', doc: 'Width of the multi-touch surface; setting it turns multi-touch on.', example: 'multi-touch-width=1920' },
  { name: 'multi-touch-height', doc: 'Height of the multi-touch surface; setting it turns multi-touch on.', example: 'multi-touch-height=1080' },
  { name: 'multi-touch-num-contacts', doc: 'How many simultaneous touch points the device reports; setting it turns multi-touch on.', example: 'multi-touch-num-contacts=10' },
];
const KEY_NAMES = VKB_KEYS.map((k) => k.name);

export const vkbLanguage = language('vkb', VKB_KEYS, (text, out: Collector) => {
  let backendType = false;
  let mtFeature = false;
  let mtSize = false;
  let mtFeatureAt: [number, number] | undefined;
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals || !KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(tok.text)} in vkb spec${didYouMean(kv.key, KEY_NAMES)}; accepted keys: ${KEY_NAMES.join(', ')}`);
      return; // xl exits at the first bad item
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    if (kv.key === 'backend-type') {
      // libxl_vkb_backend_from_string() also knows "unknown", which then fails the "should be set" check.
      if (!hasCaseless(['qemu', 'linux', 'unknown'], kv.value)) {
        out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `unknown backend_type ${quoted(kv.value)} in vkb spec; accepted: "qemu", "linux"`);
        return;
      }
      backendType = kv.value.toLowerCase() !== 'unknown';
    } else if (kv.key !== 'backend' && kv.key !== 'unique-id') {
      checkLooseNumber(out, kv.value, kv.valueStart, kv.key);
      const v = cStrtoul(kv.value, 0, 0);
      const nonZero = v.ok && v.value !== 0n;
      if (kv.key === 'feature-multi-touch' && nonZero) {
        mtFeature = true;
        mtFeatureAt = [kv.start, kv.end];
      }
      if (kv.key.startsWith('multi-touch-') && nonZero) mtSize = true;
    }
  }
  if (!backendType) {
    out.error(0, text.length, 'vkb-spec', 'backend-type should be set in vkb spec; add "backend-type=qemu" or "backend-type=linux"');
    return;
  }
  if (mtFeature && !mtSize && mtFeatureAt) {
    out.error(mtFeatureAt[0], mtFeatureAt[1], 'vkb-spec', 'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec');
  }
});
