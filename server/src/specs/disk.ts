// DISK_SPEC (`disk = [ ... ]` entries): a faithful re-implementation of xl's flex disk lexer,
// so both the positional `target,format,vdev,access` form and the `key=value` form resolve and
// fail exactly as `xl create` would.
import { type Collector, language, quoted, quotedList } from './common';
import { FORMATS, ACCESS, BACKENDTYPES, SPECIFICATIONS, PREFIXES, DISK_KEYS } from './disk-keys';
import { closest, didYouMean } from '../text/suggest';

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
    const length = text.length;
    let pos = 0;
    while (pos < length) {
      const m = longestMatch(text, pos);
      // Trailing context (`/.*`) counts towards the longest-match choice but is not consumed.
      const end = pos + (m.kind === 'prefix' || m.kind === 'badprefix' ? m.name.length + 1 : m.len);
      // STRIP(','): the item's text without its one trailing comma.
      const itemEnd = m.kind !== 'space' && m.kind !== 'prefix' && m.kind !== 'badprefix' && end > pos && text.charCodeAt(end - 1) === COMMA ? end - 1 : end;
      switch (m.kind) {
        case 'space':
          break;
        case 'value': {
          const valueStart = pos + m.name.length + 1;
          const value = text.slice(valueStart, itemEnd);
          out.part(m.name, value, pos, itemEnd, valueStart, true);
          this.applyValue(m.name, value, valueStart, itemEnd);
          break;
        }
        case 'flag':
          out.part(m.name, '', pos, itemEnd, itemEnd, true);
          if (m.name === 'cdrom') this.cdrom = true;
          break;
        case 'devtype': {
          const valueStart = pos + 'devtype='.length;
          const value = text.slice(valueStart, itemEnd);
          out.part('devtype', value, pos, itemEnd, valueStart, true);
          if (value === 'cdrom') this.cdrom = true;
          else if (value === 'disk') this.cdrom = false;
          else this.fail(valueStart, itemEnd, 'bad-enum', `unknown value for type ${quoted(value)}; accepted: "cdrom", "disk"`);
          break;
        }
        case 'grant': {
          const valueStart = pos + 'grant_usage='.length;
          out.part('grant_usage', text.slice(valueStart, valueStart + 1), pos, valueStart + 1, valueStart, true);
          break;
        }
        case 'target': {
          const valueStart = pos + 'target='.length;
          const tEnd = length > valueStart && text.charCodeAt(length - 1) === COMMA ? length - 1 : length;
          const value = text.slice(valueStart, tEnd);
          out.part('target', value, pos, tEnd, valueStart, true);
          this.setString('target', value, valueStart, tEnd);
          break;
        }
        case 'unknown': {
          const equals = text.indexOf('=', pos);
          const key = text.slice(pos, equals);
          let vEnd = equals + 1;
          while (vEnd < length && text.charCodeAt(vEnd) !== COMMA) vEnd++;
          this.fail(pos, equals, 'spec-unknown-key', `unknown parameter ${quoted(key)}${didYouMean(key, ALL_KEY_NAMES)}; paths containing "=" must be given as "target=..." at the end`);
          // The lexer only consumed one value character; the rest would be a positional that is
          // ignored after an error. Skip the whole item to keep later messages meaningful.
          pos = vEnd < length ? vEnd + 1 : length;
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
          const suggestion = closest(name, PREFIXES);
          out.error(pos, end, 'disk-spec', `unknown deprecated disk prefix ${quoted(name + ':')}${suggestion ? ` (did you mean "${suggestion}:"?)` : ''}; accepted: ${PREFIXES.map((p) => p + ':').join(' ')}; use "target=" for a path with such a colon`);
          return; // xl stops at this error
        }
        case 'positional':
          if (!this.positional(text.slice(pos, itemEnd), pos, itemEnd)) return;
          break;
        case 'bad': {
          out.error(pos, length, 'disk-spec', `bad disk syntax near ${quoted(text.slice(pos))}; a value containing "=" must be written as "target=..." at the end of the spec`);
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
    const length = this.text.length;
    if (this.vdev === undefined) {
      out.error(0, length, 'disk-spec', 'no vdev specified; add the guest device name, e.g. "vdev=xvda" or a positional field like "xvda"');
      return;
    }
    if (this.target === undefined && !this.cdrom) {
      out.error(0, length, 'disk-spec', 'no target specified (and device not removable); give the backing path or mark the drive as "cdrom"');
      return;
    }
    if (!validVdev(this.vdev)) {
      out.error(this.vdevStart, this.vdevEnd, 'disk-vdev', `invalid virtual disk name ${quoted(this.vdev)}; use xvd<letters>[partition], hd[a-d], sd[a-p], d<N>p<N> or a device number`);
    }
    if (this.cdrom && access !== undefined && (access.value === 'w' || access.value === 'rw')) {
      out.warning(access.start, access.end, 'disk-cdrom-rw', `access ${quoted(access.value)} is ignored for a CD-ROM drive, which is always read-only`);
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
      this.fail(start, end, 'disk-spec', `${what} respecified: ${quoted(value)} after ${quoted(prev)}; give each parameter only once`);
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
    const format = value === '' ? 'raw' : value;
    if (!(FORMATS as readonly string[]).includes(format)) {
      let hint = `accepted: ${quotedList(FORMATS)}`;
      if (positional && looksLikeVdev(value)) {
        hint = `with no prefix such as "phy:" the second field is the format, not the vdev; write "target,,${value},..." (empty format), use "format=raw, vdev=${value}, ..." or add a prefix`;
      }
      this.fail(start, end, 'bad-enum', `unknown value for format ${quoted(value)}; ${hint}`);
      return false;
    }
    if (this.format !== undefined && this.format !== format) {
      this.fail(start, end, 'disk-spec', `format respecified: ${quoted(format)} after ${quoted(this.format)}`);
      return false;
    }
    this.format = format;
    return true;
  }

  private setAccess(value: string, start: number, end: number): void {
    if (!(ACCESS as readonly string[]).includes(value) && value !== '') {
      this.fail(start, end, 'bad-enum', `unknown value for access ${quoted(value)}; accepted: ${quotedList(ACCESS)}`);
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
    const typeStart = start + colon + 1;
    if (type === 'cdrom') {
      this.cdrom = true;
      this.out.part('devtype', type, typeStart, typeStart + type.length, typeStart, false);
    } else if (type === 'disk') {
      this.cdrom = false;
      this.out.part('devtype', type, typeStart, typeStart + type.length, typeStart, false);
    } else {
      this.fail(typeStart, typeStart + type.length, 'bad-enum', `unknown deprecated type ${quoted(type)} after the vdev; accepted: "cdrom", "disk"`);
    }
    return true;
  }

  private applyValue(name: string, value: string, valueStart: number, valueEnd: number): void {
    switch (name) {
      case 'format':
        this.setFormat(value, valueStart, valueEnd, false);
        return;
      case 'access':
        this.setAccess(value, valueStart, valueEnd);
        return;
      case 'backendtype': {
        const previous = this.strings?.get('backendtype');
        if (!(BACKENDTYPES as readonly string[]).includes(value)) {
          this.fail(valueStart, valueEnd, 'bad-enum', `unknown value for backendtype ${quoted(value)}; accepted: ${quotedList(BACKENDTYPES)}`);
        } else if (previous !== undefined && previous !== value) {
          this.fail(valueStart, valueEnd, 'disk-spec', `backendtype respecified: ${quoted(value)} after ${quoted(previous)}`);
        } else (this.strings ??= new Map()).set('backendtype', value);
        return;
      }
      case 'specification':
        if (!(SPECIFICATIONS as readonly string[]).includes(value)) {
          this.fail(valueStart, valueEnd, 'bad-enum', `unknown value for specification ${quoted(value)}; accepted: ${quotedList(SPECIFICATIONS)}`);
        }
        return;
      case 'colo-port': {
        // Mirrors setcoloport(): atoi() must give a non-zero port.
        const port = /^\s*[+-]?[0-9]/.test(value) ? parseInt(value, 10) : 0;
        if (!port) this.fail(valueStart, valueEnd, 'bad-enum', `unknown value for colo_port ${quoted(value)}; give a non-zero TCP port number`);
        return;
      }
      default:
        // vdev, script and the other string parameters
        this.setString(name, value, valueStart, valueEnd);
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
      out.error(start, end, 'disk-spec', `too many positional parameters: ${quoted(tok)}; the positional order is target, format, vdev, access`);
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
  const length = text.length;
  const rest = length - pos;
  const c = text.charCodeAt(pos);
  best.rule = 99;
  best.len = 1;
  best.kind = 'bad';
  best.name = '';
  // Rule 0: whitespace before a parameter. Its trailing context `([^ \t\n].*)?` counts towards
  // the match length, so it always wins at a whitespace character.
  if (c === 32 || c === 9 || c === 10) {
    let i = pos + 1;
    while (i < length && isBlankCode(text.charCodeAt(i))) i++;
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
          consider(entry.rule, entry.name.length + (e < length && text.charCodeAt(e) === COMMA ? 1 : 0), entry.kind, entry.name);
        }
      } else if (text.startsWith(entry.prefix, pos)) {
        consider(entry.rule, commaEnd(text, pos + entry.prefix.length) - pos, entry.kind, entry.name);
      }
    }
  }
  let rule = 1 + KEYWORD_RULES.length;
  rule++;
  if (c === 103 /* g */ && text.startsWith('grant_usage=', pos) && pos + 12 < length) {
    const v = text.charCodeAt(pos + 12);
    if (v === 49 || v === 48) consider(rule, 13 + (pos + 13 < length && text.charCodeAt(pos + 13) === COMMA ? 1 : 0), 'grant', 'grant_usage');
  }
  rule++;
  if (c === 116 /* t */ && text.startsWith('target=', pos)) consider(rule, rest, 'target', 'target');
  // One scan serves the three rules that start with a word: `[a-z][a-z0-9]*` ends at `word`,
  // `[a-z][-a-z0-9]*` at `name`, and neither contains the `=` or `,` the positional rule stops at.
  let word = pos;
  let name = pos;
  if (lower) {
    word = pos + 1;
    while (word < length && isLowerAlnumCode(text.charCodeAt(word))) word++;
    name = word;
    while (name < length && (isLowerAlnumCode(text.charCodeAt(name)) || text.charCodeAt(name) === 45)) name++;
  }
  // Unknown parameter: `[a-z][-a-z0-9]*=[^,],?` (note: exactly one value character).
  rule++;
  if (lower && name + 1 < length && text.charCodeAt(name) === EQUALS && text.charCodeAt(name + 1) !== COMMA) {
    consider(rule, name + 2 - pos + (name + 2 < length && text.charCodeAt(name + 2) === COMMA ? 1 : 0), 'unknown', '');
  }
  // Deprecated prefixes: their `/.*` trailing context makes them count as matching the whole rest.
  rule++;
  if (lower && word < length && text.charCodeAt(word) === COLON) {
    const prefix = text.slice(pos, word);
    if ((PREFIXES as readonly string[]).includes(prefix)) consider(rule, rest, 'prefix', prefix);
    else {
      // `[a-z][a-z0-9]*:/([^a-z0-9].*)?`: the whole rest if a non-alphanumeric (or nothing)
      // follows the colon, otherwise only the word and its colon.
      const followedByAlnum = word + 1 < length && isLowerAlnumCode(text.charCodeAt(word + 1));
      consider(rule + 1, followedByAlnum ? word + 1 - pos : rest, 'badprefix', prefix);
    }
  }
  rule += 2;
  // Positional: `[^=,]*,|[^=,]+,?`. It cannot beat a match of the whole rest by an earlier rule.
  if (best.len < rest || best.rule > rule) {
    let i = name;
    while (i < length && text.charCodeAt(i) !== EQUALS && text.charCodeAt(i) !== COMMA) i++;
    if (i < length && text.charCodeAt(i) === COMMA) consider(rule, i + 1 - pos, 'positional', '');
    else if (i > pos) consider(rule, i - pos, 'positional', '');
  }
  return best;
}

/** The offset after the next comma from `from`, or the end of the text. */
function commaEnd(text: string, from: number): number {
  const comma = text.indexOf(',', from);
  return comma < 0 ? text.length : comma + 1;
}

function looksLikeVdev(text: string): boolean {
  const colon = text.lastIndexOf(':');
  return validVdev(colon >= 0 ? text.slice(0, colon) : text);
}

/** Mirrors libxl__device_disk_dev_number(): the virtual disk names libxl accepts. */
export function validVdev(vdev: string): boolean {
  // d<disk>p<partition>
  if (vdev.startsWith('d')) {
    let i = 1;
    const digitsStart = i;
    while (i < vdev.length && vdev[i] >= '0' && vdev[i] <= '9') i++;
    if (i > digitsStart && vdev[i] === 'p') {
      const partitionStart = ++i;
      while (i < vdev.length && vdev[i] >= '0' && vdev[i] <= '9') i++;
      if (i > partitionStart && i === vdev.length && parseInt(vdev.slice(digitsStart, partitionStart - 1), 10) < 1 << 20 && parseInt(vdev.slice(partitionStart), 10) < 256) return true;
    }
  }
  if (virtdiskMatches(vdev, 'xvd', (1 << 20) - 1, 255)) return true;
  // A plain number (decimal, 0x hex or 0 octal) is used as the device number itself.
  if (/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(vdev)) return true;
  return virtdiskMatches(vdev, 'hd', 3, 63) || virtdiskMatches(vdev, 'sd', 15, 15);
}

function virtdiskMatches(vdev: string, prefix: string, maxIndex: number, maxPartition: number): boolean {
  if (!vdev.startsWith(prefix)) return false;
  let i = prefix.length;
  let index = -1;
  while (i < vdev.length && vdev[i] >= 'a' && vdev[i] <= 'z') {
    index = (index + 1) * 26 + (vdev.charCodeAt(i) - 97);
    if (index > maxIndex) return false;
    i++;
  }
  if (index < 0) return false;
  if (i === vdev.length) return true;
  if (vdev[i] === '0') return false; // leading zeroes are not allowed in the partition number
  const part = vdev.slice(i);
  if (!/^[1-9][0-9]{0,5}$/.test(part)) return false;
  return parseInt(part, 10) <= maxPartition;
}
