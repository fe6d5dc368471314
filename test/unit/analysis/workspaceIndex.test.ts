// The workspace scan's bounds, on temporary trees with injected limits and clock: it reads the
// configs it should, never enters skipped or pseudo file systems, and stops at each limit with a
// line in the server log.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SCAN_LIMITS, SKIP_ABSOLUTE, WorkspaceIndex, isPseudoFileSystem } from '../../../server/src/host/workspaceIndex';

let root = '';

const guest = (name: string): string => `name = "${name}"\nmemory = 512\nvcpus = 1\nkernel = "/boot/vmlinuz"\n`;

function write(relative: string, text: string): void {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'xl-index-'));
  write('xen/web.cfg', guest('web'));
  write('xen/db.cfg', guest('db'));
  write('setup.cfg', '[metadata]\nname = thing\n');
  write('node_modules/pkg/xen/hidden.cfg', guest('hidden-in-node-modules'));
  write('usr/xen/system.cfg', guest('in-usr'));
  write('a/b/c/d/e/f/g/h/i/j/deep.cfg', guest('too-deep'));
  // Many plain files, to exhaust an entry limit.
  for (let i = 0; i < 300; i++) write(`bulk/file${i}.txt`, 'x');
});

after(() => rmSync(root, { recursive: true, force: true }));

function names(index: WorkspaceIndex): string[] {
  return [...index.facts.values()].map((entry) => entry.facts.name?.value ?? '?').sort();
}

describe('WorkspaceIndex.scan bounds', () => {
  test('finds the configs, skips tool trees, skipped absolute paths and too-deep folders, and says so only for depth', async () => {
    const log: string[] = [];
    const visited: string[] = [];
    const index = new WorkspaceIndex({ log: (line) => log.push(line), skipPaths: [path.join(root, 'usr')], onDirectory: (dir) => visited.push(dir) });
    assert.equal(await index.scan([root]), 2);
    assert.deepEqual(names(index), ['db', 'web']);
    assert.ok(!visited.some((dir) => dir.includes('node_modules') || dir.startsWith(path.join(root, 'usr'))), visited.join('\n'));
    assert.deepEqual(log, ['xl: the workspace scan did not enter folders more than 8 levels deep.']);
  });

  test('a workspace folder that is itself a skipped path is still read', async () => {
    const index = new WorkspaceIndex({ skipPaths: [path.join(root, 'usr')] });
    await index.scan([path.join(root, 'usr')]);
    assert.deepEqual(names(index), ['in-usr']);
  });

  test('stops after the entry limit and logs it, having read the shallow configs first', async () => {
    const log: string[] = [];
    const visited: string[] = [];
    const index = new WorkspaceIndex({ limits: { maxEntries: 40 }, log: (line) => log.push(line), onDirectory: (dir) => visited.push(dir) });
    await index.scan([root]);
    assert.equal(log.length, 1);
    assert.match(log[0], /^xl: the workspace scan stopped early because it looked at 40 directory entries \(found \d+ configs\)/);
    // bulk/ holds 300 entries: reading it used up the budget, so nothing after it was entered.
    assert.ok(visited.length < 8, visited.join('\n'));
  });

  test('stops at the time limit (injected clock) and logs it', async () => {
    const log: string[] = [];
    let time = 0;
    // Every look at the clock costs 400 ms: the third directory is over a 1 s budget.
    const visited: string[] = [];
    const index = new WorkspaceIndex({ limits: { maxMs: 1000 }, now: () => (time += 400), log: (line) => log.push(line), onDirectory: (dir) => visited.push(dir) });
    await index.scan([root]);
    assert.match(log[0] ?? '', /stopped early because it ran for 1000 ms/);
    assert.ok(visited.length <= 2, visited.join('\n'));
  });

  test('stops after the file limit and logs it', async () => {
    const log: string[] = [];
    const index = new WorkspaceIndex({ limits: { maxFiles: 1 }, log: (line) => log.push(line) });
    await index.scan([root]);
    assert.ok(index.facts.size <= 1);
    assert.match(log[0] ?? '', /because it read 1 config files/);
  });

  test('pseudo file systems are recognised (Linux: /proc and /sys); a normal folder is not one', async () => {
    assert.equal(await isPseudoFileSystem(root), false);
    if (process.platform === 'linux') {
      assert.equal(await isPseudoFileSystem('/proc'), true);
      assert.equal(await isPseudoFileSystem('/sys'), true);
      // Even as a workspace folder, /proc is not read.
      const visited: string[] = [];
      await new WorkspaceIndex({ onDirectory: (dir) => visited.push(dir) }).scan(['/proc']);
      assert.deepEqual(visited, []);
    }
  });

  test('opening / as the workspace: /usr and /proc are never entered, and the scan ends within its limits', async () => {
    const visited: string[] = [];
    const log: string[] = [];
    const started = Date.now();
    const index = new WorkspaceIndex({ limits: { maxMs: 3000 }, onDirectory: (dir) => visited.push(dir), log: (line) => log.push(line) });
    await index.scan(['/']);
    const elapsed = Date.now() - started;
    for (const skipped of ['/usr', '/proc', '/sys', '/dev']) {
      assert.ok(!visited.some((dir) => dir === skipped || dir.startsWith(`${skipped}/`)), `${skipped} was entered`);
    }
    assert.ok(SKIP_ABSOLUTE.includes('/usr') && SKIP_ABSOLUTE.includes('/proc'));
    // The time limit plus one directory's worth of work.
    assert.ok(elapsed < 3000 + 2000, `took ${elapsed} ms`);
    assert.ok(DEFAULT_SCAN_LIMITS.maxEntries >= 10_000 && DEFAULT_SCAN_LIMITS.maxMs <= 10_000);
  });
});

describe('WorkspaceIndex.scan counts the files the client counts (common/configPaths, common/guestSniff)', () => {
  let tree = '';
  before(() => {
    tree = mkdtempSync(path.join(os.tmpdir(), 'xl-index-rules-'));
    const put = (relative: string, text: string): void => {
      mkdirSync(path.dirname(path.join(tree, relative)), { recursive: true });
      writeFileSync(path.join(tree, relative), text);
    };
    put('Xen/Upper.CFG', guest('path-rule-any-case'));
    put('vm.XLCFG', guest('xlcfg-any-case'));
    put('guests/sniffed.CFG', guest('sniffed-any-case'));
    put('guests/notes.cfg', 'name = "notes"\nmemory = 1\n');
    put('guests/parsed-only.cfg', 'name = "one-line"; memory = 1; vcpus = 2\n');
    put('xen/xl.conf', 'autoballoon = "off"\n');
    put('guests/vm.txt', guest('not-a-cfg'));
  });
  after(() => rmSync(tree, { recursive: true, force: true }));

  test('path rules in any case, .cfg files that look like guests, never xl.conf or other extensions', async () => {
    const index = new WorkspaceIndex();
    await index.scan([tree]);
    // `parsed-only.cfg` sets its keys on one line: the shared line scan (which the client's text
    // detection uses too) does not see them, so neither side counts it.
    assert.deepEqual(names(index), ['path-rule-any-case', 'sniffed-any-case', 'xlcfg-any-case']);
  });
});
