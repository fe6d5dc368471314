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
  return [
    ...(comment === undefined ? [] : [`# ${comment}`]),
    `name = "${name}"`,
    `type = "${type}"`,
    `kernel = "${kernel}"`,
    `ramdisk = "${guestDir}/initrd.gz"`,
    `extra = "console=hvc0 quiet xenxl.tag=${tag}${ignoreShutdown ? ' xenxl.ignoreshutdown' : ''}"`,
    `memory = ${memory}`,
    'vcpus = 1',
    'on_poweroff = "destroy"',
    'on_crash = "destroy"',
    ...extraLines,
    '',
  ].join('\n');
}
