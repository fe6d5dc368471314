// Runs the value mini-language parsers (disk, vif, pci, ...) on the values of the keys that use
// them, and maps each problem from an offset in the decoded string to the exact range in the file.

import { KEY_BY_NAME } from '../../catalogue';
import { lacks, type XenTarget } from '../../catalogue/xenVersions';
import { decodedToRaw, type AtomNode } from '../../syntax';
import { specTargets, type ConfigModel } from '../model';
import type { SpecProblem } from '../../specs';
import { P9D } from '../../specs/p9';
import type { Problem } from '../types';

/**
 * `remember`: keep each spec parse in the languages' memo. Worth it when the document is analysed
 * again after an edit (the unchanged strings are not parsed again); a first analysis skips it.
 */
export function checkSpecs(model: ConfigModel, remember = true): Problem[] {
  const problems: Problem[] = [];
  for (const setting of model.effective.values()) {
    const spec = KEY_BY_NAME.get(setting.key);
    const node = setting.assignment.value;
    if (spec?.spec === undefined || node === undefined) continue;
    const targets = specTargets(spec, node);
    if (targets === undefined) continue;
    const { language, atoms } = targets;
    // A key the target's xl does not read cannot make it fail: warn, and say so. Without a
    // target, the oldest version we support (4.17) decides.
    const target = model.target;
    const keyIgnored = target === undefined ? spec.addedAfter !== undefined : lacks(spec.version, target.version);
    const ignoredBy = target === undefined ? `xl ${spec.addedAfter} and older ignore` : `xl ${target.version} ignores`;
    const push = (atom: AtomNode, problem: SpecProblem): void => {
      const older = keyIgnored && problem.severity === 'error';
      problems.push({
        start: atomOffset(model.document.text, atom, problem.start),
        end: atomOffset(model.document.text, atom, problem.end),
        severity: older ? 'warning' : problem.severity,
        code: ruleCode(language.id, problem.code),
        message: older ? `${problem.message} (newer xl stops here; ${ignoredBy} \`${spec.name}\`)` : problem.message,
      });
    };
    if (language.id === 'smbios') oemLimit(atoms, push);
    for (const atom of atoms) {
      const parse = language.parse(atom.value, remember);
      for (const problem of parse.problems) push(atom, requiredFields(language.id, problem, target));
      // A parser bug (the server runs under the `report` policy): the problems above are those
      // found before it threw; say that this value was not fully read.
      const failure = parse.failure;
      if (failure !== undefined) {
        problems.push({
          start: atom.start,
          end: atom.end,
          severity: 'information',
          code: INTERNAL_ERROR_CODE,
          message: `internal error while reading this value: the ${language.id} checks stopped early, so problems in it may be missing (a bug in xen-xl; the server log has a line to report)`,
          internalError: { language: language.id, input: atom.value, description: failure.description },
        });
      }
    }
  }
  return problems;
}

/** How many `oem` strings xl_parse.c takes in `smbios`; it stops `xl create` at the next one. */
const SMBIOS_OEM_LIMIT = 99;

/**
 * Rule: smbios-spec, for the list as a whole: xl counts the `oem` items (the type name read
 * without regard to case) and stops at the 100th ("smbios limited to 99 oem strings").
 */
function oemLimit(atoms: readonly AtomNode[], push: (atom: AtomNode, problem: SpecProblem) => void): void {
  let count = 0;
  for (const atom of atoms) {
    const equals = atom.value.indexOf('=');
    if (equals < 0 || atom.value.slice(0, equals).toLowerCase() !== 'oem') continue;
    count++;
    if (count > SMBIOS_OEM_LIMIT) {
      push(atom, { start: 0, end: atom.value.length, severity: 'error', code: 'smbios-spec', message: `more than ${SMBIOS_OEM_LIMIT} oem strings: xl stops at this one ("smbios limited to 99 oem strings")` });
      return;
    }
  }
}

/**
 * The 9pfs fields that a qemu share needs are checked by xl itself before Xen 4.19 (it stops:
 * "9pfs spec missing required field"); later xl leaves the check to libxl, when the guest starts.
 * The p9 parser reports them as a warning (`spec-required`); for an older target it is an error.
 */
function requiredFields(language: string, problem: SpecProblem, target: XenTarget | undefined): SpecProblem {
  if (language !== 'p9' || problem.code !== 'spec-required' || target === undefined || !lacks(P9D, target.version)) return problem;
  return { ...problem, severity: 'error', message: `${problem.message} (xl ${target.version} stops here: "9pfs spec missing required field")` };
}

/** The rule of a spec parser that threw on a value (see `setSpecFailurePolicy`). */
export const INTERNAL_ERROR_CODE = 'xl.spec-internal-error';

/** Codes the spec parsers share; in a diagnostic they are named after their language. */
const GENERIC_CODES = new Set(['bad-enum', 'spec-unknown-key', 'spec-number', 'spec-duplicate-key', 'spec-ignored', 'spec-deprecated', 'spec-required']);
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
