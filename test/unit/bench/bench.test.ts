// The benchmark's pure parts: which recorded startup figures it accepts (only those of the build
// it has just packaged), and the YAML twin of the generated config that yaml-language-server gets.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { readStartupFigures, type BuildIdentity } from '../../../bench/activation';
import { generateConfig, generateYaml } from '../../../bench/inputs';

const current: BuildIdentity = { commit: 'a'.repeat(40), bundles: { 'dist/extension.js': 'e1', 'dist/server.js': 's1' } };
const record = {
  commit: 'a'.repeat(40),
  bundles: { 'dist/extension.js': 'e1', 'dist/server.js': 's1' },
  bundleEvaluationMs: 3.1,
  waitBeforeActivateMs: 4.2,
  activateMs: 4.2,
  bundleToActivateEndMs: 11.5,
  bundleToServerAnswerMs: 180.3,
  at: '2026-12-06T20:00:00.000Z',
};
const reasonOf = (text: string | undefined, identity = current): string => {
  const reading = readStartupFigures(text, identity);
  assert.ok('notMeasured' in reading, `refused: ${JSON.stringify(reading)}`);
  return reading.notMeasured;
};

describe('readStartupFigures', () => {
  test('accepts the figures of the same commit and the same bundles', () => {
    const reading = readStartupFigures(JSON.stringify(record), current);
    assert.deepEqual(reading, { figures: { bundleEvaluationMs: 3.1, waitBeforeActivateMs: 4.2, activateMs: 4.2, bundleToActivateEndMs: 11.5, bundleToServerAnswerMs: 180.3, at: record.at, commit: record.commit } });
  });
  test('no file: not measured, and says how to measure', () => {
    assert.match(reasonOf(undefined), /^not measured in this run: no test-results\/e2e\/activation\.json .*test:e2e/);
  });
  test('another commit is refused, naming both', () => {
    const reason = reasonOf(JSON.stringify({ ...record, commit: 'b'.repeat(40) }));
    assert.match(reason, /from commit bbbbbbbbbb, this is aaaaaaaaaa/);
  });
  test('the same commit with other bundle bytes (uncommitted changes) is refused, naming the bundle', () => {
    assert.match(reasonOf(JSON.stringify({ ...record, bundles: { ...record.bundles, 'dist/server.js': 's2' } })), /dist\/server\.js differ/);
    assert.match(reasonOf(JSON.stringify({ ...record, bundles: undefined })), /dist\/extension\.js and dist\/server\.js differ/);
  });
  test('the old format (a bare activationMs, no commit) is refused', () => {
    assert.match(reasonOf(JSON.stringify({ activationMs: 7, at: record.at })), /names no commit/);
  });
  test('an unknown current commit matches nothing', () => {
    assert.match(reasonOf(JSON.stringify(record), { ...current, commit: undefined }), /current commit is unknown/);
  });
  test('broken or incomplete files are refused with the reason', () => {
    assert.match(reasonOf('{"commit": '), /is not JSON/);
    assert.match(reasonOf('[1]'), /is not a JSON object/);
    assert.match(reasonOf(JSON.stringify({ ...record, bundleToServerAnswerMs: undefined })), /lacks one of/);
    assert.match(reasonOf(JSON.stringify({ ...record, bundleToActivateEndMs: -1 })), /lacks one of/);
    assert.match(reasonOf(JSON.stringify({ ...record, activateMs: '4' })), /lacks one of/);
    assert.match(reasonOf(JSON.stringify({ ...record, waitBeforeActivateMs: null })), /lacks one of/);
  });
});

describe('generateYaml: the same document as the xl config', () => {
  for (const lines of [1_000, 10_000]) {
    test(`${lines} lines: the same comments, values and bad access modes`, () => {
      const generated = generateConfig(lines);
      const yaml = generateYaml(generated, lines);
      const xlLines = generated.text.split('\n');
      const yamlLines = yaml.split('\n');
      // Only the two closing brackets of the xl lists have no YAML line.
      assert.equal(yamlLines.length, xlLines.length - 2);
      const comments = (text: string[]): string[] => text.filter((line) => line.trimStart().startsWith('#')).map((line) => line.trim());
      assert.deepEqual(comments(yamlLines), comments(xlLines));
      // Every quoted list item of the xl file is an item of the YAML file, in the same order.
      const items = (text: string[], pattern: RegExp): string[] => text.flatMap((line) => pattern.exec(line)?.[1] ?? []);
      const xlItems = items(xlLines, /^ {2}'([^']*)',$/);
      assert.equal(xlItems.length, generated.listItems);
      assert.deepEqual(items(yamlLines, /^ {2}- "([^"]*)"$/), xlItems);
      // The same header values, key by key.
      for (const key of generated.keys.filter((name) => name !== 'disk' && name !== 'vif')) {
        const xlValue = new RegExp(`^${key} = (.*)$`, 'm').exec(generated.text)?.[1];
        assert.ok(xlValue !== undefined, key);
        assert.equal(new RegExp(`^${key}: (.*)$`, 'm').exec(yaml)?.[1], xlValue, key);
      }
      const bad = xlItems.filter((item) => item.endsWith(',rwx'));
      assert.equal(bad.length, Math.floor(xlItems.filter((item) => item.startsWith('phy:')).length / 97));
      assert.ok(bad.length > 0);
    });
  }
});

describe('dist/extension.js', () => {
  // scripts/build.mjs builds dist/ with the test bundles, before any suite runs.
  test('its first and last statements record when the bundle began and finished running; it stays strict', () => {
    const bundle = readFileSync('dist/extension.js', 'utf8');
    assert.match(bundle.slice(0, 200), /^"use strict";var __xenXlBundleStart=typeof performance==="object"\?performance\.now\(\):undefined;/);
    // The footer comes after all module code, before the source map comment of a development build.
    assert.match(bundle.slice(-300), /\nvar __xenXlBundleEnd=typeof performance==="object"\?performance\.now\(\):undefined;\n(\/\/# sourceMappingURL=extension\.js\.map\n)?$/);
    const source = readFileSync('client/src/extension.ts', 'utf8');
    assert.match(source, /declare const __xenXlBundleStart: number \| undefined;/);
    assert.match(source, /declare const __xenXlBundleEnd: number \| undefined;/);
  });
});
