// Which recorded console figures a full `npm run bench` accepts: only those that
// `npm run bench -- --console` measured on the build it has just packaged.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BuildIdentity } from '../../../bench/activation';
import { readConsoleFigures } from '../../../bench/consoleFigures';

const current: BuildIdentity = { commit: 'c'.repeat(40), bundles: { 'dist/extension.js': 'e1', 'dist/server.js': 's1' } };
const record = {
  date: '2026-12-07T01:00:00.000Z',
  commit: 'c'.repeat(40),
  bundles: { 'dist/extension.js': 'e1', 'dist/server.js': 's1' },
  loadAverage: { before: [0.5, 0.5, 0.5], after: [1, 1, 1] },
  console: { p50Ms: 61.2, p90Ms: 80.4, updates: 100, width: 1024, height: 768, bytesPerUpdate: 2268013, partialUpdates: 2 },
};
const reasonOf = (text: string | undefined, identity = current): string => {
  const reading = readConsoleFigures(text, identity);
  assert.ok('notMeasured' in reading, `refused: ${JSON.stringify(reading)}`);
  return reading.notMeasured;
};

describe('readConsoleFigures', () => {
  test('accepts the figures of the same commit and the same bundles', () => {
    assert.deepEqual(readConsoleFigures(JSON.stringify(record), current), {
      figures: { p50Ms: 61.2, p90Ms: 80.4, updates: 100, width: 1024, height: 768, bytesPerUpdate: 2268013, date: record.date },
    });
  });
  test('no file: not measured, and says how to measure', () => {
    assert.match(reasonOf(undefined), /^not measured in this run: no out\/bench\/console-results\.json .*bench -- --console/);
  });
  test('another commit, other bundles, or an unknown commit: refused with the reason', () => {
    assert.match(reasonOf(JSON.stringify({ ...record, commit: 'd'.repeat(40) })), /from commit dddddddddd, this is cccccccccc/);
    assert.match(reasonOf(JSON.stringify({ ...record, commit: null })), /names no commit/);
    assert.match(reasonOf(JSON.stringify({ ...record, bundles: { ...record.bundles, 'dist/extension.js': 'e2' } })), /dist\/extension\.js differ/);
    assert.match(reasonOf(JSON.stringify(record), { ...current, commit: undefined }), /current commit is unknown/);
  });
  test('broken or incomplete files are refused with the reason', () => {
    assert.match(reasonOf('{'), /is not JSON/);
    assert.match(reasonOf('"text"'), /is not a JSON object/);
    assert.match(reasonOf(JSON.stringify({ ...record, console: undefined })), /lacks one of/);
    assert.match(reasonOf(JSON.stringify({ ...record, console: { ...record.console, p50Ms: Number.NaN } })), /lacks one of/);
    assert.match(reasonOf(JSON.stringify({ ...record, console: { ...record.console, updates: '100' } })), /lacks one of/);
  });
});
