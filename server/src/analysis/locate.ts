// Finding what is at an offset of a parsed document: the token, the statement, the atom and the
// spec-string part under the cursor. Shared by hover, completion and the refactorings.

import { KEY_BY_NAME, type KeySpec } from '../catalogue';
import { rawToDecoded, type Assignment, type AtomNode, type Token, type ValueNode, type XlDocument } from '../syntax';
import type { SpecLanguage, SpecPart } from '../specs';
import { atomOffset, specTargets } from './checks/specs';

/** Index of the token with `start <= offset < end`, or -1. */
export function tokenIndexAt(document: XlDocument, offset: number): number {
  return document.tokens.indexAt(offset);
}

export function tokenAt(document: XlDocument, offset: number): Token | undefined {
  const index = tokenIndexAt(document, offset);
  return document.tokens.at(index);
}

/** The statement whose range contains `offset` (its end included). Binary search over statements. */
export function assignmentAt(document: XlDocument, offset: number): Assignment | undefined {
  const assignments = document.assignments;
  let low = 0;
  let high = assignments.length - 1;
  let found: Assignment | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (assignments[middle].start <= offset) {
      found = assignments[middle];
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found !== undefined && offset <= found.end ? found : undefined;
}

/** The innermost atom of `node` whose text contains `offset` (its end excluded), if any. */
export function atomAt(node: ValueNode | undefined, offset: number): AtomNode | undefined {
  let current = node;
  while (current !== undefined) {
    if (offset < current.start || offset >= current.end) return undefined;
    if (current.kind === 'atom') return current;
    current = current.items.find((item) => offset >= item.start && offset < item.end);
  }
  return undefined;
}

/** The offset in an atom's decoded value that a file offset inside the atom corresponds to. */
export function decodedOffset(text: string, atom: AtomNode, offset: number): number {
  if (atom.quote === undefined) return Math.max(0, Math.min(offset - atom.start, atom.value.length));
  return rawToDecoded(text.slice(atom.start + 1, Math.max(atom.start + 1, atom.end - 1)), offset - atom.start - 1);
}

/** One spec-string atom of a setting, parsed by its language. */
export interface SpecAtom {
  readonly language: SpecLanguage;
  readonly atom: AtomNode;
  readonly parts: readonly SpecPart[];
}

/** The spec atom at `offset` in a statement whose key has a value mini-language. */
export function specAtomAt(assignment: Assignment, offset: number): { spec: KeySpec; target: SpecAtom } | undefined {
  const spec = KEY_BY_NAME.get(assignment.keyText);
  if (spec?.spec === undefined || assignment.value === undefined) return undefined;
  const targets = specTargets(spec, assignment.value);
  if (targets === undefined) return undefined;
  const { language, atoms } = targets;
  for (const atom of atoms) {
    if (offset >= atom.start && offset < atom.end) return { spec, target: { language, atom, parts: language.parse(atom.value).parts } };
  }
  return undefined;
}

/** The file range of a part of a spec atom. */
export function partRange(text: string, atom: AtomNode, start: number, end: number): { start: number; end: number } {
  return { start: atomOffset(text, atom, start), end: atomOffset(text, atom, end) };
}
