// Feature: Inlay hints (off unless `xen.inlayHints.enabled`). Short readings after values: sizes in
// friendly units, how many vCPUs start and may be added, and the boot order spelled out.

import { KEY_BY_NAME } from '../catalogue';
import type { XlDocument } from '../syntax';
import { describeBootOrder, describeSize, integerOf, isSizeUnit } from './describe';
import { buildModel } from './model';

export interface InlayHintEntry {
  /** Where the hint is shown (just after the value). */
  readonly offset: number;
  readonly label: string;
}

export function inlayHints(document: XlDocument, range?: { start: number; end: number }): InlayHintEntry[] {
  const hints: InlayHintEntry[] = [];
  const model = buildModel(document);
  const maxvcpus = model.effective.get('maxvcpus');
  const max = maxvcpus !== undefined && typeof maxvcpus.value === 'string' ? integerOf(maxvcpus.value) : undefined;
  for (const assignment of document.assignments) {
    const value = assignment.value;
    if (value?.kind !== 'atom' || (range !== undefined && (value.end < range.start || value.start > range.end))) continue;
    const spec = KEY_BY_NAME.get(assignment.keyText);
    if (spec === undefined) continue;
    let label: string | undefined;
    if (spec.kind === 'integer' && isSizeUnit(spec.unit)) {
      label = describeSize(value.value, spec.unit!);
    } else if (spec.name === 'vcpus') {
      const count = integerOf(value.value);
      if (count !== undefined) label = max !== undefined && max > count ? `${count} of ${max} vCPUs online` : `${count} vCPU${count === 1 ? '' : 's'}`;
    } else if (spec.name === 'maxvcpus') {
      const count = integerOf(value.value);
      if (count !== undefined) label = `up to ${count} vCPU${count === 1 ? '' : 's'}`;
    } else if (spec.name === 'boot') {
      const order = describeBootOrder(value.value);
      if (order !== undefined) label = value.value.length > 1 ? [...value.value].map((letter) => describeBootOrder(letter)!.replace(/ only$/, '')).join(' → ') : order;
    }
    if (label !== undefined) hints.push({ offset: value.end, label });
  }
  return hints;
}
