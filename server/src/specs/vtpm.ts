// VTPM_SPEC (`vtpm = [ ... ]` entries): virtual TPM devices served by a vTPM stub domain, checked
// like xl_parse.c: an item without "=" silently ends the spec; unknown keys are fatal.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, isUuid, language, quoted, skipSpaces, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const VTPM_KEYS: readonly SpecKeyDoc[] = [
  { name: 'backend', doc: 'Name or id of the vTPM stub domain that implements this TPM. Required.', example: 'backend=vtpm-guest1' },
  { name: 'uuid', doc: 'UUID identifying the vTPM instance, in the usual 8-4-4-4-12 hex form. Without it one is generated, which makes the TPM state hard to match up later.', example: 'uuid=b8bd4bd6-0d63-4a8f-9c4d-21a13e1c7e8b' },
];
const KEY_NAMES = VTPM_KEYS.map((k) => k.name);

export const vtpmLanguage = language('vtpm', VTPM_KEYS, (text, out: Collector) => {
  let backend = false;
  for (const raw of strtok(text, ',')) {
    const tok = skipSpaces(raw);
    const kv = splitPair(tok, false);
    if (!kv.hasEquals) {
      out.warning(tok.start, text.length, 'spec-ignored', `item ${quoted(tok.text)} has no "="; xl silently stops reading the vtpm spec here`);
      break;
    }
    if (!KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown string ${quoted(kv.key)} in vtpm spec${didYouMean(kv.key, KEY_NAMES)}; accepted: backend, uuid`);
      return;
    }
    out.part(kv.key, kv.value, kv.start, kv.end, kv.valueStart, true);
    if (kv.key === 'backend') backend = true;
    if (kv.key === 'uuid' && !isUuid(kv.value)) {
      out.error(kv.valueStart, kv.valueEnd, 'vtpm-uuid', `failed to parse vtpm UUID ${quoted(kv.value)}; use the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex)`);
      return;
    }
  }
  if (!backend) out.error(0, text.length, 'vtpm-spec', 'vtpm spec missing required backend field; add backend=<vTPM stub domain>');
});
