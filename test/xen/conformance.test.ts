// Conformance of our validator with the rig's real xl (4.17, or 4.20 with XEN_TEST_VERSION=4.20),
// checking for that version as the extension does for a host (`xen.targetVersion` auto): every
// config of the corpus (examples/, test/fixtures/corpus/, and the deliberately broken
// test/fixtures/conformance/), and of the version set (versionSet.ts: one config per version fact
// of the catalogue), goes through `xl -N create` in dom0 (via our runner) and through
// computeDiagnostics. The rules
// (ARCHITECTURE.md, invariant 1):
//   - xl fails (non-zero exit)        -> we report an Error (at xl's line or key when xl names one);
//   - xl warns, naming a line or key  -> we flag that line or key (any severity);
//   - xl is clean                     -> we report no Error;
//   - every line xl prints, with or without a line number, is one of the messages of
//     test/fixtures/xl/parse-messages.json, and the rule that table names for it is among ours
//     (for a syntax message, any syntax Error: xl's few syntax messages stand for our many).
// `xl -N` only parses: paths in the configs (disks, kernels, ISOs) need not exist in dom0.
// Then the real thing: every config `xl -N` accepts whose files all exist in dom0 (its kernel is
// /boot/vmlinuz, which the suite points at the rig's guest kernel) goes through `xl create -p`
// (built, paused, then destroyed): it must succeed unless we report an Error, and fail if we do.
// A failure the rig causes (HOST_LIMITS, an Arm-only key on the x86 rig) is recorded as the rig's.
// The comparison is written to test-results/xen-conformance-<version>.json (4.17, 4.20). Known
// disagreements (findings reported to the team, see KNOWN below) are recorded but do not fail the
// test; new ones do.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseConfigMessages, runXl, xl, type ConfigMessage } from '../../client/src/xl';
import { computeDiagnostics } from '../../server/src/analysis/diagnostics';
import { parseXenVersion, type XenTarget } from '../../server/src/catalogue/xenVersions';
import type { Problem } from '../../server/src/analysis/types';
import { parseConfig, type XlDocument } from '../../server/src/syntax';
import { hostPathQuestions } from '../../server/src/analysis/checks/hostPaths';
import { KEY_BY_NAME } from '../../server/src/catalogue';
import { dom0, dom0Ok, options, rig, runLogged, skipReason, sq, upload } from './helpers';
import { specLanguagesWithoutBase, versionSetConfigs } from './versionSet';
import messageTable from '../fixtures/xl/parse-messages.json';

const CORPUS_DIRS = ['examples', 'test/fixtures/corpus', 'test/fixtures/conformance'];
const REMOTE_DIR = '/tmp/xen-xl-conformance';

/**
 * Disagreements already reported (file -> reason kinds). They stay visible in the JSON report and
 * the test output; when one disappears the test prints a note so the entry can be removed.
 */
const KNOWN: Record<string, string[]> = {
};

type ReasonKind =
  | 'xl-refuses-we-accept'
  | 'we-refuse-xl-accepts'
  | 'error-elsewhere'
  | 'warning-missed'
  | 'xl-crashed'
  | 'message-unknown'
  | 'message-not-said'
  | 'create-fails-we-accept';

interface Reason {
  kind: ReasonKind;
  detail: string;
}

interface Entry {
  file: string;
  xl: { exitCode: number | undefined; crashed: boolean; stderr: string; messages: ConfigMessage[]; name?: string };
  ours: { errors: Finding[]; others: Finding[] };
  /** Each line xl printed, the messages of the table it is, and whether we say what they say. */
  lines: { text: string; ids: string[]; rules: string[]; said: boolean | null }[];
  /** The real `xl create -p`, or why it was not run. */
  create: { ran: false; why: string } | { ran: true; exitCode: number | undefined; stderr: string; hostLacks: string | undefined; seconds: number };
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
  const { value, error, entry } = await runLogged(xl.create(remote, { dryRun: true }), { timeoutMs: 60_000 });
  const exitCode = error ? error.exitCode : 0;
  // xl killed by a signal: ssh reports 255 and glibc/the kernel leave their mark on stderr.
  const crashed = exitCode === 255 || /double free|Segmentation fault|Aborted|core dumped/i.test(entry.stderr);
  return { exitCode, crashed, stderr: entry.stderr, messages: parseConfigMessages(entry.stderr, { configPath: remote, exitCode }), name: value?.name };
}

/**
 * Failures of the real `xl create -p` that come from the rig, not from the config, each with what
 * the rig lacks. A config that fails only so is not held against the validator, and the report
 * says why.
 */
const HOST_LIMITS: { stderr: RegExp; lacks: string }[] = [
  { stderr: /failed to free memory|Cannot allocate memory for the domain|not enough memory on the host/i, lacks: 'free memory for the guest' },
  { stderr: /failed to open file '[^']+': No such file or directory|device model \S+ is not executable: No such file or directory|cannot execute \S+: No such file or directory/, lacks: 'a file xl takes from the config without naming it (a pvgrub image, the old qemu-dm, xen-9pfsd): not installed in dom0' },
  { stderr: /LLC coloring not enabled in the hypervisor/, lacks: 'cache colouring: Xen runs without it' },
  { stderr: /vPMU not supported on this platform/, lacks: 'a vPMU: Xen runs without vpmu=on' },
  { stderr: /libxl__domain_make: domain creation fail: Invalid argument/, lacks: 'what Xen needs to make this domain on this CPU (QEMU TCG: no Intel Processor Trace for vmtrace_buf_kb)' },
];

/** The real `xl create -p` of an uploaded config, then `xl destroy` of what it made. */
async function runXlCreate(file: string, name: string, armKeys: string[]): Promise<Extract<Entry['create'], { ran: true }>> {
  const started = Date.now();
  const { error, entry } = await runLogged(xl.create(remotePath(file), { paused: true }), { timeoutMs: 180_000 });
  // Also after a failure: xl may leave a half-built domain behind.
  await dom0(`xl destroy -- ${sq(name)} >/dev/null 2>&1; true`, { timeoutMs: 60_000 });
  const exitCode = error ? error.exitCode : 0;
  // A config with Arm-only keys is written for an Arm host; the rig is x86.
  const arm = armKeys.length > 0 ? `an Arm host (${armKeys.join(', ')}: Arm only; the rig is x86)` : undefined;
  const hostLacks = exitCode === 0 ? undefined : (HOST_LIMITS.find((limit) => limit.stderr.test(entry.stderr))?.lacks ?? arm);
  return { ran: true, exitCode, stderr: entry.stderr, hostLacks, seconds: (Date.now() - started) / 1000 };
}

/** The paths of each config (its disks, kernel, ramdisk, …) that do not exist in dom0, in one ssh call. */
async function missingPaths(texts: Map<string, string>): Promise<Map<string, string[]>> {
  const wanted = new Map([...texts].map(([file, text]) => [file, [...new Set(hostPathQuestions(parseConfig(text)).map((q) => q.path))]]));
  const all = [...new Set([...wanted.values()].flat())];
  const script = all.map((p) => `test -e ${sq(p)} || echo ${sq(p)}`).join('\n');
  const missing = new Set((await dom0Ok(`${script}\ntrue`, { timeoutMs: 60_000 })).split('\n').filter(Boolean));
  return new Map([...wanted].map(([file, paths]) => [file, paths.filter((p) => missing.has(p))]));
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

interface TableMessage {
  id: string;
  versions: string[];
  fatal: boolean;
  match: string | null;
  coverage: { rule?: string; none?: string };
}

/**
 * Lines of xl's stderr that no config message is: its banner, glibc's report of a crash, and the
 * second lines of two messages of the table (the Python warning's indented ones, msr_relaxed's
 * request to report).
 */
const NOT_MESSAGES = [/^Parsing config from /, /^(double free|free\(\)|malloc\(\)|corrupted |Aborted|Segmentation fault)/, /^warning: {2}/, /^If it fixes an issue you are having please report to /];

/** Our rules that say, in the target version's terms, that its xl refuses a key or value: they speak for xl's own message of refusal. */
const VERSION_REFUSALS = new Set(['xl.version-refused', 'xl.version-removed']);

/**
 * xl's lines against the message table of the rig's version (every version when the table has
 * none for it): which messages each is, and whether our problems include a rule the table gives
 * for them. A line the table does not know is `said: null` and a reason of its own.
 */
function tableLines(stderr: string, problems: Problem[], version: string | undefined): Entry['lines'] {
  const all = (messageTable as { messages: TableMessage[] }).messages.filter((m) => m.match !== null);
  const forVersion = all.filter((m) => version !== undefined && m.versions.includes(version));
  const messages = forVersion.length > 0 ? forVersion : all;
  const codes = new Set(problems.map((p) => p.code));
  const syntaxError = problems.some((p) => p.severity === 'error' && p.code.startsWith('xl.syntax.'));
  const versionRefusal = problems.some((p) => p.severity === 'error' && VERSION_REFUSALS.has(p.code));
  const lines: Entry['lines'] = [];
  for (const raw of stderr.split('\n')) {
    const text = raw.trim();
    if (text === '' || NOT_MESSAGES.some((pattern) => pattern.test(text))) continue;
    const matched = messages.filter((m) => new RegExp(m.match!).test(text));
    const rules = [...new Set(matched.flatMap((m) => (m.coverage.rule ? [m.coverage.rule] : [])))];
    const said =
      matched.length === 0 ? null
      : rules.length === 0 ? true // the table says why no rule can (host state, internal failures)
      : rules.some((rule) => codes.has(rule)) || (rules.every((rule) => rule.startsWith('xl.syntax.')) && syntaxError) || (matched.every((m) => m.fatal) && versionRefusal);
    lines.push({ text, ids: matched.map((m) => m.id), rules, said });
  }
  return lines;
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
  const lines = tableLines(xlResult.stderr, problems, target?.version);
  if (!xlResult.crashed) {
    for (const line of lines) {
      if (line.said === null) reasons.push({ kind: 'message-unknown', detail: `xl: "${line.text}" is no message of test/fixtures/xl/parse-messages.json` });
      else if (!line.said) reasons.push({ kind: 'message-not-said', detail: `xl: "${line.text}" (${line.ids.join(', ')}); we report none of ${line.rules.join(', ')}` });
    }
  }
  const all = findings(document, problems);
  return {
    file,
    xl: xlResult,
    ours: { errors: all.filter((f) => f.severity === 'error'), others: all.filter((f) => f.severity !== 'error') },
    lines,
    create: { ran: false, why: 'not tried yet' },
    verdict: reasons.length === 0 ? 'agree' : 'disagree',
    known: reasons.length > 0 && reasons.every((r) => KNOWN[file]?.includes(r.kind)),
    reasons,
  };
}

/** The first line of libxl's or libxc's own complaint (the lines after it are the clean-up's). */
function firstError(stderr: string): string {
  return stderr.split('\n').find((line) => /error|panic|fail/i.test(line) && !/^Parsing config/.test(line))?.trim() ?? (lastLine(stderr) || '(no message)');
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => !/^Parsing config from/.test(l)).pop()?.trim() ?? '';
}

describe('real Xen: our validator against xl -N create', { skip: skipReason }, () => {
  test('every corpus config and the version set: same verdict as xl -N, xl\'s every line said, and the real xl create where the files exist', async () => {
    const corpusFiles = corpus();
    assert.ok(corpusFiles.length >= 30, `corpus has ${corpusFiles.length} configs`);
    // One generated config per version fact of the catalogue (versionSet.ts).
    assert.deepEqual(specLanguagesWithoutBase(), [], 'every spec language with version facts has a base element in versionSet.ts');
    const generated = versionSetConfigs();
    const texts = new Map([...corpusFiles.map((f) => [f, readFileSync(f, 'utf8')] as const), ...generated]);
    const files = [...texts.keys()];
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

    // The real `xl create -p` where the files exist. Most of the corpus boots /boot/vmlinuz: the
    // rig's guest kernel stands in for it (linked for this suite only, unless dom0 has one).
    const linked = (await dom0Ok(`if [ -e /boot/vmlinuz ]; then echo kept; else mkdir -p /boot && ln -s ${sq(rig.guestKernel)} /boot/vmlinuz && echo linked; fi`)).trim() === 'linked';
    try {
      const missing = await missingPaths(texts);
      for (const entry of entries) {
        const absent = missing.get(entry.file) ?? [];
        const why =
          entry.xl.crashed || entry.xl.exitCode !== 0 ? 'xl -N refuses it'
          : entry.xl.name === undefined ? 'xl -N printed no name'
          : absent.length > 0 ? `not in dom0: ${absent.join(', ')}`
          : undefined;
        if (why !== undefined) {
          entry.create = { ran: false, why };
          continue;
        }
        const armKeys = parseConfig(texts.get(entry.file)!).settings.map((setting) => setting.key).filter((key) => KEY_BY_NAME.get(key)?.arch === 'arm');
        const created = await runXlCreate(entry.file, entry.xl.name!, [...new Set(armKeys)]);
        entry.create = created;
        if (created.exitCode === 0 || created.hostLacks !== undefined) continue;
        // The real xl create fails for the config's sake: an Error of ours agrees with it (also
        // where `xl -N` accepted the config), none is a disagreement.
        entry.reasons = entry.reasons.filter((reason) => reason.kind !== 'we-refuse-xl-accepts');
        if (entry.ours.errors.length === 0) {
          entry.reasons.push({ kind: 'create-fails-we-accept', detail: `xl create -p exit ${created.exitCode}: ${firstError(created.stderr)}` });
        }
      }
    } finally {
      if (linked) await dom0('rm -f /boot/vmlinuz');
    }
    for (const entry of entries) {
      entry.verdict = entry.reasons.length === 0 ? 'agree' : 'disagree';
      entry.known = entry.reasons.length > 0 && entry.reasons.every((r) => KNOWN[entry.file]?.includes(r.kind));
    }
    const creates = entries.map((e) => e.create).filter((c): c is Extract<Entry['create'], { ran: true }> => c.ran);

    const report = {
      xen: info.xenVersion,
      target: target?.version ?? null,
      generatedAt: new Date().toISOString(),
      rules: 'xl -N fails -> we report an Error (where xl says); xl warns on a line/key -> we flag it; xl -N clean -> no Error, unless the real xl create -p fails for the config; every line xl prints is a message of the table whose rule we report',
      summary: {
        configs: entries.length,
        corpus: corpusFiles.length,
        versionSet: generated.size,
        agree: entries.filter((e) => e.verdict === 'agree').length,
        disagree: entries.filter((e) => e.verdict === 'disagree').length,
        knownDisagreements: entries.filter((e) => e.known).length,
        // Every line xl printed (its banner and crash reports aside), matched against the table.
        xlLines: entries.reduce((n, e) => n + e.lines.length, 0),
        xlLinesSaid: entries.reduce((n, e) => n + e.lines.filter((line) => line.said === true).length, 0),
        xlLinesUnknown: entries.reduce((n, e) => n + e.lines.filter((line) => line.said === null).length, 0),
        // The real `xl create -p`: run for the configs we accept whose files exist in dom0.
        created: creates.length,
        createdOk: creates.filter((c) => c.exitCode === 0).length,
        createFailedForTheRig: creates.filter((c) => c.hostLacks !== undefined).length,
      },
      entries,
    };
    mkdirSync(rig.resultsDir, { recursive: true });
    const out = path.join(rig.resultsDir, `xen-conformance-${target?.version ?? info.xenVersion}.json`);
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

    const table = entries.map((e) => {
      const xlSays = e.xl.crashed ? 'CRASH' : e.xl.exitCode === 0 ? (e.xl.messages.some((m) => m.severity === 'warning') ? 'warn' : 'ok') : `exit ${e.xl.exitCode}`;
      const weSay = e.ours.errors.length > 0 ? `${e.ours.errors.length} error(s)` : e.ours.others.length > 0 ? `${e.ours.others.length} other` : 'clean';
      const createSays = e.create.ran ? (e.create.exitCode === 0 ? ' create: ok' : e.create.hostLacks !== undefined ? ` create: the rig lacks ${e.create.hostLacks}` : ` create: exit ${e.create.exitCode} (${firstError(e.create.stderr).slice(0, 100)})`) : '';
      return `  ${e.verdict === 'agree' ? 'agree   ' : e.known ? 'known   ' : 'DISAGREE'} ${e.file.padEnd(55)} xl: ${xlSays.padEnd(8)} we: ${weSay}${createSays}${e.reasons.length ? `\n           ${e.reasons.map((r) => `${r.kind}: ${r.detail}`).join('\n           ')}` : ''}`;
    });
    console.log(`\nconformance with xl ${info.xenVersion} (${report.summary.agree} agree, ${report.summary.disagree} disagree; of xl's ${report.summary.xlLines} lines we say what ${report.summary.xlLinesSaid} say, ${report.summary.xlLinesUnknown} unknown; xl create -p ran for ${creates.length}, ${report.summary.createdOk} created; ${out}):\n${table.join('\n')}\n`);

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
