// Rule `xl.missing-path`: a config names a host path (a kernel, a disk target, the folder of a
// serial log, ...) that is not there. Only the language server can ask, and only where the config
// will be used: on a Xen control domain, or when `xen.checkHostPaths` is `always`. It asks in two
// steps so that this module stays pure: `hostPathQuestions` says which paths to look for, the
// server looks with its host probes, and `hostPathProblems` turns the answers into problems.

import type { XlDocument } from '../../syntax';
import { applySeverities, type DiagnosticsOptions } from '../diagnostics';
import { linkCandidates, type LinkCandidate } from '../links';
import { applySuppressions } from '../suppressions';
import type { Problem } from '../types';

export const MISSING_PATH = 'xl.missing-path';

/** One path of a config to look for on the host. */
export interface HostPathQuestion {
  /** The path as written in the document (its raw text, quotes excluded). */
  readonly start: number;
  readonly end: number;
  /** The absolute path to look for: the path written, or for a serial log the folder it goes in. */
  readonly path: string;
  /** What goes wrong when `path` is not there, for the message. */
  readonly consequence: string;
}

/** What xl loads from the file each path key names, for the message. */
const LOADED: Readonly<Record<string, string>> = {
  kernel: 'xl cannot load the kernel',
  ramdisk: 'xl cannot load the initial ramdisk',
  bootloader: 'xl cannot run the bootloader',
  device_model_override: 'xl cannot start the device model',
  firmware_override: 'xl cannot load the firmware loader',
  bios_path_override: 'xl cannot load the firmware',
  acpi_firmware: 'xl cannot load the extra ACPI tables',
  smbios_firmware: 'xl cannot load the SMBIOS structures',
  device_tree: 'xl cannot load the device tree',
  stubdomain_kernel: "xl cannot load the stub domain's kernel",
  stubdomain_ramdisk: "xl cannot load the stub domain's ramdisk",
  pvshim_path: 'xl cannot load the PV shim',
};

/**
 * The host paths of a config worth looking for: the document links' candidates (absolute paths
 * only, so `bootloader = "pygrub"` and an empty CD drive are not asked about), except disk targets
 * handed to a hotplug script, which reads them its own way. A serial log is a file the device model
 * creates, so its folder is what must exist.
 */
export function hostPathQuestions(document: XlDocument): HostPathQuestion[] {
  const questions: HostPathQuestion[] = [];
  for (const candidate of linkCandidates(document)) {
    const question = questionOf(candidate);
    if (question !== undefined) questions.push(question);
  }
  return questions;
}

function questionOf(candidate: LinkCandidate): HostPathQuestion | undefined {
  const { start, end, path } = candidate;
  if (candidate.key === 'disk') {
    return candidate.scripted === true ? undefined : { start, end, path, consequence: '`xl create` fails to attach this disk' };
  }
  if (candidate.key === 'serial') {
    const folder = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
    // The root folder is always there.
    if (folder === '') return undefined;
    return { start, end, path: folder, consequence: `the device model cannot create the serial log \`${path}\` in it, and \`xl create\` fails` };
  }
  return { start, end, path, consequence: `${LOADED[candidate.key] ?? 'xl cannot read it'}, and \`xl create\` fails` };
}

/**
 * The problems of the questions whose path the host says is not there (`false`). A path whose
 * answer is unknown (`undefined`: too slow, no permission) or missing from `answers` gets none:
 * unknown is not missing. Suppression comments and `xen.diagnostics.rules` apply as to every rule.
 */
export function hostPathProblems(
  document: XlDocument,
  questions: readonly HostPathQuestion[],
  answers: ReadonlyMap<string, boolean | undefined>,
  severities?: DiagnosticsOptions['severities'],
): Problem[] {
  const problems: Problem[] = [];
  for (const question of questions) {
    if (answers.get(question.path) !== false) continue;
    problems.push({
      start: question.start,
      end: question.end,
      severity: 'warning',
      code: MISSING_PATH,
      message: `\`${question.path}\` does not exist on this host: ${question.consequence}`,
    });
  }
  if (problems.length === 0) return problems;
  return applySeverities(applySuppressions(document, problems), severities);
}

/** The document's other problems and its host path problems, in document order. */
export function withHostPathProblems(problems: readonly Problem[], host: readonly Problem[]): Problem[] {
  // A stable sort, as computeDiagnostics' own: problems at the same place keep their order.
  return host.length === 0 ? [...problems] : problems.concat(host).sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Whether two lists of host path problems would show the same (to skip a needless re-send). */
export function sameProblems(a: readonly Problem[], b: readonly Problem[]): boolean {
  return a.length === b.length && a.every((problem, index) => {
    const other = b[index];
    return problem.start === other.start && problem.end === other.end && problem.severity === other.severity && problem.message === other.message;
  });
}
