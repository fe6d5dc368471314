// Property test of formatting: format(format(x)) == format(x), and the decoded settings of
// format(x) equal those of x, for every config we ship and for generated configs.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyEdits, format, type FormatOptions } from '../../../server/src/analysis/format';
import { parseConfig } from '../../../server/src/syntax';
import { generateConfig, seededRandom } from './generate';

/** What xl reads: every stored setting with its value, and the syntax problems. */
function meaning(text: string): string {
  const document = parseConfig(text);
  return JSON.stringify({ settings: document.settings.map((setting) => [setting.key, setting.op, setting.value]), errors: document.errors.map((error) => error.code) });
}

const STYLES: FormatOptions[] = [
  { quoteStyle: 'keep', maxLineLength: 100, indent: '    ' },
  { quoteStyle: 'single', maxLineLength: 40, indent: '  ' },
  { quoteStyle: 'double', maxLineLength: 20, indent: '\t' },
];

function checkProperty(name: string, text: string): void {
  for (const options of STYLES) {
    const once = applyEdits(text, format(parseConfig(text), options));
    assert.equal(meaning(once), meaning(text), `${name} (${options.quoteStyle}): the meaning is kept`);
    const twice = applyEdits(once, format(parseConfig(once), options));
    assert.equal(twice, once, `${name} (${options.quoteStyle}): formatting is idempotent`);
  }
}

function configFiles(): string[] {
  const folders = ['examples', 'test/fixtures/corpus', 'test/fixtures/workspace/xen'];
  return folders.flatMap((folder) => readdirSync(folder).filter((name) => !name.startsWith('.')).map((name) => join(folder, name)));
}

describe('format: round trip', () => {
  for (const path of configFiles()) {
    test(path, () => checkProperty(path, readFileSync(path, 'utf8')));
  }

  test('the shipped examples are already formatted except for long lists', () => {
    const text = readFileSync('examples/c7-x8664.pvhvm.cfg', 'utf8');
    assert.deepEqual(format(parseConfig(text)), []);
  });

  test('500 generated configs, valid and broken', () => {
    const random = seededRandom(20240611);
    for (let index = 0; index < 500; index++) checkProperty(`generated #${index}`, generateConfig(random));
  });
});
