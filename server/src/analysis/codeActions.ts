// Feature: Code actions (refactorings). Rewrites that keep a config valid but change it on purpose:
// boot from disk only, finish an install from CD (boot from disk and empty or remove the CD drive),
// enable PV drivers on HVM, write a disk spec as key=value, generate a MAC, and sort the statements
// into the catalogue's sections. Quick fixes come from `Problem.fixes`.

import { KEY_BY_NAME, KEYS } from '../catalogue';
import { TokenKind, type Assignment, type AtomNode, type ListNode, type ValueNode, type XlDocument } from '../syntax';
import type { SpecLanguage, SpecPart } from '../specs';
import { freshMac } from './hostFacts';
import { assignmentAt, atomAt, partRange } from './locate';
import { buildModel, macsOf, specTargets } from './model';
import type { TextEdit } from './types';

export interface Refactoring {
  readonly title: string;
  /** An LSP code action kind under `refactor`; the finish-install kinds are what the client asks for by name. */
  readonly kind: RefactoringKind;
  readonly edits: readonly TextEdit[];
}

export const FINISH_INSTALL_EMPTY_CD = 'refactor.rewrite.xen.finishInstall.emptyCd';
export const FINISH_INSTALL_REMOVE_CD = 'refactor.rewrite.xen.finishInstall.removeCd';
export type RefactoringKind = 'refactor.rewrite' | 'refactor.rewrite.sort' | typeof FINISH_INSTALL_EMPTY_CD | typeof FINISH_INSTALL_REMOVE_CD;
/** Every kind `refactorings` can return, for the server's capabilities. */
export const REFACTORING_KINDS: readonly RefactoringKind[] = ['refactor.rewrite', 'refactor.rewrite.sort', FINISH_INSTALL_EMPTY_CD, FINISH_INSTALL_REMOVE_CD];

export interface RefactoringOptions {
  /** The client asked for refactorings explicitly: offer the file-wide ones wherever the cursor is. */
  readonly explicit?: boolean;
  /** Random numbers in [0, 1), for MAC addresses. */
  readonly random?: () => number;
  /** MACs (lower case) used by other configs of the workspace. */
  readonly usedMacs?: ReadonlySet<string>;
}

export function refactorings(document: XlDocument, start: number, end: number, options: RefactoringOptions = {}): Refactoring[] {
  const actions: Refactoring[] = [];
  const model = buildModel(document);
  const here = assignmentAt(document, start) ?? assignmentAt(document, end);

  // Boot from disk only: after an install from CD-ROM, `boot = "dc"` becomes `"c"`.
  const boot = model.effective.get('boot')?.assignment;
  const bootEdit = boot === undefined ? undefined : bootFromDiskEdit(boot);
  if (bootEdit !== undefined && (here === boot || options.explicit)) {
    actions.push({ title: 'Boot from disk only', kind: 'refactor.rewrite', edits: [bootEdit] });
  }

  // Finish install: the same boot edit, plus the CD drive emptied or removed.
  if (bootEdit !== undefined && bootsFromCdFirst(boot!)) {
    const disks = diskChain(document);
    if (here === boot || (here !== undefined && disks.includes(here)) || options.explicit) actions.push(...finishInstall(document, disks, bootEdit));
  }

  // PVHVM: an HVM guest whose PV drivers find Xen through the platform device.
  const typeSetting = model.guestTypeSetting?.assignment;
  if (model.guestType === 'hvm' && !model.effective.has('xen_platform_pci') && typeSetting !== undefined && (here === typeSetting || options.explicit)) {
    actions.push({ title: 'Enable PV drivers (PVHVM)', kind: 'refactor.rewrite', edits: [insertLineAfter(document, typeSetting, 'xen_platform_pci = 1')] });
  }

  if (here !== undefined) {
    const atom = atomAt(here.value, start);
    if (atom !== undefined && here.keyText === 'disk') {
      const converted = convertDisk(document, here, atom);
      if (converted !== undefined) actions.push(converted);
    }
    if (atom !== undefined && here.keyText === 'vif' && options.random !== undefined) {
      actions.push(...generateMac(document, here, atom, options.random, options.usedMacs ?? new Set()));
    }
  }

  const touched = document.assignments.filter((assignment) => assignment.end >= start && assignment.start <= end).length;
  if (options.explicit || touched >= 2) {
    const sorted = sortIntoSections(document);
    if (sorted !== undefined) actions.push({ title: 'Sort keys into sections', kind: 'refactor.rewrite.sort', edits: [{ start: 0, end: document.text.length, newText: sorted }] });
  }
  return actions;
}

/** `boot = "c"`, keeping the quote: the edit "Boot from disk only" and "Finish install" share. */
function bootFromDiskEdit(boot: Assignment): TextEdit | undefined {
  const value = boot.value;
  if (value?.kind !== 'atom' || value.quote === undefined || value.value === 'c') return undefined;
  return { start: value.start, end: value.end, newText: `${value.quote}c${value.quote}` };
}

/** `d` (CD-ROM) is tried before `c` (disk), or without it: the guest still boots its installer. */
function bootsFromCdFirst(boot: Assignment): boolean {
  const order = boot.value?.kind === 'atom' ? boot.value.value : '';
  const cd = order.indexOf('d');
  const disk = order.indexOf('c');
  return cd >= 0 && (disk < 0 || cd < disk);
}

function insertLineAfter(document: XlDocument, assignment: Assignment, line: string): TextEdit {
  const lastLine = document.lineIndex.lineAt(assignment.end);
  const lineEnd = document.lineIndex.lineEnd(lastLine);
  return lineEnd < document.text.length ? { start: lineEnd + 1, end: lineEnd + 1, newText: `${line}\n` } : { start: lineEnd, end: lineEnd, newText: `\n${line}\n` };
}

// ---- disk: positional to key=value ----------------------------------------------------------

/** The prefixes that make xl run a `block-*` script: the only ones that change anything but the format. */
const SCRIPT_PREFIXES = new Set(['iscsi', 'nbd', 'enbd', 'drbd']);

function convertDisk(document: XlDocument, assignment: Assignment, atom: AtomNode): Refactoring | undefined {
  const spec = KEY_BY_NAME.get('disk')!;
  const targets = specTargets(spec, assignment.value!);
  if (targets === undefined || !targets.atoms.includes(atom) || atom.quote === undefined) return undefined;
  const language = targets.language;
  const parse = language.parse(atom.value);
  if (parse.problems.length > 0 || !parse.parts.some((part) => !part.explicitKey)) return undefined;
  const text = keyValueDisk(parse.parts);
  if (text === undefined || text.includes(atom.quote) || text.includes('\\')) return undefined;
  // The rewrite must mean the same to xl: same fields, nothing reported.
  const check = language.parse(text);
  if (check.problems.length > 0 || fieldsOf(check.parts) !== fieldsOf(parse.parts)) return undefined;
  const range = partRange(document.text, atom, 0, atom.value.length);
  return { title: 'Convert to key=value disk spec', kind: 'refactor.rewrite', edits: [{ ...range, newText: text }] };
}

/** `phy:/dev/vg/lv,xvda,rw` → `format=raw, vdev=xvda, access=rw, target=/dev/vg/lv`. */
function keyValueDisk(parts: readonly SpecPart[]): string | undefined {
  const get = (key: string) => parts.find((part) => part.key === key);
  const items: string[] = [];
  const targetPart = get('target');
  // An empty or missing format means raw to xl.
  const format = get('format')?.value || 'raw';
  items.push(`format=${format}`);
  const vdev = get('vdev');
  if (vdev === undefined) return undefined;
  items.push(`vdev=${vdev.value}`);
  const access = get('access');
  if (access !== undefined && access.value !== '') items.push(`access=${access.value}`);
  for (const part of parts) {
    if (part.key === 'prefix') {
      if (SCRIPT_PREFIXES.has(part.value)) items.push(`script=block-${part.value}`);
    } else if (part.key === 'devtype') {
      items.push(`devtype=${part.value}`);
    } else if (part.explicitKey && !['format', 'vdev', 'access', 'target', 'devtype'].includes(part.key)) {
      items.push(part.value === '' && !part.key.includes('=') ? part.key : `${part.key}=${part.value}`);
    }
  }
  if (targetPart !== undefined && targetPart.value !== '') items.push(`target=${targetPart.value}`);
  return items.join(', ');
}

/** The fields xl ends up with, for comparing two spellings of one disk. */
function fieldsOf(parts: readonly SpecPart[]): string {
  const fields = new Map<string, string>();
  for (const part of parts) {
    if (part.key === 'prefix') {
      if (SCRIPT_PREFIXES.has(part.value)) fields.set('script', `block-${part.value}`);
      continue;
    }
    const value = part.key === 'format' && part.value === '' ? 'raw' : part.key === 'cdrom' ? 'cdrom' : part.value;
    fields.set(part.key === 'cdrom' ? 'devtype' : part.key, value);
  }
  if (fields.get('target') === '') fields.delete('target');
  if (fields.get('access') === '') fields.delete('access');
  if (!fields.has('format')) fields.set('format', 'raw');
  return JSON.stringify([...fields].sort());
}

// ---- finish install: empty or remove the CD drive --------------------------------------------

/** The `disk` statements xl reads: the last `disk =` and the `disk +=` after it. */
function diskChain(document: XlDocument): Assignment[] {
  let chain: Assignment[] = [];
  for (const assignment of document.assignments) {
    if (assignment.keyText !== 'disk') continue;
    if (assignment.op === '=') chain = [assignment];
    else chain.push(assignment);
  }
  return chain;
}

interface CdDrive {
  readonly list: ListNode;
  readonly atom: AtomNode;
  readonly parts: readonly SpecPart[];
  readonly language: SpecLanguage;
}

/** The well-formed CD drives (`devtype=cdrom`, `cdrom`, `hdc:cdrom`) in the disk lists. */
function cdDrives(disks: readonly Assignment[]): CdDrive[] {
  const spec = KEY_BY_NAME.get('disk')!;
  const drives: CdDrive[] = [];
  for (const assignment of disks) {
    if (assignment.value?.kind !== 'list') continue;
    const targets = specTargets(spec, assignment.value);
    if (targets === undefined) continue;
    for (const atom of targets.atoms) {
      if (atom.quote === undefined || !assignment.value.items.includes(atom)) continue;
      const parse = targets.language.parse(atom.value);
      if (parse.problems.length === 0 && isCdrom(parse.parts)) drives.push({ list: assignment.value, atom, parts: parse.parts, language: targets.language });
    }
  }
  return drives;
}

function isCdrom(parts: readonly SpecPart[]): boolean {
  return parts.some((part) => (part.key === 'devtype' && part.value === 'cdrom') || part.key === 'cdrom');
}

function finishInstall(document: XlDocument, disks: readonly Assignment[], bootEdit: TextEdit): Refactoring[] {
  const drives = cdDrives(disks);
  if (drives.length === 0) return [];
  const actions: Refactoring[] = [];
  const emptied = drives.map((drive) => withoutMedia(document, drive));
  if (emptied.every((edit) => edit !== null)) {
    const edits = [bootEdit, ...emptied.filter((edit): edit is TextEdit => edit !== undefined)];
    actions.push({ title: 'Finish install: boot from disk, empty the CD drive', kind: FINISH_INSTALL_EMPTY_CD, edits });
  }
  const removed = new Map<ListNode, Set<ValueNode>>();
  for (const drive of drives) removed.set(drive.list, (removed.get(drive.list) ?? new Set()).add(drive.atom));
  const removals = [...removed].flatMap(([list, atoms]) => removeListItems(document, list, atoms));
  actions.push({ title: 'Finish install: boot from disk, remove the CD drive', kind: FINISH_INSTALL_REMOVE_CD, edits: [bootEdit, ...removals] });
  return actions;
}

/**
 * The edit that leaves the drive without media: `target=…` goes with the comma before it, a
 * positional target (with its `file:`-style prefixes when the spec still reads the same without
 * them) becomes empty. Undefined when the drive is empty already; null when no spelling is safe.
 */
function withoutMedia(document: XlDocument, drive: CdDrive): TextEdit | undefined | null {
  const { atom, parts } = drive;
  const target = parts.find((part) => part.key === 'target');
  if (target === undefined || target.value === '') return undefined;
  const cuts: { start: number; end: number }[] = [];
  if (target.explicitKey) {
    let comma = target.start - 1;
    while (comma >= 0 && (atom.value[comma] === ' ' || atom.value[comma] === '\t')) comma--;
    if (comma >= 0 && atom.value[comma] === ',') cuts.push({ start: comma, end: atom.value.length });
  } else {
    const prefixes = parts.filter((part) => part.key === 'prefix' && part.end <= target.start);
    if (prefixes.length > 0) cuts.push({ start: Math.min(...prefixes.map((part) => part.start)), end: target.end });
    cuts.push({ start: target.start, end: target.end });
  }
  for (const cut of cuts) {
    const text = atom.value.slice(0, cut.start) + atom.value.slice(cut.end);
    const check = drive.language.parse(text);
    if (check.problems.length === 0 && isCdrom(check.parts) && sameDriveWithoutMedia(parts, check.parts)) {
      return { ...partRange(document.text, atom, cut.start, cut.end), newText: '' };
    }
  }
  return null;
}

/** The two specs describe one drive apart from its media (target) and format (xl makes it `empty`). */
function sameDriveWithoutMedia(before: readonly SpecPart[], after: readonly SpecPart[]): boolean {
  const drive = (parts: readonly SpecPart[]) => {
    const fields = JSON.parse(fieldsOf(parts)) as [string, string][];
    return JSON.stringify(fields.filter(([key]) => key !== 'target' && key !== 'format'));
  };
  return !after.some((part) => part.key === 'target' && part.value !== '') && drive(before) === drive(after);
}

/**
 * Edits that take `items` out of `list` with their commas. An item alone on its line goes with
 * the whole line; on a shared line it goes with the comma after it (or, last in the list, the one
 * before it). A list left empty becomes `[]` when it holds no comment (comments stay).
 */
function removeListItems(document: XlDocument, list: ListNode, items: ReadonlySet<ValueNode>): TextEdit[] {
  const all = list.items;
  if (all.every((item) => items.has(item))) {
    const inside = { start: list.start + 1, end: list.closed ? list.end - 1 : list.end };
    if (!hasComment(document, inside.start, inside.end)) return [{ ...inside, newText: '' }];
  }
  const edits: TextEdit[] = [];
  // Runs of neighbouring items to remove: each run is one edit, so edits never overlap.
  for (let first = 0; first < all.length; first++) {
    if (!items.has(all[first])) continue;
    let last = first;
    while (last + 1 < all.length && items.has(all[last + 1])) last++;
    const isTail = last === all.length - 1;
    const lineIndex = document.lineIndex;
    const firstLine = lineIndex.lineAt(all[first].start);
    const lastLine = lineIndex.lineAt(all[last].end);
    const lineEnd = lineIndex.lineEnd(lastLine);
    const alone = document.text.slice(lineIndex.lineStart(firstLine), all[first].start).trim() === '' && restOfLineIsEmpty(document, all[last].end, lineEnd);
    if (alone) {
      const end = lastLine + 1 < lineIndex.lineCount ? lineIndex.lineStart(lastLine + 1) : document.text.length;
      edits.push({ start: lineIndex.lineStart(firstLine), end, newText: '' });
      // The new last item keeps no comma the list did not have before.
      if (isTail && first > 0 && !hasCommaAfter(document, all[last].end)) {
        const comma = commaAfter(document, all[first - 1].end);
        if (comma !== undefined && comma < lineIndex.lineStart(firstLine)) edits.push({ start: comma, end: comma + 1, newText: '' });
      }
    } else if (!isTail) {
      edits.push({ start: all[first].start, end: all[last + 1].start, newText: '' });
    } else if (first > 0) {
      edits.push({ start: all[first - 1].end, end: all[last].end, newText: '' });
    } else {
      edits.push({ start: all[first].start, end: afterComma(document, all[last].end), newText: '' });
    }
    first = last;
  }
  return edits;
}

/** The offset of the comma that follows `offset` across blanks, newlines and comments. */
function commaAfter(document: XlDocument, offset: number): number | undefined {
  const tokens = document.tokens;
  for (let index = tokens.indexAt(offset); index >= 0 && index < tokens.length; index++) {
    const kind = tokens.kind(index);
    if (kind === TokenKind.Comma) return tokens.start(index);
    if (kind !== TokenKind.Whitespace && kind !== TokenKind.Newline && kind !== TokenKind.Comment) return undefined;
  }
  return undefined;
}

function hasCommaAfter(document: XlDocument, offset: number): boolean {
  return commaAfter(document, offset) !== undefined;
}

/** Past the comma after `offset` and the blanks after it, or `offset` when there is none. */
function afterComma(document: XlDocument, offset: number): number {
  const comma = commaAfter(document, offset);
  if (comma === undefined) return offset;
  let end = comma + 1;
  while (document.text[end] === ' ' || document.text[end] === '\t') end++;
  return end;
}

/** Only blanks, one comma and a comment between `offset` and the end of its line. */
function restOfLineIsEmpty(document: XlDocument, offset: number, lineEnd: number): boolean {
  const tokens = document.tokens;
  let commas = 0;
  for (let index = tokens.indexAt(offset); index >= 0 && index < tokens.length && tokens.start(index) < lineEnd; index++) {
    const kind = tokens.kind(index);
    if (kind === TokenKind.Comma && ++commas === 1) continue;
    if (kind !== TokenKind.Whitespace && kind !== TokenKind.Comment) return kind === TokenKind.Newline;
  }
  return true;
}

function hasComment(document: XlDocument, start: number, end: number): boolean {
  const tokens = document.tokens;
  for (let index = tokens.indexAt(start); index >= 0 && index < tokens.length && tokens.start(index) < end; index++) {
    if (tokens.kind(index) === TokenKind.Comment) return true;
  }
  return false;
}

// ---- vif: MAC address -----------------------------------------------------------------------

function generateMac(document: XlDocument, assignment: Assignment, atom: AtomNode, random: () => number, used: ReadonlySet<string>): Refactoring[] {
  const spec = KEY_BY_NAME.get('vif')!;
  const targets = specTargets(spec, assignment.value!);
  if (targets === undefined || !targets.atoms.includes(atom)) return [];
  const mac = freshMac(random, used, macsOf(document));
  const existing = targets.language.parse(atom.value).parts.find((part) => part.key === 'mac');
  if (existing !== undefined) {
    const range = partRange(document.text, atom, existing.valueStart, existing.end);
    return [{ title: `Generate MAC address (replace with ${mac})`, kind: 'refactor.rewrite', edits: [{ ...range, newText: mac }] }];
  }
  const at = partRange(document.text, atom, 0, 0).start;
  return [{ title: `Generate MAC address (${mac})`, kind: 'refactor.rewrite', edits: [{ start: at, end: at, newText: atom.value === '' ? `mac=${mac}` : `mac=${mac},` }] }];
}

// ---- sort into sections ---------------------------------------------------------------------

/** The first key of each section of the catalogue (KEYS is ordered by section). */
const SECTION_STARTS = ['name', 'on_poweroff', 'memory', 'cpu_weight', 'kernel', 'disk', 'vnc', 'boot', 'tsc_mode', 'device_model_version', 'e820_host', 'pci', 'device_tree', 'builder'];

/** Section number and catalogue position of each key. */
const KEY_ORDER: ReadonlyMap<string, { section: number; index: number }> = (() => {
  const order = new Map<string, { section: number; index: number }>();
  let section = 0;
  KEYS.forEach((spec, index) => {
    const next = SECTION_STARTS.indexOf(spec.name);
    if (next >= 0) section = next;
    order.set(spec.name, { section, index });
  });
  return order;
})();

/**
 * The file with its statements in catalogue order, one blank line between sections. Comments
 * directly above a statement (after the first) move with it; the comments above the first statement
 * stay on top, trailing comments at the end. Undefined when the file has syntax errors, statements sharing a line, or is already sorted.
 */
export function sortIntoSections(document: XlDocument): string | undefined {
  if (document.errors.length > 0 || document.assignments.length < 2) return undefined;
  const text = document.text;
  const lineIndex = document.lineIndex;
  const lines: string[] = [];
  for (let line = 0; line < lineIndex.lineCount; line++) lines.push(text.slice(lineIndex.lineStart(line), lineIndex.lineEnd(line)));
  const owner = new Array<number>(lines.length).fill(-1);
  const blocks: { key: string; first: number; last: number; order: number }[] = [];
  for (const [order, assignment] of document.assignments.entries()) {
    const first = lineIndex.lineAt(assignment.start);
    const last = lineIndex.lineAt(assignment.end);
    for (let line = first; line <= last; line++) {
      if (owner[line] >= 0) return undefined;
      owner[line] = order;
    }
    blocks.push({ key: assignment.keyText, first, last, order });
  }
  // Other tokens on a statement's line (a second statement after `;`) make lines unsortable.
  for (let index = 0; index < document.tokens.length; index++) if (document.tokens.kind(index) === TokenKind.Semicolon) return undefined;
  const firstStatement = blocks[0].first;
  // Header: everything above the first statement (it describes the file, not that statement).
  const headerEnd = firstStatement;
  const header = lines.slice(0, headerEnd).join('\n').replace(/\n+$/, '');
  // Each statement takes the comment lines directly above it.
  const chunks = blocks.map((block) => {
    let top = block.first;
    while (top - 1 >= headerEnd && owner[top - 1] < 0 && lines[top - 1].trim().startsWith('#')) top--;
    const chunkText = top === block.last ? lines[top] : lines.slice(top, block.last + 1).join('\n');
    return { key: block.key, first: block.first, last: block.last, order: block.order, text: chunkText, top };
  });
  // Orphan comments (with blank lines around them) go with the next statement.
  for (const [index, chunk] of chunks.entries()) {
    const previousEnd = index === 0 ? headerEnd : chunks[index - 1].last + 1;
    const orphans = lines.slice(previousEnd, chunk.top).filter((line) => line.trim() !== '');
    if (orphans.length > 0) chunk.text = `${orphans.join('\n')}\n${chunk.text}`;
  }
  const tail = lines.slice(chunks[chunks.length - 1].last + 1).filter((line) => line.trim() !== '').join('\n');
  // Each chunk's place is looked up once, so the sort compares plain numbers.
  const unknown = { section: SECTION_STARTS.length, index: KEYS.length };
  const sorted = chunks
    .map((chunk) => ({ chunk, place: KEY_ORDER.get(chunk.key) ?? unknown }))
    .sort((a, b) => a.place.section - b.place.section || a.place.index - b.place.index || a.chunk.order - b.chunk.order);
  let body = '';
  sorted.forEach(({ chunk, place }, index) => {
    if (index > 0) body += place.section !== sorted[index - 1].place.section ? '\n\n' : '\n';
    body += chunk.text;
  });
  const result = `${header !== '' ? `${header}\n\n` : ''}${body}\n${tail !== '' ? `${tail}\n` : ''}`;
  return result === text ? undefined : result;
}
