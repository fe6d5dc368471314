// A spec parser that throws: in tests and the fuzzer (policy `throw`, the default) the exception
// surfaces; in the product (policy `report`) it becomes an Information diagnostic on the value and
// one server-log line with the parser and a hash of the value, never the value.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, describe, test } from 'node:test';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { InternalErrorLog, internalErrorLine } from '../../../server/src/lsp/internalErrors';
import { describeFailure, language, type Collector } from '../../../server/src/specs/common';
import { SPEC_LANGUAGES, SpecParserError, setSpecFailurePolicy, type SpecLanguage } from '../../../server/src/specs';
import { parseConfig } from '../../../server/src/syntax';

const SECRET = 'hunter2-secret';

/** A parser that records one problem, then fails the way a real bug would (reading past an array). */
function brokenParser(text: string, out: Collector): void {
  out.warning(0, 1, 'spec-number', 'found before the bug');
  const fields = text.split(',');
  const field = fields[fields.length] as unknown as { length: number };
  out.error(0, field.length, 'spec-number', 'never reached');
}

/** A parser whose exception quotes its input, as a careless `throw new Error(\`bad ${x}\`)` would. */
function quotingParser(text: string): void {
  throw new RangeError(`cannot read ${text}`);
}

afterEach(() => {
  setSpecFailurePolicy('throw');
});

/** Runs `body` with the registry's `disk` language replaced by `replacement`. */
function withDisk<T>(replacement: SpecLanguage, body: () => T): T {
  const registry = SPEC_LANGUAGES as Map<string, SpecLanguage>;
  const original = registry.get('disk')!;
  registry.set('disk', replacement);
  try {
    return body();
  } finally {
    registry.set('disk', original);
  }
}

describe('spec parser failures: policy throw (tests, fuzzer)', () => {
  test('is the default, and reading problems or parts throws a SpecParserError naming the language and input', () => {
    const broken = language('disk', [], brokenParser);
    assert.throws(() => broken.parse('phy:/dev/vg/lv,xvda').problems, (error: unknown) => {
      assert.ok(error instanceof SpecParserError);
      assert.equal(error.language, 'disk');
      assert.equal(error.input, 'phy:/dev/vg/lv,xvda');
      assert.ok(error.cause instanceof TypeError, String(error.cause));
      assert.match(error.message, /the disk spec parser threw on "phy:\/dev\/vg\/lv,xvda": TypeError/);
      return true;
    });
    assert.throws(() => broken.parse('x').parts, SpecParserError);
    assert.throws(() => broken.parse('x').failure, SpecParserError);
  });

  test('the whole analysis surfaces the exception', () => {
    withDisk(language('disk', [], brokenParser), () => {
      assert.throws(() => computeDiagnostics(parseConfig(`name = "g"\ndisk = [ 'phy:/dev/${SECRET},xvda,w' ]\n`)), SpecParserError);
    });
  });

  test('a parser that does not throw has no failure', () => {
    const parse = SPEC_LANGUAGES.get('disk')!.parse('phy:/dev/vg/lv,xvda,w', false);
    assert.equal(parse.failure, undefined);
    assert.deepEqual(parse.problems, []);
    assert.equal(parse.parts.find((part) => part.key === 'target')?.value, '/dev/vg/lv');
  });
});

describe('spec parser failures: policy report (server, CLI)', () => {
  test('keeps the problems found before the throw and describes the error without its message', () => {
    assert.equal(setSpecFailurePolicy('report'), 'throw');
    const parse = language('disk', [], brokenParser).parse('a,b');
    assert.deepEqual(parse.problems.map((problem) => problem.message), ['found before the bug']);
    assert.equal(parse.parts.length, 0);
    assert.match(parse.failure?.description ?? '', /^TypeError at \S*brokenParser\b.* \(failures\.test\.js:\d+:\d+\)$/);
    const quoting = language('vif', [], quotingParser).parse(SECRET);
    assert.match(quoting.failure?.description ?? '', /^RangeError at /);
    assert.ok(!quoting.failure!.description.includes(SECRET), quoting.failure!.description);
    assert.ok(!describeFailure(new Error(SECRET)).includes(SECRET));
    assert.equal(describeFailure('thrown string'), 'a thrown string');
    const fake = new TypeError(SECRET);
    fake.stack = `TypeError: ${SECRET}\n    at String.repeat (<anonymous>)\n    at parseThing (/home/someone/.vscode/extensions/xen-xl/dist/server.js:812:20)\n    at C:\\x\\server.js:1:2`;
    assert.equal(describeFailure(fake), 'TypeError at parseThing (server.js:812:20)');
    fake.stack = 'TypeError: x\n    at /opt/x/server.js:3:4';
    assert.equal(describeFailure(fake), 'TypeError at (server.js:3:4)');
    fake.stack = undefined;
    assert.equal(describeFailure(fake), 'TypeError');
  });

  test('gives an Information diagnostic xl.spec-internal-error on the value, after the problems found before', () => {
    setSpecFailurePolicy('report');
    const text = `name = "g"\ndisk = [ 'phy:/dev/${SECRET},xvda,w', 'phy:/dev/vg/ok,xvdb,w' ]\n`;
    const problems = withDisk(language('disk', [], brokenParser), () => computeDiagnostics(parseConfig(text), { rememberSpecs: false }));
    const internal = problems.filter((problem) => problem.code === 'xl.spec-internal-error');
    assert.deepEqual(internal.map((problem) => [problem.severity, text.slice(problem.start, problem.end)]), [
      ['information', `'phy:/dev/${SECRET},xvda,w'`],
      ['information', `'phy:/dev/vg/ok,xvdb,w'`],
    ]);
    assert.match(internal[0].message, /^internal error while reading this value/);
    assert.ok(!internal[0].message.includes(SECRET));
    assert.deepEqual(internal[0].internalError && { ...internal[0].internalError, description: '' }, { language: 'disk', input: `phy:/dev/${SECRET},xvda,w`, description: '' });
    // The problem found before the throw is still reported, under its language's code.
    assert.equal(problems.filter((problem) => problem.code === 'xl.disk-spec' && problem.message === 'found before the bug').length, 2);
  });

  test('the severity of the rule can be changed by its code', () => {
    setSpecFailurePolicy('report');
    const problems = withDisk(language('disk', [], brokenParser), () =>
      computeDiagnostics(parseConfig(`name = "g"\ndisk = [ 'x' ]\n`), { severities: { 'spec-internal-error': 'off' } }));
    assert.deepEqual(problems.filter((problem) => problem.code === 'xl.spec-internal-error'), []);
  });

  test('the server logs one line per failure, with the parser and a hash of the value, never the value', () => {
    setSpecFailurePolicy('report');
    const value = `phy:/dev/${SECRET},xvda,w`;
    const text = `name = "g"\ndisk = [ '${value}' ]\n`;
    const problems = withDisk(language('disk', [], brokenParser), () => computeDiagnostics(parseConfig(text), { rememberSpecs: false }));
    const lines: string[] = [];
    const log = new InternalErrorLog((line) => lines.push(line));
    log.note(problems);
    log.note(problems); // the next keystroke's analysis: nothing new
    assert.equal(lines.length, 1, lines.join('\n'));
    const hash = createHash('sha256').update(value).digest('hex').slice(0, 16);
    assert.match(lines[0], new RegExp(`^xl: xl\\.spec-internal-error: the disk spec parser failed \\(TypeError at \\S*brokenParser\\b.* \\(failures\\.test\\.js:\\d+:\\d+\\)\\) on a value of ${value.length} characters with sha256 ${hash}; the value itself is not logged$`));
    assert.ok(!lines[0].includes(SECRET) && !lines[0].includes('\n'));
    // Another value is another line.
    log.note([{ ...problems.find((problem) => problem.internalError !== undefined)!, internalError: { language: 'vif', input: 'mac=zz', description: 'TypeError at f (server.js:1:2)' } }]);
    assert.equal(lines.length, 2);
    assert.equal(lines[1], internalErrorLine('xl.spec-internal-error', { language: 'vif', input: 'mac=zz', description: 'TypeError at f (server.js:1:2)' }));
  });

  test('the log stops after 50 distinct failures, saying so once', () => {
    const lines: string[] = [];
    const log = new InternalErrorLog((line) => lines.push(line));
    const problems = Array.from({ length: 60 }, (_, index) => ({
      start: 0, end: 1, severity: 'information' as const, code: 'xl.spec-internal-error', message: 'm',
      internalError: { language: 'disk', input: `value ${index}`, description: 'TypeError at f (server.js:1:2)' },
    }));
    log.note(problems);
    log.note(problems);
    assert.equal(lines.length, 51);
    assert.match(lines[50], /more than 50 spec parser failures/);
  });
});
