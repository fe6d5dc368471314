// Rules across the configs of a workspace: two guests with the same name, MAC address or VNC
// display clash when both run on one host. The facts of the other files come in as plain data.

import { KEY } from '../../catalogue';
import { parseXlInteger, type AtomNode, type XlDocument } from '../../syntax';
import { SPEC_LANGUAGES } from '../../specs';
import { buildModel, type ConfigModel } from '../model';
import type { Problem } from '../types';
import { atomOffset } from './specs';

/** What one config claims on a host, with ranges in its own text. */
export interface ConfigFacts {
  readonly name?: Located<string>;
  readonly macs: Located<string>[];
  readonly vncDisplays: Located<number>[];
}

export interface Located<T> {
  readonly value: T;
  readonly start: number;
  readonly end: number;
}

/** Facts of the other configs, keyed by an identity (a URI) with a label for messages (a path). */
export type WorkspaceFacts = ReadonlyMap<string, { readonly label: string; readonly facts: ConfigFacts }>;

export function extractFacts(document: XlDocument | ConfigModel): ConfigFacts {
  const model = 'effective' in document ? document : buildModel(document);
  const text = model.document.text;
  const facts: { name?: Located<string>; macs: Located<string>[]; vncDisplays: Located<number>[] } = { macs: [], vncDisplays: [] };
  const name = model.effective.get(KEY.name);
  if (name?.assignment.value?.kind === 'atom') facts.name = located(name.assignment.value, name.assignment.value.value);
  const vif = model.effective.get(KEY.vif);
  const vifLanguage = SPEC_LANGUAGES.get('vif');
  if (vif?.assignment.value?.kind === 'list' && vifLanguage !== undefined) {
    for (const item of vif.assignment.value.items) {
      if (item.kind !== 'atom') continue;
      for (const part of vifLanguage.parse(item.value).parts) {
        if (part.key !== 'mac') continue;
        facts.macs.push({ value: part.value.toLowerCase(), start: atomOffset(text, item, part.valueStart), end: atomOffset(text, item, part.end) });
      }
    }
  }
  const display = model.effective.get(KEY.vncdisplay);
  if (display?.assignment.value?.kind === 'atom' && display.op === '=') {
    const number = parseXlInteger(display.assignment.value.value);
    if (number.ok) facts.vncDisplays.push(located(display.assignment.value, Number(number.value)));
  }
  return facts;
}

export function checkWorkspace(model: ConfigModel, workspace: WorkspaceFacts, self: string | undefined): Problem[] {
  const own = extractFacts(model);
  const problems: Problem[] = [];
  for (const [identity, other] of workspace) {
    if (identity === self) continue;
    // Rule: duplicate-name
    if (own.name !== undefined && other.facts.name?.value === own.name.value) {
      problems.push({ ...range(own.name), severity: 'warning', code: 'xl.duplicate-name', message: `${other.label} also names its guest "${own.name.value}": only one of them can run at a time` });
    }
    // Rule: duplicate-mac
    for (const mac of own.macs) {
      if (other.facts.macs.some((theirs) => theirs.value === mac.value)) {
        problems.push({ ...range(mac), severity: 'warning', code: 'xl.duplicate-mac', message: `MAC ${mac.value} is also used by ${other.label}: two running guests with one MAC break each other's network` });
      }
    }
    // Rule: duplicate-vncdisplay
    for (const display of own.vncDisplays) {
      if (other.facts.vncDisplays.some((theirs) => theirs.value === display.value)) {
        problems.push({ ...range(display), severity: 'warning', code: 'xl.duplicate-vncdisplay', message: `VNC display ${display.value} (port ${5900 + display.value}) is also used by ${other.label}: the guest started second gets no VNC` });
      }
    }
  }
  return problems;
}

function located<T>(atom: AtomNode, value: T): Located<T> {
  return { value, start: atom.start, end: atom.end };
}

function range(item: Located<unknown>): { start: number; end: number } {
  return { start: item.start, end: item.end };
}
