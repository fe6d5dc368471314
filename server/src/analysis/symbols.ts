// Feature: Document symbols. One symbol per statement (named by its key, with a short value), and
// for lists one child per element: disks named by their vdev, network interfaces by their MAC.

import { KEY_BY_NAME } from '../catalogue';
import type { ValueNode, XlDocument } from '../syntax';
import type { SpecLanguage } from '../specs';
import { specTargets } from './model';

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
    const children = value?.kind === 'list' ? elementSymbols(assignment.keyText, value.items, 1, spec?.spec !== undefined ? namingOf(assignment.keyText, value) : undefined) : [];
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

/** How the elements of a disk or vif list are named: by a part of their spec string. */
interface Naming {
  readonly language: SpecLanguage;
  /** The elements the language reads (xl stops at a nested list). */
  readonly read: ReadonlySet<ValueNode>;
  readonly nameKey: string;
  readonly detailKey: string;
}

/** Disks are named by vdev (detail: target), NICs by MAC (detail: bridge). */
function namingOf(key: string, list: ValueNode): Naming | undefined {
  const nameKey = key === 'disk' ? 'vdev' : key === 'vif' ? 'mac' : undefined;
  const detailKey = key === 'disk' ? 'target' : 'bridge';
  if (nameKey === undefined) return undefined;
  const targets = specTargets(KEY_BY_NAME.get(key)!, list);
  return targets === undefined ? undefined : { language: targets.language, read: new Set<ValueNode>(targets.atoms), nameKey, detailKey };
}

function elementSymbols(key: string, items: readonly ValueNode[], depth: number, naming?: Naming): SymbolEntry[] {
  if (depth > MAX_DEPTH) return [];
  return items.map((item, index) => {
    let name = item.kind === 'atom' ? short(item.value) || `${key} ${index}` : `${key} ${index}`;
    let detail = '';
    if (naming !== undefined && item.kind === 'atom' && naming.read.has(item)) {
      let named: string | undefined;
      let detailed: string | undefined;
      for (const part of naming.language.parse(item.value).parts) {
        if (named === undefined && part.key === naming.nameKey) named = part.value;
        if (detailed === undefined && part.key === naming.detailKey) detailed = part.value;
      }
      name = named || `${key} ${index}`;
      detail = short(detailed ?? item.value);
    }
    return {
      name,
      detail,
      kind: 'element' as const,
      start: item.start,
      end: item.end,
      selectionStart: item.start,
      selectionEnd: item.end,
      children: item.kind === 'list' ? elementSymbols(key, item.items, depth + 1) : [],
    };
  });
}

function short(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}
