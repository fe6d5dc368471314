// The checks of the New Guest steps: what each accepts, refuses (error) or only warns about.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatSize } from '../../../client/src/newGuest/allocate';
import {
  displayCheck,
  imageFolderCheck,
  isoNotice,
  kindUnavailable,
  memoryCheck,
  parseMemory,
  passwordCheck,
  sizeCheck,
  trimFolder,
  vcpuCheck,
  volumeGroupUnavailable,
} from '../../../client/src/newGuest/stepRules';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

describe('memory', () => {
  test('MiB as a number, or with a unit', () => {
    assert.equal(parseMemory('2048'), 2048);
    assert.equal(parseMemory(' 256 '), 256);
    assert.equal(parseMemory('2G'), 2048);
    assert.equal(parseMemory('512M'), 512);
  });
  test('refused: empty, too little, words, negative', () => {
    for (const text of ['', '8', '0', 'lots', '-5']) assert.equal(typeof parseMemory(text), 'string', text);
    assert.match(String(parseMemory('16')), /at least 32 MiB/);
  });
  test('more than the host has free is a warning, not an error', () => {
    assert.deepEqual(memoryCheck('4096', 1024, 'rig'), { message: 'rig has 1024 MiB free now: the start fails unless other guests give memory back first.', warning: true });
    assert.equal(memoryCheck('512', 1024, 'rig'), undefined);
    assert.equal(memoryCheck('512', undefined, 'rig'), undefined, 'free memory unknown: no warning');
    assert.equal(memoryCheck('x', 1024, 'rig')?.warning, undefined, 'bad input is an error');
  });
});

describe('vCPUs', () => {
  test('1 to 128, at most the host\'s CPUs when known', () => {
    assert.equal(vcpuCheck('1', undefined), undefined);
    assert.equal(vcpuCheck('128', undefined), undefined);
    assert.match(String(vcpuCheck('0', undefined)?.message), /at least 1/);
    assert.match(String(vcpuCheck('129', undefined)?.message), /at most 128/);
    assert.match(String(vcpuCheck('1.5', undefined)?.message), /whole number/);
    assert.match(String(vcpuCheck('4', 2)?.message), /The host has 2 CPUs/);
    assert.equal(vcpuCheck('2', 2), undefined);
  });
});

describe('kinds the host runs', () => {
  test('from virt_caps', () => {
    assert.equal(kindUnavailable('hvm', ['pv', 'hvm', 'hap'], 'rig'), undefined);
    assert.match(String(kindUnavailable('hvm', ['pv'], 'rig')), /rig has no hardware virtualisation/);
    assert.match(String(kindUnavailable('pvh', ['pv'], 'rig')), /HVM and PVH/);
    assert.match(String(kindUnavailable('pv', ['hvm'], 'rig')), /no PV guests/);
    assert.equal(kindUnavailable('hvm', [], 'rig'), undefined, 'an xl without virt_caps says nothing against any kind');
  });
});

describe('sizes and volume groups', () => {
  test('a size within the free space', () => {
    assert.equal(sizeCheck('20G', 30 * GIB, 'xenvg'), undefined);
    assert.equal(sizeCheck('20G', undefined, undefined), undefined);
    assert.equal(sizeCheck('40G', 30 * GIB, 'xenvg')?.message, `xenvg has ${formatSize(30 * GIB)} free; enter at most that.`);
    assert.match(String(sizeCheck('1M', undefined, undefined)?.message), /too small/);
    assert.ok(sizeCheck('big', undefined, undefined)?.message, 'a word is refused');
  });
  test('a full group, or one with a volume of that name already', () => {
    const group = { name: 'xenvg', sizeBytes: 10 * GIB, freeBytes: 5 * GIB, extentBytes: 4 * MIB };
    assert.equal(volumeGroupUnavailable(group, 'web', []), undefined);
    assert.equal(volumeGroupUnavailable(group, 'web', [{ name: 'web', vg: 'xenvg' }]), 'it already has a volume named "web"');
    assert.equal(volumeGroupUnavailable(group, 'web', [{ name: 'web', vg: 'other' }]), undefined, 'same name in another group');
    assert.equal(volumeGroupUnavailable({ ...group, freeBytes: 0 }, 'web', undefined), 'it is full');
  });
});

describe('image folder', () => {
  test('absolute, and a path the config can hold', () => {
    assert.equal(imageFolderCheck('/var/lib/xen/images', 'web'), undefined);
    assert.equal(imageFolderCheck('/var/lib/xen/images/', 'web'), undefined);
    assert.equal(imageFolderCheck('/', 'web'), undefined);
    assert.match(String(imageFolderCheck('images', 'web')?.message), /absolute/);
    assert.match(String(imageFolderCheck('', 'web')?.message), /Enter the folder/);
    assert.match(String(imageFolderCheck('/a\nb', 'web')?.message), /line break/);
    assert.match(String(imageFolderCheck('/srv/a,b', 'web')?.message), /comma/);
    assert.equal(trimFolder(' /srv/img/ '), '/srv/img');
    assert.equal(trimFolder('/'), '/');
  });
});

describe('VNC', () => {
  test('a free display number', () => {
    assert.equal(displayCheck('2', new Set([0, 1])), undefined);
    assert.match(String(displayCheck('1', new Set([0, 1]))?.message), /display 1 \(port 5901\) is used/);
    assert.match(String(displayCheck('x', new Set())?.message), /display number/);
    assert.match(String(displayCheck('60000', new Set())?.message), /from 0 to 59635/);
    assert.match(String(displayCheck('99999999', new Set())?.message), /display number/);
  });
  test('a password the config can hold', () => {
    assert.equal(passwordCheck('s3cr3t!', 'hvm'), undefined);
    assert.match(String(passwordCheck('', 'hvm')?.message), /Enter a password/);
    assert.match(String(passwordCheck('123456789', 'hvm')?.message), /first 8/);
    assert.match(String(passwordCheck('pässwd', 'hvm')?.message), /ASCII/);
    assert.equal(passwordCheck('a,b', 'hvm'), undefined);
    assert.match(String(passwordCheck('a,b', 'pv')?.message), /comma/, 'a PV password sits in the vfb list');
  });
  test('no message ever quotes the password', () => {
    for (const password of ['abcdefghij', 'pässwd', 'x,yz']) {
      const check = passwordCheck(password, 'pv');
      assert.ok(check !== undefined && !check.message.includes(password), check?.message);
    }
  });
});

describe('the ISO step\'s notice', () => {
  const folders = [
    { path: '/opt/isos', exists: false },
    { path: '/srv/iso', exists: false },
  ];
  test('no folder exists', () => {
    assert.equal(isoNotice({ folders, isos: [] }, 'rig'), 'None of /opt/isos, /srv/iso exists on rig (setting xen.isoDirectories).');
  });
  test('folders without ISOs', () => {
    assert.equal(isoNotice({ folders: [{ path: '/opt/isos', exists: true }, folders[1]], isos: [] }, 'rig'), 'No .iso file in /opt/isos on rig (setting xen.isoDirectories).');
  });
  test('ISOs: nothing to say', () => {
    assert.equal(isoNotice({ folders: [{ path: '/opt/isos', exists: true }], isos: [{ path: '/opt/isos/a.iso', sizeBytes: 1 }] }, 'rig'), undefined);
  });
});
