// The save folder scripts run for real in this machine's sh (dash here; the rig's dom0 runs
// busybox ash) on temporary folders with hostile names, and their parsers on GNU and busybox
// `df -Pk` lines. The scripts' words are exactly the builders' argv (`sh -c SCRIPT NAME ARGS`).

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as saveFiles from '../../../client/src/xl/saveFiles';
import type { XlCommand } from '../../../client/src/xl/types';

const HOSTILE = ["it's", '"q"', '$(touch pwned)', '`id`', '-rf', '--help', 'two\nlines', 'a;b', '*', 'sp ace', 'gäst 虚拟机'];

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xl-save-files-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a builder's script as the runner would (without sudo): `sh -c SCRIPT NAME ARGS...`. */
function run(command: XlCommand<unknown>): { status: number | null; stdout: string; stderr: string } {
  assert.equal(command.program, 'sh');
  const result = spawnSync('sh', command.args, { encoding: 'utf8', cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fresh(name: string): string {
  const made = path.join(dir, name);
  mkdirSync(made, { recursive: true });
  return made;
}

describe('save folder builders', () => {
  test('every script runs as root, with its data as positional parameters only', () => {
    for (const command of [saveFiles.saveFolder('/var/lib/xen/save/'), saveFiles.makeSaveFolder('/srv/$(id)'), saveFiles.claimSaveFile('/srv/a b.save'), saveFiles.removeSaveFile('/srv/x.save')]) {
      assert.equal(command.program, 'sh');
      assert.equal(command.privileged, true);
      assert.equal(command.args[0], '-c');
      assert.doesNotMatch(command.args[1], /\/srv|\/var\/lib\/xen\/save|\$\(id\)/, 'no data inside the script text');
    }
    assert.deepEqual(saveFiles.saveFolder('/var/lib/xen/save/').args.slice(2), ['xen-xl-save-folder', '/var/lib/xen/save', String(saveFiles.SAVE_FILE_LIMIT)]);
    assert.equal(saveFiles.removeSaveFile('/a.save').privileged, true);
  });

  test('relative, empty and NUL paths are refused; a file path may not name a folder', () => {
    for (const bad of ['', 'save', './save', '-rf', 'a\0b', '/a\0b']) {
      assert.throws(() => saveFiles.saveFolder(bad), RangeError, JSON.stringify(bad));
      assert.throws(() => saveFiles.makeSaveFolder(bad), RangeError, JSON.stringify(bad));
      assert.throws(() => saveFiles.claimSaveFile(bad), RangeError, JSON.stringify(bad));
      assert.throws(() => saveFiles.removeSaveFile(bad), RangeError, JSON.stringify(bad));
    }
    assert.throws(() => saveFiles.claimSaveFile('/srv/save/'), RangeError);
  });
});

describe('the save folder script', () => {
  test('lists *.save files with hostile names, sizes and times, newest first; not other files, folders or subfolders', () => {
    const folder = fresh('listing');
    const expected: string[] = [];
    HOSTILE.forEach((name, index) => {
      const file = path.join(folder, `${name}.save`);
      writeFileSync(file, Buffer.alloc(index * 100));
      utimesSync(file, 1_700_000_000 + index, 1_700_000_000 + index);
      expected.unshift(`${name}.save`);
    });
    writeFileSync(path.join(folder, 'notes.txt'), 'x');
    mkdirSync(path.join(folder, 'folder.save'));
    mkdirSync(path.join(folder, 'sub'));
    writeFileSync(path.join(folder, 'sub', 'deep.save'), 'x');
    const command = saveFiles.saveFolder(`${folder}/`);
    const result = run(command);
    assert.equal(result.status, 0, result.stderr);
    const listing = command.parse(result.stdout);
    assert.equal(listing.exists, true);
    assert.equal(listing.folder, folder);
    assert.deepEqual(listing.files.map((file) => file.name), expected);
    const last = listing.files.at(-1);
    assert.deepEqual(last, { name: `${HOSTILE[0]}.save`, path: path.join(folder, `${HOSTILE[0]}.save`), sizeBytes: 0, modifiedMs: 1_700_000_000_000 });
    assert.equal(listing.files[0].sizeBytes, (HOSTILE.length - 1) * 100);
    assert.ok(listing.space !== undefined && listing.space.totalKiB > 0 && listing.space.availableKiB >= 0, JSON.stringify(listing.space));
    assert.equal(listing.truncated, undefined);
    assert.ok(!existsSync(path.join(dir, 'pwned')), 'no name ran as code');
  });

  test('agrees with df about the free space', () => {
    const folder = fresh('space');
    const listing = saveFiles.saveFolder(folder).parse(run(saveFiles.saveFolder(folder)).stdout);
    const line = execFileSync('df', ['-Pk', folder], { encoding: 'utf8' }).split('\n')[1];
    const direct = saveFiles.parseDfLine(line);
    assert.ok(listing.space !== undefined && direct !== undefined);
    assert.equal(listing.space.totalKiB, direct.totalKiB);
    // Other programs write to this disk between the two looks.
    assert.ok(Math.abs(listing.space.availableKiB - direct.availableKiB) < 256 * 1024, `${listing.space.availableKiB} vs ${direct.availableKiB}`);
  });

  test('a missing folder: not there, no files, and the space of the nearest parent that exists', () => {
    const missing = path.join(dir, 'not', 'yet', 'there');
    const command = saveFiles.saveFolder(missing);
    const listing = command.parse(run(command).stdout);
    assert.equal(listing.exists, false);
    assert.deepEqual(listing.files, []);
    assert.ok(listing.space !== undefined);
  });

  test('at most SAVE_FILE_LIMIT files, and the listing says it was cut', () => {
    const folder = fresh('many');
    for (let i = 0; i <= saveFiles.SAVE_FILE_LIMIT; i++) writeFileSync(path.join(folder, `g${String(i).padStart(4, '0')}.save`), '');
    const command = saveFiles.saveFolder(folder);
    const listing = command.parse(run(command).stdout);
    assert.equal(listing.files.length, saveFiles.SAVE_FILE_LIMIT);
    assert.equal(listing.truncated, true);
  });
});

describe('making the folder, claiming and removing a save file', () => {
  test('mkdir -p with mode 0700, also under a hostile name', () => {
    for (const name of HOSTILE) {
      const folder = path.join(dir, 'made', name, 'save');
      const result = run(saveFiles.makeSaveFolder(folder));
      assert.equal(result.status, 0, result.stderr);
      assert.equal(statSync(folder).mode & 0o777, 0o700, name);
    }
    assert.equal(run(saveFiles.makeSaveFolder(path.join(dir, 'made'))).status, 0, 'an existing folder is fine');
  });

  test('claim makes an empty private file and refuses anything that is there (file, link, dangling link, folder)', () => {
    const folder = fresh('claim');
    for (const name of HOSTILE) {
      const file = path.join(folder, `${name}.save`);
      const result = run(saveFiles.claimSaveFile(file));
      assert.equal(result.status, 0, result.stderr);
      assert.equal(statSync(file).size, 0);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    }
    const kept = path.join(folder, 'kept.save');
    writeFileSync(kept, 'guest memory');
    const link = path.join(folder, 'link.save');
    symlinkSync(kept, link);
    const dangling = path.join(folder, 'dangling.save');
    symlinkSync(path.join(folder, 'nowhere'), dangling);
    const sub = path.join(folder, 'sub.save');
    mkdirSync(sub);
    for (const existing of [kept, link, dangling, sub]) {
      const result = run(saveFiles.claimSaveFile(existing));
      assert.equal(result.status, 3, existing);
      assert.match(result.stderr, /exists already; it was left as it is/);
    }
    assert.equal(readFileSync(kept, 'utf8'), 'guest memory');
    assert.ok(lstatSync(dangling).isSymbolicLink());
    const noFolder = run(saveFiles.claimSaveFile(path.join(folder, 'missing', 'x.save')));
    assert.equal(noFolder.status, 2);
    assert.match(noFolder.stderr, /does not exist/);
  });

  test('remove deletes a regular file only; a missing file is already gone', () => {
    const folder = fresh('remove');
    const file = path.join(folder, '-rf .save');
    writeFileSync(file, 'partial');
    assert.equal(run(saveFiles.removeSaveFile(file)).status, 0);
    assert.ok(!existsSync(file));
    assert.equal(run(saveFiles.removeSaveFile(file)).status, 0);
    const target = path.join(folder, 'target');
    writeFileSync(target, 'x');
    const link = path.join(folder, 'link.save');
    symlinkSync(target, link);
    const sub = path.join(folder, 'sub.save');
    mkdirSync(sub);
    for (const kept of [link, sub]) {
      const result = run(saveFiles.removeSaveFile(kept));
      assert.equal(result.status, 3, kept);
      assert.ok(existsSync(kept));
    }
    assert.ok(existsSync(target));
  });
});

describe('parsers', () => {
  test('df -Pk lines of GNU coreutils and busybox, names and mount points with spaces', () => {
    assert.deepEqual(saveFiles.parseDfLine('/dev/vda         264212084 29524608  76866304      28% /'), { totalKiB: 264212084, availableKiB: 76866304 });
    assert.deepEqual(saveFiles.parseDfLine('/dev/mapper/vg0-root   10255636   2016228   7698896  21% /var/lib/xen'), { totalKiB: 10255636, availableKiB: 7698896 });
    assert.deepEqual(saveFiles.parseDfLine('my disk 100 60 40 60% /mnt/with space'), { totalKiB: 100, availableKiB: 40 });
    assert.deepEqual(saveFiles.parseDfLine('none 0 0 0 - /proc'), { totalKiB: 0, availableKiB: 0 });
    // busybox df on the rig: the save folder is a 256 MiB tmpfs; /var/lib/xen has no mount entry.
    const rig = readFileSync('test/fixtures/xl/rig-df-var-lib-xen-save.txt', 'utf8').split('\n')[1];
    assert.deepEqual(saveFiles.parseDfLine(rig), { totalKiB: 262144, availableKiB: 262144 });
    assert.equal(saveFiles.parseDfLine(readFileSync('test/fixtures/xl/rig-df-var-lib-xen.txt', 'utf8').split('\n')[1]), undefined);
    assert.equal(saveFiles.parseDfLine(''), undefined);
    assert.equal(saveFiles.parseDfLine('df: /x: No such file or directory'), undefined);
  });

  test('records: unknown tags, cut output and names with slashes are bad output', () => {
    assert.throws(() => saveFiles.parseSaveFolder('D\0X\0', '/s'), /unknown record/);
    assert.throws(() => saveFiles.parseSaveFolder('D\0S\0a.save\0', '/s'), /cut short/);
    assert.throws(() => saveFiles.parseSaveFolder('D\0S\0a/b.save\0 1\0 2\0', '/s'), /unexpected file name/);
    assert.throws(() => saveFiles.parseSaveFolder('D', '/s'), /NUL/);
    assert.throws(() => saveFiles.parseSaveFolder('', '/s'), /not reported/);
    const listing = saveFiles.parseSaveFolder('D\0F\0\0S\0a.save\0\0\0', '/');
    assert.deepEqual(listing, { folder: '/', exists: true, space: undefined, files: [{ name: 'a.save', path: '/a.save' }] });
  });
});
