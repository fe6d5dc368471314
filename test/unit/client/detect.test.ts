// Which files the client treats as xl configs: content sniffing of .cfg files, and the manifest's
// file associations.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isCandidateForSniffing, isXenScriptPath, looksLikeXlConfig } from '../../../client/src/detect';

describe('looksLikeXlConfig', () => {
  const cases: [string, boolean, string][] = [
    ['name = "vm"\nmemory = 1024\ndisk = [ "phy:/dev/vg/lv,xvda,w" ]\n', true, 'name plus two keys'],
    ["name='vm'\ntype='pvh'\nkernel='/boot/vmlinuz'\n", true, 'single quotes, no blanks'],
    ['  name = "vm"\n\tvcpus = 2\n  builder = "hvm"\n', true, 'indented'],
    ['name = "vm"\nmemory = 1024\n', false, 'only one well-known key'],
    ['memory = 1024\nvcpus = 2\ndisk = []\n', false, 'no name'],
    ['name = vm\nmemory = 1024\nvcpus = 2\n', false, 'name is not a quoted string'],
    ['[section]\nname = "x"\nmemory = 1\n', false, 'an ini file with one known key'],
    ['# name = "vm"\n# memory = 1\n# vcpus = 2\n', false, 'commented out'],
    ['', false, 'empty'],
  ];
  for (const [text, expected, why] of cases) test(why, () => assert.equal(looksLikeXlConfig(text), expected));

  test('only the head of a huge file is read', () => {
    const text = '#'.repeat(200_000) + '\nname = "vm"\nmemory = 1\nvcpus = 2\n';
    assert.equal(looksLikeXlConfig(text), false);
  });
});

describe('paths', () => {
  test('/etc/xen/scripts is never ours', () => {
    assert.equal(isXenScriptPath('/etc/xen/scripts/vif-bridge'), true);
    assert.equal(isCandidateForSniffing('/etc/xen/scripts/odd.cfg'), false);
  });
  test('only .cfg files are sniffed', () => {
    assert.equal(isCandidateForSniffing('/home/me/vm.cfg'), true);
    assert.equal(isCandidateForSniffing('/home/me/VM.CFG'), true);
    assert.equal(isCandidateForSniffing('/home/me/notes.txt'), false);
  });
});

describe('manifest', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  test('language xl with the agreed associations', () => {
    const language = manifest.contributes.languages.find((entry: { id: string }) => entry.id === 'xl');
    assert.deepEqual(language.aliases, ['Xen xl config', 'xl']);
    assert.deepEqual(language.extensions, ['.xl', '.xlcfg']);
    for (const pattern of ['/etc/xen/**/*.cfg', '/etc/xen/auto/*', 'xlexample.*', '**/xen/**/*.cfg', '/etc/xen/xl.conf']) {
      assert.ok(language.filenamePatterns.includes(pattern), pattern);
    }
    assert.ok(!language.extensions.includes('.cfg'), 'other .cfg files are not ours by default');
  });
  test('a workspace extension with limited untrusted support', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
  test('every contributed command has a title and the Xen category', () => {
    for (const command of manifest.contributes.commands) {
      assert.ok(command.title, command.command);
      assert.equal(command.category, 'Xen', command.command);
    }
  });
});
