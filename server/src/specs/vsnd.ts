// VSND: one string of a sound card's list (`vsnd = [ [ 'CARD, ...', 'PCM, ...', 'STREAM, ...' ] ]`),
// checked like xl_parse.c's parse_vsnd_item(). Sample formats follow the code, not the man page.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, checkLooseNumber, hasCaseless, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

/** libxl_vsnd_pcm_format names (case-insensitive); the man page's float_* spellings are rejected. */
export const VSND_FORMATS = [
  's8', 'u8', 's16_le', 's16_be', 'u16_le', 'u16_be', 's24_le', 's24_be', 'u24_le', 'u24_be', 's32_le', 's32_be',
  'u32_le', 'u32_be', 'f32_le', 'f32_be', 'f64_le', 'f64_be', 'iec958_subframe_le', 'iec958_subframe_be',
  'mu_law', 'a_law', 'ima_adpcm', 'mpeg', 'gsm',
];

/** The man page's names for formats libxl calls otherwise. */
const MAN_PAGE_FORMATS: Readonly<Record<string, string>> = { float_le: 'f32_le', float_be: 'f32_be', float64_le: 'f64_le', float64_be: 'f64_be' };

/** The man page's `id=` for a stream, which xl does not read. */
const MAN_PAGE_KEYS: Readonly<Record<string, string>> = { id: 'unique-id' };

const LEVELS = ['CARD', 'PCM', 'STREAM'];

const COMMON = ['sample-rates', 'sample-formats', 'channels-min', 'channels-max', 'buffer-size'];
const LEVEL_KEYS: Readonly<Record<string, readonly string[]>> = {
  card: ['backend', 'short-name', 'long-name', ...COMMON],
  pcm: ['name', ...COMMON],
  stream: ['unique-id', 'type', ...COMMON],
};

export const VSND_KEYS: readonly SpecKeyDoc[] = [
  { name: 'CARD', doc: 'First word of an item that sets options of the sound card itself (backend, names and default stream parameters).', example: 'CARD, short-name=Main' },
  { name: 'PCM', doc: 'First word of an item that starts a new PCM device on the card; following options apply to that device.', example: 'PCM, name=Main' },
  { name: 'STREAM', doc: 'First word of an item that adds a playback or capture stream to the most recent PCM device.', example: 'STREAM, unique-id=0, type=P' },
  { name: 'backend', doc: 'CARD level: name or id of the domain running the sound backend.', default: 'dom0', example: 'backend=dom0' },
  { name: 'short-name', doc: 'CARD level: short card name shown to the guest\'s sound system.', example: 'short-name=VCard' },
  { name: 'long-name', doc: 'CARD level: descriptive card name shown to the guest.', example: 'long-name=Virtual sound card' },
  { name: 'name', doc: 'PCM level: name of the PCM device as the guest sees it.', example: 'name=Main' },
  { name: 'unique-id', doc: 'STREAM level: identifier that ties the stream to a backend stream; it must match the backend configuration (the man page\'s `id=` does not work).', example: 'unique-id=pulse' },
  {
    name: 'type',
    doc: 'STREAM level: direction of the stream.',
    values: ['p', 'c'],
    valueDocs: { p: 'Playback (guest to speakers).', c: 'Capture (microphone to guest).' },
    example: 'type=p',
  },
  { name: 'sample-rates', doc: 'Sample rates in Hz the device supports, separated by `;`, e.g. `44100;48000`. Inherited by lower levels unless overridden.', example: 'sample-rates=44100;48000' },
  {
    name: 'sample-formats',
    doc: 'Sample formats the device supports, separated by `;`. Use the names libxl knows (`s16_le`, `f32_le`, ...); the `float_*` names from the man page are rejected.',
    values: VSND_FORMATS,
    example: 'sample-formats=s16_le;s32_le',
  },
  { name: 'channels-min', doc: 'Smallest number of audio channels the device accepts.', example: 'channels-min=1' },
  { name: 'channels-max', doc: 'Largest number of audio channels the device accepts.', example: 'channels-max=2' },
  { name: 'buffer-size', doc: 'Size of the shared audio buffer in bytes.', example: 'buffer-size=65536' },
];

export const vsndLanguage = language('vsnd', VSND_KEYS, (text, out: Collector) => {
  let level: string | undefined;
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    if (level === undefined) {
      if (!hasCaseless(['card', 'pcm', 'stream'], tok.text)) {
        out.error(tok.start, tok.end, 'spec-unknown-key', `invalid key ${quoted(tok.text)}${didYouMean(tok.text, LEVELS)}; each vsnd item starts with CARD, PCM or STREAM`);
        return;
      }
      level = tok.text.toLowerCase();
      out.part(tok.text.toUpperCase(), '', tok.start, tok.end, tok.end, true);
      continue;
    }
    const allowed = LEVEL_KEYS[level];
    const kv = splitPair(tok, false);
    if (!kv.hasEquals || !allowed.includes(kv.key)) {
      let hint = didYouMean(kv.key, allowed, MAN_PAGE_KEYS);
      const elsewhere = Object.entries(LEVEL_KEYS).find(([l, ks]) => l !== level && ks.includes(kv.key));
      if (elsewhere) hint = `; ${quoted(kv.key)} belongs to a ${elsewhere[0].toUpperCase()} item`;
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `invalid parameter ${quoted(tok.text)}${hint}; ${level.toUpperCase()} accepts ${allowed.join(', ')}`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    switch (kv.key) {
      case 'sample-formats':
        for (const f of strtok(kv.value, ';', kv.valueStart)) {
          if (!hasCaseless(VSND_FORMATS, f.text)) {
            out.error(f.start, f.end, 'bad-enum', `invalid pcm format ${quoted(f.text)}${didYouMean(f.text, VSND_FORMATS, MAN_PAGE_FORMATS)}; accepted: ${VSND_FORMATS.join(', ')}`);
            return;
          }
        }
        break;
      case 'sample-rates':
        for (const rate of strtok(kv.value, ';', kv.valueStart)) checkLooseNumber(out, rate.text, rate.start, 'sample-rates');
        break;
      case 'channels-min':
      case 'channels-max':
      case 'buffer-size':
        checkLooseNumber(out, kv.value, kv.valueStart, kv.key);
        break;
      case 'type':
        if (!hasCaseless(['p', 'c'], kv.value)) {
          out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `invalid stream type ${quoted(kv.value)}; accepted: "p" (playback), "c" (capture)`);
          return;
        }
        break;
    }
  }
});
