// The keys of the network language (NET_SPEC): the values each accepts and what it means, in our
// own words, for hover and completion. The parser in `vif.ts` reads the accepted values from here.
import type { SpecKeyDoc } from '../catalogue/types';

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

export const NIC_MODELS = ['e1000', 'rtl8139', 'virtio-net-pci', 'ne2k_pci', 'pcnet', 'i82551', 'i82557b', 'i82559er', 'e1000e', 'vmxnet3'];

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
    version: { since: '4.15', source: "812c8e01db xl: add 'mtu' option to network configuration" },
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
    version: { since: '4.19', source: '0cc01c603f tools/xl: add vlan keyword to vif option' },
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
