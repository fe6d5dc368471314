// Our own description and example of every xl.conf key, written by hand (never copied from
// Xen's xl.conf manual or its example file). The facts the docs talk about are in
// `xlConfFacts.ts`; a key in one file and not in the other stops the server at start-up (see
// `xlConf.ts`).

import type { XlConfKeyDoc } from './xlConf';

export const XL_CONF_DOCS: Readonly<Record<string, XlConfKeyDoc>> = {
  autoballoon: {
    doc: "Whether xl shrinks dom0's memory to make room when a new guest needs more than is free. `auto` (the default) turns it on unless Xen was booted with a `dom0_mem=` option, which is the usual sign that dom0 has a fixed size; with ballooning off, a guest that does not fit fails to start.",
    example: 'autoballoon = "off"',
    valueDocs: {
      auto: 'Balloon dom0 down unless Xen\'s command line fixes its size with `dom0_mem=`.',
      on: 'Always take memory from dom0 when a guest needs it.',
      off: 'Never touch dom0\'s memory: a guest that does not fit in free memory fails to start.',
      '1': 'The same as `on`.',
      '0': 'The same as `off`.',
    },
  },
  run_hotplug_scripts: {
    doc: 'Whether xl itself runs the hotplug scripts that set up a guest\'s disks and network interfaces (1, the default). Set 0 to leave them to udev rules in the backend domain, as older setups did.',
    example: 'run_hotplug_scripts = 0',
  },
  lockfile: {
    doc: 'The file xl locks while it frees memory for a new guest and creates it (when ballooning is on), so that two `xl create` runs do not take the same free memory at once. Every xl on the host must use the same file for the lock to work.',
    example: 'lockfile = "/run/xen/xl-lock"',
  },
  vifscript: {
    doc: 'The old name of `vif.default.script`. xl still reads it but prints a notice about it on every command, and `vif.default.script` wins when both are set.',
    example: 'vifscript = "vif-route"',
  },
  'vif.default.script': {
    doc: 'The hotplug script for every network interface whose `vif` spec names no `script=`: a file name in Xen\'s scripts folder (`/etc/xen/scripts`) or an absolute path. The default, `vif-bridge`, plugs the interface into a bridge; `vif-route` and `vif-nat` route instead.',
    example: 'vif.default.script = "vif-route"',
  },
  defaultbridge: {
    doc: 'The old name of `vif.default.bridge`. xl still reads it but prints a notice about it on every command, and `vif.default.bridge` wins when both are set.',
    example: 'defaultbridge = "br0"',
  },
  'vif.default.bridge': {
    doc: 'The bridge a network interface joins when its `vif` spec names no `bridge=`. Without this key that bridge is `xenbr0`; hosts whose bridge has another name (`br0`, `virbr0`) set it here once instead of in every guest.',
    example: 'vif.default.bridge = "br0"',
  },
  'vif.default.gatewaydev': {
    doc: 'The dom0 network device handed to the hotplug script as the gateway of an interface whose `vif` spec names no `gatewaydev=`; it matters to routed setups, not to bridged ones.',
    example: 'vif.default.gatewaydev = "eth0"',
  },
  'vif.default.backend': {
    doc: 'The domain (by name) that serves network interfaces whose `vif` spec names no `backend=`. Without it dom0 does; set it to a network driver domain to move every guest\'s networking there.',
    example: 'vif.default.backend = "netdom"',
  },
  output_format: {
    doc: 'The format xl prints a domain\'s configuration in, for `xl list -l` and `xl create -N` (dry run): `json` (the default) or `sxp`, the older S-expression form that some scripts of the xm days parse.',
    example: 'output_format = "sxp"',
    valueDocs: {
      json: 'JSON, the form libxl itself reads back.',
      sxp: 'S-expressions, the format of the old xm/xend toolstack.',
    },
  },
  blkdev_start: {
    doc: 'The first device name libxl may give a guest\'s disk when it attaches the disk to dom0 for a while, as it does to run a bootloader such as pygrub; it tries the following names in order until one is free. The default is `xvda`. It must name a whole disk, not a partition, or the attach fails.',
    example: 'blkdev_start = "xvdq"',
  },
  claim_mode: {
    doc: 'Whether xl asks Xen to set aside (claim) a new guest\'s whole memory before it builds the guest (1, the default), so that a guest which cannot get all of it fails at once instead of half-way through. Set 0 to build without a claim.',
    example: 'claim_mode = 0',
  },
  'remus.default.netbufscript': {
    doc: 'The script that sets up network buffering for Remus, the replication that keeps a standby copy of a guest on another host (`xl remus`). Without it xl uses `remus-netbuf-setup` from Xen\'s scripts folder.',
    example: 'remus.default.netbufscript = "/etc/xen/scripts/remus-netbuf-setup"',
  },
  'colo.default.proxyscript': {
    doc: 'The script that sets up the network proxy for COLO, the lock-step variant of Remus (`xl remus -c`). Without it xl uses `colo-proxy-setup` from Xen\'s scripts folder.',
    example: 'colo.default.proxyscript = "/etc/xen/scripts/colo-proxy-setup"',
  },
  max_grant_frames: {
    doc: 'The default size, in frames, of each new guest\'s grant table (the pages it shares with its backends); a guest config\'s own `max_grant_frames` overrides it. Guests with many disks or network queues may need more than the hypervisor\'s default. A value xl cannot read (not a number, negative, a list) makes every `xl` command stop at once without a word.',
    example: 'max_grant_frames = 64',
  },
  max_maptrack_frames: {
    doc: 'The default number of frames each new guest may use to track the grants of other domains it maps, which matters for driver domains that serve many guests; a guest config\'s own `max_maptrack_frames` overrides it. A value xl cannot read makes every `xl` command stop at once without a word.',
    example: 'max_maptrack_frames = 1024',
  },
  max_grant_version: {
    doc: 'The default highest grant-table interface version a new guest may use (1 or 2); a guest config\'s own `max_grant_version` overrides it. A value xl cannot read makes every `xl` command stop at once without a word.',
    example: 'max_grant_version = 1',
  },
  'vm.cpumask': {
    doc: 'The physical CPUs every guest\'s vCPUs may run on, written like a guest\'s `cpus` (`"4-15"`, `"all"`, `"nodes:1"`, `"^0"` to remove): xl intersects each guest\'s hard affinity with it when the guest is created or pinned. Use it to keep dom0\'s CPUs free of guests. If nothing is left of a guest\'s affinity, `xl create` fails.',
    example: 'vm.cpumask = "2-15"',
  },
  'vm.hvm.cpumask': {
    doc: 'Like `vm.cpumask`, for HVM and PVH guests only; both masks apply to them.',
    example: 'vm.hvm.cpumask = "8-15"',
  },
  'vm.pv.cpumask': {
    doc: 'Like `vm.cpumask`, for PV guests only; both masks apply to them.',
    example: 'vm.pv.cpumask = "2-7"',
  },
  domid_policy: {
    doc: 'How a new guest gets its domain ID: `xen` (the default) lets the hypervisor hand out the next free number, `random` has xl pick one at random.',
    example: 'domid_policy = "random"',
    valueDocs: {
      xen: 'The hypervisor assigns the next free domain ID.',
      random: 'xl picks a domain ID at random.',
    },
  },
  bootloader_restrict: {
    doc: 'The default of each guest\'s `bootloader_restrict`: run a guest\'s bootloader (pygrub) with fewer rights, so that a hostile disk image cannot attack dom0 through it. A guest config\'s own setting overrides it, and a guest that sets `bootloader_user` is restricted anyway.',
    example: 'bootloader_restrict = 1',
  },
};
