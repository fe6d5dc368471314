// The table of diagnostic rules: each stable code with its default severity, what it means and a
// config that triggers it. docs/rules.md is generated from this table (`npm run docs`), and the
// rules test checks that every example really triggers its rule. Users change severities by code
// with the `xen.diagnostics.rules` setting (the code without its `xl.` prefix) and silence a rule
// in a file with `# xl-lint: disable-next-line CODE` or `# xl-lint: disable CODE`; syntax errors
// can be neither, since xl refuses the file whatever the editor says.

import type { XenVersion } from '../catalogue/types';
import type { Severity } from './types';

export interface RuleInfo {
  /** The stable code, as diagnostics carry it (`xl.unknown-key`). */
  readonly code: string;
  /**
   * More codes that share this entry: the spec problems that are named after their language
   * (`xl.disk-spec`, `xl.vif-spec`, ...) are one rule with one code per language.
   */
  readonly codes?: readonly string[];
  /** The severity the example is reported with. */
  readonly severity: Severity;
  /** When the severity depends on the key or the value, which way. */
  readonly severityNote?: string;
  /** What the problem is and what xl does with it: our own words, markdown. */
  readonly summary: string;
  /** A config (one or more lines) that triggers the rule. */
  readonly example: string;
  /** For the rules that compare configs: another config in the same workspace. */
  readonly otherConfig?: string;
  /** `xl.conf` when the example is xl's own settings file (`/etc/xen/xl.conf`), not a guest config. */
  readonly file?: 'xl.conf';
  /** For the version rules: the Xen version the example is checked for (`xen.targetVersion`). */
  readonly targetVersion?: XenVersion;
}

/** Severity of a bad value that depends on the key: the wording of `severityNote` for them. */
const BY_KEY = 'An error when xl stops `xl create` on this key, a warning when it only ignores the value (each key says which in its hover), and a warning whatever the key when Xen 4.17 does not read it yet.';
const SPEC_SEVERITY = 'An error when xl stops on the value, a warning when it only prints a message or ignores the part; a warning whatever the problem when Xen 4.17 does not read the key yet.';

const SYNTAX: readonly RuleInfo[] = [
  { code: 'xl.syntax.crlf', severity: 'error', summary: 'A Windows line ending (CR before LF). xl does not accept the carriage return and refuses the whole file; the quick fix removes it.', example: 'name = "web01"\r\n' },
  { code: 'xl.syntax.bom', severity: 'error', summary: 'The file starts with a UTF-8 byte order mark, which xl cannot read.', example: '\uFEFFname = "web01"\n' },
  { code: 'xl.syntax.uppercase-key', severity: 'error', summary: 'A key with capital letters. xl reads only lower-case keys and refuses the file.', example: 'Memory = 1024\n' },
  { code: 'xl.syntax.bad-key', severity: 'error', summary: 'A key that does not start with a lower-case letter or holds characters other than a-z, 0-9, `_` and `.`.', example: '_memory = 1024\n' },
  { code: 'xl.syntax.unquoted-value', severity: 'error', summary: 'A word on the right of `=` without quotes. Only numbers may be written bare; strings need `"` or `\'`.', example: 'name = web01\n' },
  { code: 'xl.syntax.python', severity: 'error', summary: 'Python syntax (expressions, `key: value`, calls). Old xm configs were Python; xl reads only plain `key = value` lines.', example: 'memory: 1024\n' },
  { code: 'xl.syntax.unit-suffix', severity: 'error', summary: 'A number with a unit or separator (`2G`, `1_000`) or upper-case hex digits: xl reads only plain integers. Sizes are given in the key\'s own unit, usually MiB.', example: 'memory = 2G\n' },
  { code: 'xl.syntax.signed-number', severity: 'error', summary: 'A number with a sign: xl\'s parser has no negative numbers, so the value must be quoted.', example: 'vncdisplay = -1\n' },
  { code: 'xl.syntax.unterminated-string', severity: 'error', summary: 'A string that is not closed on the line where it starts.', example: 'name = "web01\n' },
  { code: 'xl.syntax.line-continuation', severity: 'error', summary: 'A backslash at the end of a line: xl has no line continuation. Only lists may span lines.', example: 'extra = "console=hvc0" \\\n' },
  { code: 'xl.syntax.bad-escape', severity: 'error', summary: 'A backslash escape inside a string that xl refuses: an unknown letter, any `\\x` escape, or a numeric escape of fewer than three digits.', example: 'cmdline = "root=\\q"\n' },
  { code: 'xl.syntax.dropped-escape', severity: 'warning', summary: 'A numeric escape of three digits (`\\101`), which xl accepts but removes from the string without a word, so the value is not what it looks like.', example: 'cmdline = "a\\101b"\n' },
  { code: 'xl.syntax.nul-byte', severity: 'error', summary: 'A NUL byte: in a string xl stops on it, elsewhere it means the file is binary, not a config.', example: 'name = "web\u000001"\n' },
  { code: 'xl.syntax.comment-at-eof', severity: 'error', summary: 'A comment on the last line with no newline after it, which xl\'s parser does not accept.', example: 'name = "web01"\n# the end' },
  { code: 'xl.syntax.non-ascii', severity: 'error', summary: 'A character outside ASCII outside quotes. Inside a string it is fine.', example: 'name = "web01" ‖\n' },
  { code: 'xl.syntax.bad-character', severity: 'error', summary: 'A character that cannot appear at this place in a config (outside strings and comments).', example: 'memory = 1024 $\n' },
  { code: 'xl.syntax.missing-value', severity: 'error', summary: 'An `=` with nothing after it on the same line.', example: 'memory =\n' },
  { code: 'xl.syntax.missing-operator', severity: 'error', summary: 'A key that is not followed by `=` (or `+=`).', example: 'memory 1024\n' },
  { code: 'xl.syntax.spaced-plus-equals', severity: 'error', summary: '`+ =` written with a space: xl knows only `+=` as one token.', example: 'extra = "quiet"\nextra + = " splash"\n' },
  { code: 'xl.syntax.expected-key', severity: 'error', summary: 'A statement that does not start with a key, such as a stray value or `=` at the start of a line.', example: '= 1024\n' },
  { code: 'xl.syntax.missing-comma', severity: 'error', summary: 'Two list elements with no comma between them.', example: 'disk = [ "vdev=xvda,target=/a.img" "vdev=xvdb,target=/b.img" ]\n' },
  { code: 'xl.syntax.extra-comma', severity: 'error', summary: 'A comma where no element follows or precedes it; a list may end with one trailing comma, no more.', example: 'vif = [ "bridge=xenbr0",, ]\n' },
  { code: 'xl.syntax.unclosed-list', severity: 'error', summary: 'A list opened with `[` that never gets its `]`.', example: 'vif = [ "bridge=xenbr0"\nmemory = 1024\n' },
  { code: 'xl.syntax.unexpected-token', severity: 'error', summary: 'Something xl\'s grammar does not allow at this point: a second value after a value, two strings side by side, lists nested too deep.', example: 'name = "web" "01"\n' },
  { code: 'xl.syntax.plus-type-mismatch', severity: 'error', summary: '`+=` that adds a list to a string or a string to a list: xl joins only a string to a string and a list to a list.', example: 'extra = "quiet"\nextra += [ "splash" ]\n' },
];

const KEYS_AND_VALUES: readonly RuleInfo[] = [
  { code: 'xl.unknown-key', severity: 'warning', summary: 'A key xl does not read, often a typo (the message suggests the closest known key). xl says nothing about it and goes on, so the setting has no effect.', example: 'name = "web01"\nmemroy = 1024\n' },
  { code: 'xl.wrong-guest-type', severity: 'warning', severityNote: 'An error for the keys xl refuses outright on other guest types.', summary: 'A key that does nothing for the guest type this config builds (the `type` key, or pv when there is none), such as an HVM-only device on a PV guest.', example: 'name = "web01"\ntype = "pv"\nvga = "stdvga"\n' },
  { code: 'xl.deprecated-key', severity: 'information', summary: 'A key that xl still reads but that has a replacement, or that xl now ignores. The message names what to write instead.', example: 'name = "web01"\ntype = "hvm"\nvncviewer = 1\n' },
  { code: 'xl.duplicate-key', severity: 'warning', summary: 'A key set twice with `=`: the later line wins and the earlier one is dead.', example: 'name = "web01"\nmemory = 1024\nmemory = 2048\n' },
  { code: 'xl.no-memory', severity: 'error', summary: 'No memory size xl can read: no `memory` (or one that is not a plain number), and no `maxmem`. `xl create -N` accepts it, but the real `xl create` fails: for HVM and PVH guests libxl computes the paging pool from the unset size and refuses it, and a PV guest gets 32 MiB, too little for a current kernel.', example: 'name = "web01"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\n' },
  { code: 'xl.rombios-needs-traditional', severity: 'error', summary: '`bios = "rombios"` on a guest with qemu-xen, the default device model: libxl builds ROMBIOS only with qemu-xen-traditional and refuses the guest on the real `xl create` (`xl create -N` accepts it). Use SeaBIOS, the default.', example: 'name = "win"\ntype = "hvm"\nmemory = 1024\nbios = "rombios"\n' },
  { code: 'xl.viridian-without-base', severity: 'error', summary: 'A `viridian` list whose groups, once applied left to right, include some but not `base`, which every other group builds on: libxl refuses the guest on the real `xl create` (`xl create -N` accepts it).', example: 'name = "win"\ntype = "hvm"\nmemory = 1024\nviridian = [ "time_ref_count" ]\n' },
  { code: 'xl.missing-name', severity: 'error', summary: 'The config has no `name`, the one key `xl create` cannot do without.', example: 'memory = 1024\n' },
  { code: 'xl.expected-list', severity: 'warning', severityNote: `${BY_KEY} Also an error for a plain string where \`vnuma\` or \`vsnd\` wants a list of strings.`, summary: 'A single value for a key that xl reads as a list, such as `disk = "..."` instead of `disk = [ "..." ]`. For most keys xl warns and ignores the key; for `smbios`, `mca_caps` and the `device_model_args` keys it stops.', example: 'name = "web01"\ndisk = "vdev=xvda,target=/srv/web01.img"\n' },
  { code: 'xl.expected-single', severity: 'warning', severityNote: BY_KEY, summary: 'A list for a key that xl reads as one value.', example: 'name = "web01"\nkernel = [ "/boot/vmlinuz" ]\n' },
  { code: 'xl.not-a-number', severity: 'warning', severityNote: BY_KEY, summary: 'A value xl cannot read as a number for a key that takes one, such as a quoted word.', example: 'name = "web01"\nvcpus = "two"\n' },
  { code: 'xl.plus-equals-number', severity: 'warning', summary: '`+=` on a key whose value is a number: xl can only append strings and lists, so it complains, ignores the line and keeps the earlier value.', example: 'name = "web01"\nmemory = 1024\nmemory += 512\n' },
  { code: 'xl.octal-number', severity: 'warning', summary: 'A number with a leading zero, which xl reads as octal: `010` is 8.', example: 'name = "web01"\nmemory = 0512\n' },
  { code: 'xl.nested-list', severity: 'warning', severityNote: 'An error for the keys where a nested list makes xl crash or stop (`cpus`, `viridian`, `mca_caps`, `smbios`, `ioports`, `irqs`, `iomem`, `llc_colors`).', summary: 'A list inside a list of strings: xl stops reading the list at it, so it and every element after it are lost.', example: 'name = "web01"\nvif = [ "bridge=xenbr0", [ "bridge=xenbr1" ] ]\n' },
  { code: 'xl.out-of-range', severity: 'error', severityNote: BY_KEY, summary: 'A number outside the bounds xl checks for this key (for example `mmio_hole` must lie between 256 and 3840 MiB).', example: 'name = "web01"\ntype = "hvm"\nmmio_hole = 100\n' },
  { code: 'xl.bad-enum', severity: 'error', severityNote: BY_KEY, summary: 'A value outside the set the key accepts (the message lists them and suggests the closest). Also used for the one-word values of `on_poweroff`, `tsc_mode` and `mca_caps`.', example: 'name = "web01"\ntype = "xen"\n' },
  { code: 'xl.deprecated-form', severity: 'warning', summary: 'A value in a form xl still reads but calls deprecated, and warns about: `timer_mode` as a number instead of its name, `bootloader_args` as one string instead of a list of arguments (xl splits the string at blanks). The quick fix writes the current form.', example: 'name = "web01"\ntype = "hvm"\ntimer_mode = 1\n' },
  { code: 'xl.abbreviated-value', severity: 'hint', summary: 'A shortened value that xl expands by prefix (`type = "h"` means hvm). It works, but the full word reads better.', example: 'name = "web01"\ntype = "h"\n' },
];

const RELATIONS: readonly RuleInfo[] = [
  { code: 'xl.maxvcpus-below-vcpus', severity: 'error', summary: '`maxvcpus` is smaller than `vcpus`: a guest cannot start with more vCPUs than its maximum, and `xl create` fails.', example: 'name = "web01"\nvcpus = 4\nmaxvcpus = 2\n' },
  { code: 'xl.maxmem-below-memory', severity: 'warning', summary: '`maxmem` is smaller than `memory`, so the ceiling is below the starting amount.', example: 'name = "web01"\nmemory = 2048\nmaxmem = 1024\n' },
  { code: 'xl.bootloader-with-kernel', severity: 'warning', summary: 'Both `bootloader` and `kernel` are set, two ways to boot that exclude each other: a bootloader finds the kernel inside the guest\'s disk, `kernel` loads one from dom0.', example: 'name = "web01"\nbootloader = "pygrub"\nkernel = "/boot/vmlinuz"\n' },
  { code: 'xl.missing-kernel', severity: 'error', summary: 'A PV or PVH guest with neither `kernel` nor `bootloader` (nor a `firmware` of pvgrub32 or pvgrub64, which stands for a kernel). Such a guest has nothing to boot, and `xl create` (with `-N` too) refuses the config. A config without `type` or `builder` builds a PV guest, so an HVM config that forgot `type = "hvm"` lands here.', example: 'name = "web01"\nmemory = 1024\n' },
  { code: 'xl.hvmloader-kernel', severity: 'warning', summary: 'An HVM guest whose `kernel` is hvmloader, the HVM firmware: xl takes it for an attempt to swap the firmware, says so, and ignores the key. Other firmware goes in `firmware_override`; a real kernel in `kernel` is fine (direct kernel boot).', example: 'name = "web01"\ntype = "hvm"\nkernel = "/usr/lib/xen/boot/hvmloader"\n' },
  { code: 'xl.root-extra-ignored', severity: 'warning', summary: '`root` or `extra` beside `cmdline`: `cmdline` is the whole kernel command line, so xl leaves the other two out and prints a warning. Write everything in `cmdline`, or drop it and keep `root` and `extra`.', example: 'name = "web01"\nkernel = "/boot/vmlinuz"\ncmdline = "root=/dev/xvda1 ro"\nextra = "console=hvc0"\n' },
  { code: 'xl.firmware-with-kernel', severity: 'error', summary: 'A PV or PVH guest with both `firmware` (pvgrub32 or pvgrub64, which xl loads as the kernel) and `kernel`: xl refuses to choose and stops. Keep `firmware` to boot through the guest\'s own GRUB config, or `kernel` for a kernel in dom0.', example: 'name = "web01"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nfirmware = "pvgrub64"\n' },
  { code: 'xl.override-without-kind', severity: 'warning', summary: 'An override path without the setting that says what it is: `bios_path_override` without `bios` on an HVM guest, or `device_model_override` without `device_model_version`. xl warns and treats the file as the default kind (SeaBIOS, qemu-xen), which is wrong when it is something else.', example: 'name = "web01"\ntype = "hvm"\nbios_path_override = "/usr/share/ovmf/OVMF.fd"\n' },
  { code: 'xl.key-to-be-removed', severity: 'warning', summary: 'A key xl still reads but says it will remove: `msr_relaxed`. xl prints this on every `xl create` and asks for a report of the problem the setting works around, so that a proper fix can replace it.', example: 'name = "web01"\ntype = "hvm"\nmsr_relaxed = 1\n' },
  { code: 'xl.opengl-no-effect', severity: 'warning', summary: 'A non-zero `opengl`, at the top level or in a `vfb` spec, on a guest whose device model is qemu-xen (the default, and from Xen 4.21 the only one). xl reads the setting without a word, but libxl gives it only to the old qemu-xen-traditional, so it does nothing.', example: 'name = "web01"\ntype = "hvm"\nsdl = 1\nopengl = 1\n' },
  { code: 'xl.vnuma-mismatch', severity: 'error', summary: 'The virtual NUMA nodes of `vnuma` do not add up to the guest\'s maximums: their vCPUs differ from `maxvcpus` (or, without `maxvcpus`, are fewer than `vcpus`), or their sizes differ from `maxmem`. xl stops `xl create`.', example: 'name = "web01"\nmaxvcpus = 4\nvnuma = [ [ "pnode=0", "size=1024", "vcpus=0-1", "vdistances=10" ] ]\n' },
  { code: 'xl.builder-type-conflict', severity: 'error', summary: 'The old `builder` key and `type` ask for different guest types, and xl stops.', example: 'name = "web01"\ntype = "hvm"\nbuilder = "generic"\n' },
];

const VNC: readonly RuleInfo[] = [
  { code: 'xl.vnc-display-twice', severity: 'error', severityNote: 'A warning unless the guest is HVM.', summary: 'The VNC display is given twice, as `:N` at the end of `vnclisten` and in `vncdisplay`, and xl stops rather than choose.', example: 'name = "web01"\ntype = "hvm"\nvnclisten = "127.0.0.1:1"\nvncdisplay = 2\n' },
  { code: 'xl.vnc-not-loopback', severity: 'information', summary: 'The VNC server listens on an address other machines can reach (`vnclisten`, at the top level or in the first `vfb`). The graphical console of this extension needs only 127.0.0.1; the quick fix switches to it.', example: 'name = "web01"\ntype = "hvm"\nvnclisten = "0.0.0.0"\n' },
  { code: 'xl.vnc-password-too-long', severity: 'warning', summary: 'A VNC password of more than 8 bytes: VNC authentication uses the first 8 and drops the rest.', example: 'name = "web01"\ntype = "hvm"\nvncpasswd = "correct-horse"\n' },
  { code: 'xl.vnc-keymap', severity: 'information', summary: '`keymap` on a guest with a VNC console: QEMU then translates keys itself, which can break the extended key events that the console sends.', example: 'name = "web01"\ntype = "hvm"\nkeymap = "de"\n' },
];

const WORKSPACE: readonly RuleInfo[] = [
  { code: 'xl.duplicate-name', severity: 'warning', summary: 'Another config in the workspace names its guest the same; two guests with one name cannot run on one host.', example: 'name = "web01"\n', otherConfig: 'name = "web01"\n' },
  { code: 'xl.duplicate-mac', severity: 'warning', summary: 'Another config in the workspace gives a network interface the same MAC address; two running guests with one address disturb each other\'s network.', example: 'name = "web01"\nvif = [ "mac=00:16:3e:00:00:01" ]\n', otherConfig: 'name = "web02"\nvif = [ "mac=00:16:3e:00:00:01" ]\n' },
  { code: 'xl.duplicate-vncdisplay', severity: 'warning', summary: 'Another config in the workspace uses the same VNC display number (port 5900 plus the number): of two such guests on one host, the one started second gets no VNC.', example: 'name = "web01"\ntype = "hvm"\nvncdisplay = 3\n', otherConfig: 'name = "web02"\ntype = "hvm"\nvncdisplay = 3\n' },
];

/** Rules of xl.conf only; its keys also get the key and value rules above (see docs/xl-conf.md). */
const XL_CONF: readonly RuleInfo[] = [
  { code: 'xl.conf-guest-key', file: 'xl.conf', severity: 'warning', summary: 'A guest config\'s key in xl.conf, xl\'s own settings file. xl reads only its own keys there and says nothing about the others, so the setting has no effect: a guest\'s settings go in its config.', example: 'memory = 1024\n' },
  {
    code: 'xl.conf-cpumask',
    file: 'xl.conf',
    severity: 'error',
    severityNote: 'A warning when CPUs were added before the bad term, so the mask is only shorter than meant.',
    summary: 'A CPU mask of xl.conf (`vm.cpumask`, `vm.hvm.cpumask`, `vm.pv.cpumask`) with a term xl cannot read, or one that adds no CPU. xl reads the mask at the start of every command and stops at the first bad term, keeping the CPUs before it; when nothing is left, every `xl create` fails because no CPU remains for the guest.',
    example: 'vm.cpumask = "2-"\n',
  },
];

/**
 * Spec codes with an entry of their own: the code of the language's own problems is also the one
 * its generic problems get, so the entry says both.
 */
const OWN_ENTRY: ReadonlySet<string> = new Set(['xl.usbctrl-spec', 'xl.usbdev-spec', 'xl.channel-spec', 'xl.p9-spec', 'xl.vkb-spec', 'xl.vtpm-spec', 'xl.vnuma-spec', 'xl.smbios-spec', 'xl.iomem-spec', 'xl.ioports-spec', 'xl.irqs-spec']);
const ALSO_GENERIC = ' The same code covers the problems every spec language can have (see `xl.<language>-spec`).';

/** The languages whose generic problems carry the language's own code (see `ruleCode` in checks/specs.ts). */
const SPEC_LANGUAGE_CODES = ['action', 'arm-sci', 'boot', 'channel', 'cpuid', 'cpus', 'disk', 'dtdev', 'iomem', 'ioports', 'irqs', 'llc-colors', 'mca-caps', 'p9', 'pci', 'pvcalls', 'rdm', 'serial', 'smbios', 'tsc-mode', 'usbctrl', 'usbdev', 'usbdevice', 'vdispl', 'vfb', 'vif', 'viridian', 'virtio', 'vkb', 'vnuma', 'vsnd', 'vtpm', 'xenstore-quota'].map((language) => `xl.${language}-spec`);

const SPECS: readonly RuleInfo[] = [
  {
    code: 'xl.<language>-spec',
    // A language whose code has its own entry below is documented there.
    codes: SPEC_LANGUAGE_CODES.filter((code) => !OWN_ENTRY.has(code)),
    severity: 'warning',
    severityNote: SPEC_SEVERITY,
    summary: 'A problem inside a spec string (the small key=value languages of `disk`, `vif`, `pci`, `vfb`, ...) that every language can have: an unknown parameter, a number that is not one, a parameter given twice, a value outside its set, a part xl ignores, and the problems particular to the language that have no code of their own. The code names the language (`xl.disk-spec`, `xl.vif-spec`, ...), so one language can be tuned without the others.',
    example: 'name = "web01"\nvif = [ "bridge=xenbr0,speed=10" ]\n',
  },
  { code: 'xl.uuid', severity: 'error', summary: '`uuid` is not in the 8-4-4-4-12 hex form, and `xl create` stops.', example: 'name = "web01"\nuuid = "1234"\n' },
  { code: 'xl.disk-vdev', severity: 'error', summary: 'The guest device name of a disk (`vdev`) is not one xl can map to a device (xvd*, hd*, sd*, or a number).', example: 'name = "web01"\ndisk = [ "vdev=floppy,target=/srv/web01.img" ]\n' },
  { code: 'xl.disk-cdrom-rw', severity: 'warning', summary: 'A write access mode on a CD-ROM drive, which is always read-only: the mode is ignored.', example: 'name = "web01"\ntype = "hvm"\ndisk = [ "vdev=hdc,access=rw,devtype=cdrom,target=/srv/install.iso" ]\n' },
  { code: 'xl.bad-mac', severity: 'warning', summary: 'The `mac` of a network interface is not six hex octets; xl drops it and makes up a random address.', example: 'name = "web01"\nvif = [ "mac=00:16:3e:zz:00:01" ]\n' },
  { code: 'xl.mac-oui', severity: 'warning', summary: 'A MAC address that belongs to a hardware vendor, outside the 00:16:3e range set aside for Xen guests: it may collide with real hardware or other hypervisors\' guests. A locally administered address (the 0x02 bit of the first octet set, as in 02:xx or 52:54:00) belongs to no vendor and is not flagged.', example: 'name = "web01"\nvif = [ "mac=00:50:56:12:34:56" ]\n' },
  { code: 'xl.vif-rate', severity: 'error', summary: 'A `rate` of a network interface that xl cannot read: it needs an amount per second such as `10Mb/s`, optionally with `@` and an interval.', example: 'name = "web01"\nvif = [ "rate=fast" ]\n' },
  { code: 'xl.vif-mtu', severity: 'warning', summary: 'An `mtu` outside 68-65535, the sizes an Ethernet interface can use.', example: 'name = "web01"\nvif = [ "mtu=20" ]\n' },
  { code: 'xl.vif-name', severity: 'warning', summary: 'A `vifname` longer than 15 characters, the longest interface name Linux allows in the backend.', example: 'name = "web01"\nvif = [ "vifname=a-rather-long-interface" ]\n' },
  { code: 'xl.vif-vlan', severity: 'warning', summary: 'A `vlan` list that is not VLAN IDs (1-4094) with their optional tagged/untagged and range forms.', example: 'name = "web01"\nvif = [ "vlan=5000" ]\n' },
  { code: 'xl.pci-bdf', severity: 'error', summary: 'A PCI address that is not `[domain:]bus:device.function` in hex.', example: 'name = "web01"\npci = [ "03:00" ]\n' },
  { code: 'xl.pci-vslot', severity: 'error', summary: 'The virtual slot after `@` in a PCI spec is not a hex slot from 0 to 1f.', example: 'name = "web01"\npci = [ "03:00.0@40" ]\n' },
  { code: 'xl.cpus-range', severity: 'warning', summary: 'A CPU range in `vnuma` that xl does not refuse but reads wrongly, so the vCPU count of the node is off.', example: 'name = "web01"\nvcpus = 4\nvnuma = [ [ "pnode=0", "size=512", "vcpus=3-1", "vdistances=10" ] ]\n' },
  { code: 'xl.cpus-all', severity: 'error', summary: '`^` (remove) combined with `all` in a CPU list, which xl refuses.', example: 'name = "web01"\ncpus = "^all"\n' },
  { code: 'xl.cpuid-host', severity: 'warning', summary: 'The old-style `cpuid` string does not start with `host`; xl reports it and ignores the whole string.', example: 'name = "web01"\ncpuid = "guest,avx=0"\n' },
  { code: 'xl.cpuid-flag', severity: 'warning', summary: 'An item of a `cpuid` string without `=`; xl skips it.', example: 'name = "web01"\ncpuid = "host,avx"\n' },
  { code: 'xl.cpuid-value', severity: 'warning', summary: 'A `cpuid` feature value that is not one of the policy characters the feature takes; xl skips the item.', example: 'name = "web01"\ncpuid = "host,arch-caps=2"\n' },
  { code: 'xl.cpuid-leaf', severity: 'warning', summary: 'A leaf or subleaf number in the libxc form of `cpuid` that xl cannot read.', example: 'name = "web01"\ncpuid = [ "zz:eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ]\n' },
  { code: 'xl.cpuid-reg', severity: 'warning', summary: 'A register name in the libxc form of `cpuid` other than eax, ebx, ecx or edx.', example: 'name = "web01"\ncpuid = [ "0x1:efx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ]\n' },
  { code: 'xl.cpuid-bits', severity: 'warning', summary: 'A register policy in the libxc form of `cpuid` that is not exactly 32 characters, one per bit.', example: 'name = "web01"\ncpuid = [ "0x1:eax=xx" ]\n' },
  { code: 'xl.viridian-group', severity: 'error', summary: 'A name in `viridian` that is not one of the Hyper-V enlightenment groups xl knows.', example: 'name = "web01"\ntype = "hvm"\nviridian = [ "turbo" ]\n' },
  { code: 'xl.boot-device', severity: 'error', severityNote: 'A warning for an empty order, which xl lets through.', summary: 'A `boot` order that is empty or holds letters other than the drives QEMU boots from (c, d, n, ...).', example: 'name = "web01"\ntype = "hvm"\nboot = "z"\n' },
  { code: 'xl.serial-device', severity: 'warning', summary: 'A `serial` device that QEMU will not recognise (empty, or not one of its device forms).', example: 'name = "web01"\ntype = "hvm"\nserial = ""\n' },
  { code: 'xl.usbdevice', severity: 'warning', summary: 'A `usbdevice` that is neither one of the emulated devices nor a well-formed `host:` device.', example: 'name = "web01"\ntype = "hvm"\nusbdevice = "joystick"\n' },
  { code: 'xl.usbctrl-spec', severity: 'error', summary: 'A `usbctrl` spec that xl refuses, such as a USB version other than 1, 2 or 3.' + ALSO_GENERIC, example: 'name = "web01"\nusbctrl = [ "version=4" ]\n' },
  { code: 'xl.usbdev-spec', severity: 'warning', summary: 'A `usbdev` spec whose parts do not fit together, such as a `port` without the `controller` it belongs to.' + ALSO_GENERIC, example: 'name = "web01"\nusbdev = [ "hostbus=1,hostaddr=2,port=1" ]\n' },
  { code: 'xl.channel-spec', severity: 'error', summary: 'A `channel` spec that xl refuses or crashes on, such as an empty one or one without its connection.' + ALSO_GENERIC, example: 'name = "web01"\nchannel = [ "" ]\n' },
  { code: 'xl.p9-spec', severity: 'error', summary: 'A `p9` (9pfs share) spec that xl refuses or crashes on, such as an empty one or one missing its tag, path or security model.' + ALSO_GENERIC, example: 'name = "web01"\np9 = [ "" ]\n' },
  { code: 'xl.vkb-spec', severity: 'error', summary: 'A `vkb` spec without its `backend-type`, which xl requires.' + ALSO_GENERIC, example: 'name = "web01"\nvkb = [ "unique-id=kbd0" ]\n' },
  { code: 'xl.vtpm-spec', severity: 'error', summary: 'A `vtpm` spec without the `backend` domain that serves the TPM.' + ALSO_GENERIC, example: 'name = "web01"\nvtpm = [ "uuid=6c9f2a3e-1b7d-4e0a-9d52-3f8e2b1c4a70" ]\n' },
  { code: 'xl.vtpm-uuid', severity: 'error', summary: 'The `uuid` of a `vtpm` is not in the 8-4-4-4-12 hex form.', example: 'name = "web01"\nvtpm = [ "backend=vtpmmgr,uuid=1234" ]\n' },
  { code: 'xl.vdispl-connector', severity: 'error', summary: 'A `vdispl` spec with an empty or malformed `connectors` list (xl crashes on an empty one).', example: 'name = "web01"\nvdispl = [ "backend=0,connectors=" ]\n' },
  { code: 'xl.virtio-type', severity: 'error', severityNote: 'A warning when a suffix is there but does not look like `device<ID>`.', summary: 'A virtio device `type` of `virtio` without the `,device<ID>` suffix that xl expects after it: xl crashes when nothing follows.', example: 'name = "web01"\nvirtio = [ "type=virtio" ]\n' },
  { code: 'xl.vnuma-spec', severity: 'error', summary: 'A `vnuma` node item that is not `KEY=VALUE`.' + ALSO_GENERIC, example: 'name = "web01"\nvnuma = [ [ "pnode" ] ]\n' },
  { code: 'xl.smbios-spec', severity: 'warning', severityNote: 'An error in a config for Xen releases after 4.17; Xen 4.17 does not read `smbios`, so it is a warning.', summary: 'An `smbios` item that is not `KEY=VALUE`.' + ALSO_GENERIC, example: 'name = "web01"\ntype = "hvm"\nsmbios = [ "bios_vendor" ]\n' },
  { code: 'xl.iomem-spec', severity: 'error', summary: 'An `iomem` range that is not `START,NUM[@GFN]` in hex page numbers.' + ALSO_GENERIC, example: 'name = "web01"\niomem = [ "fe000" ]\n' },
  { code: 'xl.ioports-spec', severity: 'error', summary: 'An `ioports` range that is not a hex port or `FIRST-LAST`.' + ALSO_GENERIC, example: 'name = "web01"\nioports = [ "port" ]\n' },
  { code: 'xl.irqs-spec', severity: 'error', summary: 'An `irqs` entry that is not a decimal IRQ number.' + ALSO_GENERIC, example: 'name = "web01"\nirqs = [ "0x10" ]\n' },
  { code: 'xl.llc-colors', severity: 'error', summary: 'An `llc_colors` entry that is not a decimal color or `N-M` range.', example: 'name = "web01"\nllc_colors = [ "a-b" ]\n' },
  { code: 'xl.dtdev-path', severity: 'warning', summary: 'A `dtdev` device-tree path that does not start with `/`.', example: 'name = "web01"\ndtdev = [ "soc/ethernet" ]\n' },
  { code: 'xl.rdm-ignored', severity: 'warning', summary: 'An `rdm` value or part that xl ignores, such as an empty one.', example: 'name = "web01"\ntype = "hvm"\nrdm = ""\n' },
  { code: 'xl.xenstore-quota', severity: 'error', summary: 'A `xenstore_quota` item that is not `NAME=VALUE`.', example: 'name = "web01"\nxenstore_quota = [ "nodes" ]\n' },
  {
    code: 'xl.spec-internal-error',
    severity: 'information',
    summary: 'A spec parser of this extension failed on the value (a bug in xen-xl, not in the config): the problems found before it stopped are shown, later ones may be missing. The server log names the parser and a hash of the value, for a bug report. No config is known to trigger it; the example is the shape it takes.',
    example: 'name = "web01"\nmemory = 1024\nkernel = "/boot/vmlinuz"\ndisk = [ "vdev=xvda,target=/srv/web01.img" ]\n',
  },
];

/** The rules that run only for a target Xen version (`xen.targetVersion`, the host's, `--xen-version`). */
const VERSIONS: readonly RuleInfo[] = [
  { code: 'xl.version-key-ignored', severity: 'warning', targetVersion: '4.17', summary: 'A key that came in a newer Xen than the target version. The target\'s xl does not know it and reads the config without a word about it, so the setting has no effect on that host. The same for a key inside a `vif` spec, where that xl says "unrecognized argument" and goes on without it.', example: 'name = "web01"\nxenstore_quota = [ "nodes=2000" ]\n' },
  { code: 'xl.version-refused', severity: 'error', targetVersion: '4.17', summary: 'A value, or a key inside a device spec, that came in a newer Xen than the target version. The target\'s xl refuses it (for a 9pfs share, "Unknown string") and `xl create` stops.', example: 'name = "web01"\np9 = [ "tag=share,path=/srv/share,security_model=none,type=qemu" ]\n' },
  { code: 'xl.version-removed', severity: 'error', targetVersion: '4.21', summary: 'A value that the target version no longer supports, such as the old `qemu-xen-traditional` device model (gone in Xen 4.21) and the `rombios` firmware only it could run. `xl create` fails; the quick fix writes the replacement the message names.', example: 'name = "web01"\ntype = "hvm"\ndevice_model_version = "qemu-xen-traditional"\n' },
  { code: 'xl.version-pygrub-path', severity: 'warning', targetVersion: '4.19', summary: 'The bootloader written as `/usr/bin/pygrub`. Since Xen 4.19 that path is no longer installed; the bare name `pygrub` lets xl find the bootloader where Xen put it. The quick fix writes `"pygrub"`.', example: 'name = "web01"\nbootloader = "/usr/bin/pygrub"\n' },
];

export const RULES: readonly RuleInfo[] = [
  ...SYNTAX, ...KEYS_AND_VALUES, ...RELATIONS, ...VNC, ...WORKSPACE, ...XL_CONF, ...SPECS, ...VERSIONS,
  { code: 'xl.missing-path', severity: 'warning', summary: 'A host path the config needs does not exist. It may be a disk\'s target, a kernel or ramdisk, a bootloader or other file given by its full path, or the folder a serial log goes in; xl cannot use it and `xl create` fails. Only the language server checks this, and only where the config is used: on a Xen control domain (dom0), or on any host when `xen.checkHostPaths` is `always`. A path the host does not answer about in time, or will not show (no permission), is not reported; `xl-cfg-lint` does not look.', example: 'name = "web01"\ndisk = [ "phy:/dev/xenvg/web01-gone,xvda,w" ]\n' },
];

/** Rules whose example cannot trigger them: found only through a bug of our own. */
export const RULES_WITHOUT_TRIGGER: ReadonlySet<string> = new Set(['xl.spec-internal-error']);

const RULE_BY_CODE: ReadonlyMap<string, RuleInfo> = new Map(RULES.flatMap((rule) => [rule.code, ...(rule.codes ?? [])].map((code) => [code, rule] as const)));

/** The rule a diagnostic's code belongs to, or undefined for a code the table does not know. */
export function ruleOf(code: string): RuleInfo | undefined {
  return RULE_BY_CODE.get(code);
}

/**
 * The anchor of a rule's section in docs/rules.md, whose heading is the code: the slug GitHub and
 * VS Code's preview make of it (lower case; characters other than letters, digits, `_`, `-` and
 * spaces dropped; spaces as `-`), so `xl.unknown-key` is `xlunknown-key`.
 */
export function ruleAnchor(rule: RuleInfo): string {
  return rule.code.toLowerCase().replace(/[^a-z0-9_ -]/g, '').replace(/ /g, '-');
}

/**
 * Where the rule reference (docs/rules.md) is on this machine, and the line of each rule's
 * section. The extension ships the file, so a diagnostic's code opens it at its rule in the
 * editor, with no network and under Remote-SSH alike (a `file:` URI with a `#L<line>` fragment,
 * which VS Code opens at that line).
 */
export interface RulesReference {
  /** The file's `file:` URI. */
  readonly uri: string;
  /** 1-based line of each rule's heading, by the rule's main code. */
  readonly lines: ReadonlyMap<string, number>;
}

/** Finds the rules' headings (`### \`xl.code\``) in the text of docs/rules.md. */
export function rulesReferenceFrom(uri: string, text: string): RulesReference {
  const lines = new Map<string, number>();
  const rows = text.split('\n');
  for (let index = 0; index < rows.length; index++) {
    const match = /^### `([^`]+)`\s*$/.exec(rows[index]);
    if (match !== null && ruleOf(match[1])?.code === match[1]) lines.set(match[1], index + 1);
  }
  return { uri, lines };
}

/** The link to the section of the rule reference that explains a diagnostic's code, if both are known. */
export function ruleHref(code: string, reference: RulesReference | undefined): string | undefined {
  const rule = ruleOf(code);
  const line = rule === undefined ? undefined : reference?.lines.get(rule.code);
  return line === undefined || reference === undefined ? undefined : `${reference.uri}#L${line}`;
}

export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';
