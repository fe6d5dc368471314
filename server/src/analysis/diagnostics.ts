// Feature: Diagnostics. Every problem of a document, in document order: syntax errors (xl refuses
// the file), then the semantic rules of `checks/` (keys, values, spec strings, relations, the VNC
// server, other configs in the workspace). Pure function of the parsed document, the catalogue and
// the options.

import type { XenTarget } from '../catalogue/xenVersions';
import type { XlDocument } from '../syntax';
import { checkKeys } from './checks/keys';
import { checkRelations } from './checks/relations';
import { checkSpecs } from './checks/specs';
import { checkValues } from './checks/values';
import { checkVersions } from './checks/versions';
import { checkVnc } from './checks/vnc';
import { checkWorkspace, type WorkspaceFacts } from './checks/workspace';
import { checkXlConf } from './checks/xlConf';
import { buildModel } from './model';
import type { SeverityOverride } from './rules';
import { applySuppressions } from './suppressions';
import { syntaxProblems } from './syntaxProblems';
import type { Problem } from './types';

export interface DiagnosticsOptions {
  /** Upper bound on the number of problems returned, so a binary file cannot flood the editor. */
  readonly maxProblems?: number;
  /** Severity per rule code (without the `xl.` prefix); `off` drops the rule. */
  readonly severities?: Readonly<Record<string, SeverityOverride>>;
  /** `syntax` checks only the syntax (used for huge files). */
  readonly level?: 'full' | 'syntax';
  /**
   * What the file is (default `guest`): `xl.conf` is xl's own settings file, checked against its
   * own catalogue, without the guest rules and the workspace.
   */
  readonly file?: 'guest' | 'xl.conf';
  /** Facts about the other configs of the workspace, for the cross-file rules. */
  readonly workspace?: WorkspaceFacts;
  /** The document's own identity in `workspace` (its URI), so it is not compared with itself. */
  readonly self?: string;
  /**
   * Remember the spec strings' parses (default true): for a document that will be analysed again
   * as it is edited. The first analysis of a document is faster without (see `checkSpecs`).
   */
  readonly rememberSpecs?: boolean;
  /** The Xen version to check for (`xen.targetVersion`, the host's, `--xen-version`); undefined: the latest, no version checks. */
  readonly target?: XenTarget;
}

export function computeDiagnostics(document: XlDocument, options: DiagnosticsOptions = {}): Problem[] {
  let problems = syntaxProblems(document);
  if (options.level !== 'syntax' && options.file === 'xl.conf') {
    problems = applySuppressions(document, problems.concat(checkXlConf(document)));
  } else if (options.level !== 'syntax') {
    const model = buildModel(document, options.target);
    // NOTE: concat, not push(...list): a generated file can have more problems than the call stack holds arguments.
    problems = problems.concat(checkKeys(model), checkValues(model), checkSpecs(model, options.rememberSpecs ?? true), checkRelations(model), checkVnc(model, options.rememberSpecs ?? true));
    if (options.target !== undefined) problems = problems.concat(checkVersions(model, options.target));
    if (options.workspace !== undefined) problems = problems.concat(checkWorkspace(model, options.workspace, options.self));
    problems = applySuppressions(document, problems);
  }
  problems = applySeverities(problems, options.severities);
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  const limit = options.maxProblems ?? 1000;
  return problems.length > limit ? problems.slice(0, limit) : problems;
}

/** Applies `xen.diagnostics.rules`; also used for the problems the server adds (`checks/hostPaths.ts`). */
export function applySeverities(problems: Problem[], severities: DiagnosticsOptions['severities']): Problem[] {
  if (severities === undefined || Object.keys(severities).length === 0) return problems;
  const result: Problem[] = [];
  for (const problem of problems) {
    // Syntax errors keep their severity: xl refuses the file whatever the settings say.
    const override = problem.code.startsWith('xl.syntax.') ? undefined : severities[problem.code.replace(/^xl\./, '')];
    if (override === 'off') continue;
    result.push(override === undefined ? problem : { ...problem, severity: override });
  }
  return result;
}
