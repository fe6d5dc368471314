// Feature: Completion. What can be typed at an offset: catalogue keys at the start of a statement,
// enumerations and booleans after `=`, and inside spec strings (disk, vif, ...) their keys and values,
// with host facts (paths, bridges, volumes, free MACs and displays) passed in as plain data.

import { KEYS, type KeySpec, type SpecKeyDoc } from '../catalogue';
import { decodedToRaw, type XlDocument } from '../syntax';
import { SPEC_LANGUAGES, type SpecLanguage } from '../specs';
import { BOOT_DEVICE_NAMES } from './describe';
import { keyDetail, keyMarkdown, memoizedBySpec, specKeyMarkdown, versionGap } from './docs';
import type { VersionFacts } from '../catalogue/types';
import type { XenTarget } from '../catalogue/xenVersions';
import { freshMac, type HostFacts } from './hostFacts';
import { cursorContext, type KeyContext, type StringContext, type ValueContext } from './locate';
import { buildModel, macsOf, PATH_KEYS, usedVdevs } from './model';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: 'key' | 'value' | 'spec-key' | 'file' | 'folder' | 'device';
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** The text inserted by clients without snippet support. */
  readonly insertText: string;
  /** The same insertion as an LSP snippet (`$1`, `${1|a,b|}`), when it has placeholders. */
  readonly snippet?: string;
  /** The replaced range, in document offsets (on the cursor's line). */
  readonly start: number;
  readonly end: number;
  readonly sortText?: string;
  readonly filterText?: string;
  readonly deprecated?: boolean;
  /** Ask the client to open completion again after inserting (after `key=` or a folder). */
  readonly retrigger?: boolean;
}

/** Host facts a completion at this offset would use; the server probes only for these. */
export interface CompletionNeeds {
  directory?: string;
  bridges?: boolean;
  blockDevices?: boolean;
}

/** Images a disk is usually backed by: they sort before other files. */
const IMAGE_EXTENSIONS = ['.iso', '.img', '.raw', '.qcow2', '.qcow', '.vhd', '.qed'];

/**
 * `target`: the Xen version configs are checked for; keys and values it lacks are offered last,
 * their detail saying which version they need. Undefined (the latest Xen): no marks.
 */
export function complete(document: XlDocument, offset: number, host: HostFacts = {}, needs: CompletionNeeds = {}, target?: XenTarget): CompletionEntry[] {
  const context = cursorContext(document, offset);
  switch (context.kind) {
    case 'key':
      return keyCompletions(document, context, target);
    case 'value':
      return context.string !== undefined ? stringCompletions(document, context, context.string, host, needs, target) : bareValueCompletions(context, host);
    default:
      return [];
  }
}

/** The host facts `complete` would use at this offset (a dry run without host data). */
export function completionNeeds(document: XlDocument, offset: number): CompletionNeeds {
  const needs: CompletionNeeds = {};
  complete(document, offset, {}, needs);
  return needs;
}

// ---- keys -----------------------------------------------------------------------------------

function keyCompletions(document: XlDocument, context: KeyContext, target: XenTarget | undefined): CompletionEntry[] {
  const model = buildModel(document);
  const used = new Set<string>();
  for (const assignment of document.assignments) if (assignment.key.start !== context.start) used.add(assignment.keyText);
  const entries: CompletionEntry[] = [];
  for (const spec of KEYS) {
    if (used.has(spec.name)) continue;
    const applies = spec.guestTypes.includes(model.guestType);
    entries.push(markGap({
      label: spec.name,
      kind: 'key',
      detail: keyDetail(spec),
      documentation: keyMarkdown(spec),
      insertText: context.hasOperator ? spec.name : `${spec.name} = `,
      snippet: context.hasOperator ? undefined : keySnippetOf(spec),
      start: context.start,
      end: context.end,
      // Keys for the declared guest type first, deprecated ones after them, the rest last.
      sortText: `${applies ? 0 : 2}${spec.deprecated ? 1 : 0}${spec.name}`,
      deprecated: spec.deprecated,
    }, spec.version, target));
  }
  return entries;
}

/** An entry for a key or value the target lacks: its detail says so, and it sorts after the rest. */
function markGap(entry: CompletionEntry, facts: VersionFacts | undefined, target: XenTarget | undefined): CompletionEntry {
  const gap = versionGap(facts, target);
  if (gap === undefined) return entry;
  return { ...entry, detail: entry.detail === undefined ? gap : `${gap} · ${entry.detail}`, sortText: `~${entry.sortText ?? entry.label}` };
}

function valueFactsOf(facts: Readonly<Record<string, VersionFacts>> | undefined, value: string): VersionFacts | undefined {
  return facts !== undefined && Object.hasOwn(facts, value) ? facts[value] : undefined;
}

/** The snippet that writes a key with a value of the right shape. */
export function keySnippet(spec: KeySpec): string {
  const head = `${spec.name} = `;
  if (spec.kind === 'list-of-string-lists') return `${head}[ [ '$1' ] ]`;
  const choice = spec.enum !== undefined && spec.enum.length > 0 ? `\${1|${spec.enum.map(escapeChoice).join(',')}|}` : undefined;
  // `viridian` reads a list of names (or a bare boolean): the list is the form worth a snippet.
  if (spec.kind === 'string-list' || (spec.kind === 'boolean-or-string-list' && choice !== undefined)) return choice !== undefined ? `${head}[ "${choice}" ]` : `${head}[ '$1' ]`;
  if (choice !== undefined && spec.enum !== undefined) {
    const numeric = spec.enum.every((value) => /^[0-9]+$/.test(value)) && (spec.kind === 'integer' || spec.kind === 'boolean');
    return numeric ? `${head}${choice}` : `${head}"${choice}"`;
  }
  if (spec.kind === 'boolean' || spec.kind === 'boolean-or-string' || spec.kind === 'boolean-or-string-list') {
    // The value someone sets is usually the one that is not the default.
    return spec.default === '1' ? `${head}\${1|0,1|}` : `${head}\${1|1,0|}`;
  }
  if (spec.kind === 'integer') return `${head}\${1:${escapeSnippet(exampleValue(spec) ?? '0')}}`;
  return `${head}"$1"`;
}

const keySnippetOf = memoizedBySpec(keySnippet);

/** The value of a key's catalogue example (`memory = 1024` → `1024`). */
function exampleValue(spec: KeySpec): string | undefined {
  const match = /^\s*[a-z_0-9.]+\s*\+?=\s*(.*?)\s*$/.exec(spec.example);
  return match?.[1];
}

// ---- values outside strings -----------------------------------------------------------------

function bareValueCompletions(context: ValueContext, host: HostFacts): CompletionEntry[] {
  const spec = context.spec;
  if (spec === undefined) return [];
  const start = context.word?.start ?? context.offset;
  const end = context.word?.end ?? context.offset;
  const space = context.afterOperator ? ' ' : '';
  const entries: CompletionEntry[] = [];
  const add = (label: string, insert: string, documentation: string | undefined, sortIndex: number, detail?: string) => {
    entries.push({ label, kind: 'value', insertText: space + insert, start, end, documentation, detail, sortText: String(sortIndex).padStart(3, '0'), filterText: context.word !== undefined ? label : undefined });
  };
  const wantsList = spec.kind === 'string-list' || spec.kind === 'list-of-string-lists';
  if (context.depth === 0 && !wantsList) {
    const booleanish = spec.kind === 'boolean' || spec.kind === 'boolean-or-string' || spec.kind === 'boolean-or-string-list';
    if (booleanish) {
      add('1', '1', 'Enabled.', 0, 'on');
      add('0', '0', 'Disabled.', 1, 'off');
    }
    const docs = valueDocsOf(spec);
    spec.enum?.forEach((value, index) => {
      const numeric = /^[0-9]+$/.test(value) && (spec.kind === 'integer' || spec.kind === 'boolean');
      add(value, numeric ? value : quote(value), docs?.[value], 10 + index);
    });
    if (spec.name === 'vncdisplay') {
      const free = freeDisplay(host.usedVncDisplays);
      add(String(free), String(free), `The lowest VNC display no other config of the workspace uses (TCP port ${5900 + free}).`, 0, 'free display');
    }
  } else if (context.depth === 1 && spec.kind === 'boolean-or-string-list' && spec.enum !== undefined) {
    spec.enum.forEach((value, index) => add(value, quote(value), valueDocsOf(spec)?.[value], index));
  }
  return entries;
}

function quote(value: string): string {
  return `"${value}"`;
}

/** Per-value docs of a key whose value language has a single key with value docs (`on_*`, `tsc_mode`). */
function valueDocsOf(spec: KeySpec): Readonly<Record<string, string>> | undefined {
  if (spec.spec === undefined) return undefined;
  const keys = SPEC_LANGUAGES.get(spec.spec)?.keys;
  return keys !== undefined && keys.length === 1 ? keys[0].valueDocs : undefined;
}

// ---- values inside strings ------------------------------------------------------------------

/** The file offset of a decoded offset of the string being completed. */
function fileOffset(string: StringContext, decoded: number): number {
  return string.open + 1 + decodedToRaw(string.raw, decoded);
}

function stringCompletions(document: XlDocument, context: ValueContext, string: StringContext, host: HostFacts, needs: CompletionNeeds, target: XenTarget | undefined): CompletionEntry[] {
  const spec = context.spec;
  if (spec === undefined) return [];
  // The list form of `cpuid` is the old xend syntax, one register per element.
  const languageId = spec.spec === 'cpuid' && context.depth > 0 ? 'cpuid-xend' : spec.spec;
  const language = languageId === undefined ? undefined : SPEC_LANGUAGES.get(languageId);
  if (language !== undefined && isKeyedLanguage(language)) return specCompletions(document, context, string, language, host, needs, target);
  if (languageId === 'boot') return bootCompletions(context, string);
  if (languageId === 'serial') {
    const before = string.value.slice(0, string.cursor);
    if (before.startsWith('file:') || before.startsWith('pipe:') || before.startsWith('unix:')) return pathCompletions(string, 5, host, needs, {});
    if (before.startsWith('/')) return pathCompletions(string, 0, host, needs, {});
  }
  const values = spec.enum ?? (language !== undefined && language.keys.length === 1 ? language.keys[0].values : undefined);
  const entries: CompletionEntry[] = [];
  if (values !== undefined) {
    const docs = valueDocsOf(spec);
    const end = string.closed ? fileOffset(string, string.value.length) : context.offset;
    const close = string.closed ? '' : string.quote;
    values.forEach((value, index) => {
      entries.push(markGap({ label: value, kind: 'value', insertText: value + close, start: string.open + 1, end, documentation: docs?.[value], sortText: String(index).padStart(3, '0') }, valueFactsOf(spec.valueVersions, value), target));
    });
  }
  if (PATH_KEYS.has(spec.name) || (spec.enumMatch === 'open' && string.value.startsWith('/'))) entries.push(...pathCompletions(string, 0, host, needs, {}));
  return entries;
}

/** Languages written as `key=value` items (disk, vif, pci, vfb, channel, ...). */
function isKeyedLanguage(language: SpecLanguage): boolean {
  return language.keys.some((key) => key.example !== undefined && key.example.startsWith(`${key.name}=`));
}

/** Spec keys offered as `key=` (or as a bare flag): not positional fields or syntax forms. */
function completableKey(key: SpecKeyDoc): 'value' | 'flag' | undefined {
  if (!/^[a-zA-Z0-9][^\s=,:]*$/.test(key.name)) return undefined;
  if (key.example === undefined || key.example.startsWith(`${key.name}=`)) return 'value';
  if (key.example === key.name) return 'flag';
  return undefined;
}

function specCompletions(document: XlDocument, context: ValueContext, string: StringContext, language: SpecLanguage, host: HostFacts, needs: CompletionNeeds, target: XenTarget | undefined): CompletionEntry[] {
  const value = string.value;
  const before = value.slice(0, string.cursor);
  // disk: `target=` takes the rest of the spec, commas included.
  if (language.id === 'disk') {
    const target = /(?:^|,)\s*target=/.exec(before);
    if (target !== null) return pathCompletions(string, target.index + target[0].length, host, needs, { disk: true });
  }
  let segmentStart = before.lastIndexOf(',') + 1;
  while (segmentStart < before.length && before[segmentStart] === ' ') segmentStart++;
  const nextComma = value.indexOf(',', string.cursor);
  const segmentEnd = nextComma < 0 ? value.length : nextComma;
  const segment = before.slice(segmentStart);
  const equals = segment.indexOf('=');
  if (equals >= 0) {
    const keyName = segment.slice(0, equals).trim();
    return specValueCompletions(document, context, string, language, keyName, segmentStart + equals + 1, segmentEnd, host, needs, target);
  }
  const entries: CompletionEntry[] = [];
  if (language.id === 'disk') {
    const prefix = /^([a-z][a-z0-9]*):/.exec(segment);
    if (prefix !== null && DISK_PREFIXES.has(prefix[1])) return pathCompletions(string, segmentStart + prefix[0].length, host, needs, { disk: true });
    const colon = segment.lastIndexOf(':');
    if (colon > 0 && segmentStart > 0) return devtypeCompletions(language, string, segmentStart + colon + 1, segmentEnd);
    if (segment.startsWith('/')) return pathCompletions(string, segmentStart, host, needs, { disk: true });
    if (segment === '' && segmentStart === 0) entries.push(...diskFormCompletions(string, segmentStart));
  }
  // Keys already written in this element are not offered again.
  const present = new Set(language.parse(value).parts.filter((part) => part.explicitKey && (part.end < segmentStart || part.start > string.cursor)).map((part) => part.key));
  const rest = value.slice(segmentStart, segmentEnd);
  const restEquals = rest.indexOf('=');
  const replaceEnd = fileOffset(string, restEquals >= 0 ? segmentStart + restEquals : Math.max(string.cursor, segmentStart + wordLength(rest)));
  language.keys.forEach((key, index) => {
    const form = completableKey(key);
    if (form === undefined || present.has(key.name)) return;
    const withValue = form === 'value' && restEquals < 0;
    entries.push(markGap({
      label: key.name,
      kind: 'spec-key',
      detail: `${language.id} ${form === 'flag' ? 'flag' : 'key'}`,
      documentation: specKeyMarkdown(key, language.id),
      insertText: withValue ? `${key.name}=` : key.name,
      start: fileOffset(string, segmentStart),
      end: replaceEnd,
      sortText: `${key.deprecated ? 1 : 0}${String(index).padStart(3, '0')}`,
      deprecated: key.deprecated,
      retrigger: withValue,
    }, key.version, target));
  });
  return entries;
}

function wordLength(text: string): number {
  const match = /^[-a-z0-9_.]*/.exec(text);
  return match === null ? 0 : match[0].length;
}

/** The old-style disk prefixes (`phy:`, `file:`, ...), from the disk language's docs. */
const DISK_PREFIXES: ReadonlySet<string> = new Set(SPEC_LANGUAGES.get('disk')?.keys.find((key) => key.name === 'prefix')?.values ?? []);

/** `xvdb:` in a positional disk spec: the device type after the colon. */
function devtypeCompletions(language: SpecLanguage, string: StringContext, at: number, end: number): CompletionEntry[] {
  const devtype = language.keys.find((key) => key.name === 'devtype');
  const start = fileOffset(string, at);
  const replaceEnd = fileOffset(string, Math.max(end, string.cursor));
  return (devtype?.values ?? []).map((value, index) => ({ label: value, kind: 'value' as const, detail: 'disk devtype', documentation: devtype?.valueDocs?.[value], insertText: value, start, end: replaceEnd, sortText: String(index) }));
}

/** At the start of an empty disk spec: the two common old-style forms. */
function diskFormCompletions(string: StringContext, at: number): CompletionEntry[] {
  const start = fileOffset(string, at);
  return [
    { label: 'phy:', kind: 'value', detail: 'block device (old positional form)', documentation: 'Old positional form: `phy:/dev/vg/lv,xvda,w` (target, vdev, access).', insertText: 'phy:/dev/', start, end: start, sortText: '900', retrigger: true },
    { label: 'file:', kind: 'value', detail: 'image file (old positional form)', documentation: 'Old positional form: `file:/path/image.iso,xvdb:cdrom,r` (target, vdev, access).', insertText: 'file:/', start, end: start, sortText: '901', retrigger: true },
  ];
}

function specValueCompletions(
  document: XlDocument,
  context: ValueContext,
  string: StringContext,
  language: SpecLanguage,
  keyName: string,
  valueStart: number,
  valueEnd: number,
  host: HostFacts,
  needs: CompletionNeeds,
  target: XenTarget | undefined,
): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const start = fileOffset(string, valueStart);
  const end = fileOffset(string, Math.max(valueEnd, string.cursor));
  const key = language.keys.find((candidate) => candidate.name === keyName);
  key?.values?.forEach((value, index) => {
    entries.push(markGap({ label: value, kind: 'value', detail: `${language.id} ${keyName}`, documentation: key.valueDocs?.[value], insertText: value, start, end, sortText: String(index).padStart(3, '0') }, valueFactsOf(key.valueVersions, value), target));
  });
  const id = `${language.id}.${keyName}`;
  if (id === 'disk.vdev') {
    const vdev = freeVdev(usedVdevs(document, context.elementStart));
    entries.push({ label: vdev, kind: 'value', detail: 'next free disk name', documentation: 'The first `xvd` name no other disk of this file uses.', insertText: vdev, start, end, sortText: '000' });
  } else if (id === 'vif.bridge') {
    needs.bridges = true;
    (host.bridges ?? []).forEach((bridge) => entries.push({ label: bridge, kind: 'value', detail: 'bridge on this host', insertText: bridge, start, end }));
  } else if (id === 'vif.mac' && host.random !== undefined) {
    const mac = freshMac(host.random, host.usedMacs ?? new Set(), macsOf(document));
    entries.push({ label: mac, kind: 'value', detail: 'new Xen MAC address', documentation: 'A random address in the Xen range 00:16:3e:xx:xx:xx that no config of the workspace uses.', insertText: mac, start, end, sortText: '000' });
  } else if (id === 'vfb.vncdisplay') {
    const free = String(freeDisplay(host.usedVncDisplays));
    entries.push({ label: free, kind: 'value', detail: 'free VNC display', insertText: free, start, end });
  } else if (id === 'p9.path' || id === 'channel.path') {
    return pathCompletions(string, valueStart, host, needs, {});
  }
  return entries;
}

function bootCompletions(context: ValueContext, string: StringContext): CompletionEntry[] {
  const used = new Set(string.value);
  const at = context.offset;
  return Object.entries(BOOT_DEVICE_NAMES)
    .filter(([letter]) => !used.has(letter) && letter !== 'a')
    .map(([letter, name], index) => ({ label: letter, kind: 'value' as const, detail: name, documentation: `Boot device \`${letter}\`: ${name}.`, insertText: letter, start: at, end: at, sortText: String(index) }));
}

// ---- paths ----------------------------------------------------------------------------------

/**
 * Path completion for the path that starts at decoded offset `pathStart` of the string: the
 * entries of the folder typed so far (the server lists it on request, see `needs`), and for disks
 * the host's LVM volumes.
 */
function pathCompletions(string: StringContext, pathStart: number, host: HostFacts, needs: CompletionNeeds, options: { disk?: boolean }): CompletionEntry[] {
  const prefix = string.value.slice(pathStart, string.cursor);
  const entries: CompletionEntry[] = [];
  if (prefix !== '' && !prefix.startsWith('/')) return entries;
  const slash = prefix.lastIndexOf('/');
  const directory = slash < 0 ? '/' : prefix.slice(0, slash + 1);
  const nameStart = slash < 0 ? pathStart : pathStart + slash + 1;
  const lead = slash < 0 ? '/' : '';
  needs.directory = directory;
  const start = fileOffset(string, nameStart);
  const end = fileOffset(string, string.cursor);
  const partial = prefix.slice(slash + 1);
  if (host.directory !== undefined && host.directory.path === directory) {
    for (const entry of host.directory.entries) {
      if (entry.name.startsWith('.') && !partial.startsWith('.')) continue;
      if (entry.kind === 'directory') {
        entries.push({ label: `${entry.name}/`, kind: 'folder', insertText: `${lead}${entry.name}/`, filterText: `${lead}${entry.name}`, start, end, sortText: `1${entry.name}`, retrigger: true });
      } else {
        const image = IMAGE_EXTENSIONS.some((extension) => entry.name.endsWith(extension));
        const rank = options.disk && (image || entry.kind === 'block') ? 0 : 2;
        const detail = entry.name.endsWith('.iso') ? 'ISO image' : entry.kind === 'block' ? 'block device' : image ? 'disk image' : undefined;
        entries.push({ label: entry.name, kind: entry.kind === 'block' ? 'device' : 'file', detail, insertText: `${lead}${entry.name}`, filterText: `${lead}${entry.name}`, start, end, sortText: `${rank}${entry.name}` });
      }
    }
  }
  if (options.disk && (prefix === '' || '/dev/'.startsWith(prefix) || prefix.startsWith('/dev/'))) {
    needs.blockDevices = true;
    const whole = fileOffset(string, pathStart);
    for (const device of host.blockDevices ?? []) {
      entries.push({ label: device, kind: 'device', detail: device.startsWith('/dev/mapper/') ? 'device-mapper node' : 'LVM logical volume', insertText: device, start: whole, end, sortText: `0${device}` });
    }
  }
  return entries;
}

// ---- names and numbers not taken yet --------------------------------------------------------

/** The first `xvd<letters>` name not in `used`. */
function freeVdev(used: ReadonlySet<string>): string {
  for (let index = 0; ; index++) {
    const name = `xvd${diskLetters(index)}`;
    if (!used.has(name)) return name;
  }
}

/** 0 → a, 25 → z, 26 → aa: the letters of the n-th virtual disk. */
function diskLetters(index: number): string {
  let letters = '';
  let value = index + 1;
  while (value > 0) {
    const digit = (value - 1) % 26;
    letters = String.fromCharCode(97 + digit) + letters;
    value = Math.floor((value - 1) / 26);
  }
  return letters;
}

function freeDisplay(used: ReadonlySet<number> | undefined): number {
  let display = 0;
  while (used?.has(display)) display++;
  return display;
}

// ---- snippets -------------------------------------------------------------------------------

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function escapeChoice(text: string): string {
  return text.replace(/[$}\\,|]/g, '\\$&');
}
