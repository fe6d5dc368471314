// Feature: Code actions (refactorings). Rewrites that keep a config valid but change it on purpose:
// boot from disk only, enable PV drivers on HVM, write a disk spec as key=value, generate a MAC,
// and sort the statements into the catalogue's sections. Quick fixes come from `Problem.fixes`.

import { KEY_BY_NAME, KEYS } from '../catalogue';
import { TokenKind, type Assignment, type AtomNode, type XlDocument } from '../syntax';
import type { SpecPart } from '../specs';
import { specTargets } from './checks/specs';
import { macsOf } from './completion';
import { freshMac } from './hostFacts';
import { assignmentAt, atomAt, partRange } from './locate';
import { buildModel } from './model';
import type { TextEdit } from './types';

export interface Refactoring {
  readonly title: string;
  /** An LSP code action kind under `refactor`. */
  readonly kind: 'refactor.rewrite' | 'refactor.rewrite.sort';
  readonly edits: readonly TextEdit[];
}

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
  if (boot !== undefined && (here === boot || options.explicit) && boot.value?.kind === 'atom' && boot.value.quote !== undefined && boot.value.value !== 'c') {
    actions.push({ title: 'Boot from disk only', kind: 'refactor.rewrite', edits: [{ start: boot.value.start, end: boot.value.end, newText: `${boot.value.quote}c${boot.value.quote}` }] });
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
