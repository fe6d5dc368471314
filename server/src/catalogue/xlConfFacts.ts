// The facts of the 22 keys that Xen's `xl` reads from xl.conf, in tools/xl/xl.c
// parse_global_config(), checked against RELEASE-4.17.0, RELEASE-4.20.0 and RELEASE-4.22.0 (the
// same keys and the same handling in all three, except `bootloader_restrict`). Facts only, no prose
// of ours: our hover and completion text is in `xlConfDocs.ts`. The order is xl's reading order,
// which is also the order of completion lists.
//
// Where the defaults come from: xl.c's globals (autoballoon -1 = auto, run_hotplug_scripts 1,
// claim_mode 1, output_format JSON, domid_policy INVALID_DOMID = chosen by Xen, the grant limits
// -1 = the hypervisor's), XL_LOCK_FILE (XEN_LOCK_DIR "/xl", m4/paths.m4: $localstatedir/lock on
// Linux), libxl_nic.c (bridge xenbr0, script vif-bridge), libxl_create.c (blkdev_start xvda,
// bootloader_restrict), libxl_netbuffer.c and libxl_colo_*.c (the two HA scripts).

import type { XlConfKeyFacts } from './xlConf';

/** The upper bound xl gives the grant-table limits (INT_MAX). */
const INT_MAX = 2147483647;

export const XL_CONF_FACTS: readonly XlConfKeyFacts[] = [
  // xlu_cfg_get_string, then strcmp against each form; anything else prints the message (with no
  // newline) and leaves the default, auto, which xl resolves from Xen's command line (dom0_mem).
  { name: 'autoballoon', kind: 'string', default: 'auto', enum: ['auto', 'on', 'off', '1', '0'], onInvalid: 'warning-ignored', invalidMessage: 'invalid autoballoon option' },
  // xlu_cfg_get_long; the value goes to libxl_defbool_set, so any non-zero number is true.
  { name: 'run_hotplug_scripts', kind: 'boolean', default: '1', onInvalid: 'warning-ignored' },
  { name: 'lockfile', kind: 'string', default: '/var/lock/xl', onInvalid: 'warning-ignored' },
  // Read before vif.default.script, which overwrites it when both are set; xl prints a notice
  // that it is deprecated on every run.
  { name: 'vifscript', kind: 'string', default: 'vif-bridge', onInvalid: 'warning-ignored', deprecated: true, replacement: 'vif.default.script' },
  { name: 'vif.default.script', kind: 'string', default: 'vif-bridge', onInvalid: 'warning-ignored' },
  { name: 'defaultbridge', kind: 'string', default: 'xenbr0', onInvalid: 'warning-ignored', deprecated: true, replacement: 'vif.default.bridge' },
  { name: 'vif.default.bridge', kind: 'string', default: 'xenbr0', onInvalid: 'warning-ignored' },
  { name: 'vif.default.gatewaydev', kind: 'string', onInvalid: 'warning-ignored' },
  { name: 'vif.default.backend', kind: 'string', default: '0 (dom0)', onInvalid: 'warning-ignored' },
  { name: 'output_format', kind: 'string', default: 'json', enum: ['json', 'sxp'], onInvalid: 'warning-ignored', invalidMessage: 'invalid default output format' },
  // Handed to libxl as b_info->blkdev_start for every guest; libxl uses xvda when unset.
  { name: 'blkdev_start', kind: 'string', default: 'xvda', onInvalid: 'warning-ignored' },
  { name: 'claim_mode', kind: 'boolean', default: '1', onInvalid: 'warning-ignored' },
  // xlu_cfg_replace_string: a list is reported and the default kept.
  { name: 'remus.default.netbufscript', kind: 'string', default: 'remus-netbuf-setup', onInvalid: 'warning-ignored' },
  { name: 'colo.default.proxyscript', kind: 'string', default: 'colo-proxy-setup', onInvalid: 'warning-ignored' },
  // xlu_cfg_get_bounded_long(0, INT_MAX, dont_warn = 1): a list, `+=`, a non-number or a value out
  // of range makes xl exit(1) at once, printing nothing.
  { name: 'max_grant_frames', kind: 'integer', default: "the hypervisor's (its gnttab_max_frames option)", range: [0, INT_MAX], onInvalid: 'fatal-silent' },
  { name: 'max_maptrack_frames', kind: 'integer', default: "the hypervisor's (its gnttab_max_maptrack_frames option)", range: [0, INT_MAX], onInvalid: 'fatal-silent' },
  { name: 'max_grant_version', kind: 'integer', default: 'the highest version the hypervisor allows', range: [0, INT_MAX], onInvalid: 'fatal-silent' },
  // parse_cpurange into a mask that starts empty; its result is not checked, so a bad part is
  // reported ("Invalid pcpu range") and the parts after it are dropped. An absent key means all CPUs.
  { name: 'vm.cpumask', kind: 'string', default: 'all CPUs', spec: 'cpus', onInvalid: 'partial' },
  { name: 'vm.hvm.cpumask', kind: 'string', default: 'all CPUs', spec: 'cpus', onInvalid: 'partial' },
  { name: 'vm.pv.cpumask', kind: 'string', default: 'all CPUs', spec: 'cpus', onInvalid: 'partial' },
  { name: 'domid_policy', kind: 'string', default: 'xen', enum: ['xen', 'random'], onInvalid: 'warning-ignored', invalidMessage: 'invalid domid_policy option' },
  // xlu_cfg_get_defbool. First read by Xen 4.18.0 (commit 1f762642d2, "libxl: add support for
  // running bootloader in restricted mode", XSA-443); RELEASE-4.17.0's xl.c has no such key.
  { name: 'bootloader_restrict', kind: 'boolean', default: "unset: 1 for a guest that sets bootloader_user, else 0", onInvalid: 'warning-ignored', addedIn: '4.18' },
];
