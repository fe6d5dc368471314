// Regression tests: every input the fuzzer (or a person) found to break the pipeline, replayed
// through the same checks. A new crash file in test/fuzz-crashes/ becomes a test by being there.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPipeline } from '../../fuzz/pipeline';

const folder = 'test/fuzz-crashes';
const inputs = readdirSync(folder).filter((name) => name.endsWith('.input')).sort();

test('the regression folder is not empty', () => assert.ok(inputs.length >= 6));

for (const name of inputs) {
  test(`${name}: ${readFileSync(join(folder, name.replace(/\.input$/, '.reason.txt')), 'utf8').trim()}`, () => {
    const text = readFileSync(join(folder, name), 'utf8');
    const result = runPipeline(text);
    assert.equal(result.failure, undefined, result.failure);
  });
}
