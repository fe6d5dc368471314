// Document symbols: one per statement, list elements as children named by vdev or MAC.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentSymbols, type SymbolEntry } from '../../../server/src/analysis/symbols';
import { parseConfig } from '../../../server/src/syntax';

/** Symbols as `name [detail] @start-end`, children indented. */
function check(text: string, expected: string[]): void {
  const lines: string[] = [];
  const walk = (symbols: SymbolEntry[], depth: number) => {
    for (const symbol of symbols) {
      lines.push(`${'  '.repeat(depth)}${symbol.name} [${symbol.detail}] @${symbol.start}-${symbol.end} ${symbol.kind}`);
      walk(symbol.children, depth + 1);
    }
  };
  walk(documentSymbols(parseConfig(text)), 0);
  assert.deepEqual(lines, expected);
}

test('settings with short values, disks by vdev, NICs by MAC', () => {
  check(
    [
      'name = "web"',
      'memory = 4096',
      "disk = [ 'phy:/dev/vg0/web,xvda,rw', 'vdev=xvdb, target=/opt/x.iso' ]",
      "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', 'bridge=xenbr1' ]",
      'frobnicate = 1',
      '',
    ].join('\n'),
    [
      'name [web] @0-12 setting',
      'memory [4096] @13-26 setting',
      'disk [2 entries] @27-96 setting',
      '  xvda [/dev/vg0/web] @36-62 element',
      '  xvdb [/opt/x.iso] @64-94 element',
      'vif [2 entries] @97-161 setting',
      '  00:16:3e:00:00:01 [xenbr0] @105-142 element',
      '  vif 1 [xenbr1] @144-159 element',
      'frobnicate [1] @162-176 unknown',
    ],
  );
});

test('long values are shortened; other lists name elements by their text', () => {
  check(`extra = "${'x'.repeat(50)}"\ncpus = [ "0-3", "5" ]\n`, [`extra [${'x'.repeat(39)}…] @0-60 setting`, 'cpus [2 entries] @61-82 setting', '  0-3 [] @70-75 element', '  5 [] @77-80 element']);
});

test('broken statements still get a symbol', () => {
  check('memory =\nvcpus = 2\n', ['memory [] @0-8 setting', 'vcpus [2] @9-18 setting']);
});
