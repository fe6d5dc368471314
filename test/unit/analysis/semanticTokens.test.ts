// Semantic tokens: known keys, deprecated keys and unknown keys.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { semanticTokens } from '../../../server/src/analysis/semanticTokens';
import { parseConfig } from '../../../server/src/syntax';

function check(text: string, expected: string[]): void {
  assert.deepEqual(
    semanticTokens(parseConfig(text)).map((token) => `${text.slice(token.start, token.end)}@${token.start} ${token.type}${token.deprecated ? ' deprecated' : ''}`),
    expected,
  );
}

test('known, deprecated and unknown keys', () => {
  check('memory = 1\nbuilder = "hvm"\nfrobnicate = 2\n', ['memory@0 property', 'builder@11 property deprecated', 'frobnicate@27 unknownKey']);
});
