// Feature: Document symbols. One symbol per statement (named by its key, with a short value), and
// for lists one child per element: disks named by their vdev, network interfaces by their MAC.

import { KEY_BY_NAME } from '../catalogue';
import type { ValueNode, XlDocument } from '../syntax';
import { specTargets } from './checks/specs';

export interface SymbolEntry {
  readonly name: string;
  readonly detail: string;
  /** `setting` for a known key, `unknown` for a key xl does not read, `element` for a list element. */
  readonly kind: 'setting' | 'unknown' | 'element';
  readonly start: number;
  readonly end: number;
  /** The part that names the symbol (the key, or the element itself). */
  readonly selectionStart: number;
  readonly selectionEnd: number;
  readonly deprecated?: boolean;
  readonly children: SymbolEntry[];
}

/** Longest detail shown; longer values are cut with an ellipsis. */
const MAX_DETAIL = 40;

export function documentSymbols(document: XlDocument): SymbolEntry[] {
  const symbols: SymbolEntry[] = [];
  for (const assignment of document.assignments) {
    const spec = KEY_BY_NAME.get(assignment.keyText);
    const value = assignment.value;
    const children = value?.kind === 'list' ? elementSymbols(assignment.keyText, value.items) : [];
    if (value?.kind === 'list' && spec?.spec !== undefined) nameByPart(assignment.keyText, value, children);
    symbols.push({
      name: assignment.keyText,
      detail: value === undefined ? '' : value.kind === 'atom' ? short(value.value) : `${value.items.length} ${value.items.length === 1 ? 'entry' : 'entries'}`,
      kind: spec === undefined ? 'unknown' : 'setting',
      start: assignment.start,
      end: assignment.end,
      selectionStart: assignment.key.start,
      selectionEnd: assignment.key.end,
      deprecated: spec?.deprecated,
      children,
    });
  }
  return symbols;
}

/** Nested lists deeper than this get no symbols (an outline that deep helps nobody). */
const MAX_DEPTH = 8;

function elementSymbols(key: string, items: readonly ValueNode[], depth = 1): SymbolEntry[] {
  if (depth > MAX_DEPTH) return [];
  return items.map((item, index) => ({
    name: item.kind === 'atom' ? short(item.value) || `${key} ${index}` : `${key} ${index}`,
    detail: '',
    kind: 'element' as const,
    start: item.start,
    end: item.end,
    selectionStart: item.start,
    selectionEnd: item.end,
    children: item.kind === 'list' ? elementSymbols(key, item.items, depth + 1) : [],
  }));
}

/** Disks are named by vdev (detail: target), NICs by MAC (detail: bridge). */
function nameByPart(key: string, list: ValueNode, children: SymbolEntry[]): void {
  const nameKey = key === 'disk' ? 'vdev' : key === 'vif' ? 'mac' : undefined;
  const detailKey = key === 'disk' ? 'target' : key === 'vif' ? 'bridge' : undefined;
  if (nameKey === undefined || list.kind !== 'list') return;
  const spec = KEY_BY_NAME.get(key)!;
  const targets = specTargets(spec, list);
  if (targets === undefined) return;
  const read = new Set<ValueNode>(targets.atoms);
  for (let index = 0; index < list.items.length; index++) {
    const atom = list.items[index]!;
    if (atom.kind !== 'atom' || !read.has(atom)) continue;
    const parts = targets.language.parse(atom.value).parts;
    const name = parts.find((part) => part.key === nameKey)?.value;
    const detail = parts.find((part) => part.key === detailKey)?.value;
    children[index] = { ...children[index], name: name || `${key} ${index}`, detail: short(detail ?? atom.value) };
  }
}

function short(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}
