// DISK_SPEC (`disk = [ ... ]` entries): a faithful re-implementation of xl's flex disk lexer,
// so both the positional `target,format,vdev,access` form and the `key=value` form resolve and
// fail exactly as `xl create` would.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, closest, didYouMean, language, q, oneOf } from './common';

const FORMATS = ['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty'] as const;
const ACCESS = ['r', 'ro', 'w', 'rw'] as const;
const BACKENDTYPES = ['phy', 'tap', 'qdisk', 'standalone'] as const;
const SPECIFICATIONS = ['xen', 'virtio'] as const;
const PREFIXES = ['raw', 'qcow', 'qcow2', 'vhd', 'iscsi', 'nbd', 'enbd', 'drbd', 'phy', 'file', 'tap', 'tap2', 'tapdisk', 'aio', 'ioemu'] as const;

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

/** Parameter rules of the lexer whose value runs to the next comma (`name=[^,]*,?`). */
const VALUE_KEYS = [
  'format', 'access', 'backend', 'backendtype', 'specification', 'vdev', 'script',
  'colo-host', 'colo-port', 'colo-export', 'active-disk', 'hidden-disk',
] as const;
const FLAGS = ['cdrom', 'direct-io-safe', 'discard', 'no-discard', 'colo', 'no-colo', 'trusted', 'untrusted'] as const;
const ALL_KEY_NAMES = [...VALUE_KEYS, ...FLAGS, 'devtype', 'target', 'grant_usage'];

/** A candidate match at one position: its rule (by flex rule order) and its length. */
interface Match {
  rule: number;
  len: number;
  kind: 'space' | 'value' | 'flag' | 'devtype' | 'grant' | 'target' | 'unknown' | 'prefix' | 'badprefix' | 'positional' | 'bad';
  name: string;
}

export const diskLanguage = language('disk', DISK_KEYS, (text, out) => new DiskParser(text, out).run());

/**
 * One parse of one disk spec. The state mirrors the fields libxlu's disk lexer fills in; the
 * methods mirror its helper functions. One object per parse, so a config with thousands of disks
 * allocates little.
 */
class DiskParser {
  private format: string | undefined;
  private target: string | undefined;
  private vdev: string | undefined;
  private vdevStart = 0;
  private vdevEnd = 0;
  private script: string | undefined;
  /** The other string parameters (backend, backendtype, colo-*...), made on first use. */
  private strings: Map<string, string> | undefined;
  private cdrom = false;
  private accessSet = false;
  private access: { value: string; start: number; end: number } | undefined;
  private hadPrefix = false;
  private err = false;

  constructor(private readonly text: string, private readonly out: Collector) {}

  run(): void {
    const { text, out } = this;
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const m = longestMatch(text, pos);
      // Trailing context (`/.*`) counts towards the longest-match choice but is not consumed.
      const end = pos + (m.kind === 'prefix' || m.kind === 'badprefix' ? m.name.length + 1 : m.len);
      // STRIP(','): the item's text without its one trailing comma.
      const itemEnd = m.kind !== 'space' && m.kind !== 'prefix' && m.kind !== 'badprefix' && end > pos && text.charCodeAt(end - 1) === COMMA ? end - 1 : end;
      switch (m.kind) {
        case 'space':
          break;
        case 'value': {
          const vs = pos + m.name.length + 1;
          const value = text.slice(vs, itemEnd);
          out.part(m.name, value, pos, itemEnd, vs, true);
          this.applyValue(m.name, value, vs, itemEnd);
          break;
        }
        case 'flag':
          out.part(m.name, '', pos, itemEnd, itemEnd, true);
          if (m.name === 'cdrom') this.cdrom = true;
          break;
        case 'devtype': {
          const vs = pos + 'devtype='.length;
          const value = text.slice(vs, itemEnd);
          out.part('devtype', value, pos, itemEnd, vs, true);
          if (value === 'cdrom') this.cdrom = true;
          else if (value === 'disk') this.cdrom = false;
          else this.fail(vs, itemEnd, 'bad-enum', `unknown value for type ${q(value)}; accepted: "cdrom", "disk"`);
          break;
        }
        case 'grant': {
          const vs = pos + 'grant_usage='.length;
          out.part('grant_usage', text.slice(vs, vs + 1), pos, vs + 1, vs, true);
          break;
        }
        case 'target': {
          const vs = pos + 'target='.length;
          const tEnd = n > vs && text.charCodeAt(n - 1) === COMMA ? n - 1 : n;
          const value = text.slice(vs, tEnd);
          out.part('target', value, pos, tEnd, vs, true);
          this.setString('target', value, vs, tEnd);
          break;
        }
        case 'unknown': {
          const eq = text.indexOf('=', pos);
          const key = text.slice(pos, eq);
          let vEnd = eq + 1;
          while (vEnd < n && text.charCodeAt(vEnd) !== COMMA) vEnd++;
          this.fail(pos, eq, 'spec-unknown-key', `unknown parameter ${q(key)}${didYouMean(key, ALL_KEY_NAMES)}; paths containing "=" must be given as "target=..." at the end`);
          // The lexer only consumed one value character; the rest would be a positional that is
          // ignored after an error. Skip the whole item to keep later messages meaningful.
          pos = vEnd < n ? vEnd + 1 : n;
          continue;
        }
        case 'prefix': {
          this.hadPrefix = true;
          const name = m.name;
          const pEnd = pos + name.length;
          if (name === 'raw' || name === 'qcow' || name === 'qcow2' || name === 'vhd') {
            out.part('format', name, pos, pEnd, pos, false);
            this.setFormat(name, pos, pEnd, false);
          } else {
            out.part('prefix', name, pos, pEnd, pos, false);
            if (name === 'iscsi' || name === 'nbd' || name === 'enbd' || name === 'drbd') this.setString('script', `block-${name}`, pos, pEnd);
          }
          break;
        }
        case 'badprefix': {
          const name = m.name;
          const sugg = closest(name, PREFIXES);
          out.error(pos, end, 'disk-spec', `unknown deprecated disk prefix ${q(name + ':')}${sugg ? ` (did you mean "${sugg}:"?)` : ''}; accepted: ${PREFIXES.map((p) => p + ':').join(' ')}; use "target=" for a path with such a colon`);
          return; // xl stops at this error
        }
        case 'positional':
          if (!this.positional(text.slice(pos, itemEnd), pos, itemEnd)) return;
          break;
        case 'bad': {
          out.error(pos, n, 'disk-spec', `bad disk syntax near ${q(text.slice(pos))}; a value containing "=" must be written as "target=..." at the end of the spec`);
          return; // the lexer switches to its error state and stops
        }
      }
      pos = end;
    }
    if (!this.err) this.finish();
  }

  /** Mirrors xlu_disk_parse() finishing rules. */
  private finish(): void {
    const { out, access } = this;
    const n = this.text.length;
    if (this.vdev === undefined) {
      out.error(0, n, 'disk-spec', 'no vdev specified; add the guest device name, e.g. "vdev=xvda" or a positional field like "xvda"');
      return;
    }
    if (this.target === undefined && !this.cdrom) {
      out.error(0, n, 'disk-spec', 'no target specified (and device not removable); give the backing path or mark the drive as "cdrom"');
      return;
    }
    if (!validVdev(this.vdev)) {
      out.error(this.vdevStart, this.vdevEnd, 'disk-vdev', `invalid virtual disk name ${q(this.vdev)}; use xvd<letters>[partition], hd[a-d], sd[a-p], d<N>p<N> or a device number`);
    }
    if (this.cdrom && access !== undefined && (access.value === 'w' || access.value === 'rw')) {
      out.warning(access.start, access.end, 'disk-cdrom-rw', `access ${q(access.value)} is ignored for a CD-ROM drive, which is always read-only`);
    }
  }

  private fail(start: number, end: number, code: string, message: string): void {
    this.out.error(start, end, code, message);
    this.err = true;
  }

  /** Mirrors libxlu_disk_l.l's savestring(): a second non-empty value is "<what> respecified". */
  private setString(what: string, value: string, start: number, end: number): boolean {
    const prev = what === 'target' ? this.target : what === 'vdev' ? this.vdev : what === 'script' ? this.script : this.strings?.get(what);
    if (prev !== undefined && prev !== '') {
      this.fail(start, end, 'disk-spec', `${what} respecified: ${q(value)} after ${q(prev)}; give each parameter only once`);
      return false;
    }
    if (what === 'target') this.target = value;
    else if (what === 'vdev') {
      this.vdev = value;
      this.vdevStart = start;
      this.vdevEnd = end;
    } else if (what === 'script') this.script = value;
    else (this.strings ??= new Map()).set(what, value);
    return true;
  }

  /** Mirrors setformat() with DSET(): an unknown name, or a different format after one was set. */
  private setFormat(value: string, start: number, end: number, positional: boolean): boolean {
    const f = value === '' ? 'raw' : value;
    if (!(FORMATS as readonly string[]).includes(f)) {
      let hint = `accepted: ${oneOf(FORMATS)}`;
      if (positional && looksLikeVdev(value)) {
        hint = `with no prefix such as "phy:" the second field is the format, not the vdev; write "target,,${value},..." (empty format), use "format=raw, vdev=${value}, ..." or add a prefix`;
      }
      this.fail(start, end, 'bad-enum', `unknown value for format ${q(value)}; ${hint}`);
      return false;
    }
    if (this.format !== undefined && this.format !== f) {
      this.fail(start, end, 'disk-spec', `format respecified: ${q(f)} after ${q(this.format)}`);
      return false;
    }
    this.format = f;
    return true;
  }

  private setAccess(value: string, start: number, end: number): void {
    if (!(ACCESS as readonly string[]).includes(value) && value !== '') {
      this.fail(start, end, 'bad-enum', `unknown value for access ${q(value)}; accepted: ${oneOf(ACCESS)}`);
      return;
    }
    this.access = { value, start, end };
  }

  /** Mirrors vdev_and_devtype(): `<vdev>:<devtype>` in a positional field, split at the last colon. */
  private vdevAndDevtype(tok: string, start: number): boolean {
    const colon = tok.lastIndexOf(':');
    if (colon < 0) return false;
    const vdev = tok.slice(0, colon);
    const type = tok.slice(colon + 1);
    if (this.setString('vdev', vdev, start, start + colon)) this.out.part('vdev', vdev, start, start + colon, start, false);
    const ts = start + colon + 1;
    if (type === 'cdrom') {
      this.cdrom = true;
      this.out.part('devtype', type, ts, ts + type.length, ts, false);
    } else if (type === 'disk') {
      this.cdrom = false;
      this.out.part('devtype', type, ts, ts + type.length, ts, false);
    } else {
      this.fail(ts, ts + type.length, 'bad-enum', `unknown deprecated type ${q(type)} after the vdev; accepted: "cdrom", "disk"`);
    }
    return true;
  }

  private applyValue(name: string, value: string, vs: number, ve: number): void {
    switch (name) {
      case 'format':
        this.setFormat(value, vs, ve, false);
        return;
      case 'access':
        this.setAccess(value, vs, ve);
        return;
      case 'backendtype': {
        const previous = this.strings?.get('backendtype');
        if (!(BACKENDTYPES as readonly string[]).includes(value)) {
          this.fail(vs, ve, 'bad-enum', `unknown value for backendtype ${q(value)}; accepted: ${oneOf(BACKENDTYPES)}`);
        } else if (previous !== undefined && previous !== value) {
          this.fail(vs, ve, 'disk-spec', `backendtype respecified: ${q(value)} after ${q(previous)}`);
        } else (this.strings ??= new Map()).set('backendtype', value);
        return;
      }
      case 'specification':
        if (!(SPECIFICATIONS as readonly string[]).includes(value)) {
          this.fail(vs, ve, 'bad-enum', `unknown value for specification ${q(value)}; accepted: ${oneOf(SPECIFICATIONS)}`);
        }
        return;
      case 'colo-port': {
        // Mirrors setcoloport(): atoi() must give a non-zero port.
        const port = /^\s*[+-]?[0-9]/.test(value) ? parseInt(value, 10) : 0;
        if (!port) this.fail(vs, ve, 'bad-enum', `unknown value for colo_port ${q(value)}; give a non-zero TCP port number`);
        return;
      }
      default:
        // vdev, script and the other string parameters
        this.setString(name, value, vs, ve);
    }
  }

  /** Mirrors the positional rule: target, then (unless a prefix was seen) format, vdev, access. */
  private positional(tok: string, start: number, end: number): boolean {
    if (this.err) return true; // "previous errors may just lead to subsequent ones"
    const { out } = this;
    if (this.target === undefined) {
      out.part('target', tok, start, end, start, false);
      this.setString('target', tok, start, end);
    } else if (!this.hadPrefix && this.format === undefined) {
      if (this.target === '' && tok.includes(':')) {
        this.vdevAndDevtype(tok, start);
        if (!this.err) this.format = 'empty';
      } else {
        out.part('format', tok, start, end, start, false);
        this.setFormat(tok, start, end, true);
      }
    } else if (this.vdev === undefined) {
      if (!this.vdevAndDevtype(tok, start)) {
        out.part('vdev', tok, start, end, start, false);
        this.setString('vdev', tok, start, end);
      }
    } else if (!this.accessSet) {
      this.accessSet = true;
      out.part('access', tok, start, end, start, false);
      this.setAccess(tok, start, end);
    } else {
      out.error(start, end, 'disk-spec', `too many positional parameters: ${q(tok)}; the positional order is target, format, vdev, access`);
      return false; // xl stops here
    }
    return true;
  }
}

/** The keyword rules of libxlu_disk_l.l in order; `rule` is the position that breaks ties. */
const KEYWORD_RULES: readonly { name: string; prefix: string; kind: Match['kind']; rule: number }[] = (
  [
    ['format', 'value'], ['cdrom', 'flag'], ['devtype', 'devtype'], ['access', 'value'], ['backend', 'value'],
    ['backendtype', 'value'], ['specification', 'value'], ['vdev', 'value'], ['script', 'value'],
    ['direct-io-safe', 'flag'], ['discard', 'flag'], ['no-discard', 'flag'], ['colo', 'flag'], ['no-colo', 'flag'],
    ['colo-host', 'value'], ['colo-port', 'value'], ['colo-export', 'value'], ['active-disk', 'value'],
    ['hidden-disk', 'value'], ['trusted', 'flag'], ['untrusted', 'flag'],
  ] as [string, Match['kind']][]
).map(([name, kind], index) => ({ name, prefix: `${name}=`, kind, rule: index + 2 }));

/** The keyword rules by the char code of their first letter (all are lower-case ASCII). */
const KEYWORD_RULES_BY_FIRST_CHAR: (typeof KEYWORD_RULES)[number][][] = Array.from({ length: 128 }, () => []);
for (const entry of KEYWORD_RULES) KEYWORD_RULES_BY_FIRST_CHAR[entry.name.charCodeAt(0)].push(entry);

const COMMA = 44;
const EQUALS = 61;
const COLON = 58;

/** Space, tab or newline by char code: the blanks the disk lexer skips. */
function isBlankCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10;
}

/** `[a-z0-9]` by char code. */
function isLowerAlnumCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** The match `longestMatch` returns: one object, reused, read by the caller before the next call. */
const best: Match = { rule: 99, len: 1, kind: 'bad', name: '' };

function consider(rule: number, len: number, kind: Match['kind'], name: string): void {
  if (len > best.len || (len === best.len && rule < best.rule)) {
    best.rule = rule;
    best.len = len;
    best.kind = kind;
    best.name = name;
  }
}

/** Finds the rule flex would pick at `pos`: the longest match, ties going to the earlier rule. */
function longestMatch(text: string, pos: number): Readonly<Match> {
  const n = text.length;
  const rest = n - pos;
  const c = text.charCodeAt(pos);
  best.rule = 99;
  best.len = 1;
  best.kind = 'bad';
  best.name = '';
  // Rule 0: whitespace before a parameter. Its trailing context `([^ \t\n].*)?` counts towards
  // the match length, so it always wins at a whitespace character.
  if (c === 32 || c === 9 || c === 10) {
    let i = pos + 1;
    while (i < n && isBlankCode(text.charCodeAt(i))) i++;
    consider(0, i - pos, 'space', '');
    return best;
  }
  const lower = c >= 97 && c <= 122;
  // `name=[^,]*,?` value rules and `name,?` flags, in the lexer's order (rules 2..22). Only the
  // rules whose name starts with this character can match, so look those up by first character.
  if (lower) {
    for (const entry of KEYWORD_RULES_BY_FIRST_CHAR[c]) {
      if (entry.kind === 'flag') {
        if (text.startsWith(entry.name, pos)) {
          const e = pos + entry.name.length;
          consider(entry.rule, entry.name.length + (e < n && text.charCodeAt(e) === COMMA ? 1 : 0), entry.kind, entry.name);
        }
      } else if (text.startsWith(entry.prefix, pos)) {
        consider(entry.rule, commaEnd(text, pos + entry.prefix.length) - pos, entry.kind, entry.name);
      }
    }
  }
  let rule = 1 + KEYWORD_RULES.length;
  rule++;
  if (c === 103 /* g */ && text.startsWith('grant_usage=', pos) && pos + 12 < n) {
    const v = text.charCodeAt(pos + 12);
    if (v === 49 || v === 48) consider(rule, 13 + (pos + 13 < n && text.charCodeAt(pos + 13) === COMMA ? 1 : 0), 'grant', 'grant_usage');
  }
  rule++;
  if (c === 116 /* t */ && text.startsWith('target=', pos)) consider(rule, rest, 'target', 'target');
  // One scan serves the three rules that start with a word: `[a-z][a-z0-9]*` ends at `word`,
  // `[a-z][-a-z0-9]*` at `name`, and neither contains the `=` or `,` the positional rule stops at.
  let word = pos;
  let name = pos;
  if (lower) {
    word = pos + 1;
    while (word < n && isLowerAlnumCode(text.charCodeAt(word))) word++;
    name = word;
    while (name < n && (isLowerAlnumCode(text.charCodeAt(name)) || text.charCodeAt(name) === 45)) name++;
  }
  // Unknown parameter: `[a-z][-a-z0-9]*=[^,],?` (note: exactly one value character).
  rule++;
  if (lower && name + 1 < n && text.charCodeAt(name) === EQUALS && text.charCodeAt(name + 1) !== COMMA) {
    consider(rule, name + 2 - pos + (name + 2 < n && text.charCodeAt(name + 2) === COMMA ? 1 : 0), 'unknown', '');
  }
  // Deprecated prefixes: their `/.*` trailing context makes them count as matching the whole rest.
  rule++;
  if (lower && word < n && text.charCodeAt(word) === COLON) {
    const prefix = text.slice(pos, word);
    if ((PREFIXES as readonly string[]).includes(prefix)) consider(rule, rest, 'prefix', prefix);
    else {
      // `[a-z][a-z0-9]*:/([^a-z0-9].*)?`: the whole rest if a non-alphanumeric (or nothing)
      // follows the colon, otherwise only the word and its colon.
      const followedByAlnum = word + 1 < n && isLowerAlnumCode(text.charCodeAt(word + 1));
      consider(rule + 1, followedByAlnum ? word + 1 - pos : rest, 'badprefix', prefix);
    }
  }
  rule += 2;
  // Positional: `[^=,]*,|[^=,]+,?`. It cannot beat a match of the whole rest by an earlier rule.
  if (best.len < rest || best.rule > rule) {
    let i = name;
    while (i < n && text.charCodeAt(i) !== EQUALS && text.charCodeAt(i) !== COMMA) i++;
    if (i < n && text.charCodeAt(i) === COMMA) consider(rule, i + 1 - pos, 'positional', '');
    else if (i > pos) consider(rule, i - pos, 'positional', '');
  }
  return best;
}

/** The offset after the next comma from `from`, or the end of the text. */
function commaEnd(text: string, from: number): number {
  const comma = text.indexOf(',', from);
  return comma < 0 ? text.length : comma + 1;
}

function looksLikeVdev(s: string): boolean {
  const colon = s.lastIndexOf(':');
  return validVdev(colon >= 0 ? s.slice(0, colon) : s);
}

/** Mirrors libxl__device_disk_dev_number(): the virtual disk names libxl accepts. */
export function validVdev(v: string): boolean {
  // d<disk>p<partition>
  if (v.startsWith('d')) {
    let i = 1;
    const ds = i;
    while (i < v.length && v[i] >= '0' && v[i] <= '9') i++;
    if (i > ds && v[i] === 'p') {
      const ps = ++i;
      while (i < v.length && v[i] >= '0' && v[i] <= '9') i++;
      if (i > ps && i === v.length && parseInt(v.slice(ds, ps - 1), 10) < 1 << 20 && parseInt(v.slice(ps), 10) < 256) return true;
    }
  }
  if (virtdiskMatches(v, 'xvd', (1 << 20) - 1, 255)) return true;
  // A plain number (decimal, 0x hex or 0 octal) is used as the device number itself.
  if (/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(v)) return true;
  return virtdiskMatches(v, 'hd', 3, 63) || virtdiskMatches(v, 'sd', 15, 15);
}

function virtdiskMatches(v: string, prefix: string, maxIndex: number, maxPartition: number): boolean {
  if (!v.startsWith(prefix)) return false;
  let i = prefix.length;
  let index = -1;
  while (i < v.length && v[i] >= 'a' && v[i] <= 'z') {
    index = (index + 1) * 26 + (v.charCodeAt(i) - 97);
    if (index > maxIndex) return false;
    i++;
  }
  if (index < 0) return false;
  if (i === v.length) return true;
  if (v[i] === '0') return false; // leading zeroes are not allowed in the partition number
  const part = v.slice(i);
  if (!/^[1-9][0-9]{0,5}$/.test(part)) return false;
  return parseInt(part, 10) <= maxPartition;
}
