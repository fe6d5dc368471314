// Host probes, against a fake root in a temporary folder: directory listings, bridges from sysfs,
// LVM volumes from /dev/mapper names, file and path checks, the timeout that keeps requests fast,
// and whether the host is a Xen control domain.

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
    mkdirSync(join(root, 'srv'));
    symlinkSync(join(root, 'srv/loop'), join(root, 'srv/loop'));
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

  test('path checks: files, folders and devices exist; ENOENT and ENOTDIR are missing; other errors unknown', async () => {
    const probes = new HostProbes({ root });
    assert.equal(await probes.pathExists('/opt/isos/debian.iso'), true);
    assert.equal(await probes.pathExists('/opt/isos'), true);
    // An LVM volume is a link to a block device; here a link to a file stands for it.
    assert.equal(await probes.pathExists('/opt/link/debian.iso'), true);
    assert.equal(await probes.pathExists('/opt/isos/gone.iso'), false);
    assert.equal(await probes.pathExists('/opt/isos/debian.iso/inside'), false);
    // A loop of links (ELOOP) says nothing about whether the guest's path will be there.
    assert.equal(await probes.pathExists('/srv/loop'), undefined);
    const failing = new HostProbes({ root, stat: () => Promise.reject(Object.assign(new Error('I/O error'), { code: 'EIO' })) });
    assert.equal(await failing.pathExists('/opt/isos/debian.iso'), undefined);
  });

  test('a path check slower than the timeout is unknown, and its late answer is cached', async () => {
    let finish: (() => void) | undefined;
    const slow = (path: string) => new Promise<unknown>((_, reject) => {
      finish = () => reject(Object.assign(new Error(`${path}: gone`), { code: 'ENOENT' }));
    });
    const probes = new HostProbes({ root, stat: slow, timeoutMs: 20 });
    assert.equal(await probes.pathExists('/dev/vg0/slow'), undefined);
    assert.ok(finish);
    finish();
    assert.equal(await probes.pathExists('/dev/vg0/slow'), false);
  });

  test('a control domain is told by control_d in proc/xen/capabilities, read once', async () => {
    const dom0 = mkdtempSync(join(tmpdir(), 'xen-dom0-'));
    const domU = mkdtempSync(join(tmpdir(), 'xen-domU-'));
    try {
      mkdirSync(join(dom0, 'proc/xen'), { recursive: true });
      writeFileSync(join(dom0, 'proc/xen/capabilities'), 'control_d\n');
      mkdirSync(join(domU, 'proc/xen'), { recursive: true });
      writeFileSync(join(domU, 'proc/xen/capabilities'), '');
      const probes = new HostProbes({ root: dom0 });
      assert.equal(await probes.isControlDomain(), true);
      // Read once: the answer stays when the file changes.
      writeFileSync(join(dom0, 'proc/xen/capabilities'), '');
      assert.equal(await probes.isControlDomain(), true);
      assert.equal(await new HostProbes({ root: dom0 }).isControlDomain(), false);
      assert.equal(await new HostProbes({ root: domU }).isControlDomain(), false);
      // No Xen at all: no /proc/xen.
      assert.equal(await new HostProbes({ root }).isControlDomain(), false);
    } finally {
      rmSync(dom0, { recursive: true, force: true });
      rmSync(domU, { recursive: true, force: true });
    }
  });

  test('LVM mapper names', () => {
    assert.deepEqual(splitMapperName('vg0-web'), { vg: 'vg0', lv: 'web' });
    assert.deepEqual(splitMapperName('my--vg-lv--a'), { vg: 'my-vg', lv: 'lv-a' });
    assert.equal(splitMapperName('luks'), undefined);
  });
});
