// The rule table (server/src/analysis/rules.ts), from which docs/rules.md is generated: every
// example triggers its rule with the severity the table states, every code the server can emit has
// a rule, and each diagnostic links to its rule's section of the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPathProblems, hostPathQuestions, MISSING_PATH } from '../../../server/src/analysis/checks/hostPaths';
import { extractFacts } from '../../../server/src/analysis/checks/workspace';
import { ruleCode } from '../../../server/src/analysis/checks/specs';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { RULES, RULES_WITHOUT_TRIGGER, ruleAnchor, ruleHref, ruleOf, rulesReferenceFrom, type RuleInfo } from '../../../server/src/analysis/rules';
import type { Problem } from '../../../server/src/analysis/types';
import { setRulesReference, toDiagnostic } from '../../../server/src/lsp/convert';
import { SPEC_LANGUAGES } from '../../../server/src/specs';
import { parseConfig } from '../../../server/src/syntax';

const root = process.cwd();

function problemsOf(rule: RuleInfo): Problem[] {
  const workspace = rule.otherConfig === undefined ? undefined : new Map([['file:///other.cfg', { label: 'other.cfg', facts: extractFacts(parseConfig(rule.otherConfig)) }]]);
  const target = rule.targetVersion === undefined ? undefined : { version: rule.targetVersion, from: 'setting' as const };
  const document = parseConfig(rule.example);
  const problems = computeDiagnostics(document, { workspace, self: 'file:///this.cfg', file: rule.file ?? 'guest', target });
  if (rule.code !== MISSING_PATH) return problems;
  // The server's host check, on a host that has none of the example's paths.
  const questions = hostPathQuestions(document);
  return problems.concat(hostPathProblems(document, questions, new Map(questions.map((question) => [question.path, false]))));
}

const codesOf = (rule: RuleInfo): string[] => [rule.code, ...(rule.codes ?? [])];

test('every rule example triggers its rule, with the severity the table states', () => {
  for (const rule of RULES) {
    if (RULES_WITHOUT_TRIGGER.has(rule.code)) continue;
    const problems = problemsOf(rule);
    const hit = problems.find((problem) => codesOf(rule).includes(problem.code));
    assert.ok(hit, `the example of ${rule.code} does not trigger it; it gives ${JSON.stringify(problems.map((problem) => problem.code))}`);
    assert.equal(hit.severity, rule.severity, `severity of ${rule.code} in its example`);
  }
});

test('the rules without a trigger are rules of the table, and their examples are clean configs', () => {
  for (const code of RULES_WITHOUT_TRIGGER) {
    const rule = ruleOf(code);
    assert.ok(rule, code);
    assert.deepEqual(problemsOf(rule), [], code);
  }
});

test('codes and anchors are unique, and every code has the form of a diagnostic code', () => {
  const codes = RULES.flatMap(codesOf);
  assert.deepEqual(codes.filter((code, index) => codes.indexOf(code) !== index), [], 'codes listed twice');
  const anchors = RULES.map(ruleAnchor);
  assert.equal(new Set(anchors).size, anchors.length);
  for (const rule of RULES) {
    for (const code of rule.codes ?? []) assert.match(code, /^xl\.[a-z0-9-]+$/, rule.code);
    if (rule.codes === undefined) assert.match(rule.code, /^xl\.[a-z0-9.-]+$/);
    assert.ok(rule.summary.length >= 30 && rule.summary.endsWith('.'), `summary of ${rule.code}`);
  }
});

test('every spec language names its generic problems with a code of the table', () => {
  for (const id of SPEC_LANGUAGES.keys()) {
    // The uuid parser reports one problem, under `xl.uuid`, and none of the generic ones.
    if (id === 'uuid') continue;
    for (const generic of ['spec-unknown-key', 'spec-number', 'spec-duplicate-key', 'spec-ignored', 'spec-deprecated', 'bad-enum']) {
      const code = ruleCode(id, generic);
      assert.ok(ruleOf(code), `${id}: ${generic} is reported as ${code}, which rules.ts does not list`);
    }
  }
});

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(join(root, dir, name), 'utf8'));
}

test('every code the server emits has a rule', () => {
  const emitted = new Set<string>();
  // Syntax errors: the union of codes in the syntax tree's types.
  const ast = readFileSync(join(root, 'server/src/syntax/ast.ts'), 'utf8');
  const union = /export type SyntaxErrorCode =([^;]*);/.exec(ast);
  assert.ok(union, 'SyntaxErrorCode not found in server/src/syntax/ast.ts');
  for (const match of union[1].matchAll(/'([a-z-]+)'/g)) emitted.add(`xl.syntax.${match[1]}`);
  // The semantic rules: every `xl.` code literal in analysis/.
  for (const text of sources('server/src/analysis')) {
    // `'xl.conf'` names xl's settings file (`DiagnosticsOptions.file`, `RuleInfo.file`), not a code.
    for (const match of text.matchAll(/'(xl\.[a-z0-9-]+)'/g)) if (match[1] !== 'xl.conf') emitted.add(match[1]);
  }
  // The spec parsers: the code argument of each problem they report (specific codes keep it).
  let specCodes = 0;
  for (const text of sources('server/src/specs')) {
    for (const match of text.matchAll(/\b(?:warning|error|warn|fail)\([^'`;]*?,\s*'([a-z][a-z0-9-]*)',\s*[`'"]/g)) {
      specCodes++;
      const code = ruleCode('any-language', match[1]);
      if (code !== 'xl.any-language-spec') emitted.add(code);
    }
    for (const match of text.matchAll(/\bcode: '([a-z][a-z0-9-]*)'/g)) emitted.add(`xl.${match[1]}`);
  }
  assert.ok(specCodes > 100, `only ${specCodes} spec problems found in server/src/specs: the pattern no longer matches the parsers`);
  assert.ok(emitted.size > 80, `only ${emitted.size} codes found`);
  const missing = [...emitted].filter((code) => ruleOf(code) === undefined);
  assert.deepEqual(missing, [], 'codes without a rule in server/src/analysis/rules.ts');
});

test('each diagnostic links to its rule\'s line in the docs/rules.md the extension ships', () => {
  const file = join(root, 'docs/rules.md');
  const text = readFileSync(file, 'utf8');
  const reference = rulesReferenceFrom('file:///ext/docs/rules.md', text);
  const rows = text.split('\n');
  for (const rule of RULES) {
    const line = reference.lines.get(rule.code);
    assert.ok(line !== undefined, `docs/rules.md has no section for ${rule.code}`);
    assert.equal(rows[line - 1], `### \`${rule.code}\``);
  }
  const document = parseConfig('name = "web01"\nmemroy = 1024\n');
  const problem = computeDiagnostics(document).find((candidate) => candidate.code === 'xl.unknown-key');
  assert.ok(problem);
  // No reference known: no link.
  setRulesReference(undefined);
  assert.equal(toDiagnostic(document.lineIndex, problem).codeDescription, undefined);
  setRulesReference(reference);
  try {
    assert.deepEqual(toDiagnostic(document.lineIndex, problem).codeDescription, { href: `file:///ext/docs/rules.md#L${reference.lines.get('xl.unknown-key')}` });
    assert.equal(toDiagnostic(document.lineIndex, { ...problem, code: 'xl.not-a-rule' }).codeDescription, undefined);
    // A code of a rule with several codes links to that rule's section.
    assert.equal(ruleHref('xl.disk-spec', reference), `file:///ext/docs/rules.md#L${reference.lines.get(ruleOf('xl.disk-spec')!.code)}`);
  } finally {
    setRulesReference(undefined);
  }
});

test('every anchor is the slug of a heading of docs/rules.md', () => {
  const headings = new Set([...readFileSync(join(root, 'docs/rules.md'), 'utf8').matchAll(/^#{1,6} (.*)$/gm)].map((match) => match[1].toLowerCase().replace(/[^a-z0-9_ -]/g, '').replace(/ /g, '-')));
  for (const rule of RULES) assert.ok(headings.has(ruleAnchor(rule)), `no heading in docs/rules.md for #${ruleAnchor(rule)}`);
});
