// Property-based tests (fast-check) over generated configs: random keys and values, valid and
// invalid tokens, lists, nesting, comments, CRLF, NUL, unicode and very long lines. Every input
// goes through the whole pipeline, with every position feature asked at every offset.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { KEYS } from '../../../server/src/catalogue';
import { parseConfig, printTokens } from '../../../server/src/syntax';
import { runPipeline } from '../../fuzz/pipeline';

const token = fc.oneof(
  fc.constantFrom('\n', '\r\n', ' ', '\t', '#', '# note\n', '=', '+=', '+ =', ';', ',', '[', ']', '[]', '"', "'", '\\', '\\x41', '\\101', '\0', '\ufeff', 'é', '😀'),
  fc.constantFrom(...KEYS.map((key) => key.name)),
  fc.constantFrom('Memory', '0x1F', '0x1f', '010', '08', '-1', '1G', '"1G"', '4096', '"hvm"', "'pv'", '"dc"', '"restart"'),
  fc.constantFrom("'phy:/dev/vg/lv,xvda,rw'", "'file:/opt/isos/x.iso,xvdb:cdrom,r'", "'mac=00:16:3e:00:00:01,bridge=xenbr0,rate=10Mb/s@20ms'", "'0000:03:00.0'", '"0-3,^2"', "'format=raw, vdev=xvda, access=rw, target=/dev/vg/lv'"),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** Statements that are mostly well formed, so the features see real structure too. */
const statement = fc
  .tuple(fc.constantFrom(...KEYS.map((key) => key.name)), fc.constantFrom(' = ', '=', ' += '), fc.array(token, { maxLength: 4 }), fc.constantFrom('\n', ';', ' # c\n', '\r\n'))
  .map(([key, op, value, end]) => `${key}${op}${value.join('')}${end}`);

const config = fc.oneof(fc.array(token, { maxLength: 40 }).map((parts) => parts.join('')), fc.array(statement, { maxLength: 12 }).map((lines) => lines.join('')));

describe('properties of the whole pipeline', () => {
  test('parse, analysis, quick fixes, format and every position feature hold their invariants', () => {
    fc.assert(
      fc.property(config, (text) => {
        const result = runPipeline(text, { everyOffset: true });
        assert.equal(result.failure, undefined, result.failure);
      }),
      { numRuns: 400 },
    );
  });

  test('printing the tree gives back the input byte for byte, even for very long lines', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.integer({ min: 1, max: 50 }), (text, times) => {
        const input = text.repeat(times);
        assert.equal(printTokens(parseConfig(input)), input);
      }),
      { numRuns: 200 },
    );
  });
});
