// Runs the value mini-language parsers (disk, vif, pci, ...) on the values of the keys that use
// them, and maps each problem from an offset in the decoded string to the exact range in the file.

import { KEY_BY_NAME, type KeySpec } from '../../catalogue';
import { decodedToRaw, parseXlInteger, type AtomNode, type ValueNode } from '../../syntax';
import { SPEC_LANGUAGES, type SpecLanguage } from '../../specs';
import type { ConfigModel } from '../model';
import type { Problem } from '../types';

export function checkSpecs(model: ConfigModel): Problem[] {
  const problems: Problem[] = [];
  for (const setting of model.effective.values()) {
    const spec = KEY_BY_NAME.get(setting.key);
    const node = setting.assignment.value;
    if (spec?.spec === undefined || node === undefined) continue;
    for (const [language, atom] of specTargets(spec, node)) {
      const parse = language.parse(atom.value);
      for (const problem of parse.problems) {
        // A key Xen 4.17 does not read cannot make its xl fail: warn, and say so.
        const older = spec.addedAfter !== undefined && problem.severity === 'error';
        problems.push({
          start: atomOffset(model.document.text, atom, problem.start),
          end: atomOffset(model.document.text, atom, problem.end),
          severity: older ? 'warning' : problem.severity,
          code: ruleCode(language.id, problem.code),
          message: older ? `${problem.message} (newer xl stops here; xl ${spec.addedAfter} and older ignore \`${spec.name}\`)` : problem.message,
        });
      }
    }
  }
  return problems;
}

/** Codes the spec parsers share; in a diagnostic they are named after their language. */
const GENERIC_CODES = new Set(['bad-enum', 'spec-unknown-key', 'spec-number', 'spec-duplicate-key', 'spec-ignored', 'spec-deprecated']);
/** Languages whose whole value is one top-level enumeration (on_crash, tsc_mode, ...). */
const ENUM_LANGUAGES = new Set(['action', 'tsc_mode', 'mca_caps']);

/**
 * The stable rule code of a spec problem: specific codes as they are (`xl.bad-mac`), generic ones
 * under their language (`xl.disk-spec`), so a user can tune one language without the others.
 */
export function ruleCode(language: string, code: string): string {
  if (!GENERIC_CODES.has(code)) return `xl.${code}`;
  if (ENUM_LANGUAGES.has(language) && code === 'bad-enum') return 'xl.bad-enum';
  return `xl.${language.replace(/_/g, '-').replace(/-xend$/, '')}-spec`;
}

/** The atoms of a value that one language parses, per the contract in specs/index.ts. */
export function specTargets(spec: KeySpec, node: ValueNode): [SpecLanguage, AtomNode][] {
  const id = spec.spec!;
  const targets: [SpecLanguage, AtomNode][] = [];
  if (node.kind === 'atom') {
    // A number for a key that also takes a number (`viridian = 1`, `tsc_mode = 0`) is not a spec.
    if ((spec.kind === 'boolean-or-string-list' || spec.kind === 'integer-or-string' || spec.kind === 'boolean-or-string') && parseXlInteger(node.value).ok && id !== 'tsc_mode') {
      return targets;
    }
    // A single string where xl wants a list is reported by the value rules, not parsed.
    if (spec.kind === 'string-list' || spec.kind === 'list-of-string-lists') return targets;
    const language = SPEC_LANGUAGES.get(id);
    if (language !== undefined) targets.push([language, node]);
    return targets;
  }
  const elementLanguage = SPEC_LANGUAGES.get(id === 'cpuid' ? 'cpuid-xend' : id);
  if (elementLanguage === undefined) return targets;
  for (const item of node.items) {
    if (item.kind === 'atom') {
      if (spec.kind !== 'list-of-string-lists') targets.push([elementLanguage, item]);
      continue;
    }
    // xl stops at the first nested list of a plain list key (reported by the value rules).
    if (spec.kind !== 'list-of-string-lists') break;
    for (const inner of item.items) if (inner.kind === 'atom') targets.push([elementLanguage, inner]);
  }
  return targets;
}

/**
 * Maps an offset in an atom's decoded value to an offset in the file. Without escapes the two
 * differ by the opening quote; with escapes we walk the raw text.
 */
export function atomOffset(text: string, atom: AtomNode, decodedOffset: number): number {
  if (atom.quote === undefined) return atom.start + Math.min(decodedOffset, atom.end - atom.start);
  const rawStart = atom.start + 1;
  const rawEnd = atom.end - 1;
  if (rawEnd - rawStart === atom.value.length) return rawStart + decodedOffset;
  return rawStart + decodedToRaw(text.slice(rawStart, rawEnd), decodedOffset);
}
