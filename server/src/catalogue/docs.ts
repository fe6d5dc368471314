// Our own description and example of every key, written by hand (never copied from Xen's
// manual: the catalogue test checks that no doc equals the reference's summary). The facts the
// docs talk about are in `facts.ts`; a key in one file and not in the other stops the server at
// start-up (see `keys.ts`).

import type { KeyDoc } from './types';

export const KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  // ---- General and identity ----
  name: {
    doc: "The domain's name, which has to be unique among the domains on this host. It is the one setting `xl create` cannot do without: leaving it out (or writing it as a list) aborts creation.",
    example: 'name = "web01"',
  },
  type: {
    doc: 'Selects the virtualisation mode: `pv` (paravirtualised), `pvh` (hardware-assisted, no emulated devices) or `hvm` (fully virtualised with QEMU). xl accepts any prefix and tries hvm, pv, pvh in that order, so `"p"` means pv and an empty string means hvm; matching is case-sensitive. Without it the guest is pv on x86 and pvh on Arm.',
    example: 'type = "hvm"',
  },
  uuid: {
    doc: 'Fixed UUID for the domain in the usual 8-4-4-4-12 hex form. When omitted, xl makes up a random one each time the guest starts; a value it cannot parse stops `xl create`.',
    example: 'uuid = "6c9f2a3e-1b7d-4e0a-9d52-3f8e2b1c4a70"',
  },
  pool: {
    doc: 'Name of the cpupool the new domain is placed in. Without it the domain joins `Pool-0`, the pool that exists from boot.',
    example: 'pool = "web-pool"',
  },
  seclabel: {
    doc: 'XSM/FLASK security context of the running domain, relevant only on hosts booted with FLASK. If `init_seclabel` is also given, this context is switched to once building has finished.',
    example: 'seclabel = "system_u:system_r:domU_t"',
  },
  init_seclabel: {
    doc: 'Temporary XSM/FLASK context the domain carries while the toolstack is still building it; once built, it is relabelled to `seclabel`. Handy when the build step needs rights the running guest should not keep.',
    example: 'init_seclabel = "system_u:system_r:domU_t_building"',
  },
  driver_domain: {
    doc: 'Flags the guest as a driver (backend) domain, i.e. one that will serve disks, network interfaces or other devices to other guests. Off by default.',
    example: 'driver_domain = 1',
  },
  nomigrate: {
    doc: 'Promises that the domain will never be saved, restored or migrated, which allows Xen to turn on features that would break migration (such as exposing an invariant TSC). Off by default.',
    example: 'nomigrate = 1',
  },
  max_grant_frames: {
    doc: 'Limit on the grant-table frames the guest may use; raise it for guests with many PV devices or multi-queue drivers. When unset, the `xl.conf` setting or the hypervisor default applies. Careful: any bad value (not a number, negative, a list) makes xl quit without printing anything.',
    example: 'max_grant_frames = 64',
  },
  max_maptrack_frames: {
    doc: 'Limit on maptrack frames, which a domain consumes when it maps grants offered by other domains (so mostly backend and driver domains). Falls back to `xl.conf` or the hypervisor default. An invalid value ends `xl create` silently.',
    example: 'max_maptrack_frames = 1024',
  },
  max_grant_version: {
    doc: 'Highest grant-table interface version (1 or 2) the guest is allowed to use. When unset, the `xl.conf` value or the newest version the hypervisor offers applies. As with the other grant limits, an invalid value makes xl exit without a message.',
    example: 'max_grant_version = 1',
  },
  max_event_channels: {
    doc: 'Limits how many event channels the guest may open; 1023 unless set. Guests with many vCPUs, queues or devices may need a higher limit.',
    example: 'max_event_channels = 4095',
  },
  xenstore_feature_mask: {
    doc: 'Bit mask limiting which optional Xenstore features the guest can see; everything is visible by default (`0xffffffff`). Bits: `0x1` reconnection, `0x2` error reporting on disconnect, `0x4` depth-limited watches, `0x8` the all-domains permission. Hex notation is the clearest way to write it.',
    example: 'xenstore_feature_mask = 0x3',
  },
  xenstore_quota: {
    doc: 'Per-domain overrides of Xenstore quotas, each entry written as `NAME=VALUE`. `xl xenstore-quota-get -g` lists the quota names; an entry without `=` or with a value that is not a number aborts creation.',
    example: "xenstore_quota = [ 'nodes=2000', 'watches=256' ]",
  },
  // ---- Lifecycle: what xl does when the guest stops ----
  on_poweroff: {
    doc: 'What the toolstack does once the guest has shut itself down. `destroy` (default) removes the domain; the other choices are `restart`, `rename-restart`, `preserve`, `coredump-destroy`, `coredump-restart` and `soft-reset`. Names are compared exactly, so case matters.',
    example: 'on_poweroff = "destroy"',
  },
  on_reboot: {
    doc: 'What happens when the guest asks to reboot. The default `restart` tears the domain down and builds it again from this config; `destroy` turns a reboot into a shutdown. Takes the same action names as `on_poweroff`, matched exactly.',
    example: 'on_reboot = "restart"',
  },
  on_watchdog: {
    doc: 'What happens when a Xen watchdog the guest armed runs out without being refreshed. Defaults to `destroy`; `restart` suits unattended guests. Same action names as `on_poweroff`.',
    example: 'on_watchdog = "restart"',
  },
  on_crash: {
    doc: 'What happens when the guest crashes. Defaults to `destroy`; `coredump-restart` writes a memory dump and then restarts, and `preserve` keeps the dead domain around for inspection. An unknown name stops `xl create`.',
    example: 'on_crash = "coredump-restart"',
  },
  on_soft_reset: {
    doc: 'What happens when the guest does a soft reset, as kexec/kdump does in HVM guests. The default `soft-reset` keeps the domain and its memory while resetting its state; the other `on_poweroff` action names are accepted as well.',
    example: 'on_soft_reset = "soft-reset"',
  },
  // ---- Memory and CPU ----
  memory: {
    doc: 'Memory the guest starts with, in MiB; it is also the initial balloon target. Write a plain integer: suffixes like `G` are not understood, and anything xl cannot read as a number is ignored with a warning, leaving the default (`maxmem` if set, else 32 MiB).',
    example: 'memory = 4096',
  },
  maxmem: {
    doc: 'The most memory, in MiB, the guest may ever balloon up to. When it exceeds `memory`, the guest boots pre-ballooned at `memory` and can grow later (it needs a balloon driver). Must not be below `memory`; with `vnuma` it must equal the sum of the vnode sizes.',
    example: 'maxmem = 8192',
  },
  vcpus: {
    doc: 'Number of virtual CPUs online when the guest boots; 1 by default. Anything below 1 is quietly treated as 1. Use `maxvcpus` to leave room for hot-plugging more.',
    example: 'vcpus = 4',
  },
  maxvcpus: {
    doc: 'Number of vCPUs the domain is created with; only `vcpus` of them are online at boot and the rest can be brought up later. Defaults to `vcpus`; a value smaller than `vcpus` is an error.',
    example: 'maxvcpus = 8',
  },
  cpus: {
    doc: 'Hard affinity: the host CPUs the vCPUs are allowed to run on. A string such as `"0-3,^1"` applies to every vCPU; a list gives one CPU list per vCPU in order and also switches off automatic NUMA placement. Terms may use `all`, `node:N` and `^` to exclude; a malformed range aborts creation.',
    example: 'cpus = "2-7"',
  },
  cpus_soft: {
    doc: 'Soft affinity: host CPUs the scheduler should prefer for the vCPUs, without forbidding the others. Same syntax as `cpus` (one string for all vCPUs or a per-vCPU list). Setting it turns automatic NUMA placement off.',
    example: 'cpus_soft = "node:1"',
  },
  vnuma: {
    doc: "Virtual NUMA topology for PVH/HVM guests: the outer list has one element per virtual node, itself a list of `key=value` strings using `pnode`, `size` (MiB), `vcpus` and `vdistances`. The nodes' vCPUs must add up to `maxvcpus` and their sizes to `maxmem`, or creation fails; unknown keys are dropped without a word.",
    example: "vnuma = [ [ 'pnode=0', 'size=2048', 'vcpus=0-1', 'vdistances=10,20' ], [ 'pnode=1', 'size=2048', 'vcpus=2-3', 'vdistances=20,10' ] ]",
  },
  shadow_memory: {
    doc: "MiB set aside for the guest's shadow or HAP page tables (on Arm: its P2M pool). The toolstack normally computes it, roughly 1 MiB per vCPU plus 8 KiB per MiB of guest RAM; override only if the domain runs short.",
    example: 'shadow_memory = 32',
  },
  hap: {
    doc: 'Use hardware-assisted paging (Intel EPT / AMD NPT) rather than shadow page tables. On by default when the CPU supports it; setting 0 forces shadow paging, which is usually slower.',
    example: 'hap = 1',
  },
  oos: {
    doc: 'Allows out-of-sync shadow page tables, an optimisation that only matters when the guest runs with shadow paging (`hap = 0` or no HAP hardware). On by default.',
    example: 'oos = 0',
  },
  nestedhvm: {
    doc: "Exposes the CPU's virtualisation extensions (VMX/SVM) to the guest so it can run a hypervisor of its own. Off by default; how well it works depends on the host CPU and Xen version.",
    example: 'nestedhvm = 1',
  },
  altp2m: {
    doc: 'Alternate p2m mode (x86), which lets introspection tools keep several views of guest memory with different permissions: `disabled` (default), `mixed`, `external` or `limited`. Names are case-insensitive and the numbers 0-3 are accepted too. Replaces the old `altp2mhvm` switch.',
    example: 'altp2m = "external"',
  },
  altp2m_count: {
    doc: 'Number of alternate-p2m views the domain may have: 10 by default when altp2m is on for an HVM guest, otherwise 0. The value has to fit in 16 bits or creation fails; a non-number is ignored without notice.',
    example: 'altp2m_count = 20',
  },
  vmtrace_buf_kb: {
    doc: 'Size in KiB of the per-vCPU buffer for processor tracing such as Intel PT; 0 leaves tracing off. The platform has its own rules (Intel PT wants a power of two from 4 KiB to 16 MiB). A non-number is dropped silently.',
    example: 'vmtrace_buf_kb = 64',
  },
  cpuid: {
    doc: 'Tweaks the CPUID policy the guest sees (x86). As a string it uses libxl syntax and must start with `host`, e.g. `"host,avx512f=0"`; as a list each element is an xend-style `leaf[,subleaf]:reg=<32 chars>` line. Bad entries are reported and skipped, they do not stop creation.',
    example: 'cpuid = "host,tm=0,sse3=0"',
  },
  msr_relaxed: {
    doc: 'Temporary switch restoring the lenient, pre-Xen-4.15 handling of MSRs Xen does not know, for guests that break without it (x86). xl warns whenever it is set because the option is meant to go away.',
    example: 'msr_relaxed = 1',
  },
  // ---- Scheduling ----
  cpu_weight: {
    doc: 'Relative CPU share under contention for the credit and credit2 schedulers: a domain with 512 gets twice the time of one with 256, the default. The scheduler, not xl, enforces the 1-65535 range.',
    example: 'cpu_weight = 512',
  },
  cap: {
    doc: 'Ceiling on CPU use for the credit/credit2 schedulers, counted in percent of a single host CPU: 50 is half a CPU, 200 two whole CPUs. 0 (the default) leaves the domain uncapped.',
    example: 'cap = 200',
  },
  period: {
    doc: "Scheduling period, in microseconds, for the RTDS real-time scheduler; the scheduler's default applies when unset. xl reads it although xl.cfg(5) does not describe it, and there is no companion budget key.",
    example: 'period = 10000',
  },
  extratime: {
    doc: 'RTDS scheduler flag: 1 lets the domain use spare CPU time beyond its reservation, 0 keeps it strictly to its budget. Read by xl but not described in xl.cfg(5).',
    example: 'extratime = 1',
  },
  // ---- Boot and kernel ----
  kernel: {
    doc: 'Path, inside the toolstack domain (usually dom0), of a kernel image to boot directly. PV and PVH guests need one of `kernel`, `firmware` or `bootloader`. For HVM, pointing it at `hvmloader` does nothing but print a warning; use `firmware_override` for that.',
    example: 'kernel = "/boot/vmlinuz-6.1.0-guest"',
  },
  ramdisk: {
    doc: 'Initial ramdisk (initrd) loaded together with `kernel` for direct boot; the path is in the toolstack domain. HVM guests cannot have a ramdisk without a kernel.',
    example: 'ramdisk = "/boot/initrd.img-6.1.0-guest"',
  },
  cmdline: {
    doc: 'The complete command line passed to a directly booted kernel. When it is set, `root` and `extra` are discarded (xl warns about it), so put everything here.',
    example: 'cmdline = "root=/dev/xvda1 ro console=hvc0"',
  },
  root: {
    doc: 'Shorthand that begins the kernel command line with `root=VALUE`, with `extra` appended after it. Has no effect once `cmdline` is set.',
    example: 'root = "/dev/xvda1 ro"',
  },
  extra: {
    doc: 'Text added to the kernel command line after the `root=` part, or used by itself when `root` is unset. Has no effect once `cmdline` is set.',
    example: 'extra = "console=hvc0 quiet"',
  },
  bootloader: {
    doc: "Helper executed in dom0 (the toolstack domain) that reads the guest's own disk and extracts its kernel and initrd, traditionally `pygrub` (PV/PVH only). On a Xen built without pygrub, asking for it is rejected.",
    example: 'bootloader = "pygrub"',
  },
  bootloader_args: {
    doc: 'Extra arguments for `bootloader`, one per list element. A plain string still works, but xl splits it at whitespace and prints a deprecation warning.',
    example: "bootloader_args = [ '--entry=1' ]",
  },
  bootloader_restrict: {
    doc: 'Runs the bootloader with reduced privileges, which also makes it non-interactive. Default: on when `bootloader_user` is set, otherwise whatever `xl.conf` says, otherwise off.',
    example: 'bootloader_restrict = 1',
  },
  bootloader_user: {
    doc: 'Unprivileged account the restricted bootloader runs under; give each domain its own. Setting it switches `bootloader_restrict` on by default.',
    example: 'bootloader_user = "xen-bootloader-web01"',
  },
  firmware: {
    doc: 'Shortcut for choosing firmware. HVM: `bios`, `uefi`, `seabios`, `rombios` or `ovmf` (prefixes of `uefi`/`bios` count too, and any other value is taken as a path to a firmware image). PV/PVH: `pvgrub32` or `pvgrub64`, which boots the matching PV-GRUB image as the kernel and cannot be combined with `kernel`.',
    example: 'firmware = "uefi"',
  },
  bios: {
    doc: 'Firmware loaded into an HVM guest: `seabios` (default), `ovmf` for UEFI, or `rombios`, case-insensitive. `rombios` is refused when the domain is created because the current device model cannot run it.',
    example: 'bios = "ovmf"',
  },
  bios_path_override: {
    doc: 'Loads the selected `bios` from this file instead of the copy built into Xen, e.g. a newer OVMF build. Set `bios` explicitly too, or xl warns.',
    example: 'bios_path_override = "/usr/share/OVMF/OVMF_CODE.fd"',
  },
  firmware_override: {
    doc: 'Uses the image at this path instead of hvmloader as the HVM firmware loader. Not described in xl.cfg(5); mainly of interest when testing firmware builds.',
    example: 'firmware_override = "/usr/lib/xen/boot/hvmloader-debug"',
  },
  // ---- Paravirtual devices ----
  disk: {
    doc: "The guest's virtual block devices, one disk spec per list element, e.g. `'format=raw,vdev=xvda,access=rw,target=/dev/vg0/web'` or the short positional form. It has to be a list: xl ignores a single string here (with a warning) and the guest gets no disks. Any malformed spec aborts creation.",
    example: "disk = [ 'phy:/dev/vg0/web,xvda,rw' ]",
  },
  vif: {
    doc: "The guest's network interfaces, one spec per element using keys such as `mac=`, `bridge=`, `model=` and `rate=`; an empty string `''` gives an interface with all defaults. Unknown keys and a malformed `mac` only print a message, but bad `rate`, `mtu` or `devid` values are fatal.",
    example: "vif = [ 'mac=00:16:3e:12:34:56,bridge=xenbr0' ]",
  },
  vfb: {
    doc: 'Paravirtual framebuffers, one spec per element (`vnc=1`, `vnclisten=`, `vncdisplay=`, `sdl=1`, `keymap=` ...); each one brings its own PV keyboard. Unknown keys in a spec are skipped without a message, and an item lacking `=` quietly ends that spec.',
    example: "vfb = [ 'vnc=1,vnclisten=127.0.0.1,vncdisplay=1' ]",
  },
  vkb: {
    doc: 'Additional paravirtual keyboard/pointer devices, one spec each; `backend-type` (`qemu` or `linux`) is mandatory. Any error in a spec stops `xl create`.',
    example: "vkb = [ 'backend-type=linux,feature-abs-pointer=1' ]",
  },
  vtpm: {
    doc: 'Virtual TPMs for the guest: each spec must name the domain running the vTPM backend with `backend=` and may add `uuid=`. A spec without a backend aborts creation.',
    example: "vtpm = [ 'backend=vtpm-web01' ]",
  },
  p9: {
    doc: '9pfs shares that export a directory of a backend domain to the guest, one spec each with `tag=`, `path=`, `security_model=none` and optionally `backend=` and `type=` (`qemu` or `xen_9pfsd`). Inside the guest a share is mounted by its tag.',
    example: "p9 = [ 'tag=share,path=/srv/share,security_model=none' ]",
  },
  pvcalls: {
    doc: "PV Calls frontends, which forward the guest's socket operations to a backend domain; the only key a spec may hold is `backend=`.",
    example: "pvcalls = [ 'backend=net-dom' ]",
  },
  channel: {
    doc: 'Named byte-stream channels between the guest and a backend domain, one spec each with `name=`, `connection=pty` or `connection=socket` (lower case) and, for sockets, `path=`. Unknown keys only draw a warning, but an empty spec string crashes xl.',
    example: "channel = [ 'name=org.qemu.guest_agent.0,connection=socket,path=/run/xen/web01-qga.sock' ]",
  },
  vdispl: {
    doc: 'Paravirtual display devices; each spec lists its outputs as `connectors=ID:WxH;ID:WxH` and may set `backend=` and `be-alloc=`. At least one connector is required and any mistake is fatal.',
    example: "vdispl = [ 'backend=dom0,be-alloc=1,connectors=con0:1920x1080' ]",
  },
  vsnd: {
    doc: "Paravirtual sound cards. Each card is itself a list of strings that start with `CARD`, `PCM` or `STREAM` followed by `key=value` items. Sample formats are named like `s16_le` or `f32_le` (not `float_le` as the man page claims) and a stream's id key is `unique-id`.",
    example: "vsnd = [ [ 'CARD, short-name=Main', 'PCM, name=Main', 'STREAM, unique-id=pcm0, type=p' ] ]",
  },
  usbctrl: {
    doc: 'USB controllers for the guest, one spec each with `type=` (`auto`, `pv`, `qusb`, `devicemodel`), `version=` and `ports=`. Devices listed in `usbdev` are plugged into these controllers.',
    example: "usbctrl = [ 'type=auto,version=2,ports=4' ]",
  },
  usbdev: {
    doc: 'Host USB devices handed to the guest, one spec each: `type=hostdev`, `hostbus=`, `hostaddr=`, and optionally `controller=` plus `port=`. `lsusb` shows the bus and device numbers to use.',
    example: "usbdev = [ 'hostbus=1,hostaddr=3' ]",
  },
  // ---- Display: VNC, SDL, emulated VGA and SPICE ----
  vnc: {
    doc: "Starts a VNC server for the guest's screen. For HVM it serves the emulated graphics card and is on by default; for a PV guest without a `vfb` list, a non-zero value creates a framebuffer with VNC (off by default).",
    example: 'vnc = 1',
  },
  vnclisten: {
    doc: 'Address the VNC server binds to, `127.0.0.1` unless set; the form `ADDRESS:N` also fixes the display number. For HVM guests, putting a `:` here and also setting `vncdisplay` is an error. The extension\'s graphical console connects on the host itself (over SSH for a remote host), so it needs no address other machines can reach.',
    example: 'vnclisten = "127.0.0.1"',
  },
  vncpasswd: {
    doc: 'Password VNC clients have to give; leave it empty to allow connections without one. VNC authentication reads only its first 8 characters. It is stored in clear text, so keep the config file private. The device model needs a DES cipher for it: Debian 12\'s `qemu-system-xen` has none, and `xl create` then fails with "Cipher backend does not support DES algorithm".',
    example: 'vncpasswd = "s3cret"',
  },
  vncdisplay: {
    doc: 'Fixed VNC display number: the server listens on TCP port 5900 plus this value. Leave it unset (with `vncunused` on) to let a free port be picked.',
    example: 'vncdisplay = 1',
  },
  vncunused: {
    doc: 'When on (the default), the VNC server looks for the first free port from 5900 upwards instead of insisting on a fixed display.',
    example: 'vncunused = 0',
  },
  keymap: {
    doc: 'Keyboard layout of the emulated/VNC keyboard, as a QEMU keymap name like `en-us`, `de` or `fr`; the device model falls back to `en-us`. For PV guests it only matters when the framebuffer comes from top-level `vnc = 1` rather than a `vfb` list. Setting it can garble keys in VNC clients that send raw key codes, such as the extension\'s graphical console: usually leave it unset and pick the layout inside the guest.',
    example: 'keymap = "de"',
  },
  sdl: {
    doc: "Shows the guest's screen in an SDL window on an X server reachable from the toolstack domain, instead of or besides VNC. Off by default.",
    example: 'sdl = 1',
  },
  opengl: {
    doc: 'Draws the SDL window through OpenGL. xl reads it here and inside `vfb` specs, but only the old qemu-xen-traditional device model uses it: with qemu-xen (the default, and the only one from Xen 4.21) it does nothing.',
    example: 'opengl = 1',
  },
  display: {
    doc: 'X11 display (e.g. `:0`) where the SDL window opens. xl.cfg(5) only mentions it as a `vfb` spec key, but the top-level key is read as well.',
    example: 'display = ":0"',
  },
  xauthority: {
    doc: 'Xauthority file used to connect to the X server for the SDL window. Documented only as a `vfb` spec key, though xl also reads it at top level.',
    example: 'xauthority = "/root/.Xauthority"',
  },
  vga: {
    doc: 'Emulated graphics card of an HVM guest: `cirrus` (default), `stdvga`, `qxl` (pairs well with SPICE) or `none`. Must be written exactly in lower case; it takes precedence over the old `stdvga` switch.',
    example: 'vga = "stdvga"',
  },
  videoram: {
    doc: 'Video memory of the emulated graphics card, in MiB. Defaults depend on `vga`: 8 for cirrus, 16 for stdvga, 128 for qxl, 0 with no card; domain creation fails if the value is below what the card needs.',
    example: 'videoram = 16',
  },
  nographic: {
    doc: 'Drops the emulated graphics output of an HVM guest, for headless machines that use a serial console; `serial` then defaults to stdio.',
    example: 'nographic = 1',
  },
  spice: {
    doc: 'Enables the SPICE remote display server for an HVM guest. You then also need `spiceport` or `spicetls_port`, and either `spicepasswd` or `spicedisable_ticketing = 1`.',
    example: 'spice = 1',
  },
  spiceport: {
    doc: 'TCP port of the SPICE server. When `spice = 1`, either this or `spicetls_port` has to be set.',
    example: 'spiceport = 6000',
  },
  spicetls_port: {
    doc: 'TCP port for SPICE over TLS. xl does not support the options TLS depends on, so the plain `spiceport` is the practical choice.',
    example: 'spicetls_port = 6001',
  },
  spicehost: {
    doc: 'Address the SPICE server binds to; all interfaces when unset.',
    example: 'spicehost = "127.0.0.1"',
  },
  spicedisable_ticketing: {
    doc: 'Lets SPICE clients connect without a password. While it is off, `spicepasswd` must be provided.',
    example: 'spicedisable_ticketing = 1',
  },
  spicepasswd: {
    doc: 'Password (ticket) SPICE clients must present; kept in clear text in the config. Required unless `spicedisable_ticketing` is on.',
    example: 'spicepasswd = "s3cret"',
  },
  spiceagent_mouse: {
    doc: 'Lets the SPICE agent drive the pointer in client mouse mode, for smoother mouse handling. On by default.',
    example: 'spiceagent_mouse = 0',
  },
  spicevdagent: {
    doc: 'Adds the SPICE vdagent channel, which needs the spice-vdagent service running in the guest and enables extras such as clipboard sharing.',
    example: 'spicevdagent = 1',
  },
  spice_clipboard_sharing: {
    doc: 'Shares the clipboard between the SPICE client and the guest. Has no effect unless `spicevdagent` is on.',
    example: 'spice_clipboard_sharing = 1',
  },
  spiceusbredirection: {
    doc: "How many of the SPICE client's USB devices (at most 4) can be redirected into the guest, one channel each. It implies an emulated USB 2 controller; with SPICE off, libxl ignores it and warns.",
    example: 'spiceusbredirection = 4',
  },
  spice_image_compression: {
    doc: "Image compression SPICE applies: `auto_glz`, `auto_lz`, `quic`, `glz`, `lz` or `off`. xl hands the value to QEMU without checking it; unset keeps QEMU's default.",
    example: 'spice_image_compression = "auto_glz"',
  },
  spice_streaming_video: {
    doc: "How SPICE detects and streams video regions: `filter`, `all` or `off`. Passed to QEMU as is; unset keeps QEMU's default.",
    example: 'spice_streaming_video = "filter"',
  },
  // ---- HVM platform and emulated hardware ----
  boot: {
    doc: "Boot device order of an HVM guest, as drive letters: `c` hard disk, `d` CD-ROM, `n` network (PXE). xl passes it to QEMU unchecked; libxl's default is `cda`, although the man page says `cd`.",
    example: 'boot = "dc"',
  },
  acpi: {
    doc: 'Gives the guest ACPI tables (power button, sleep states, CPU hot-plug...). On by default for x86 HVM and off on Arm; xl reads it for every guest type, but it only has an effect on x86 HVM and Arm guests.',
    example: 'acpi = 1',
  },
  acpi_s3: {
    doc: "Advertises the S3 sleep state (suspend to RAM) in the guest's ACPI tables; on by default. Turn it off if the guest gets stuck trying to suspend.",
    example: 'acpi_s3 = 0',
  },
  acpi_s4: {
    doc: "Advertises S4 (hibernation, suspend to disk) in the guest's ACPI tables; on by default.",
    example: 'acpi_s4 = 0',
  },
  acpi_laptop_slate: {
    doc: 'Adds the ACPI device Windows uses to switch between laptop and slate (tablet) mode. Off by default.',
    example: 'acpi_laptop_slate = 1',
  },
  acpi_firmware: {
    doc: 'File of extra ACPI tables (compiled AML, simply concatenated) added to the ones hvmloader builds, e.g. a custom SSDT.',
    example: 'acpi_firmware = "/etc/xen/acpi/web01-ssdt.aml"',
  },
  smbios: {
    doc: 'Overrides individual SMBIOS strings reported to the guest, each as `KEY=VALUE` with keys such as `system_manufacturer`, `system_serial_number` or `oem` (which may appear up to 99 times). Unknown keys, a missing `=` or an empty value stop creation.',
    example: "smbios = [ 'system_manufacturer=Example Corp', 'system_serial_number=WEB01-0001' ]",
  },
  smbios_firmware: {
    doc: 'Binary file with additional or replacement SMBIOS structures for the guest, each one prefixed by its length as a 32-bit number.',
    example: 'smbios_firmware = "/etc/xen/smbios/web01.bin"',
  },
  ms_vm_genid: {
    doc: 'With `generate`, the guest gets a Microsoft VM Generation ID, which Windows uses to notice it was cloned or rolled back (important for domain controllers). `none` (default) leaves it out; no other value is accepted.',
    example: 'ms_vm_genid = "generate"',
  },
  pae: {
    doc: 'Exposes Physical Address Extension to the guest (x86); on by default. 32-bit guests need it to reach memory above 4 GiB, and `nx` depends on it.',
    example: 'pae = 1',
  },
  nx: {
    doc: 'Shows the No-eXecute page protection bit to the guest (x86); on by default. It only works together with `pae`.',
    example: 'nx = 1',
  },
  apic: {
    doc: 'Provides local APIC information (MP and PIR tables) to single-vCPU guests (x86); on by default. Switching it off is only useful for old operating systems that mishandle an APIC.',
    example: 'apic = 1',
  },
  hpet: {
    doc: 'Emulates a High Precision Event Timer for the guest (x86); on by default. Some guests keep better time with it turned off.',
    example: 'hpet = 0',
  },
  vpt_align: {
    doc: 'Lines up the firing of periodic virtual platform timers so that Xen has to deliver fewer timer interrupts; on by default.',
    example: 'vpt_align = 1',
  },
  hvm_pirq: {
    doc: 'Lets an HVM guest with PV drivers receive physical device interrupts through event channels instead of the emulated interrupt controller. Off by default.',
    example: 'hvm_pirq = 1',
  },
  viridian: {
    doc: 'Hyper-V (viridian) enlightenments that make Windows guests faster. `1` switches on the recommended `defaults` set; a list selects groups (`base`, `freq`, `time_ref_count`, `reference_tsc`, `stimer`, ... or `all`) and `!group` removes one. An unknown group aborts creation, whereas a plain non-numeric string is silently ignored.',
    example: "viridian = [ 'defaults', 'stimer', 'hcall_ipi' ]",
  },
  mmio_hole: {
    doc: 'Size, in MiB, of the region below 4 GiB reserved for PCI BARs and other MMIO; enlarge it for passed-through devices with large BARs. Has to lie between 256 and 3840, otherwise `xl create` fails.',
    example: 'mmio_hole = 2048',
  },
  vendor_device: {
    doc: "Adds a variant of QEMU's xen-pvdevice: `xenserver` makes Windows Update offer the XenServer PV drivers, `none` (default) adds nothing. Case-insensitive.",
    example: 'vendor_device = "xenserver"',
  },
  xen_platform_pci: {
    doc: "Adds the Xen platform device to the guest's PCI bus; an HVM guest's PV drivers use it to discover Xen. On by default; turn it off to run the guest on emulated devices only.",
    example: 'xen_platform_pci = 1',
  },
  xen_platform_pci_bar_uc: {
    doc: "Marks the Xen platform device's memory BAR as uncacheable in the guest's MTRRs (x86). On by default; only change it if the guest's PV drivers call for it.",
    example: 'xen_platform_pci_bar_uc = 0',
  },
  hdtype: {
    doc: 'Emulated controller for HVM disks: `ide` (default) or `ahci` (SATA), case-insensitive. `ahci` is often faster with modern guests.',
    example: 'hdtype = "ahci"',
  },
  serial: {
    doc: 'Backend of the emulated serial port, in QEMU `-serial` syntax (`pty`, `vc`, `stdio`, `file:PATH`, `/dev/ttyS0`, ...); a list creates one port per element. xl does not validate the value.',
    example: 'serial = "pty"',
  },
  usb: {
    doc: 'Adds the emulated USB bus to an HVM guest. Do not mix it with `usbversion` or `spiceusbredirection`: libxl rejects that combination.',
    example: 'usb = 1',
  },
  usbversion: {
    doc: 'Gives an HVM guest an emulated USB controller, version 1, 2 or 3 (0 means none). It conflicts with `usb` and `usbdevice`, and becomes 2 automatically when `spiceusbredirection` is used.',
    example: 'usbversion = 3',
  },
  usbdevice: {
    doc: 'Devices plugged into the emulated USB bus, in QEMU usbdevice syntax: `tablet` (an absolute pointer, handy over VNC), `mouse`, `host:VID:PID` or `host:BUS.ADDR`. A single string is accepted too; xl does not check the values.',
    example: "usbdevice = [ 'tablet' ]",
  },
  vkb_device: {
    doc: 'Gives an HVM guest a paravirtual keyboard/mouse (vkbd) device; on by default. Only used when there is no `vkb` list.',
    example: 'vkb_device = 0',
  },
  soundhw: {
    doc: 'Emulated sound card for an HVM guest: `ac97`, `adlib`, `cs4231a`, `es1370`, `gus`, `hda` or `sb16`. libxl only checks the name when the device model starts, so a typo surfaces late.',
    example: 'soundhw = "hda"',
  },
  mca_caps: {
    doc: 'Extra machine-check capabilities for an HVM guest (x86); the only one today is `lmce` (local machine-check exceptions). An unknown item or a value that is not a list stops creation.',
    example: "mca_caps = [ 'lmce' ]",
  },
  // ---- Time and clocks ----
  tsc_mode: {
    doc: "How the guest's timestamp counter is provided (x86): `default`, `always_emulate` or `native`, case-insensitive. `native_paravirt` is still accepted by xl but refused by libxl since the feature was removed; the old numbers 0-3 work with a deprecation warning.",
    example: 'tsc_mode = "native"',
  },
  timer_mode: {
    doc: 'What happens to virtual timer ticks the guest missed: `no_delay_for_missed_ticks` (default), `delay_for_missed_ticks`, `no_missed_ticks_pending` or `one_missed_tick_pending`. Case-insensitive; the numbers 0-3 still work with a deprecation warning. Setting it for a PV guest is an error.',
    example: 'timer_mode = "no_missed_ticks_pending"',
  },
  rtc_timeoffset: {
    doc: "Offset in seconds applied to the guest's emulated real-time clock. Can be combined with `localtime`.",
    example: 'rtc_timeoffset = 3600',
  },
  localtime: {
    doc: "Runs the emulated RTC on the host's local time instead of UTC, which is what Windows guests traditionally expect.",
    example: 'localtime = 1',
  },
  // ---- Device model (QEMU) and stub domains ----
  device_model_version: {
    doc: 'Which device model flavour to use; only `qemu-xen` (upstream QEMU, the default) is left. The old `qemu-xen-traditional` is now rejected.',
    example: 'device_model_version = "qemu-xen"',
  },
  device_model_override: {
    doc: 'Runs this binary as the device model in place of the QEMU that ships with Xen. Set `device_model_version` as well, otherwise xl warns.',
    example: 'device_model_override = "/usr/local/bin/qemu-system-i386"',
  },
  device_model_user: {
    doc: 'Account the device model runs under once `dm_restrict` deprivileges it.',
    example: 'device_model_user = "xen-qemuuser-web01"',
  },
  dm_restrict: {
    doc: 'Strips the device model of its privileges after start-up, limiting what a compromised QEMU could do. Still a technology preview; see also `device_model_user`.',
    example: 'dm_restrict = 1',
  },
  device_model_args: {
    doc: 'Extra command-line arguments appended to the device model for any guest type, one argument per list element. Anything other than a list stops creation.',
    example: "device_model_args = [ '-d', 'guest_errors' ]",
  },
  device_model_args_pv: {
    doc: 'Like `device_model_args`, but only used when the guest is PV (where QEMU serves framebuffers and consoles).',
    example: "device_model_args_pv = [ '-d', 'guest_errors' ]",
  },
  device_model_args_hvm: {
    doc: 'Like `device_model_args`, but only passed on for HVM guests, e.g. to add a QEMU device that has no Xen key.',
    example: "device_model_args_hvm = [ '-device', 'virtio-rng-pci' ]",
  },
  device_model_stubdomain_override: {
    doc: 'Moves the device model out of the toolstack domain into a dedicated stub domain, keeping QEMU away from dom0.',
    example: 'device_model_stubdomain_override = 1',
  },
  device_model_stubdomain_seclabel: {
    doc: 'XSM/FLASK context given to the device-model stub domain.',
    example: 'device_model_stubdomain_seclabel = "system_u:system_r:dm_dom_t"',
  },
  stubdomain_kernel: {
    doc: "Kernel booted in the device-model stub domain; by default `qemu-stubdom-linux-kernel` from Xen's firmware directory.",
    example: 'stubdomain_kernel = "/usr/lib/xen/boot/qemu-stubdom-linux-kernel"',
  },
  stubdomain_ramdisk: {
    doc: "Ramdisk (root filesystem) of the device-model stub domain; by default `qemu-stubdom-linux-rootfs` from Xen's firmware directory.",
    example: 'stubdomain_ramdisk = "/usr/lib/xen/boot/qemu-stubdom-linux-rootfs"',
  },
  stubdomain_cmdline: {
    doc: 'Kernel command line of the device-model stub domain, e.g. to raise its log level while debugging.',
    example: 'stubdomain_cmdline = "console=hvc0 loglevel=7"',
  },
  stubdomain_memory: {
    doc: 'How much memory, in MiB, the device-model stub domain gets; 128 by default for the Linux-based stub.',
    example: 'stubdomain_memory = 256',
  },
  // ---- PV and PVH specific ----
  e820_host: {
    doc: "Makes a PV guest's memory map mirror the host's e820 layout, holes included, which PCI passthrough often needs. On by default when `pci` lists devices, otherwise off.",
    example: 'e820_host = 1',
  },
  pvshim: {
    doc: 'Runs a PV guest kernel within a PVH domain through the PV shim, so old PV guests get PVH isolation. Use it together with `type = "pvh"`.',
    example: 'pvshim = 1',
  },
  pvshim_path: {
    doc: "Shim binary to use instead of the default `xen-shim` in Xen's firmware directory.",
    example: 'pvshim_path = "/usr/lib/xen/boot/xen-shim"',
  },
  pvshim_cmdline: {
    doc: 'Command line of the PV shim; `pv-shim console=xen,pv` when unset. Replacing it drops those defaults, so `pvshim_extra` is usually the better place for additions.',
    example: 'pvshim_cmdline = "pv-shim console=xen,pv loglvl=all"',
  },
  pvshim_extra: {
    doc: 'Options appended to the shim command line after `pvshim_cmdline`; empty by default.',
    example: 'pvshim_extra = "loglvl=all guest_loglvl=all"',
  },
  // ---- Device passthrough ----
  pci: {
    doc: 'Host PCI devices passed through to the guest, one spec each: a BDF such as `01:00.0` (optionally `@VSLOT`) or `name=`, then options like `permissive=1`, `msitranslate=1`, `seize=1`, `power_mgmt=1` or `rdm_policy=`. Spaces are not allowed inside a spec and a bad spec aborts creation. For PV guests a non-empty list also turns `e820_host` on.',
    example: "pci = [ '0000:03:00.0', '0000:03:00.1,permissive=1' ]",
  },
  pci_permissive: {
    doc: 'Default for the `permissive` option of every `pci` device: allows the guest to write PCI config space fields that are normally filtered. Risky; off by default, and a per-device setting wins.',
    example: 'pci_permissive = 1',
  },
  pci_msitranslate: {
    doc: 'Default for the `msitranslate` option of every `pci` device (MSI/INTx translation done by the device model). Off by default; a per-device `msitranslate=` wins.',
    example: 'pci_msitranslate = 1',
  },
  pci_seize: {
    doc: 'Default for the `seize` option of every `pci` device: when a device is not yet assignable, xl unbinds it from its dom0 driver automatically. Convenient, but it can take away a device dom0 still uses.',
    example: 'pci_seize = 1',
  },
  pci_power_mgmt: {
    doc: "Default for the `power_mgmt` option of every `pci` device, letting the guest change the device's PCI power state. Only HVM guests are affected.",
    example: 'pci_power_mgmt = 1',
  },
  passthrough: {
    doc: 'How IOMMU mappings for passed-through devices are managed: `default`, `disabled`, `enabled`, `sync_pt` or `share_pt` (case-insensitive). With `default`, passthrough support is enabled only if the config lists such devices; `share_pt` is unavailable for PV and `sync_pt` on Arm.',
    example: 'passthrough = "enabled"',
  },
  rdm: {
    doc: "Reserved Device Memory handling for passthrough (HVM, x86): `strategy=host` reserves all of the host's RDM ranges in the guest. Because of a parser bug present since Xen 4.15, a `policy=` item or a trailing comma makes xl silently drop the whole value, so only `strategy=host` on its own works; set the policy per device with `rdm_policy=` in `pci`.",
    example: 'rdm = "strategy=host"',
  },
  rdm_mem_boundary: {
    doc: 'Threshold in MiB that decides how RAM overlapping reserved device memory is resolved (HVM, x86): conflicts above it are fixed by lowering the end of low memory, those below fall back to the RDM policy. 2048 by default.',
    example: 'rdm_mem_boundary = 2048',
  },
  gfx_passthru: {
    doc: "Uses a graphics card passed through with `pci` as the guest's primary display (HVM). `1` enables it with autodetection and `0` disables it; a name (`default`, or `igd` for Intel integrated graphics, case-insensitive) also enables it. An unknown name aborts creation.",
    example: 'gfx_passthru = "igd"',
  },
  ioports: {
    doc: 'Ranges of host I/O ports the guest may use directly (x86), each a hex `PORT` or `FIRST-LAST`. Mostly used for legacy devices such as a serial port, together with `irqs`.',
    example: "ioports = [ '2f8-2ff' ]",
  },
  irqs: {
    doc: 'Host interrupt numbers, written in decimal (hex is rejected), routed to the guest, e.g. for a legacy device passed through with `ioports`. On Arm, interrupt 32 cannot be used while `vuart` is enabled.',
    example: 'irqs = [ 3 ]',
  },
  iomem: {
    doc: 'Host physical memory the guest may map, each entry `START,NUM[@GFN]` in hex page frame numbers; without `@GFN` the pages appear at the same address in the guest. Used to hand over MMIO regions of devices that are not PCI.',
    example: "iomem = [ 'fe000,1@fe000' ]",
  },
  dtdev: {
    doc: 'Device-tree paths of host devices handed to an Arm guest, e.g. `/soc/ethernet@ff0e0000`. Usually paired with `device_tree`, `iomem` and `irqs`; xl does not check the paths.',
    example: "dtdev = [ '/soc/ethernet@ff0e0000' ]",
  },
  // ---- Arm ----
  device_tree: {
    doc: "Partial device tree blob (Arm) whose `/passthrough` node, plus `/aliases`, is copied into the guest's generated device tree to describe devices handed over with `dtdev`.",
    example: 'device_tree = "/etc/xen/web01-passthrough.dtb"',
  },
  vuart: {
    doc: 'Adds an emulated UART the Arm guest can use as its console; the only model is `sbsa_uart` (case-insensitive). Connect to it with `xl console -t vuart`.',
    example: 'vuart = "sbsa_uart"',
  },
  gic_version: {
    doc: 'Interrupt controller version emulated for an Arm guest: `v2`, `v3` or `default` (match the host). Case-insensitive; giving a list instead of a string is ignored without a message.',
    example: 'gic_version = "v3"',
  },
  tee: {
    doc: 'Lets an Arm guest talk to the secure world through Xen: `none` (default), `optee` for OP-TEE, or `ffa` for Arm FF-A.',
    example: 'tee = "optee"',
  },
  sve: {
    doc: 'Maximum SVE vector length in bits for an AArch64 guest: a multiple of 128 up to 2048, `hw` for the hardware maximum, or `disabled` (default). A bare number such as `256` works as well.',
    example: 'sve = "hw"',
  },
  nr_spis: {
    doc: "Number of shared peripheral interrupts (SPIs) in an Arm guest's virtual GIC; normally computed by the toolstack. Raise it when passing through devices with high interrupt numbers; the documented maximum is 960 (5088 with extended SPIs).",
    example: 'nr_spis = 256',
  },
  trap_unmapped_accesses: {
    doc: 'Whether guest accesses to unmapped addresses cause a fault (on by default on Arm). When off, such reads return all ones and writes are discarded, which some guests rely on.',
    example: 'trap_unmapped_accesses = 0',
  },
  arm_sci: {
    doc: 'Arm SCMI (System Control and Management Interface) mediation for the guest: `type=none` (default) or `type=scmi_smc`. Any other item in the string is ignored without a message.',
    example: 'arm_sci = "type=scmi_smc"',
  },
  llc_colors: {
    doc: 'Last-level cache colours reserved for the guest (Arm cache colouring), each item `N` or `N-M`, to cut cache interference with other domains. A malformed or reversed range stops creation.',
    example: "llc_colors = [ '0-3', '8' ]",
  },
  virtio: {
    doc: 'Virtio-MMIO devices for an Arm guest, one spec each with `type=virtio,deviceN` (N the device id in hex), `transport=mmio` and optionally `backend=` and `grant_usage=`. Unknown items are fatal.',
    example: "virtio = [ 'backend=dom0,type=virtio,device1a,transport=mmio' ]",
  },
  vpmu: {
    doc: 'Lets profilers inside the guest use the performance monitoring unit registers directly (Arm only for now, experimental). Off by default.',
    example: 'vpmu = 1',
  },
  // ---- Deprecated and legacy: still read by xl, superseded or without effect ----
  builder: {
    doc: 'Legacy xm/xend way of choosing the guest type: `generic` means PV and `hvm` means HVM (prefixes accepted). Use `type` instead; if both are present and disagree, `xl create` fails.',
    example: 'builder = "hvm"',
  },
  stdvga: {
    doc: 'Old switch: 1 selects the standard VGA card, 0 Cirrus. Looked at only if `vga` is absent; write `vga = "stdvga"` instead.',
    example: 'stdvga = 1',
  },
  altp2mhvm: {
    doc: 'Former HVM-only on/off switch for alternate p2m. xl warns every time it is set; use `altp2m` instead.',
    example: 'altp2mhvm = 1',
  },
  slice: {
    doc: 'Time-slice parameter of the SEDF scheduler, which Xen no longer has. xl still reads it, but the value has no effect.',
    example: 'slice = 10000',
  },
  latency: {
    doc: 'Latency parameter of the removed SEDF scheduler. Still parsed by xl, but nothing uses it.',
    example: 'latency = 0',
  },
  vncviewer: {
    doc: 'xm-era option that launched a VNC viewer automatically. xl ignores it with a warning; pass `-V` to `xl create` instead.',
    example: 'vncviewer = 1',
  },
  device_model: {
    doc: 'Old xm key naming the device model binary. xl ignores it with a warning; use `device_model_override` (or `device_model_stubdomain_override` for stub domains).',
    example: 'device_model = "/usr/lib/xen/bin/qemu-dm"',
  },
  vif2: {
    doc: 'Interfaces for the abandoned netchannel2 protocol. xl does not support them and only prints a warning; describe network interfaces in `vif`.',
    example: "vif2 = [ 'bridge=xenbr0' ]",
  },
  xend_suspend_evtchn_compat: {
    doc: 'Publishes the suspend event channel in the old xend Xenstore layout, for old PV drivers that look for it there. Off by default.',
    example: 'xend_suspend_evtchn_compat = 1',
  },
};
