// The line scan that reads a config's guest name without the language server. (Which paths are
// configs: test/unit/common/configPaths.test.ts.)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { scanConfigName } from '../../../client/src/configFiles';
import { CONFIG_MAX_BYTES } from '../../../common/limits';

describe('scanConfigName', () => {
  test('double and single quotes, blanks, comments', () => {
    assert.deepEqual(scanConfigName('name = "web"\n'), { name: 'web', line: 0 });
    assert.deepEqual(scanConfigName("memory = 1\nname='db'   # the database\n"), { name: 'db', line: 1 });
    assert.deepEqual(scanConfigName('\tname\t=\t"x y"\r\n'), { name: 'x y', line: 0 });
  });
  test('the last assignment wins, as in libxlu', () => {
    assert.deepEqual(scanConfigName('name = "old"\nmemory = 1\nname = "new"\n'), { name: 'new', line: 2 });
  });
  test('escapes are decoded; unusual escapes give no name', () => {
    assert.equal(scanConfigName('name = "a\\"b"\n')?.name, 'a"b');
    assert.equal(scanConfigName("name = 'it\\'s'\n")?.name, "it's");
    assert.equal(scanConfigName('name = "a\\x41"\n'), undefined);
  });
  test('not a name: commented, unquoted, other keys, unterminated, empty, trailing junk', () => {
    for (const text of ['# name = "x"\n', 'name = x\n', 'hostname = "x"\n', 'name = "x\n', 'name = ""\n', 'name = "x" y\n', 'names = "x"\n']) {
      assert.equal(scanConfigName(text), undefined, JSON.stringify(text));
    }
  });
  test('hostile names come back verbatim', () => {
    assert.equal(scanConfigName('name = "--help; rm -rf / $(id)"\n')?.name, '--help; rm -rf / $(id)');
  });
  test('the fixture workspace configs', () => {
    assert.equal(scanConfigName(readFileSync('test/fixtures/workspace/xen/web.cfg', 'utf8'))?.name, 'web');
    assert.deepEqual(scanConfigName(readFileSync('test/fixtures/workspace/xen/broken.cfg', 'utf8')), { name: 'broken', line: 2 });
  });
  test('only the head of a huge file is scanned', () => {
    assert.equal(scanConfigName(`${'#'.repeat(CONFIG_MAX_BYTES)}\nname = "late"\n`), undefined);
    assert.equal(scanConfigName(`${'#'.repeat(CONFIG_MAX_BYTES - 20)}\nname = "early"\n`)?.name, 'early');
  });
});
