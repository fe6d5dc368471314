// PCI_SPEC_STRING (`pci = [ ... ]` entries): a positional BDF with optional `@vslot`, then
// `key=value` options, scanned like libxlu_pci.c's xlu_pci_parse_spec_string().
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, DuplicateTracker, checkLooseNumber, closest, hasCaseless, isHexDigit, language, q } from './common';

const RDM_POLICIES = ['strict', 'relaxed'];

export const PCI_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'bdf',
    doc: 'Host PCI address of the device to pass through, `[DDDD:]BB:DD.F` in hex (domain, bus, device, function); `*` as the function passes every function of the device. Usually written positionally as the first item.',
    example: 'bdf=0000:03:00.0',
  },
  {
    name: 'vslot',
    doc: 'Virtual PCI slot (hex, 0-1f) the device gets inside an HVM guest. Without it the first free slot is used. Positionally it is written as `BDF@VSLOT`.',
    example: 'vslot=0x5',
  },
  {
    name: 'permissive',
    doc: 'Set to 1 to let the guest write PCI config space registers that pciback would normally block. Some devices need this, but it weakens isolation from a malicious guest.',
    values: ['0', '1'],
    default: 'pci_permissive (0)',
    example: 'permissive=1',
  },
  {
    name: 'msitranslate',
    doc: 'Set to 1 to have MSI interrupts of the device delivered to an HVM guest as legacy INTx interrupts (through QEMU); a workaround for guests with broken MSI handling.',
    values: ['0', '1'],
    default: 'pci_msitranslate (0)',
    example: 'msitranslate=1',
  },
  {
    name: 'seize',
    doc: 'Set to 1 to let xl unbind the device from its host driver and hand it to pciback automatically if it has not been made assignable yet. Convenient but can grab a device the host is using.',
    values: ['0', '1'],
    default: 'pci_seize (0)',
    example: 'seize=1',
  },
  {
    name: 'power_mgmt',
    doc: 'HVM only: set to 1 to let the guest control the device\'s PCI power states (D0-D3).',
    values: ['0', '1'],
    default: 'pci_power_mgmt (0)',
    example: 'power_mgmt=1',
  },
  {
    name: 'rdm_policy',
    doc: 'What happens when a reserved device memory region of this device (for example an RMRR) clashes with the guest memory layout: `strict` refuses to start the guest, `relaxed` only warns.',
    values: RDM_POLICIES,
    default: 'relaxed (or the rdm= policy)',
    valueDocs: {
      strict: 'A conflict is fatal: the guest is not created.',
      relaxed: 'A conflict is logged and creation continues.',
    },
    example: 'rdm_policy=strict',
  },
  {
    name: 'name',
    doc: 'Refers to a device by the name given with `xl pci-assignable-add -n NAME` instead of by address. Use either a BDF or a name, never both.',
    example: 'name=gpu0',
  },
];

const KEY_NAMES = PCI_KEYS.map((k) => k.name);

/** Result of scanning a BDF with libxlu_pci.c's parse_bdf(). */
export interface Bdf {
  readonly ok: boolean;
  /** Offset (relative) just after the BDF. */
  readonly end: number;
  readonly reason?: string;
}

/** Reads a `%x` conversion the way sscanf does (optional `0x`), returning the value and end. */
function scanHex(s: string, pos: number): { value: number; end: number } | undefined {
  let i = pos;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isHexDigit(s[i + 2])) i += 2;
  const start = i;
  let v = 0;
  while (i < s.length && isHexDigit(s[i])) {
    v = v * 16 + parseInt(s[i], 16);
    if (v > 0xffffffff) v = 0xffffffff + 1;
    i++;
  }
  return i === start ? undefined : { value: v, end: i };
}

/** Mirrors parse_bdf(): `[DDDD:]BB:DD.F` or `...DD.*`, in hex. */
export function parseBdf(s: string): Bdf {
  let colons = 0;
  let i = 0;
  while (i < s.length && (isHexDigit(s[i]) || s[i] === ':')) {
    if (s[i] === ':') colons++;
    i++;
  }
  if (colons !== 1 && colons !== 2) {
    return { ok: false, end: 0, reason: colons === 0 ? 'it has no ":" between bus and device' : 'it has too many ":"' };
  }
  let p = 0;
  let domain = 0;
  if (colons === 2) {
    const d = scanHex(s, p);
    if (!d || s[d.end] !== ':') return { ok: false, end: 0, reason: 'the domain is not a hex number' };
    domain = d.value;
    p = d.end + 1;
  }
  const bus = scanHex(s, p);
  if (!bus || s[bus.end] !== ':') return { ok: false, end: 0, reason: 'the bus is not a hex number' };
  const dev = scanHex(s, bus.end + 1);
  if (!dev) return { ok: false, end: 0, reason: 'the device (slot) is not a hex number' };
  if (s[dev.end] !== '.') return { ok: false, end: 0, reason: 'the function is missing (add ".0", or ".*" for all functions)' };
  if (domain > 0xffff) return { ok: false, end: 0, reason: 'the domain is above ffff' };
  if (bus.value > 0xff) return { ok: false, end: 0, reason: 'the bus is above ff' };
  if (dev.value > 0x1f) return { ok: false, end: 0, reason: 'the device (slot) is above 1f' };
  p = dev.end + 1;
  if (s[p] === '*') return { ok: true, end: p + 1 };
  const fn = scanHex(s, p);
  if (!fn) return { ok: false, end: 0, reason: 'the function is not a number 0-7 or "*"' };
  if (fn.value > 7) return { ok: false, end: 0, reason: 'the function is above 7' };
  return { ok: true, end: fn.end };
}

const BDF_HELP = 'expected [DDDD:]BB:DD.F in hex, e.g. 0000:03:00.0 or 03:00.*';

export const pciLanguage = language('pci', PCI_KEYS, (text, out) => {
  const n = text.length;
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
      const vs = ptr + 1;
      const v = scanHex(text, vs);
      let ve = vs;
      while (ve < n && text[ve] !== ',') ve++;
      if (!v || v.value > 0x1f) {
        out.error(vs - 1, ve, 'pci-vslot', `invalid virtual slot ${q(text.slice(vs, ve))}; give a hex slot 0-1f after "@"`);
        return;
      }
      out.part('vslot', text.slice(vs, v.end), vs - 1, v.end, vs, false);
      ptr = v.end;
    }
    if (text[ptr] === ',') ptr++;
    else if (ptr < n) {
      let e = ptr;
      while (e < n && text[e] !== ',') e++;
      out.error(ptr, e, 'pci-spec', `unexpected text ${q(text.slice(ptr, e))} after the PCI address; options follow a comma, with no spaces`);
      return;
    }
  }

  if (!bdf.ok && n > 0) {
    // Not a BDF: xl falls back to key=value parsing, which fails on a first item without "=".
    let e = 0;
    while (e < n && text[e] !== ',') e++;
    const chunk = text.slice(0, e);
    if (!chunk.includes('=')) {
      out.error(0, e, 'pci-bdf', `invalid PCI address ${q(chunk)}: ${bdf.reason ?? 'unexpected text'}; ${BDF_HELP}`);
      return;
    }
  }

  // Mirrors parse_key_val(): `key=value` up to the next comma; no whitespace is skipped anywhere.
  while (ptr < n) {
    const start = ptr;
    let eq = ptr;
    while (eq < n && text[eq] !== '=') eq++;
    if (eq >= n) {
      let e = start;
      while (e < n && text[e] !== ',') e++;
      out.error(start, e, 'pci-spec', `unable to parse PCI_SPEC_STRING: ${q(text.slice(start, e))} is not a key=value option`);
      return;
    }
    const key = text.slice(start, eq);
    const vs = eq + 1;
    let ve = vs;
    while (ve < n && text[ve] !== ',') ve++;
    const value = text.slice(vs, ve);
    ptr = ve < n ? ve + 1 : ve;
    if (!KEY_NAMES.includes(key)) {
      const sugg = closest(key, KEY_NAMES);
      out.error(start, eq, 'spec-unknown-key', `unknown PCI_SPEC_STRING option ${q(key)}${sugg ? ` (did you mean "${sugg}"?)` : ''}; accepted: ${KEY_NAMES.join(', ')}${key.trim() !== key ? '; spaces are not allowed' : ''}`);
      return;
    }
    out.part(key, value, start, ve, vs, true);
    dup.note(key, start, eq);
    switch (key) {
      case 'bdf': {
        const b = parseBdf(value);
        if (!b.ok || b.end !== value.length) {
          out.error(vs, ve, 'pci-bdf', `invalid PCI address ${q(value)}${b.reason ? `: ${b.reason}` : ''}; ${BDF_HELP}`);
          return;
        }
        if (bdfPresent) out.warning(start, ve, 'pci-spec', 'the PCI address is given twice; the later one wins');
        bdfPresent = true;
        break;
      }
      case 'vslot': {
        const v = scanHex(value, 0);
        if (!v || v.value > 0x1f) {
          out.error(vs, ve, 'pci-vslot', `invalid virtual slot ${q(value)}; give a hex slot 0-1f`);
          return;
        }
        break;
      }
      case 'permissive':
      case 'msitranslate':
      case 'seize':
      case 'power_mgmt':
        checkLooseNumber(out, value, vs, key, 10);
        break;
      case 'rdm_policy':
        if (!hasCaseless(RDM_POLICIES, value)) {
          out.error(vs, ve, 'bad-enum', `unknown RDM policy ${q(value)}; accepted: "strict", "relaxed"`);
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
    out.error(0, n, 'pci-spec', 'give either a PCI address or name=, not both');
  } else if (!bdfPresent && !namePresent) {
    out.error(0, n, 'pci-spec', `no device given: start with a PCI address (${BDF_HELP.replace('expected ', '')}) or use name=`);
  }
});

/** Validates a bare BDF (used by other modules and `pci_*` helpers). */
export function checkBdf(out: Collector, value: string, start: number): boolean {
  const b = parseBdf(value);
  if (!b.ok || b.end !== value.length) {
    out.error(start, start + value.length, 'pci-bdf', `invalid PCI address ${q(value)}${b.reason ? `: ${b.reason}` : ''}; ${BDF_HELP}`);
    return false;
  }
  return true;
}
