// New Guest's one write: a new file, never over an existing one, private when it holds a password,
// and a message that says what to do when the folder is missing or not writable.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeNewConfig } from '../../../client/src/newGuest/writeConfig';

describe('writeNewConfig', () => {
  const folder = mkdtempSync(join(tmpdir(), 'xen-xl-newguest-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('writes a new file', () => {
    const path = join(folder, 'web.cfg');
    assert.equal(writeNewConfig(path, 'name = "web"\n', false), undefined);
    assert.equal(readFileSync(path, 'utf8'), 'name = "web"\n');
  });

  test('never overwrites: the old text stays, and the message says so', () => {
    const path = join(folder, 'taken.cfg');
    writeFileSync(path, 'old text\n');
    assert.match(String(writeNewConfig(path, 'new text\n', false)), /already exists; New Guest never overwrites a file/);
    assert.equal(readFileSync(path, 'utf8'), 'old text\n');
  });

  test('a config with a password is readable by its owner only', () => {
    const path = join(folder, 'secret.cfg');
    assert.equal(writeNewConfig(path, 'vncpasswd = "x"\n', true), undefined);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('a missing folder', () => {
    assert.match(String(writeNewConfig(join(folder, 'nope', 'web.cfg'), 'x', false)), /The folder .*nope does not exist/);
  });

  test('a folder this user may not write', () => {
    if (process.getuid?.() === 0) {
      // Root may write in any folder by its mode; no one may make a file in sysfs's top folder.
      assert.match(String(writeNewConfig('/sys/xen-xl-new-guest.cfg', 'x', false)), /may not write in|read-only/);
      return;
    }
    const dir = mkdtempSync(join(folder, 'ro-'));
    chmodSync(dir, 0o555);
    try {
      assert.match(String(writeNewConfig(join(dir, 'web.cfg'), 'x', false)), /may not write in/);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
