// NET_SPEC (`vif = [ ... ]` entries): comma-separated `key=value` items as read by xl's
// parse_nic_config(), including the `rate=` sub-language of libxlu_vif.c and MAC validation.
import {
  type Collector, DuplicateTracker, UINT32_MAX, cStrtoul, checkUlong, language, quoted, quotedList,
} from './common';
import { NIC_MODELS, VIF_KEYS } from './vif-keys';
import { didYouMean } from '../text/suggest';

/** The keys read as `key=value` (the two flags are whole items). */
const KEY_NAMES: ReadonlySet<string> = new Set(VIF_KEYS.filter((k) => k.name !== 'trusted' && k.name !== 'untrusted').map((k) => k.name));
const ALL_NAMES = VIF_KEYS.map((k) => k.name);
const COMMA = 44;
const SPACE = 32;

export const vifLanguage = language('vif', VIF_KEYS, (text, out) => {
  const dup = new DuplicateTracker(out, 'vif');
  // Mirrors xl_parse.c: strtok(",") (empty items vanish), then skip leading spaces of each item.
  const length = text.length;
  let next = 0;
  // The next `=` at or after the item's start (-1 when none is left), found once for all the items
  // it is beyond: searching from each item to the end of the text would be quadratic.
  let nextEquals = -2;
  while (next < length) {
    while (next < length && text.charCodeAt(next) === COMMA) next++;
    if (next >= length) break;
    let start = next;
    const comma = text.indexOf(',', next);
    const end = comma < 0 ? length : comma;
    next = end;
    while (start < end && text.charCodeAt(start) === SPACE) start++;
    if (start === end) continue;
    if (nextEquals !== -1 && nextEquals < start) nextEquals = text.indexOf('=', start);
    const equals = nextEquals;
    if (equals < 0 || equals >= end) {
      const item = text.slice(start, end);
      if (item === 'trusted' || item === 'untrusted') {
        out.part(item, '', start, end, end, true);
        dup.note('trusted', start, end);
      } else unknownItem(out, item, item, start, end);
      continue;
    }
    const key = text.slice(start, equals);
    if (!KEY_NAMES.has(key)) {
      unknownItem(out, text.slice(start, end), key, start, equals);
      continue;
    }
    const value = text.slice(equals + 1, end);
    out.part(key, value, start, end, equals + 1, true);
    dup.note(key === 'netdev' ? 'gatewaydev' : key, start, equals);
    checkValue(out, key, value, equals + 1);
  }
});

/** An item xl does not know: it says so and goes on. */
function unknownItem(out: Collector, item: string, key: string, keyStart: number, keyEnd: number): void {
  out.warning(keyStart, keyEnd, 'spec-unknown-key', `unrecognized argument ${quoted(item)}${didYouMean(key, ALL_NAMES)}; xl prints a message and ignores it`);
}

function checkValue(out: Collector, key: string, value: string, valueStart: number): void {
  const valueEnd = valueStart + value.length;
  switch (key) {
    case 'type':
      if (value !== 'vif' && value !== 'ioemu') {
        out.warning(valueStart, valueEnd, 'bad-enum', `invalid parameter type ${quoted(value)}; accepted: "ioemu", "vif" (xl ignores the value)`);
      }
      return;
    case 'mac':
      checkMac(out, value, valueStart);
      return;
    case 'rate':
      checkRate(out, value, valueStart);
      return;
    case 'devid':
      checkUlong(out, value, valueStart, 'devid');
      return;
    case 'mtu': {
      const v = checkUlong(out, value, valueStart, 'mtu');
      if (v !== undefined && (v < 68n || v > 65535n)) {
        out.warning(valueStart, valueEnd, 'vif-mtu', `mtu ${value} is outside the usable range 68-65535`);
      }
      return;
    }
    case 'netdev':
      out.warning(valueStart - 'netdev='.length, valueStart - 1, 'spec-deprecated', 'the netdev parameter is deprecated, please use gatewaydev instead');
      return;
    case 'accel':
      out.warning(valueStart - 'accel='.length, valueEnd, 'spec-ignored', 'the accel parameter for vifs is currently not supported; xl ignores it');
      return;
    case 'vifname':
      if (value.length > 15) out.warning(valueStart, valueEnd, 'vif-name', `vifname ${quoted(value)} is longer than 15 characters, the Linux limit for interface names`);
      return;
    case 'vlan':
      checkVlan(out, value, valueStart);
      return;
    case 'model':
      if (value === '') out.warning(valueStart, valueEnd, 'bad-enum', `empty NIC model; common models: ${quotedList(NIC_MODELS)}`);
      return;
    default:
      return;
  }
}

/**
 * Mirrors parse_nic_config()'s mac loop: six strtoul(.., 16) numbers up to 0xff, each followed by any
 * one separator character. A bad MAC is reported by xl (``Invalid parameter `mac'``) but not fatal.
 */
export function checkMac(out: Collector, value: string, valueStart: number): void {
  const valueEnd = valueStart + value.length;
  let p = 0;
  const octets: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = p <= value.length ? cStrtoul(value, p, 16) : undefined;
    if (!r || !r.ok || r.value > 255n) {
      out.warning(valueStart, valueEnd, 'bad-mac', `invalid parameter mac ${quoted(value)}; give six hex octets such as 00:16:3e:12:34:56 (xl ignores it and picks a random address)`);
      return;
    }
    octets.push(Number(r.value));
    if (i < 5 && r.end >= value.length) {
      out.warning(valueStart, valueEnd, 'bad-mac', `invalid parameter mac ${quoted(value)}: only ${i + 1} of 6 octets; give six hex octets such as 00:16:3e:12:34:56`);
      return;
    }
    p = r.end + 1;
    if (i === 5 && r.end < value.length) {
      out.warning(valueStart + r.end, valueEnd, 'bad-mac', `trailing text ${quoted(value.slice(r.end))} after the MAC address is ignored by xl`);
    }
  }
  if ((octets[0] & 1) === 1) {
    out.warning(valueStart, valueEnd, 'bad-mac', `mac ${quoted(value)} is a multicast address (lowest bit of the first octet set); a NIC needs a unicast address such as 00:16:3e:12:34:56`);
  } else if ((octets[0] & 2) === 0 && (octets[0] !== 0x00 || octets[1] !== 0x16 || octets[2] !== 0x3e)) {
    // Beyond xl: Xen's own prefix (OUI 00:16:3e) keeps guest MACs from clashing with real hardware.
    // A locally administered address (0x02 bit of the first octet) belongs to no vendor, so it
    // cannot clash with hardware either: admins and tools pick such addresses on purpose.
    out.warning(valueStart, valueEnd, 'mac-oui', `mac ${quoted(value)} is not in Xen's range 00:16:3e:xx:xx:xx: it is a vendor's address and may clash with a physical device or another hypervisor's guests; use Xen's range or a locally administered address (second-lowest bit of the first octet set, such as 02:xx:xx:xx:xx:xx)`);
  }
}

/** Mirrors xlu_vif_parse_rate(): `RATE[@INTERVAL]`; every failure is fatal. */
function checkRate(out: Collector, value: string, valueStart: number): void {
  const at = value.indexOf('@');
  const rate = at < 0 ? value : value.slice(0, at);
  const interval = at < 0 ? undefined : value.slice(at + 1);
  const rateEnd = valueStart + rate.length;
  if (rate === '') {
    out.error(valueStart, at < 0 ? valueStart + value.length : valueStart + at + 1, 'vif-rate', 'no rate specified; write e.g. "10Mb/s" or "1MB/s@20ms"');
    return;
  }
  // ^[0-9]+[GMK]?[Bb]/s$
  let i = 0;
  while (i < rate.length && rate[i] >= '0' && rate[i] <= '9') i++;
  const digits = i;
  if (rate[i] === 'G' || rate[i] === 'M' || rate[i] === 'K') i++;
  const ok = digits > 0 && (rate[i] === 'B' || rate[i] === 'b') && rate[i + 1] === '/' && rate[i + 2] === 's' && i + 3 === rate.length;
  if (!ok) {
    out.error(valueStart, rateEnd, 'vif-rate', `invalid rate ${quoted(rate)}; use a number, optional K/M/G, then B/s (bytes) or b/s (bits), e.g. "10Mb/s"`);
    return;
  }
  // strtoull(..., 0): a leading zero means octal.
  const num = cStrtoul(rate, 0, 0);
  if (rate.length > 1 && rate[0] === '0' && digits > 1) {
    out.warning(valueStart, valueStart + digits, 'vif-rate', `the rate ${quoted(rate.slice(0, digits))} starts with 0, so xl reads it as an octal number`);
  }
  if (!num.ok || num.value === 0n || num.value > BigInt(UINT32_MAX) || num.end !== digits) {
    out.error(valueStart, rateEnd, 'vif-rate', `rate overflow in ${quoted(rate)}; the number must be between 1 and 4294967295`);
    return;
  }
  const mult = rate[digits] === 'G' ? 1000000000n : rate[digits] === 'M' ? 1000000n : rate[digits] === 'K' ? 1000n : 1n;
  let bytesPerSec = num.value * mult;
  if (rate[digits] === 'b' || rate[digits + 1] === 'b') bytesPerSec /= 8n;
  if (interval === undefined) return;
  const intervalStart = valueStart + at + 1;
  const intervalEnd = intervalStart + interval.length;
  // ^[0-9]+[mu]?s?$
  let j = 0;
  while (j < interval.length && interval[j] >= '0' && interval[j] <= '9') j++;
  const idigits = j;
  if (interval[j] === 'm' || interval[j] === 'u') j++;
  if (interval[j] === 's') j++;
  if (idigits === 0 || j !== interval.length) {
    out.error(interval === '' ? intervalStart - 1 : intervalStart, interval === '' ? intervalStart : intervalEnd, 'vif-rate',
      `${interval === '' ? 'missing replenishment interval after "@"' : `invalid replenishment interval ${quoted(interval)}`}; use a number with an optional unit us, ms or s, e.g. "@20ms"`);
    return;
  }
  const inum = cStrtoul(interval, 0, 0);
  if (!inum.ok || inum.value === 0n || inum.value > BigInt(UINT32_MAX) || inum.end !== idigits) {
    out.error(intervalStart, intervalEnd, 'vif-rate', `replenishment interval overflow in ${quoted(interval)}; it must be a non-zero number below 2^32`);
    return;
  }
  const unit = interval[idigits];
  const usecs = unit === 's' || unit === undefined ? inum.value * 1000000n : unit === 'm' ? inum.value * 1000n : inum.value;
  if (usecs > BigInt(UINT32_MAX)) {
    out.error(intervalStart, intervalEnd, 'vif-rate', `replenishment interval overflow: ${quoted(interval)} is longer than about 71 minutes`);
    return;
  }
  if (unit === undefined && idigits > 0) {
    out.warning(intervalStart, intervalEnd, 'vif-rate', `a bare interval ${quoted(interval)} is read as seconds; add a unit such as "ms" if that is not meant`);
  }
  if (bytesPerSec > 18446744073709551615n / usecs) {
    out.error(valueStart, intervalEnd, 'vif-rate', `rate overflow in ${quoted(value)}; lower the rate or the interval`);
  }
}

/** The vlan grammar the Open vSwitch hotplug script understands (xl passes it through unchecked). */
function checkVlan(out: Collector, value: string, valueStart: number): void {
  let pos = 0;
  for (const part of value.split('/')) {
    const s = valueStart + pos;
    pos += part.length + 1;
    const m = /^([0-9]+)(?:(p|u)|-([0-9]+)(u)?|\+([0-9]+)x([0-9]+)(u)?)?$/.exec(part);
    const bad = () => out.warning(s, s + part.length, 'vif-vlan', `invalid vlan ${quoted(part)}; use ID[p|u], A-B[u] or ID+STEPxCOUNT[u] with IDs 1-4094, joined by "/"`);
    if (!m) {
      bad();
      continue;
    }
    const ids = [Number(m[1])];
    if (m[3] !== undefined) ids.push(Number(m[3]));
    if (m[5] !== undefined) ids.push(Number(m[1]) + Number(m[5]) * Math.max(0, Number(m[6]) - 1));
    if (ids.some((x) => x < 1 || x > 4094) || (m[3] !== undefined && Number(m[3]) < Number(m[1]))) bad();
  }
}
