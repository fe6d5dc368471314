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
