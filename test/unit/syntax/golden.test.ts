// The 92 golden cases produced by running Xen's own parser (libxlu): we must accept and reject the
// same files, store the same values, convert atoms to integers the same way, and put the first
// error on the line xl names (or on the true line just after it, where xl reports one line early).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { effectiveSettings, parseConfig, settingAsInteger, type XlValue } from '../../../server/src/syntax';

interface GoldenCase {
  id: string;
  description: string;
  input: string;
  ok: boolean;
  messages: string[];
  settings: { name: string; op: '=' | '+='; line: number; value: XlValue }[];
  effective: Record<string, XlValue>;
  conversions?: Record<string, { asLong?: { rc: number; value?: number } }>;
}

const golden = JSON.parse(readFileSync(resolve('test/fixtures/grammar-tests.json'), 'utf8')) as { cases: GoldenCase[] };

describe('libxlu golden cases', () => {
  test('there are 92 of them', () => assert.equal(golden.cases.length, 92));

  for (const testCase of golden.cases) {
    test(`${testCase.id}: ${testCase.description}`, () => {
      const document = parseConfig(testCase.input);
      const errors = document.errors.filter((error) => error.severity === 'error');
      assert.equal(errors.length === 0, testCase.ok, `verdict; our errors: ${JSON.stringify(errors.map((e) => e.message))}`);
      if (testCase.ok) {
        const settings = document.settings.map((s) => ({ name: s.key, op: s.op, line: s.line, value: s.value }));
        assert.deepEqual(settings, testCase.settings);
        for (const [key, conversions] of Object.entries(testCase.conversions ?? {})) {
          const setting = effectiveSettings(document).get(key);
          const asLong = conversions.asLong;
          if (asLong === undefined || setting === undefined) continue;
          const ours = settingAsInteger(setting);
          if (asLong.rc === 0) assert.deepEqual(ours, { ok: true, value: BigInt(asLong.value!) }, `${key} as integer`);
          else if (asLong.rc === 34) assert.deepEqual(ours, { ok: false, reason: 'range' }, `${key} as integer`);
          else assert.equal(ours.ok, false, `${key} as integer`);
        }
      } else {
        const first = testCase.messages.find((message) => /^test\.cfg:\d+:/.test(message));
        assert.ok(first, 'xl names a line');
        const xlLine = Number(/^test\.cfg:(\d+):/.exec(first)![1]);
        const ourLine = document.lineIndex.positionAt(errors[0].start).line + 1;
        assert.ok(ourLine === xlLine || ourLine === xlLine + 1, `first error on line ${ourLine}, xl says ${xlLine}: ${errors[0].message}`);
        assert.ok(errors[0].end >= errors[0].start && errors[0].end <= testCase.input.length);
      }
    });
  }
});
