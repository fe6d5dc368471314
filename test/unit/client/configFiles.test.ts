// Which paths are guest configs (the xl language's associations) and the line scan that reads a
// config's guest name without the language server.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isGuestConfigPath, isXlConfigPath, scanConfigName } from '../../../client/src/configFiles';

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
    assert.equal(scanConfigName(`${'#\n'.repeat(200_000)}name = "late"\n`), undefined);
  });
});

describe('isXlConfigPath', () => {
  const yes = [
    '/etc/xen/web.cfg',
    '/etc/xen/guests/deep/db.cfg',
    '/etc/xen/auto/web',
    '/etc/xen/xl.conf',
    '/home/me/vm.xl',
    '/home/me/vm.XLCFG',
    '/srv/xlexample.hvm',
    '/home/me/xen/web.cfg',
    '/home/me/xen/sub/web.cfg',
  ];
  const no = ['/etc/xen/scripts/vif-bridge', '/etc/xen/scripts/odd.cfg', '/home/me/web.cfg', '/home/me/xenial/web.cfg', '/home/me/xen/notes.txt', '/etc/xen/auto/sub/x'];
  for (const path of yes) test(`yes: ${path}`, () => assert.equal(isXlConfigPath(path), true));
  for (const path of no) test(`no: ${path}`, () => assert.equal(isXlConfigPath(path), false));
  test('xl.conf is an xl file but not a guest config', () => {
    assert.equal(isGuestConfigPath('/etc/xen/xl.conf'), false);
    assert.equal(isGuestConfigPath('/etc/xen/web.cfg'), true);
  });
});
