// Regression tests: every input the fuzzer (or a person) found to break the pipeline, replayed
// through the same checks. A new crash file in test/fuzz-crashes/ becomes a test by being there.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPipeline } from '../../fuzz/pipeline';
import { runSpec } from '../../fuzz/specs';

const folder = 'test/fuzz-crashes';
const inputs = readdirSync(folder).filter((name) => name.endsWith('.input')).sort();
/** Spec strings from `npm run fuzz -- --specs`: `{ language, text }`, replayed through their parser. */
const specInputs = readdirSync(folder).filter((name) => name.endsWith('.spec.json')).sort();

test('the regression folder is not empty', () => assert.ok(inputs.length >= 6));

for (const name of inputs) {
  test(`${name}: ${readFileSync(join(folder, name.replace(/\.input$/, '.reason.txt')), 'utf8').trim()}`, () => {
    const text = readFileSync(join(folder, name), 'utf8');
    const result = runPipeline(text);
    assert.equal(result.failure, undefined, result.failure);
  });
}

for (const name of specInputs) {
  test(`${name}: ${readFileSync(join(folder, name.replace(/\.spec\.json$/, '.reason.txt')), 'utf8').trim()}`, () => {
    const { language, text } = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { language: string; text: string };
    const result = runSpec(language, text);
    assert.equal(result.failure, undefined, result.failure);
  });
}
