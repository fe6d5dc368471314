// NET_SPEC (`vif = [ ... ]` entries): comma-separated `key=value` items as read by xl's
// parse_nic_config(), including the `rate=` sub-language of libxlu_vif.c and MAC validation.
import type { SpecKeyDoc } from '../catalogue/types';
import {
  type Collector, DuplicateTracker, UINT32_MAX, cStrtoul, checkUlong, didYouMean, language, q, oneOf,
} from './common';

const COLO_KEYS = [
  'colo_sock_mirror_id', 'colo_sock_mirror_ip', 'colo_sock_mirror_port',
  'colo_sock_compare_sec_in_id', 'colo_sock_compare_sec_in_ip', 'colo_sock_compare_sec_in_port',
  'colo_sock_redirector0_id', 'colo_sock_redirector0_ip', 'colo_sock_redirector0_port',
  'colo_sock_redirector1_id', 'colo_sock_redirector1_ip', 'colo_sock_redirector1_port',
  'colo_sock_redirector2_id', 'colo_sock_redirector2_ip', 'colo_sock_redirector2_port',
  'colo_sock_compare_pri_in_id', 'colo_sock_compare_pri_in_ip', 'colo_sock_compare_pri_in_port',
  'colo_sock_compare_notify_id', 'colo_sock_compare_notify_ip', 'colo_sock_compare_notify_port',
  'colo_filter_mirror_queue', 'colo_filter_mirror_outdev',
  'colo_filter_redirector0_queue', 'colo_filter_redirector0_indev', 'colo_filter_redirector0_outdev',
  'colo_filter_redirector1_queue', 'colo_filter_redirector1_indev', 'colo_filter_redirector1_outdev',
  'colo_compare_pri_in', 'colo_compare_sec_in', 'colo_compare_out', 'colo_compare_notify_dev',
  'colo_sock_sec_redirector0_id', 'colo_sock_sec_redirector0_ip', 'colo_sock_sec_redirector0_port',
  'colo_sock_sec_redirector1_id', 'colo_sock_sec_redirector1_ip', 'colo_sock_sec_redirector1_port',
  'colo_filter_sec_redirector0_queue', 'colo_filter_sec_redirector0_indev', 'colo_filter_sec_redirector0_outdev',
  'colo_filter_sec_redirector1_queue', 'colo_filter_sec_redirector1_indev', 'colo_filter_sec_redirector1_outdev',
  'colo_filter_sec_rewriter0_queue', 'colo_checkpoint_host', 'colo_checkpoint_port',
] as const;

/** Our own one-line description of a COLO proxy key, built from the parts of its name. */
function coloDoc(name: string): string {
  const role = name.startsWith('colo_sock_') ? 'socket endpoint' : name.startsWith('colo_filter_') ? 'QEMU net filter setting' :
    name.startsWith('colo_compare_') ? 'colo-compare setting' : 'checkpoint setting';
  const what = name.endsWith('_ip') || name.endsWith('_host') ? 'the address' : name.endsWith('_port') ? 'the TCP port' :
    name.endsWith('_id') ? 'the QEMU object id' : name.endsWith('_queue') ? 'the packet queue' :
      name.endsWith('indev') ? 'the input chardev' : 'the output chardev';
  return `COLO network proxy ${role}: ${what} used by \`${name.replace(/^colo_/, '').replace(/_/g, ' ')}\`. Only meaningful for COLO fault-tolerant guests; undocumented upstream and subject to change.`;
}

const NIC_MODELS = ['e1000', 'rtl8139', 'virtio-net-pci', 'ne2k_pci', 'pcnet', 'i82551', 'i82557b', 'i82559er', 'e1000e', 'vmxnet3'];

export const VIF_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'mac',
    doc: 'Ethernet address of the virtual NIC as six hex octets. Without it xl picks a random address in the Xen range 00:16:3e:xx:xx:xx on every boot, so set one when DHCP reservations or licences depend on it.',
    example: 'mac=00:16:3e:5a:01:02',
  },
  {
    name: 'bridge',
    doc: 'Host bridge the backend interface is plugged into by the vif-bridge script.',
    default: 'xenbr0',
    example: 'bridge=xenbr0',
  },
  {
    name: 'type',
    doc: 'Which NIC the guest gets. For HVM guests `ioemu` adds an emulated card next to the PV one (useful before PV drivers load); `vif` gives only the PV device. PV and PVH guests always get `vif`.',
    values: ['ioemu', 'vif'],
    default: 'HVM: ioemu; PV/PVH: vif',
    valueDocs: {
      ioemu: 'Emulated QEMU NIC plus a PV vif; the guest switches to PV once its drivers load (HVM only).',
      vif: 'PV network device only; the guest needs netfront drivers.',
    },
    example: 'type=vif',
  },
  {
    name: 'model',
    doc: 'QEMU model of the emulated NIC shown to HVM guests when type is ioemu. Pick one the guest OS has drivers for; `e1000` is a safe choice for most systems.',
    values: NIC_MODELS,
    default: 'rtl8139',
    valueDocs: {
      e1000: 'Intel 82540EM gigabit card; drivers ship with almost every OS.',
      rtl8139: 'Realtek 8139 100 Mbit card; old but universally supported.',
      'virtio-net-pci': 'virtio NIC; fast, needs virtio drivers in the guest.',
      ne2k_pci: 'NE2000 compatible card for very old guests.',
      pcnet: 'AMD PCnet card.',
      i82551: 'Intel 82551 100 Mbit card.',
      i82557b: 'Intel 82557B 100 Mbit card.',
      i82559er: 'Intel 82559ER 100 Mbit card.',
      e1000e: 'Intel 82574L gigabit card (PCIe).',
      vmxnet3: 'VMware paravirtual NIC, for guests imported from VMware.',
    },
    example: 'model=e1000',
  },
  {
    name: 'vifname',
    doc: 'Name of the backend network interface in the driver domain instead of the default `vif<domid>.<devid>`. Stable names make firewall rules easier; keep it within 15 characters (Linux interface name limit).',
    example: 'vifname=vif-web1',
  },
  {
    name: 'script',
    doc: 'Hotplug script run in the backend domain to wire the interface up, such as `vif-bridge`, `vif-route` or `vif-nat`. Relative names are looked up in the Xen scripts directory.',
    default: 'vif-bridge',
    example: 'script=vif-route',
  },
  {
    name: 'ip',
    doc: 'IP address (or space-separated addresses) handed to the hotplug script, which uses it for routing or anti-spoofing rules. It does not configure the guest\'s own network stack.',
    example: 'ip=192.0.2.10',
  },
  {
    name: 'backend',
    doc: 'Name or id of the driver domain that hosts the backend of this NIC.',
    default: 'dom0',
    example: 'backend=netdom',
  },
  {
    name: 'rate',
    doc: 'Outgoing bandwidth limit as `AMOUNT/s[@INTERVAL]`, where AMOUNT is a number with optional K/M/G and `B` (bytes) or `b` (bits), and INTERVAL is the credit replenish period (`50ms` by default; `us`, `ms`, `s` suffixes).',
    example: 'rate=10Mb/s@20ms',
  },
  {
    name: 'devid',
    doc: 'Device index of the NIC inside the guest (eth0 is usually devid 0). Defaults to the position of the entry in the vif list.',
    example: 'devid=1',
  },
  {
    name: 'mtu',
    doc: 'Maximum transmission unit of the backend interface in bytes. Match the bridge or network it joins, for example 9000 for jumbo frames.',
    default: '1500',
    example: 'mtu=9000',
  },
  {
    name: 'gatewaydev',
    doc: 'Host interface used as the gateway by the vif-route and vif-nat scripts.',
    example: 'gatewaydev=eth0',
  },
  {
    name: 'netdev',
    doc: 'Old name of `gatewaydev`; still accepted but xl prints a deprecation notice.',
    deprecated: true,
    example: 'netdev=eth0',
  },
  {
    name: 'vlan',
    doc: 'VLAN tags passed to the hotplug script (for example Open vSwitch setups): an ID, a range `A-B`, or `ID+STEPxCOUNT`, joined with `/`; a `p` suffix marks the PVID and `u` untagged.',
    example: 'vlan=10p/20/30-40',
  },
  {
    name: 'trusted',
    doc: 'Flag (no value) marking the backend as trusted by the guest, the default.',
    example: 'trusted',
  },
  {
    name: 'untrusted',
    doc: 'Flag (no value) telling a hardened guest frontend not to trust this backend, for example when it lives in a less trusted driver domain.',
    example: 'untrusted',
  },
  {
    name: 'accel',
    doc: 'Historic network acceleration plug-in option; xl accepts the key but ignores it and prints a notice.',
    deprecated: true,
    example: 'accel=none',
  },
  {
    name: 'forwarddev',
    doc: 'COLO: host interface used to forward traffic between the primary and secondary of a COLO fault-tolerant pair.',
    example: 'forwarddev=eth1',
  },
  ...COLO_KEYS.map((name): SpecKeyDoc => ({ name, doc: coloDoc(name) })),
];

/** The keys read as `key=value` (the two flags are whole items). */
const KEY_NAMES: ReadonlySet<string> = new Set(VIF_KEYS.filter((k) => k.name !== 'trusted' && k.name !== 'untrusted').map((k) => k.name));
const ALL_NAMES = VIF_KEYS.map((k) => k.name);
const COMMA = 44;
const SPACE = 32;

export const vifLanguage = language('vif', VIF_KEYS, (text, out) => {
  const dup = new DuplicateTracker(out, 'vif');
  // Mirrors xl_parse.c: strtok(",") (empty items vanish), then skip leading spaces of each item.
  const n = text.length;
  let next = 0;
  // The next `=` at or after the item's start (-1 when none is left), found once for all the items
  // it is beyond: searching from each item to the end of the text would be quadratic.
  let nextEquals = -2;
  while (next < n) {
    while (next < n && text.charCodeAt(next) === COMMA) next++;
    if (next >= n) break;
    let start = next;
    const comma = text.indexOf(',', next);
    const end = comma < 0 ? n : comma;
    next = end;
    while (start < end && text.charCodeAt(start) === SPACE) start++;
    if (start === end) continue;
    if (nextEquals !== -1 && nextEquals < start) nextEquals = text.indexOf('=', start);
    const eq = nextEquals;
    if (eq < 0 || eq >= end) {
      const item = text.slice(start, end);
      if (item === 'trusted' || item === 'untrusted') {
        out.part(item, '', start, end, end, true);
        dup.note('trusted', start, end);
      } else unknownItem(out, item, item, start, end);
      continue;
    }
    const key = text.slice(start, eq);
    if (!KEY_NAMES.has(key)) {
      unknownItem(out, text.slice(start, end), key, start, eq);
      continue;
    }
    const value = text.slice(eq + 1, end);
    out.part(key, value, start, end, eq + 1, true);
    dup.note(key === 'netdev' ? 'gatewaydev' : key, start, eq);
    checkValue(out, key, value, eq + 1);
  }
});

/** An item xl does not know: it says so and goes on. */
function unknownItem(out: Collector, item: string, key: string, keyStart: number, keyEnd: number): void {
  out.warning(keyStart, keyEnd, 'spec-unknown-key', `unrecognized argument ${q(item)}${didYouMean(key, ALL_NAMES)}; xl prints a message and ignores it`);
}

function checkValue(out: Collector, key: string, value: string, vs: number): void {
  const ve = vs + value.length;
  switch (key) {
    case 'type':
      if (value !== 'vif' && value !== 'ioemu') {
        out.warning(vs, ve, 'bad-enum', `invalid parameter type ${q(value)}; accepted: "ioemu", "vif" (xl ignores the value)`);
      }
      return;
    case 'mac':
      checkMac(out, value, vs);
      return;
    case 'rate':
      checkRate(out, value, vs);
      return;
    case 'devid':
      checkUlong(out, value, vs, 'devid');
      return;
    case 'mtu': {
      const v = checkUlong(out, value, vs, 'mtu');
      if (v !== undefined && (v < 68n || v > 65535n)) {
        out.warning(vs, ve, 'vif-mtu', `mtu ${value} is outside the usable range 68-65535`);
      }
      return;
    }
    case 'netdev':
      out.warning(vs - 'netdev='.length, vs - 1, 'spec-deprecated', 'the netdev parameter is deprecated, please use gatewaydev instead');
      return;
    case 'accel':
      out.warning(vs - 'accel='.length, ve, 'spec-ignored', 'the accel parameter for vifs is currently not supported; xl ignores it');
      return;
    case 'vifname':
      if (value.length > 15) out.warning(vs, ve, 'vif-name', `vifname ${q(value)} is longer than 15 characters, the Linux limit for interface names`);
      return;
    case 'vlan':
      checkVlan(out, value, vs);
      return;
    case 'model':
      if (value === '') out.warning(vs, ve, 'bad-enum', `empty NIC model; common models: ${oneOf(NIC_MODELS)}`);
      return;
    default:
      return;
  }
}

/**
 * Mirrors parse_nic_config()'s mac loop: six strtoul(.., 16) numbers up to 0xff, each followed by any
 * one separator character. A bad MAC is reported by xl (``Invalid parameter `mac'``) but not fatal.
 */
export function checkMac(out: Collector, value: string, vs: number): void {
  const ve = vs + value.length;
  let p = 0;
  const octets: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = p <= value.length ? cStrtoul(value, p, 16) : undefined;
    if (!r || !r.ok || r.value > 255n) {
      out.warning(vs, ve, 'bad-mac', `invalid parameter mac ${q(value)}; give six hex octets such as 00:16:3e:12:34:56 (xl ignores it and picks a random address)`);
      return;
    }
    octets.push(Number(r.value));
    if (i < 5 && r.end >= value.length) {
      out.warning(vs, ve, 'bad-mac', `invalid parameter mac ${q(value)}: only ${i + 1} of 6 octets; give six hex octets such as 00:16:3e:12:34:56`);
      return;
    }
    p = r.end + 1;
    if (i === 5 && r.end < value.length) {
      out.warning(vs + r.end, ve, 'bad-mac', `trailing text ${q(value.slice(r.end))} after the MAC address is ignored by xl`);
    }
  }
  if ((octets[0] & 1) === 1) {
    out.warning(vs, ve, 'bad-mac', `mac ${q(value)} is a multicast address (lowest bit of the first octet set); a NIC needs a unicast address such as 00:16:3e:12:34:56`);
  } else if (octets[0] !== 0x00 || octets[1] !== 0x16 || octets[2] !== 0x3e) {
    // Beyond xl: Xen's own prefix (OUI 00:16:3e) keeps guest MACs from clashing with real hardware.
    const local = (octets[0] & 2) === 2 ? ' It is a locally administered address, which is safe from hardware clashes but not from other tools on the LAN.' : '';
    out.warning(vs, ve, 'mac-oui', `mac ${q(value)} is not in Xen's range 00:16:3e:xx:xx:xx: it may clash with a physical device or another hypervisor's guests.${local}`);
  }
}

/** Mirrors xlu_vif_parse_rate(): `RATE[@INTERVAL]`; every failure is fatal. */
function checkRate(out: Collector, value: string, vs: number): void {
  const at = value.indexOf('@');
  const rate = at < 0 ? value : value.slice(0, at);
  const interval = at < 0 ? undefined : value.slice(at + 1);
  const rateEnd = vs + rate.length;
  if (rate === '') {
    out.error(vs, at < 0 ? vs + value.length : vs + at + 1, 'vif-rate', 'no rate specified; write e.g. "10Mb/s" or "1MB/s@20ms"');
    return;
  }
  // ^[0-9]+[GMK]?[Bb]/s$
  let i = 0;
  while (i < rate.length && rate[i] >= '0' && rate[i] <= '9') i++;
  const digits = i;
  if (rate[i] === 'G' || rate[i] === 'M' || rate[i] === 'K') i++;
  const ok = digits > 0 && (rate[i] === 'B' || rate[i] === 'b') && rate[i + 1] === '/' && rate[i + 2] === 's' && i + 3 === rate.length;
  if (!ok) {
    out.error(vs, rateEnd, 'vif-rate', `invalid rate ${q(rate)}; use a number, optional K/M/G, then B/s (bytes) or b/s (bits), e.g. "10Mb/s"`);
    return;
  }
  // strtoull(..., 0): a leading zero means octal.
  const num = cStrtoul(rate, 0, 0);
  if (rate.length > 1 && rate[0] === '0' && digits > 1) {
    out.warning(vs, vs + digits, 'vif-rate', `the rate ${q(rate.slice(0, digits))} starts with 0, so xl reads it as an octal number`);
  }
  if (!num.ok || num.value === 0n || num.value > BigInt(UINT32_MAX) || num.end !== digits) {
    out.error(vs, rateEnd, 'vif-rate', `rate overflow in ${q(rate)}; the number must be between 1 and 4294967295`);
    return;
  }
  const mult = rate[digits] === 'G' ? 1000000000n : rate[digits] === 'M' ? 1000000n : rate[digits] === 'K' ? 1000n : 1n;
  let bytesPerSec = num.value * mult;
  if (rate[digits] === 'b' || rate[digits + 1] === 'b') bytesPerSec /= 8n;
  if (interval === undefined) return;
  const is = vs + at + 1;
  const ie = is + interval.length;
  // ^[0-9]+[mu]?s?$
  let j = 0;
  while (j < interval.length && interval[j] >= '0' && interval[j] <= '9') j++;
  const idigits = j;
  if (interval[j] === 'm' || interval[j] === 'u') j++;
  if (interval[j] === 's') j++;
  if (idigits === 0 || j !== interval.length) {
    out.error(interval === '' ? is - 1 : is, interval === '' ? is : ie, 'vif-rate',
      `${interval === '' ? 'missing replenishment interval after "@"' : `invalid replenishment interval ${q(interval)}`}; use a number with an optional unit us, ms or s, e.g. "@20ms"`);
    return;
  }
  const inum = cStrtoul(interval, 0, 0);
  if (!inum.ok || inum.value === 0n || inum.value > BigInt(UINT32_MAX) || inum.end !== idigits) {
    out.error(is, ie, 'vif-rate', `replenishment interval overflow in ${q(interval)}; it must be a non-zero number below 2^32`);
    return;
  }
  const unit = interval[idigits];
  const usecs = unit === 's' || unit === undefined ? inum.value * 1000000n : unit === 'm' ? inum.value * 1000n : inum.value;
  if (usecs > BigInt(UINT32_MAX)) {
    out.error(is, ie, 'vif-rate', `replenishment interval overflow: ${q(interval)} is longer than about 71 minutes`);
    return;
  }
  if (unit === undefined && idigits > 0) {
    out.warning(is, ie, 'vif-rate', `a bare interval ${q(interval)} is read as seconds; add a unit such as "ms" if that is not meant`);
  }
  if (bytesPerSec > 18446744073709551615n / usecs) {
    out.error(vs, ie, 'vif-rate', `rate overflow in ${q(value)}; lower the rate or the interval`);
  }
}

/** The vlan grammar the Open vSwitch hotplug script understands (xl passes it through unchecked). */
function checkVlan(out: Collector, value: string, vs: number): void {
  let pos = 0;
  for (const part of value.split('/')) {
    const s = vs + pos;
    pos += part.length + 1;
    const m = /^([0-9]+)(?:(p|u)|-([0-9]+)(u)?|\+([0-9]+)x([0-9]+)(u)?)?$/.exec(part);
    const bad = () => out.warning(s, s + part.length, 'vif-vlan', `invalid vlan ${q(part)}; use ID[p|u], A-B[u] or ID+STEPxCOUNT[u] with IDs 1-4094, joined by "/"`);
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
