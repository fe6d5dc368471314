// PCI_SPEC_STRING (`pci = [ ... ]` entries): a positional BDF with optional `@vslot`, then
// `key=value` options, scanned like libxlu_pci.c's xlu_pci_parse_spec_string().
import { type Collector, DuplicateTracker, checkLooseNumber, hasCaseless, isHexDigit, language, quoted } from './common';
import { RDM_POLICIES, PCI_KEYS } from './pci-keys';
import { didYouMean } from '../text/suggest';

const KEY_NAMES = PCI_KEYS.map((k) => k.name);

/** Result of scanning a BDF with libxlu_pci.c's parse_bdf(). */
export interface Bdf {
  readonly ok: boolean;
  /** Offset (relative) just after the BDF. */
  readonly end: number;
  readonly reason?: string;
}

/** Reads a `%x` conversion the way sscanf does (optional `0x`), returning the value and end. */
function scanHex(text: string, pos: number): { value: number; end: number } | undefined {
  let i = pos;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && isHexDigit(text[i + 2])) i += 2;
  const start = i;
  let v = 0;
  while (i < text.length && isHexDigit(text[i])) {
    v = v * 16 + parseInt(text[i], 16);
    if (v > 0xffffffff) v = 0xffffffff + 1;
    i++;
  }
  return i === start ? undefined : { value: v, end: i };
}

/** Mirrors parse_bdf(): `[DDDD:]BB:DD.F` or `...DD.*`, in hex. */
export function parseBdf(text: string): Bdf {
  let colons = 0;
  let i = 0;
  while (i < text.length && (isHexDigit(text[i]) || text[i] === ':')) {
    if (text[i] === ':') colons++;
    i++;
  }
  if (colons !== 1 && colons !== 2) {
    return { ok: false, end: 0, reason: colons === 0 ? 'it has no ":" between bus and device' : 'it has too many ":"' };
  }
  let p = 0;
  let domain = 0;
  if (colons === 2) {
    const d = scanHex(text, p);
    if (!d || text[d.end] !== ':') return { ok: false, end: 0, reason: 'the domain is not a hex number' };
    domain = d.value;
    p = d.end + 1;
  }
  const bus = scanHex(text, p);
  if (!bus || text[bus.end] !== ':') return { ok: false, end: 0, reason: 'the bus is not a hex number' };
  const dev = scanHex(text, bus.end + 1);
  if (!dev) return { ok: false, end: 0, reason: 'the device (slot) is not a hex number' };
  if (text[dev.end] !== '.') return { ok: false, end: 0, reason: 'the function is missing (add ".0", or ".*" for all functions)' };
  if (domain > 0xffff) return { ok: false, end: 0, reason: 'the domain is above ffff' };
  if (bus.value > 0xff) return { ok: false, end: 0, reason: 'the bus is above ff' };
  if (dev.value > 0x1f) return { ok: false, end: 0, reason: 'the device (slot) is above 1f' };
  p = dev.end + 1;
  if (text[p] === '*') return { ok: true, end: p + 1 };
  const fn = scanHex(text, p);
  if (!fn) return { ok: false, end: 0, reason: 'the function is not a number 0-7 or "*"' };
  if (fn.value > 7) return { ok: false, end: 0, reason: 'the function is above 7' };
  return { ok: true, end: fn.end };
}

const BDF_HELP = 'expected [DDDD:]BB:DD.F in hex, e.g. 0000:03:00.0 or 03:00.*';

export const pciLanguage = language('pci', PCI_KEYS, (text, out) => {
  const length = text.length;
  let ptr = 0;
  let bdfPresent = false;
  let namePresent = false;
  const dup = new DuplicateTracker(out, 'pci');

  const bdf = parseBdf(text);
  if (bdf.ok) {
    bdfPresent = true;
    out.part('bdf', text.slice(0, bdf.end), 0, bdf.end, 0, false);
    ptr = bdf.end;
    if (text[ptr] === '@') {
      const valueStart = ptr + 1;
      const v = scanHex(text, valueStart);
      let valueEnd = valueStart;
      while (valueEnd < length && text[valueEnd] !== ',') valueEnd++;
      if (!v || v.value > 0x1f) {
        out.error(valueStart - 1, valueEnd, 'pci-vslot', `invalid virtual slot ${quoted(text.slice(valueStart, valueEnd))}; give a hex slot 0-1f after "@"`);
        return;
      }
      out.part('vslot', text.slice(valueStart, v.end), valueStart - 1, v.end, valueStart, false);
      ptr = v.end;
    }
    if (text[ptr] === ',') ptr++;
    else if (ptr < length) {
      let e = ptr;
      while (e < length && text[e] !== ',') e++;
      out.error(ptr, e, 'pci-spec', `unexpected text ${quoted(text.slice(ptr, e))} after the PCI address; options follow a comma, with no spaces`);
      return;
    }
  }

  if (!bdf.ok && length > 0) {
    // Not a BDF: xl falls back to key=value parsing, which fails on a first item without "=".
    let e = 0;
    while (e < length && text[e] !== ',') e++;
    const chunk = text.slice(0, e);
    if (!chunk.includes('=')) {
      out.error(0, e, 'pci-bdf', `invalid PCI address ${quoted(chunk)}: ${bdf.reason ?? 'unexpected text'}; ${BDF_HELP}`);
      return;
    }
  }

  // Mirrors parse_key_val(): `key=value` up to the next comma; no whitespace is skipped anywhere.
  while (ptr < length) {
    const start = ptr;
    let equals = ptr;
    while (equals < length && text[equals] !== '=') equals++;
    if (equals >= length) {
      let e = start;
      while (e < length && text[e] !== ',') e++;
      out.error(start, e, 'pci-spec', `unable to parse PCI_SPEC_STRING: ${quoted(text.slice(start, e))} is not a key=value option`);
      return;
    }
    const key = text.slice(start, equals);
    const valueStart = equals + 1;
    let valueEnd = valueStart;
    while (valueEnd < length && text[valueEnd] !== ',') valueEnd++;
    const value = text.slice(valueStart, valueEnd);
    ptr = valueEnd < length ? valueEnd + 1 : valueEnd;
    if (!KEY_NAMES.includes(key)) {
      out.error(start, equals, 'spec-unknown-key', `unknown PCI_SPEC_STRING option ${quoted(key)}${didYouMean(key, KEY_NAMES)}; accepted: ${KEY_NAMES.join(', ')}${key.trim() !== key ? '; spaces are not allowed' : ''}`);
      return;
    }
    out.part(key, value, start, valueEnd, valueStart, true);
    dup.note(key, start, equals);
    switch (key) {
      case 'bdf': {
        const bdf = parseBdf(value);
        if (!bdf.ok || bdf.end !== value.length) {
          out.error(valueStart, valueEnd, 'pci-bdf', `invalid PCI address ${quoted(value)}${bdf.reason ? `: ${bdf.reason}` : ''}; ${BDF_HELP}`);
          return;
        }
        if (bdfPresent) out.warning(start, valueEnd, 'pci-spec', 'the PCI address is given twice; the later one wins');
        bdfPresent = true;
        break;
      }
      case 'vslot': {
        const v = scanHex(value, 0);
        if (!v || v.value > 0x1f) {
          out.error(valueStart, valueEnd, 'pci-vslot', `invalid virtual slot ${quoted(value)}; give a hex slot 0-1f`);
          return;
        }
        break;
      }
      case 'permissive':
      case 'msitranslate':
      case 'seize':
      case 'power_mgmt':
        checkLooseNumber(out, value, valueStart, key, 10);
        break;
      case 'rdm_policy':
        if (!hasCaseless(RDM_POLICIES, value)) {
          out.error(valueStart, valueEnd, 'bad-enum', `unknown RDM policy ${quoted(value)}; accepted: "strict", "relaxed"`);
          return;
        }
        break;
      case 'name':
        namePresent = true;
        break;
    }
  }

  // Mirrors `if (!(bdf_present ^ name_present)) return ERROR_INVAL;`.
  if (bdfPresent && namePresent) {
    out.error(0, length, 'pci-spec', 'give either a PCI address or name=, not both');
  } else if (!bdfPresent && !namePresent) {
    out.error(0, length, 'pci-spec', `no device given: start with a PCI address (${BDF_HELP.replace('expected ', '')}) or use name=`);
  }
});

/** Validates a bare BDF (used by other modules and `pci_*` helpers). */
export function checkBdf(out: Collector, value: string, start: number): boolean {
  const bdf = parseBdf(value);
  if (!bdf.ok || bdf.end !== value.length) {
    out.error(start, start + value.length, 'pci-bdf', `invalid PCI address ${quoted(value)}${bdf.reason ? `: ${bdf.reason}` : ''}; ${BDF_HELP}`);
    return false;
  }
  return true;
}
