// Conformance of our validator with the rig's real xl (4.17, or 4.20 with XEN_TEST_VERSION=4.20),
// checking for that version as the extension does for a host (`xen.targetVersion` auto): every
// config of the corpus (examples/, test/fixtures/corpus/, and the deliberately broken
// test/fixtures/conformance/) goes through `xl -N create` in dom0 (via our runner) and through
// computeDiagnostics. The rules
// (ARCHITECTURE.md, invariant 1):
//   - xl fails (non-zero exit)        -> we report an Error (at xl's line or key when xl names one);
//   - xl warns, naming a line or key  -> we flag that line or key (any severity);
//   - xl is clean                     -> we report no Error.
// `xl -N` only parses: paths in the configs (disks, kernels, ISOs) need not exist in dom0.
// The comparison is written to test-results/xen-conformance.json. Known disagreements (findings
// reported to the team, see KNOWN below) are recorded but do not fail the test; new ones do.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseConfigMessages, runXl, xl, type ConfigMessage } from '../../client/src/xl';
import { computeDiagnostics } from '../../server/src/analysis/diagnostics';
import { parseXenVersion, type XenTarget } from '../../server/src/catalogue/xenVersions';
import type { Problem } from '../../server/src/analysis/types';
import { parseConfig, type XlDocument } from '../../server/src/syntax';
import { options, rig, runLogged, skipReason, upload } from './helpers';

const CORPUS_DIRS = ['examples', 'test/fixtures/corpus', 'test/fixtures/conformance'];
const REMOTE_DIR = '/tmp/xen-xl-conformance';

/**
 * Disagreements already reported (file -> reason kinds). They stay visible in the JSON report and
 * the test output; when one disappears the test prints a note so the entry can be removed.
 */
const KNOWN: Record<string, string[]> = {
};

type ReasonKind = 'xl-refuses-we-accept' | 'we-refuse-xl-accepts' | 'error-elsewhere' | 'warning-missed' | 'xl-crashed';

interface Reason {
  kind: ReasonKind;
  detail: string;
}

interface Entry {
  file: string;
  xl: { exitCode: number | undefined; crashed: boolean; stderr: string; messages: ConfigMessage[] };
  ours: { errors: Finding[]; others: Finding[] };
  verdict: 'agree' | 'disagree';
  known: boolean;
  reasons: Reason[];
}

interface Finding {
  line: number;
  severity: Problem['severity'];
  code: string;
  message: string;
}

function corpus(): string[] {
  const files: string[] = [];
  for (const dir of CORPUS_DIRS) {
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.cfg')) files.push(`${dir}/${name}`);
  }
  return files;
}

function remotePath(file: string): string {
  return `${REMOTE_DIR}/${file.replace(/\//g, '__')}`;
}

/** Runs `xl -N create` through our runner; returns exit status and stderr whatever happened. */
async function runXlDry(file: string): Promise<Entry['xl']> {
  const remote = remotePath(file);
  const { error, entry } = await runLogged(xl.create(remote, { dryRun: true }), { timeoutMs: 60_000 });
  const exitCode = error ? error.exitCode : 0;
  // xl killed by a signal: ssh reports 255 and glibc/the kernel leave their mark on stderr.
  const crashed = exitCode === 255 || /double free|Segmentation fault|Aborted|core dumped/i.test(entry.stderr);
  return { exitCode, crashed, stderr: entry.stderr, messages: parseConfigMessages(entry.stderr, { configPath: remote, exitCode }) };
}

function findings(document: XlDocument, problems: Problem[]): Finding[] {
  return problems.map((p) => ({
    line: document.lineIndex.positionAt(p.start).line + 1,
    severity: p.severity,
    code: p.code,
    message: p.message,
  }));
}

/** The [start, end) offsets xl means by a line (libxlu's line of a setting is its value's line). */
function rangesForLine(document: XlDocument, line: number): { start: number; end: number }[] {
  const ranges = [{ start: document.lineIndex.lineStart(line - 1), end: document.lineIndex.lineEnd(line - 1) + 1 }];
  for (const setting of document.settings) if (setting.line === line) ranges.push(setting.assignment);
  return ranges;
}

function rangesForKey(document: XlDocument, key: string): { start: number; end: number }[] {
  return document.assignments.filter((a) => a.keyText === key);
}

function hits(problems: Problem[], ranges: { start: number; end: number }[]): Problem[] {
  return problems.filter((p) => ranges.some((r) => p.start < r.end && p.end >= r.start));
}

function compare(file: string, text: string, xlResult: Entry['xl'], target: XenTarget | undefined): Entry {
  const document = parseConfig(text);
  const problems = computeDiagnostics(document, { target });
  const errors = problems.filter((p) => p.severity === 'error');
  const reasons: Reason[] = [];
  const where = (m: ConfigMessage): { start: number; end: number }[] | undefined =>
    m.line !== undefined ? rangesForLine(document, m.line) : m.key !== undefined ? rangesForKey(document, m.key) : undefined;

  if (xlResult.crashed) {
    // A crash stops `xl create` as surely as an error message: an Error from us agrees with it.
    if (errors.length === 0) reasons.push({ kind: 'xl-crashed', detail: `xl died (exit ${xlResult.exitCode}); we report no error` });
  } else if (xlResult.exitCode !== 0) {
    if (errors.length === 0) {
      reasons.push({ kind: 'xl-refuses-we-accept', detail: `xl exit ${xlResult.exitCode}: ${lastLine(xlResult.stderr) || '(no message)'}` });
    } else {
      for (const m of xlResult.messages.filter((m) => m.severity === 'error')) {
        const ranges = where(m);
        if (ranges && hits(errors, ranges).length === 0) {
          reasons.push({ kind: 'error-elsewhere', detail: `xl: "${m.message}" (${m.line ? `line ${m.line}` : `key ${m.key}`}); our errors are elsewhere` });
        }
      }
    }
  } else if (errors.length > 0) {
    reasons.push({ kind: 'we-refuse-xl-accepts', detail: errors.map((e) => `line ${document.lineIndex.positionAt(e.start).line + 1}: ${e.message} [${e.code}]`).join('; ') });
  }
  if (!xlResult.crashed) {
    for (const m of xlResult.messages.filter((m) => m.severity === 'warning')) {
      const ranges = where(m);
      if (ranges && hits(problems, ranges).length === 0) {
        reasons.push({ kind: 'warning-missed', detail: `xl: "${m.message}" (${m.line ? `line ${m.line}` : `key ${m.key}`}); we flag nothing there` });
      }
    }
  }
  const all = findings(document, problems);
  return {
    file,
    xl: xlResult,
    ours: { errors: all.filter((f) => f.severity === 'error'), others: all.filter((f) => f.severity !== 'error') },
    verdict: reasons.length === 0 ? 'agree' : 'disagree',
    known: reasons.length > 0 && reasons.every((r) => KNOWN[file]?.includes(r.kind)),
    reasons,
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => !/^Parsing config from/.test(l)).pop()?.trim() ?? '';
}

describe('real Xen: our validator against xl -N create', { skip: skipReason }, () => {
  test('every corpus config: same verdict as xl, xl\'s warnings flagged', async () => {
    const files = corpus();
    assert.ok(files.length >= 30, `corpus has ${files.length} configs`);
    const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
    await upload(Object.fromEntries(files.map((f) => [remotePath(f), texts.get(f)!])));

    // The rig's version is the target, as `xen.targetVersion` auto makes it for a host: without one
    // the validator judges keys the oldest supported xl (4.17) ignores as that xl does.
    const info = await runXl(xl.info(), options());
    const version = parseXenVersion(info.xenVersion);
    const target: XenTarget | undefined = version === undefined ? undefined : { version, from: 'host' };
    const entries: Entry[] = [];
    // A few at a time: each is one ssh session over the runner's shared connection.
    for (let i = 0; i < files.length; i += 4) {
      const batch = files.slice(i, i + 4);
      const results = await Promise.all(batch.map((f) => runXlDry(f)));
      batch.forEach((f, j) => entries.push(compare(f, texts.get(f)!, results[j], target)));
    }

    const report = {
      xen: info.xenVersion,
      target: target?.version ?? null,
      generatedAt: new Date().toISOString(),
      rules: 'xl fails -> we report an Error (where xl says); xl warns on a line/key -> we flag it; xl clean -> no Error',
      summary: {
        configs: entries.length,
        agree: entries.filter((e) => e.verdict === 'agree').length,
        disagree: entries.filter((e) => e.verdict === 'disagree').length,
        knownDisagreements: entries.filter((e) => e.known).length,
      },
      entries,
    };
    mkdirSync(rig.resultsDir, { recursive: true });
    const out = path.join(rig.resultsDir, 'xen-conformance.json');
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

    const table = entries.map((e) => {
      const xlSays = e.xl.crashed ? 'CRASH' : e.xl.exitCode === 0 ? (e.xl.messages.some((m) => m.severity === 'warning') ? 'warn' : 'ok') : `exit ${e.xl.exitCode}`;
      const weSay = e.ours.errors.length > 0 ? `${e.ours.errors.length} error(s)` : e.ours.others.length > 0 ? `${e.ours.others.length} other` : 'clean';
      return `  ${e.verdict === 'agree' ? 'agree   ' : e.known ? 'known   ' : 'DISAGREE'} ${e.file.padEnd(55)} xl: ${xlSays.padEnd(8)} we: ${weSay}${e.reasons.length ? `\n           ${e.reasons.map((r) => `${r.kind}: ${r.detail}`).join('\n           ')}` : ''}`;
    });
    console.log(`\nconformance with xl ${info.xenVersion} (${report.summary.agree} agree, ${report.summary.disagree} disagree; ${out}):\n${table.join('\n')}\n`);

    for (const [file, kinds] of Object.entries(KNOWN)) {
      const entry = entries.find((e) => e.file === file);
      if (entry && kinds.some((k) => !entry.reasons.some((r) => r.kind === k))) console.log(`note: known disagreement ${file} (${kinds.join(', ')}) no longer fully occurs; update KNOWN`);
    }
    const unexpected = entries.filter((e) => e.verdict === 'disagree' && !e.known);
    assert.deepEqual(
      unexpected.map((e) => `${e.file}: ${e.reasons.map((r) => `${r.kind}: ${r.detail}`).join('; ')}`),
      [],
      'new disagreements with xl',
    );
  });
});
