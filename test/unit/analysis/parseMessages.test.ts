// Every message xl prints while it reads a guest config has a diagnostic, or a reason why it cannot
// have one (issue 19). test/fixtures/xl/parse-messages.json lists the messages of xl_parse.c and
// libxlu at Xen 4.17 and 4.20 (its README says how it was read and how to keep it true); here each
// entry is checked against the rule table and, through its example config, against the analysis
// for each Xen version that prints it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { ruleOf } from '../../../server/src/analysis/rules';
import type { Problem } from '../../../server/src/analysis/types';
import { XEN_VERSIONS, type XenVersion } from '../../../server/src/catalogue/types';
import { parseConfig } from '../../../server/src/syntax';
import fixture from '../../fixtures/xl/parse-messages.json';

interface Message {
  id: string;
  versions: string[];
  fatal: boolean;
  /** A regular expression for xl's line; null for an exit without a message (or a crash). */
  match: string | null;
  where: string;
  coverage: { rule?: string; none?: string };
  example?: string;
}

const messages: Message[] = (fixture as { messages: Message[] }).messages;
const VERSIONS = Object.keys(fixture.sources);

/**
 * The only reasons a message may go without a diagnostic, as the prefix of `none`: it cannot come
 * from a config file, it depends on the host, it is an internal failure. `not a problem` is for the
 * lines xl prints about every config (the file it reads, an echo of a value).
 */
const REASONS = ['command line: ', 'host: ', 'internal: ', 'not a problem: '];

function target(version: string): { version: XenVersion; from: 'setting' } {
  assert.ok((XEN_VERSIONS as readonly string[]).includes(version), version);
  return { version: version as XenVersion, from: 'setting' };
}

test('the list reads the two releases it names, and has messages of both', () => {
  assert.deepEqual(fixture.sources, { '4.17': 'RELEASE-4.17.0', '4.20': 'RELEASE-4.20.0' });
  for (const version of VERSIONS) assert.ok(messages.filter((message) => message.versions.includes(version)).length > 150, version);
});

test('every entry is well formed: a unique id, its versions, a regular expression, a place, one coverage', () => {
  const ids = messages.map((message) => message.id);
  assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'ids listed twice');
  for (const message of messages) {
    assert.match(message.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, message.id);
    assert.ok(message.versions.length > 0 && message.versions.every((version) => VERSIONS.includes(version)), `${message.id}: versions`);
    assert.equal(typeof message.fatal, 'boolean', `${message.id}: fatal`);
    assert.ok(message.where.length > 0, `${message.id}: where`);
    if (message.match === null) {
      // A silent exit or a crash: nothing to recognise, but it always stops `xl create`.
      assert.ok(message.fatal, `${message.id}: only an exit goes without a message`);
    } else {
      assert.doesNotThrow(() => new RegExp(message.match!), `${message.id}: match`);
      // A few words, not xl's sentence.
      assert.ok(message.match.length <= 70, `${message.id}: keep the match short`);
    }
    const { rule, none } = message.coverage;
    assert.ok((rule === undefined) !== (none === undefined), `${message.id}: coverage is a rule or a reason, not both`);
  }
});

test('every rule named is a rule of the table, under its own code', () => {
  for (const { id, coverage } of messages) {
    if (coverage.rule === undefined) continue;
    const rule = ruleOf(coverage.rule);
    assert.ok(rule, `${id}: ${coverage.rule} is not in server/src/analysis/rules.ts`);
    assert.ok(rule.code === coverage.rule || rule.codes?.includes(coverage.rule), `${id}: ${coverage.rule}`);
  }
});

test('a message without a rule gives one of the accepted reasons, and no example', () => {
  for (const { id, coverage, example } of messages) {
    if (coverage.none === undefined) continue;
    const none = coverage.none;
    assert.ok(REASONS.some((reason) => none.startsWith(reason) && none.length > reason.length + 5), `${id}: "${none}" starts with none of ${REASONS.join(', ')}`);
    assert.equal(example, undefined, `${id}: an example would mean a config can trigger it, so it needs a rule`);
  }
});

describe('each covered message: its example gets its rule, as an error exactly when xl stops', () => {
  for (const message of messages) {
    const { rule } = message.coverage;
    if (rule === undefined) continue;
    test(message.id, () => {
      const example = message.example;
      assert.ok(example !== undefined, `${message.id}: a covered message needs an example config`);
      for (const version of message.versions) {
        const problems: Problem[] = computeDiagnostics(parseConfig(example), { target: target(version) });
        const summary = JSON.stringify(problems.map((problem) => `${problem.code}:${problem.severity}`));
        const hits = problems.filter((problem) => problem.code === rule);
        assert.ok(hits.length > 0, `${message.id} on Xen ${version}: no ${rule} in ${summary}`);
        if (message.fatal) {
          assert.ok(hits.some((problem) => problem.severity === 'error'), `${message.id} on Xen ${version}: xl stops, so ${rule} must be an error: ${summary}`);
        } else {
          assert.ok(hits.every((problem) => problem.severity !== 'error'), `${message.id} on Xen ${version}: xl goes on, so ${rule} must not be an error: ${summary}`);
        }
        // The example shows this message alone: no other rule says that xl stops on it.
        const others: Problem[] = problems.filter((problem) => problem.code !== rule && problem.severity === 'error');
        assert.deepEqual(others.map((problem) => problem.code), [], `${message.id} on Xen ${version}: other errors`);
      }
    });
  }
});
