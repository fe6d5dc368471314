// Folding ranges: multi-line lists (keeping a closing `]` visible) and comment blocks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldingRanges } from '../../../server/src/analysis/folding';
import { parseConfig } from '../../../server/src/syntax';

/** Ranges as `start-end` or `start-end comment`. */
function check(text: string, expected: string[]): void {
  assert.deepEqual(
    foldingRanges(parseConfig(text)).map((range) => `${range.startLine}-${range.endLine}${range.kind ? ` ${range.kind}` : ''}`),
    expected,
  );
}

test('a list with `]` on its own line folds up to the line before it', () => {
  check("disk = [\n  'a',\n  'b',\n]\n", ['0-2']);
});

test('a list closed on its last element line folds to that line', () => {
  check("disk = [ 'a',\n         'b' ]\n", ['0-1']);
});

test('one-line lists do not fold; nested multi-line lists do', () => {
  check("disk = [ 'a' ]\nvnuma = [\n  [ 'a',\n    'b' ],\n]\n", ['1-3', '2-3']);
});

test('comment blocks of two or more lines', () => {
  check('# one\n# two\n# three\nname = "a"\n# alone\nmemory = 1\n  # indented\n  # block\n', ['0-2 comment', '6-7 comment']);
});

test('a comment after a statement does not start a block', () => {
  check('name = "a" # x\n# y\nmemory = 1\n', []);
});
