// Where New Guest writes the config, and what a failed write says.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configFolder, joinPath, writeProblem } from '../../../client/src/newGuest/placement';

describe('configFolder', () => {
  const facts = { setting: undefined, hostIsLocal: true, localXenConfigFolder: true, workspaceFolder: '/home/me/vms' };
  test('the setting wins', () => {
    assert.deepEqual(configFolder({ ...facts, setting: '/srv/xen' }), { folder: '/srv/xen', why: 'the setting xen.configDirectory' });
  });
  test('/etc/xen for a guest of this dom0', () => {
    assert.equal((configFolder(facts) as { folder: string }).folder, '/etc/xen');
  });
  test('the workspace folder when this machine is no dom0', () => {
    assert.equal((configFolder({ ...facts, localXenConfigFolder: false }) as { folder: string }).folder, '/home/me/vms');
  });
  test('an ssh host keeps its config in the workspace, never in this machine\'s /etc/xen', () => {
    assert.equal((configFolder({ ...facts, hostIsLocal: false }) as { folder: string }).folder, '/home/me/vms');
  });
  test('no folder: says so', () => {
    const placement = configFolder({ ...facts, hostIsLocal: false, workspaceFolder: undefined });
    assert.ok('problem' in placement);
    assert.match(placement.problem, /open a folder, or set xen\.configDirectory/);
  });
});

describe('writeProblem', () => {
  test('each error code its own message', () => {
    assert.match(writeProblem('EEXIST', '/etc/xen/web.cfg', 'me'), /\/etc\/xen\/web\.cfg already exists; New Guest never overwrites/);
    assert.match(writeProblem('EACCES', '/etc/xen/web.cfg', 'me'), /runs as me and may not write in \/etc\/xen\./);
    assert.match(writeProblem('EROFS', '/mnt/ro/web.cfg', undefined), /\/mnt\/ro is on a read-only file system/);
    assert.match(writeProblem('ENOENT', '/nope/web.cfg', undefined), /The folder \/nope does not exist/);
    assert.match(writeProblem('EIO', '/x/web.cfg', undefined), /Could not write \/x\/web\.cfg \(EIO\)/);
  });
  test('joinPath', () => {
    assert.equal(joinPath('/', 'a.cfg'), '/a.cfg');
    assert.equal(joinPath('/etc/xen', 'a.cfg'), '/etc/xen/a.cfg');
  });
});
