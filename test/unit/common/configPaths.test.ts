// Which paths are xl configs, guest configs and sniffing candidates: one rule that the client and
// the language server both import from common/, matched in any case as VS Code matches the
// manifest's language associations.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CONFIG_SEARCH_GLOB, isGuestConfigPath, isSniffCandidatePath, isXenScriptPath, isXlConfigPath, isXlConfPath } from '../../../common/configPaths';

describe('isXlConfigPath', () => {
  const yes = [
    '/etc/xen/web.cfg',
    '/etc/xen/guests/deep/db.cfg',
    '/etc/xen/auto/web',
    '/etc/xen/xl.conf',
    '/home/me/vm.xl',
    '/home/me/vm.xlcfg',
    '/srv/xlexample.hvm',
    '/home/me/xen/web.cfg',
    '/home/me/xen/sub/web.cfg',
  ];
  // VS Code lower-cases both the path and the patterns before matching, so these open as xl too.
  const yesInAnyCase = ['/home/me/vm.XLCFG', '/home/me/VM.Xl', '/srv/XLEXAMPLE.pv', '/home/me/Xen/web.CFG', '/ETC/XEN/web.cfg', '/etc/xen/AUTO/Web'];
  const no = [
    '/etc/xen/scripts/vif-bridge',
    '/etc/xen/scripts/odd.cfg',
    '/etc/xen/Scripts/odd.cfg',
    '/home/me/web.cfg',
    '/home/me/xenial/web.cfg',
    '/home/me/xen/notes.txt',
    '/etc/xen/auto/sub/x',
    '/etc/xen/auto/',
    '/home/me/xen/xl.conf',
    '/etc/xen/xl.conf.bak',
  ];
  for (const path of [...yes, ...yesInAnyCase]) test(`yes: ${path}`, () => assert.equal(isXlConfigPath(path), true));
  for (const path of no) test(`no: ${path}`, () => assert.equal(isXlConfigPath(path), false));
});

describe('guest configs and xl.conf', () => {
  test('xl.conf is an xl file but not a guest config', () => {
    assert.equal(isGuestConfigPath('/etc/xen/xl.conf'), false);
    assert.equal(isGuestConfigPath('/etc/xen/web.cfg'), true);
    assert.equal(isGuestConfigPath('/home/me/VM.XLCFG'), true);
    // xl reads exactly /etc/xen/xl.conf; another case is neither its settings nor a guest.
    assert.equal(isXlConfigPath('/etc/xen/XL.CONF'), false);
    assert.equal(isGuestConfigPath('/etc/xen/XL.CONF'), false);
  });
  test('isXlConfPath names any file called exactly xl.conf, wherever it is', () => {
    assert.equal(isXlConfPath('/etc/xen/xl.conf'), true);
    assert.equal(isXlConfPath('/home/me/copies/xl.conf'), true);
    assert.equal(isXlConfPath('/home/me/myxl.conf'), false);
    assert.equal(isXlConfPath('/etc/xen/web.cfg'), false);
  });
});

describe('content sniffing candidates', () => {
  test('/etc/xen/scripts is never ours', () => {
    assert.equal(isXenScriptPath('/etc/xen/scripts/vif-bridge'), true);
    assert.equal(isXenScriptPath('/etc/xen/web.cfg'), false);
    assert.equal(isSniffCandidatePath('/etc/xen/scripts/odd.cfg'), false);
  });
  test('only .cfg files, in any case, are sniffed', () => {
    assert.equal(isSniffCandidatePath('/home/me/vm.cfg'), true);
    assert.equal(isSniffCandidatePath('/home/me/VM.CFG'), true);
    assert.equal(isSniffCandidatePath('/home/me/notes.txt'), false);
    assert.equal(isSniffCandidatePath('/home/me/vm.xl'), false);
  });
});

describe('CONFIG_SEARCH_GLOB', () => {
  // path.matchesGlob arrived in Node 20.17 and 22.5; package.json allows Node 20.5.
  const matchesGlob = (path as { matchesGlob?: (file: string, pattern: string) => boolean }).matchesGlob;
  test('finds every candidate the path rules or sniffing can accept, in any case', { skip: matchesGlob === undefined && 'this Node has no path.matchesGlob' }, () => {
    const match = (file: string): boolean => (matchesGlob as (file: string, pattern: string) => boolean)(file, CONFIG_SEARCH_GLOB);
    for (const file of ['web.cfg', 'xen/web.cfg', 'a/b/VM.CFG', 'vm.xl', 'vm.XLCFG', 'd/xlexample.hvm', 'XLExample.pv']) assert.equal(match(file), true, file);
    for (const file of ['notes.txt', 'a/cfg', 'vm.xlc', 'example.hvm']) assert.equal(match(file), false, file);
  });
});

describe('manifest', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  test('language xl with the associations that isXlConfigPath follows', () => {
    const language = manifest.contributes.languages.find((entry: { id: string }) => entry.id === 'xl');
    assert.deepEqual(language.aliases, ['Xen xl config', 'xl']);
    assert.deepEqual(language.extensions, ['.xl', '.xlcfg']);
    assert.deepEqual([...language.filenamePatterns].sort(), ['**/xen/**/*.cfg', '/etc/xen/**/*.cfg', '/etc/xen/auto/*', '/etc/xen/xl.conf', 'xlexample.*']);
    assert.ok(!language.extensions.includes('.cfg'), 'other .cfg files are not ours by default');
  });
});

describe('one glob for config files', () => {
  test('no code outside common/ writes its own config-file glob (watchers and searches use CONFIG_SEARCH_GLOB)', () => {
    const walk = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(folder, entry.name);
        return entry.isDirectory() ? walk(file) : entry.name.endsWith('.ts') ? [file] : [];
      });
    const files = [...walk('client/src'), ...walk('server/src')];
    assert.ok(files.length > 100, `only ${files.length} source files found: run from the repository root`);
    const own = files.filter((file) => /['"`][^'"`\n]*\*\.(?:\{[^}'"`]*cfg|cfg\b)/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(own, []);
  });
});
