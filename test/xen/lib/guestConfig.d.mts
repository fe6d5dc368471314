// Types of guestConfig.mjs for the TypeScript suites.
export function rigGuestConfig(guest: {
  name: string;
  kernel: string;
  guestDir: string;
  type?: 'pv' | 'pvh';
  tag?: string;
  memory?: number;
  ignoreShutdown?: boolean;
  extraLines?: string[];
  comment?: string;
}): string;

export function rigVncGuestConfig(guest: {
  name: string;
  /** `pv`: the rig's PV kernel (rig.guestKernel); `hvm`: a bzImage (rig.guestBzImage). */
  kernel: string;
  guestDir: string;
  type?: 'pv' | 'hvm';
  tag?: string;
  memory?: number;
  /** vnclisten; 127.0.0.1 unless given. */
  listen?: string;
  /** vncpasswd; Debian 12's device model cannot start with one (see guestConfig.mjs). */
  password?: string;
  /** The VNC server's keyboard layout (the rig has en-us and de). */
  keymap?: string;
  extraLines?: string[];
  comment?: string;
}): string;

/**
 * An HVM guest being installed from an ISO, as New Guest writes it: `hda` on /dev/VG/VOLUME,
 * the ISO in CD drive `hdc` (`null`: an empty drive), `boot = "dc"`, a vif on `bridge` (xenbr0)
 * with `mac` (default: made from the name; `null`: no vif), VNC on 127.0.0.1 at `display`,
 * `serial = "pty"`.
 */
export function rigInstallGuestConfig(guest: {
  name: string;
  volumeGroup: string;
  /** The logical volume's name; the guest's name unless given. */
  volume?: string;
  iso: string | null;
  display: number;
  mac?: string | null;
  bridge?: string;
  memory?: number;
  vcpus?: number;
  /** `dc` unless given; `c` is the config after Finish Install. */
  boot?: string;
  extraLines?: string[];
  comment?: string;
}): string;
