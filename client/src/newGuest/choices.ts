// What the New Guest wizard asks for, as plain data: the wizard fills a NewGuestChoices step by
// step, and the pure functions of allocate.ts, configText.ts and plan.ts turn it into names,
// config text and commands. No `vscode` import, so all of it is tested under plain Node.

/** The three ways a new guest boots: HVM from firmware (the installer walkthrough), PVH or PV through pygrub. */
export type GuestKind = 'hvm' | 'pvh' | 'pv';

/** The guest's one writable disk. */
export type DiskChoice =
  /** A logical volume the wizard creates: `/dev/<vg>/<guest name>`. */
  | { kind: 'new-volume'; vg: string; sizeBytes: number }
  /** A logical volume that exists and that no config or running guest uses. */
  | { kind: 'existing-volume'; path: string }
  /** An image file the wizard creates: `<folder>/<guest name>.img` (raw, sparse) or `.qcow2`. */
  | { kind: 'new-image'; folder: string; format: 'raw' | 'qcow2'; sizeBytes: number };

/** Where an HVM guest's installer comes from: an ISO file on the host, or the network (PXE). */
export type InstallSource = { kind: 'iso'; path: string } | { kind: 'network' };

export interface NewGuestChoices {
  kind: GuestKind;
  name: string;
  memoryMiB: number;
  vcpus: number;
  disk: DiskChoice;
  /** Required for HVM, absent for PV and PVH (they boot what pygrub finds on the disk). */
  install?: InstallSource;
  /** Absent: the guest gets no network interface. */
  network?: { bridge: string; mac: string };
  /**
   * A VNC screen on 127.0.0.1: HVM (the device model's display) and PV (a virtual framebuffer);
   * never PVH, which has no device model. `password` is present only when the user asked for it to
   * be written into the config.
   */
  vnc?: { display: number; password?: string };
}

/** The HVM guest's CD drive: Insert ISO, Eject ISO and Finish Install address it by this name. */
export const INSTALL_CD_VDEV = 'hdc';

/** The disk device the guest sees its own disk as, per kind (IDE for HVM firmware, PV block otherwise). */
export function systemDiskVdev(kind: GuestKind): 'hda' | 'xvda' {
  return kind === 'hvm' ? 'hda' : 'xvda';
}

/** The only address the VNC server listens on: the graphical console connects there (through SSH for a remote host). */
export const VNC_LISTEN_ADDRESS = '127.0.0.1';
