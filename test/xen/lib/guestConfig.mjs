// The config of one of the rig's test guests, shared by the real-Xen node suites (test/xen), the
// workbench suites (test/e2e/xen) and the harness. Every such guest boots the rig's kernel with
// its busybox initramfs, whose /init prints `XEN-XL-GUEST-UP tag=<tag>` on the console and, with
// `xenxl.ignoreshutdown` on the command line, does not act on a shutdown request.

/**
 * @param {{ name: string, kernel: string, guestDir: string, type?: 'pv' | 'pvh', tag?: string,
 *   memory?: number, ignoreShutdown?: boolean, extraLines?: string[], comment?: string }} guest
 * @returns {string}
 */
export function rigGuestConfig({ name, kernel, guestDir, type = 'pv', tag = name, memory = 128, ignoreShutdown = false, extraLines = [], comment }) {
  return guestLines({ name, kernel, guestDir, type, memory, extraLines, comment, extra: `console=hvc0 quiet xenxl.tag=${tag}${ignoreShutdown ? ' xenxl.ignoreshutdown' : ''}` });
}

/** The lines every rig guest has, with its kernel command line `extra` and its own lines after them. */
function guestLines({ name, kernel, guestDir, type, memory, extraLines, comment, extra }) {
  return [
    ...(comment === undefined ? [] : [`# ${comment}`]),
    `name = "${name}"`,
    `type = "${type}"`,
    `kernel = "${kernel}"`,
    `ramdisk = "${guestDir}/initrd.gz"`,
    `extra = "${extra}"`,
    `memory = ${memory}`,
    'vcpus = 1',
    'on_poweroff = "destroy"',
    'on_crash = "destroy"',
    ...extraLines,
    '',
  ].join('\n');
}

/**
 * The config of a rig guest with a screen behind a VNC server in dom0. `xenxl.screen` makes the
 * guest's /init write `XEN-XL-VNC-GUEST tag=<tag>` on tty1 and run a shell there; tty1 is what
 * the screen shows, so keys typed through VNC reach that shell. The console (`xl console`) still
 * gets `XEN-XL-GUEST-UP tag=<tag>`.
 *
 * - `pv` (the fast one: on the rig its shell is on the screen about 10 s after `xl create`): a PV
 *   framebuffer and keyboard (`vfb`), served by the device model in dom0; `kernel` is the rig's
 *   PV kernel (`rig.guestKernel`).
 * - `hvm` (a minute or more under TCG): an emulated PC with a VGA card (`vnc = 1`), booted
 *   straight into `kernel`, which must be a bzImage (`rig.guestBzImage`).
 *
 * `password` becomes the VNC password (`vncpasswd`). Debian 12's device model cannot use one (its
 * QEMU has no DES cipher: it exits with "Cipher backend does not support DES algorithm" and
 * `xl create` fails), so on the rig this only yields configs for `xl create -n` and the validator.
 * A password that cannot be written into the config is refused without being echoed.
 *
 * `keymap` is the layout the VNC server turns keysyms into scancodes with (in the vfb spec for
 * PV, where a top-level `keymap` is ignored; `keymap` for HVM). The rig's dom0 has `en-us` (the
 * default) and `de`; any other makes the device model exit and `xl create` fail.
 *
 * @param {{ name: string, kernel: string, guestDir: string, type?: 'pv' | 'hvm', tag?: string,
 *   memory?: number, listen?: string, password?: string, keymap?: string, extraLines?: string[],
 *   comment?: string }} guest
 * @returns {string}
 */
export function rigVncGuestConfig({ name, kernel, guestDir, type = 'pv', tag = name, memory = type === 'hvm' ? 192 : 128, listen = '127.0.0.1', password, keymap, extraLines = [], comment }) {
  if (!/^[A-Za-z0-9.:_-]+$/.test(listen)) throw new Error(`rigVncGuestConfig: listen address ${JSON.stringify(listen)} is not an address`);
  if (keymap !== undefined && !/^[a-z]+(-[a-z]+)?$/.test(keymap)) throw new Error(`rigVncGuestConfig: ${JSON.stringify(keymap)} is not a keymap name`);
  // Inside a vfb spec a comma ends the value, and either quote ends the string.
  if (password !== undefined && !(/^[\x21-\x7e]+$/.test(password) && !/["',\\]/.test(password))) {
    throw new Error('rigVncGuestConfig: the password must be printable ASCII without quotes, commas or backslashes');
  }
  const vnc =
    type === 'pv'
      ? [`vfb = [ 'vnc=1, vnclisten=${listen}${password === undefined ? '' : `, vncpasswd=${password}`}${keymap === undefined ? '' : `, keymap=${keymap}`}' ]`]
      : ['vnc = 1', `vnclisten = "${listen}"`, ...(password === undefined ? [] : [`vncpasswd = "${password}"`]), ...(keymap === undefined ? [] : [`keymap = "${keymap}"`])];
  // The last console is /dev/console, where the boot line goes: hvc0, which `xl console` reads.
  return guestLines({ name, kernel, guestDir, type, memory, comment, extraLines: [...vnc, ...extraLines], extra: `console=tty0 console=hvc0 quiet xenxl.tag=${tag} xenxl.screen` });
}

/** A name, volume group or bridge as these configs take them: no quotes, commas or spaces. */
const PLAIN_WORD = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * The config of an HVM guest being installed from an ISO, as the New Guest wizard writes it (the
 * walkthrough's shape): its disk a logical volume (`hda`), the ISO in a CD drive (`hdc`, what
 * Insert ISO and Eject use), `boot = "dc"` (CD first), a network card on a bridge, its screen on
 * a VNC server at a fixed display on 127.0.0.1, and a serial port on a pty.
 *
 * `iso: null` leaves the CD drive empty (a guest after Finish Install with "empty CD drive");
 * `mac: null` gives no network card. The MAC defaults to one in Xen's range made from the name,
 * so a guest gets the same one every run.
 *
 * @param {{ name: string, volumeGroup: string, volume?: string, iso: string | null,
 *   display: number, mac?: string | null, bridge?: string, memory?: number, vcpus?: number,
 *   boot?: string, extraLines?: string[], comment?: string }} guest
 * @returns {string}
 */
export function rigInstallGuestConfig({ name, volumeGroup, volume = name, iso, display, mac, bridge = 'xenbr0', memory = 128, vcpus = 1, boot = 'dc', extraLines = [], comment }) {
  for (const [what, word] of [['name', name], ['volume group', volumeGroup], ['volume', volume], ['bridge', bridge]]) {
    if (!PLAIN_WORD.test(word)) throw new Error(`rigInstallGuestConfig: the ${what} ${JSON.stringify(word)} is not a plain word`);
  }
  if (iso !== null && !/^\/[A-Za-z0-9._/+-]+$/.test(iso)) throw new Error(`rigInstallGuestConfig: the ISO ${JSON.stringify(iso)} is not a plain absolute path`);
  if (!Number.isInteger(display) || display < 0 || display > 99) throw new Error(`rigInstallGuestConfig: VNC display ${display} is not 0..99`);
  if (!/^[cdn]{1,3}$/.test(boot)) throw new Error(`rigInstallGuestConfig: boot order ${JSON.stringify(boot)} is not made of c, d and n`);
  const nicMac = mac === undefined ? xenMacFor(name) : mac;
  if (nicMac !== null && !/^00:16:3e(:[0-9a-f]{2}){3}$/.test(nicMac)) throw new Error(`rigInstallGuestConfig: ${JSON.stringify(nicMac)} is not a MAC in Xen's range (00:16:3e:…, lower case)`);
  const cdrom = iso === null ? 'format=raw, vdev=hdc, access=ro, devtype=cdrom, target=' : `format=raw, vdev=hdc, access=ro, devtype=cdrom, target=${iso}`;
  return [
    ...(comment === undefined ? [] : [`# ${comment}`]),
    `name = "${name}"`,
    'type = "hvm"',
    `memory = ${memory}`,
    `vcpus = ${vcpus}`,
    `disk = [ "format=raw, vdev=hda, access=rw, target=/dev/${volumeGroup}/${volume}", "${cdrom}" ]`,
    `boot = "${boot}"`,
    ...(nicMac === null ? [] : [`vif = [ "mac=${nicMac}, bridge=${bridge}" ]`]),
    'vnc = 1',
    'vnclisten = "127.0.0.1"',
    `vncdisplay = ${display}`,
    'vncunused = 0',
    'serial = "pty"',
    ...extraLines,
    '',
  ].join('\n');
}

/** A MAC in Xen's range (00:16:3e) whose last three bytes come from `name` (FNV-1a). */
function xenMacFor(name) {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  // The first byte after the prefix stays below 0x80, as in the MACs xl itself makes up.
  const bytes = [(hash >>> 16) & 0x7f, (hash >>> 8) & 0xff, hash & 0xff];
  return ['00', '16', '3e', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
