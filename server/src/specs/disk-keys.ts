// The keys of the disk language (DISK_SPEC): the values each accepts and what it means, in our
// own words, for hover and completion. The parser in `disk.ts` reads the accepted values from here.
import type { SpecKeyDoc } from '../catalogue/types';

export const FORMATS = ['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty'] as const;
export const ACCESS = ['r', 'ro', 'w', 'rw'] as const;
export const BACKENDTYPES = ['phy', 'tap', 'qdisk', 'standalone'] as const;
export const SPECIFICATIONS = ['xen', 'virtio'] as const;
export const PREFIXES = ['raw', 'qcow', 'qcow2', 'vhd', 'iscsi', 'nbd', 'enbd', 'drbd', 'phy', 'file', 'tap', 'tap2', 'tapdisk', 'aio', 'ioemu'] as const;

export const DISK_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'target',
    doc: 'The backing store the guest sees as this disk: a block device, an image file, or for scripted backends whatever the script understands. Written as `target=`, it swallows everything up to the end of the spec (commas included), so it must come last.',
    example: 'target=/dev/vg0/guest-root',
  },
  {
    name: 'format',
    doc: 'Layout of the data inside the target. Leave it at `raw` for block devices and plain images; `empty` is only meaningful for a CD-ROM drive with no media.',
    values: FORMATS,
    default: 'raw',
    valueDocs: {
      raw: 'Plain byte-for-byte image or block device, no container format.',
      qcow: 'Old QEMU copy-on-write format (version 1); needs the qdisk backend.',
      qcow2: 'QEMU copy-on-write v2 image with snapshots and thin provisioning; served by qdisk.',
      vhd: 'Microsoft Virtual Hard Disk image, as used by tapdisk/blktap setups.',
      qed: 'QEMU Enhanced Disk image; served by qdisk.',
      empty: 'No media at all; used for removable CD-ROM drives that start ejected.',
    },
    example: 'format=qcow2',
  },
  {
    name: 'vdev',
    doc: 'Device name the guest is told to use, such as `xvda`, `hda` or `sdb`; it also fixes the disk\'s index on the virtual bus. Required in every disk spec.',
    example: 'vdev=xvda',
  },
  {
    name: 'access',
    doc: 'Whether the guest may write to the disk. `r`/`ro` give read-only access, `w`/`rw` read-write; CD-ROMs are always read-only.',
    values: ACCESS,
    default: 'rw (ro for cdrom)',
    valueDocs: {
      r: 'Read-only.',
      ro: 'Read-only (same as r).',
      w: 'Read-write.',
      rw: 'Read-write (same as w).',
    },
    example: 'access=ro',
  },
  {
    name: 'devtype',
    doc: 'Kind of device presented to the guest. `cdrom` makes a removable, read-only drive (an HVM emulated CD); `disk` is an ordinary hard disk.',
    values: ['cdrom', 'disk'],
    default: 'disk',
    valueDocs: {
      cdrom: 'Removable read-only optical drive; media can be changed with `xl cd-insert`.',
      disk: 'Ordinary fixed hard disk.',
    },
    example: 'devtype=cdrom',
  },
  {
    name: 'cdrom',
    doc: 'Bare flag with the same meaning as `devtype=cdrom`: the device becomes a removable, read-only CD-ROM drive.',
    example: 'cdrom',
  },
  {
    name: 'backend',
    doc: 'Name or numeric id of the driver domain that serves this disk. Without it the control domain (dom0) runs the backend.',
    default: 'dom0',
    example: 'backend=storage-dom',
  },
  {
    name: 'backendtype',
    valueVersions: { standalone: { since: '4.17', source: '66dd1c62b2 libxl: Add support for Virtio disk configuration' } },
    doc: 'Forces which backend implementation serves the disk instead of letting libxl choose one from the target and format.',
    values: BACKENDTYPES,
    valueDocs: {
      phy: 'In-kernel blkback driving a block device (or a loop-mounted file).',
      tap: 'blktap2/tapdisk user-space backend, used for VHD images.',
      qdisk: 'QEMU\'s Xen block backend; handles qcow/qcow2/qed and files without a loop device.',
      standalone: 'No backend is started by the toolstack; something else provides it (for example a virtio backend).',
    },
    example: 'backendtype=qdisk',
  },
  {
    name: 'specification',
    version: { since: '4.17', source: '66dd1c62b2 libxl: Add support for Virtio disk configuration' },
    doc: 'Protocol the guest uses to reach the disk: the classic Xen PV block protocol or a virtio-blk device (Arm virtio setups).',
    values: SPECIFICATIONS,
    default: 'xen',
    valueDocs: {
      xen: 'Xen PV block protocol (blkfront/blkback).',
      virtio: 'virtio-blk device, served by a virtio backend (for example in a driver domain).',
    },
    example: 'specification=virtio',
  },
  {
    name: 'script',
    doc: 'Hotplug script that turns the target into a usable block device before the backend attaches, such as `block-iscsi` or `block-drbd`. A bare name is looked up in the Xen scripts directory.',
    example: 'script=block-iscsi',
  },
  {
    name: 'direct-io-safe',
    doc: 'Flag telling the qdisk backend it may open the image with O_DIRECT, skipping a safety workaround; only set it when the storage stack is known to handle that correctly.',
    example: 'direct-io-safe',
  },
  {
    name: 'discard',
    doc: 'Flag that advertises discard (TRIM) support to the guest so freed blocks can be released on thin-provisioned storage. This is the default.',
    example: 'discard',
  },
  {
    name: 'no-discard',
    doc: 'Flag that hides discard (TRIM) support from the guest, for storage where discards are slow or unsafe.',
    example: 'no-discard',
  },
  {
    name: 'trusted',
    doc: 'Flag marking the backend as trusted by the guest (the default); frontends may then skip defensive measures such as bounce buffers.',
    example: 'trusted',
  },
  {
    name: 'untrusted',
    doc: 'Flag telling the guest frontend not to trust this backend, so a hardened frontend can protect itself (for example from a disaggregated driver domain).',
    example: 'untrusted',
  },
  {
    name: 'grant_usage',
    version: { since: '4.19', source: '1eb013ef97 libxl: Add "grant_usage" parameter for virtio disk devices' },
    doc: 'For virtio disks: `1` makes the device use grant mappings for guest memory, `0` lets the backend map memory directly. Only the literal values 0 and 1 are recognised.',
    values: ['0', '1'],
    example: 'grant_usage=1',
  },
  {
    name: 'colo',
    doc: 'Flag enabling COLO block replication for this disk (COLO fault tolerance; the settings are unstable and may change between releases).',
    example: 'colo',
  },
  {
    name: 'no-colo',
    doc: 'Flag that turns COLO block replication off for this disk.',
    example: 'no-colo',
  },
  { name: 'colo-host', doc: 'COLO: host name or address of the secondary side that receives this disk\'s replicated writes.', example: 'colo-host=192.168.1.2' },
  { name: 'colo-port', doc: 'COLO: TCP port of the secondary\'s NBD server for this disk; must be a non-zero number.', example: 'colo-port=9000' },
  { name: 'colo-export', doc: 'COLO: NBD export name used on the secondary for this disk.', example: 'colo-export=disk0' },
  { name: 'active-disk', doc: 'COLO: path of the active disk image that buffers writes on the secondary.', example: 'active-disk=/var/lib/colo/active.img' },
  { name: 'hidden-disk', doc: 'COLO: path of the hidden disk image that keeps the primary\'s replicated writes on the secondary.', example: 'hidden-disk=/var/lib/colo/hidden.img' },
  {
    name: 'prefix',
    doc: 'Old xm-style prefix in front of the target, such as `phy:` or `file:`. It switches the spec to the `target,vdev,access` order; format prefixes set the format, `iscsi:`/`nbd:`/`enbd:`/`drbd:` pick a `block-*` script, and the rest are accepted and ignored (they do not choose a backend).',
    values: PREFIXES,
    deprecated: true,
    valueDocs: {
      raw: 'Sets format=raw.',
      qcow: 'Sets format=qcow.',
      qcow2: 'Sets format=qcow2.',
      vhd: 'Sets format=vhd.',
      iscsi: 'Runs the block-iscsi hotplug script.',
      nbd: 'Runs the block-nbd hotplug script.',
      enbd: 'Runs the block-enbd hotplug script.',
      drbd: 'Runs the block-drbd hotplug script.',
      phy: 'Ignored; kept for old configs (does not force the phy backend).',
      file: 'Ignored; kept for old configs.',
      tap: 'Ignored; kept for old configs (does not force the tap backend).',
      tap2: 'Ignored; kept for old configs.',
      tapdisk: 'Ignored; kept for old configs.',
      aio: 'Ignored; kept for old configs.',
      ioemu: 'Ignored; kept for old configs.',
    },
    example: 'phy:/dev/vg0/guest,xvda,w',
  },
];
