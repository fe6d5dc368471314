// Host probes, against a fake root in a temporary folder: directory listings, bridges from sysfs,
// LVM volumes from /dev/mapper names, file checks, and the timeout that keeps requests fast.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HostProbes, splitMapperName } from '../../../server/src/host/probes';

describe('host probes', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'xen-probes-'));
    mkdirSync(join(root, 'opt/isos/old'), { recursive: true });
    writeFileSync(join(root, 'opt/isos/debian.iso'), 'x');
    mkdirSync(join(root, 'sys/class/net/xenbr0/bridge'), { recursive: true });
    mkdirSync(join(root, 'sys/class/net/eth0'), { recursive: true });
    mkdirSync(join(root, 'dev/mapper'), { recursive: true });
    mkdirSync(join(root, 'dev/vg0'), { recursive: true });
    writeFileSync(join(root, 'dev/mapper/vg0-web--01'), '');
    writeFileSync(join(root, 'dev/mapper/control'), '');
    writeFileSync(join(root, 'dev/vg0/web-01'), '');
    symlinkSync(join(root, 'opt/isos'), join(root, 'opt/link'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lists a directory, following links', async () => {
    const probes = new HostProbes({ root });
    const entries = await probes.listDirectory('/opt/isos/');
    assert.deepEqual(entries.sort((a, b) => a.name.localeCompare(b.name)), [{ name: 'debian.iso', kind: 'file' }, { name: 'old', kind: 'directory' }]);
    assert.deepEqual(await probes.listDirectory('/opt/'), [{ name: 'isos', kind: 'directory' }, { name: 'link', kind: 'directory' }]);
    assert.deepEqual(await probes.listDirectory('/missing/'), []);
  });

  test('bridges and block devices', async () => {
    const probes = new HostProbes({ root });
    assert.deepEqual(await probes.listBridges(), ['xenbr0']);
    assert.deepEqual(await probes.listBlockDevices(), ['/dev/mapper/vg0-web--01', '/dev/vg0/web-01']);
  });

  test('file checks', async () => {
    const probes = new HostProbes({ root });
    assert.equal(await probes.isFile('/opt/isos/debian.iso'), true);
    assert.equal(await probes.isFile('/opt/isos'), false);
    assert.equal(await probes.isFile('/nope'), false);
  });

  test('answers are cached for a while', async () => {
    let now = 0;
    const probes = new HostProbes({ root, now: () => now, cacheMs: 1000 });
    assert.equal((await probes.listDirectory('/opt/isos/')).length, 2);
    writeFileSync(join(root, 'opt/isos/new.iso'), 'x');
    assert.equal((await probes.listDirectory('/opt/isos/')).length, 2);
    now = 2000;
    assert.equal((await probes.listDirectory('/opt/isos/')).length, 3);
  });

  test('a probe slower than the timeout gives the fallback at once', async () => {
    const probes = new HostProbes({ root, timeoutMs: 0 });
    const started = Date.now();
    const result = await probes.isFile('/opt/isos/debian.iso');
    assert.ok(result === undefined || result === true);
    assert.ok(Date.now() - started < 100);
  });

  test('LVM mapper names', () => {
    assert.deepEqual(splitMapperName('vg0-web'), { vg: 'vg0', lv: 'web' });
    assert.deepEqual(splitMapperName('my--vg-lv--a'), { vg: 'my-vg', lv: 'lv-a' });
    assert.equal(splitMapperName('luks'), undefined);
  });
});
