// `xl-cfg-lint`: checks xl.cfg files from the command line with the same core as the language
// server. Prints `file:line:col: severity: message [code]`, or JSON with `--format json`.
// Exit status: 0 when no file has an error, 1 when one does, 2 on bad usage.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractFacts, type ConfigFacts } from './analysis/checks/workspace';
import { computeDiagnostics } from './analysis/diagnostics';
import { XEN_VERSIONS, type XenVersion } from './catalogue/types';
import type { XenTarget } from './catalogue/xenVersions';
import type { Problem } from './analysis/types';
import { isXlConfPath } from '../../common/configPaths';
import { setSpecFailurePolicy } from './specs';
import { parseConfig, type XlDocument } from './syntax';

const SEVERITY_NUMBER = { error: 1, warning: 2, information: 3, hint: 4 } as const;

interface FileReport {
  readonly file: string;
  readonly diagnostics: object[];
}

function usage(): string {
  return `usage: xl-cfg-lint [--format text|json] [--xen-version ${XEN_VERSIONS[0]}…${XEN_VERSIONS[XEN_VERSIONS.length - 1]}] FILE...\n  Checks Xen xl.cfg guest configs. Exit status 1 if any file has an error.\n  --xen-version V: check for Xen V (keys it lacks, values it no longer takes); without it, the latest Xen.`;
}

function main(argv: string[]): number {
  // A spec parser's bug becomes an Information diagnostic on the value, not a crash of the run.
  setSpecFailurePolicy('report');
  let format: 'text' | 'json' = 'text';
  let target: XenTarget | undefined;
  const files: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(usage() + '\n');
      return 0;
    } else if (arg === '--version') {
      process.stdout.write('xl-cfg-lint 0.1.0\n');
      return 0;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++index];
      if (value !== 'text' && value !== 'json') {
        process.stderr.write(`xl-cfg-lint: unknown format '${value ?? ''}' (use text or json)\n`);
        return 2;
      }
      format = value;
    } else if (arg === '--xen-version' || arg.startsWith('--xen-version=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++index];
      // Exactly one of the versions we know: `4.17.3` would hide a typo such as `4.71`.
      if (!(XEN_VERSIONS as readonly unknown[]).includes(value)) {
        process.stderr.write(`xl-cfg-lint: unknown Xen version '${value ?? ''}' (use one of ${XEN_VERSIONS.join(', ')})\n`);
        return 2;
      }
      target = { version: value as XenVersion, from: 'setting' };
    } else if (arg === '--') {
      files.push(...argv.slice(index + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      process.stderr.write(`xl-cfg-lint: unknown option '${arg}'\n${usage()}\n`);
      return 2;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    process.stderr.write(usage() + '\n');
    return 2;
  }
  let failed = false;
  const reports: FileReport[] = [];
  // Read and parse every file first, so the cross-file rules (same name, MAC or VNC display)
  // compare each config with the others given on the command line.
  const parsed: { file: string; document?: XlDocument; error?: string }[] = [];
  const workspace = new Map<string, { label: string; facts: ConfigFacts }>();
  for (const file of files) {
    try {
      const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
      const document = parseConfig(text);
      parsed.push({ file, document });
      if (file !== '-' && !isXlConfPath(resolve(file))) workspace.set(resolve(file), { label: file, facts: extractFacts(document) });
    } catch (error) {
      parsed.push({ file, error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    }
  }
  for (const { file, document, error } of parsed) {
    if (document === undefined) {
      failed = true;
      if (format === 'json') {
        reports.push({ file, diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1, code: 'xl.io', source: 'xl', message: error }] });
      } else {
        process.stdout.write(`${file}: error: ${error} [xl.io]\n`);
      }
      continue;
    }
    const path = file === '-' ? undefined : resolve(file);
    const xlConf = path !== undefined && isXlConfPath(path);
    const problems = computeDiagnostics(document, { workspace: xlConf ? undefined : workspace, self: path, rememberSpecs: false, file: xlConf ? 'xl.conf' : 'guest', target });
    if (problems.some((problem) => problem.severity === 'error')) failed = true;
    if (format === 'json') {
      reports.push({ file, diagnostics: problems.map((problem) => toJson(document.lineIndex, problem)) });
    } else {
      for (const problem of problems) {
        const position = document.lineIndex.positionAt(problem.start);
        process.stdout.write(`${file}:${position.line + 1}:${position.character + 1}: ${problem.severity}: ${problem.message} [${problem.code}]\n`);
      }
    }
  }
  if (format === 'json') process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
  return failed ? 1 : 0;
}

function toJson(lineIndex: ReturnType<typeof parseConfig>['lineIndex'], problem: Problem): object {
  return {
    range: { start: lineIndex.positionAt(problem.start), end: lineIndex.positionAt(problem.end) },
    severity: SEVERITY_NUMBER[problem.severity],
    code: problem.code,
    source: 'xl',
    message: problem.message,
  };
}

process.exitCode = main(process.argv.slice(2));
